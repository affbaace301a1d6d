"""The Settings dialog round-trips every setting it shows, and start-at-login writes the entry."""

from __future__ import annotations

from pathlib import Path

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui.settings_dialog import SettingsDialog


def test_dialog_round_trips_settings(qtbot) -> None:  # type: ignore[no-untyped-def]
    original = Settings(
        n_ctx=2048,
        max_tokens=300,
        temperature=0.5,
        hotkey="Ctrl+Shift+K",
        close_to_tray=False,
        never_send=True,
        deny_terms=["Project Kestrel"],
        allow_terms=["Acme"],
        privacy_actions={"SECRET": "block"},
        daily_budget_usd=2.5,
        cloud_model="claude-haiku-5-5",
        offline_mode=True,
        color_scheme="dark",
    )
    dialog = SettingsDialog(
        original,
        tray_status="The tray icon is shown.",
        hotkey_status="Press Ctrl+Shift+K anywhere.",
    )
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Model",
        "General",
        "Cloud",
        "Edge",
        "Privacy",
    ]
    result = dialog.result_settings()
    for name in (
        "n_ctx",
        "max_tokens",
        "temperature",
        "hotkey",
        "close_to_tray",
        "never_send",
        "deny_terms",
        "allow_terms",
        "privacy_actions",
        "daily_budget_usd",
        "cloud_model",
        "offline_mode",
        "color_scheme",
    ):
        assert getattr(result, name) == getattr(original, name), name
    result.validate()


def test_bad_model_file_disables_ok(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.model_path.setText(str(bad))
    assert not ok.isEnabled()
    assert "not a GGUF" in dialog.model_status.text()
    dialog.model_path.clear()
    assert ok.isEnabled()


def test_start_at_login_writes_and_removes_the_xdg_entry(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.config import autostart

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = autostart.set_enabled(True)
    assert path == tmp_path / "autostart" / "hybrid-desktop.desktop"
    text = Path(path).read_text()
    assert "Exec=" in text and "--minimized" in text and autostart.is_enabled()
    autostart.set_enabled(False)
    assert not autostart.is_enabled()


def test_colours_choice_offers_the_schemes_and_saves_the_one_picked(qtbot) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.config.settings import COLOR_SCHEMES

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    combo = dialog.color_scheme
    assert combo.accessibleName() == "Colours" and combo.accessibleDescription()
    assert [combo.itemText(i) for i in range(combo.count())] == ["System", "Light", "Dark"]
    assert tuple(combo.itemData(i) for i in range(combo.count())) == COLOR_SCHEMES
    assert combo.currentData() == "system" and dialog.result_settings().color_scheme == "system"
    combo.setCurrentIndex(combo.findText("Light"))
    assert dialog.result_settings().color_scheme == "light"
    assert SettingsDialog(Settings(color_scheme="dark")).color_scheme.currentText() == "Dark"


def test_picking_dark_in_the_dialog_re_themes_the_running_window(make_app, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from hybrid_desktop.config.settings import load_settings
    from hybrid_desktop.ui.theme import apply_theme, dark_palette, is_dark

    running = make_app(Settings(max_tokens=16, color_scheme="light"))
    window = running.window
    qtbot.waitUntil(window.isVisible, timeout=5000)
    assert not is_dark()
    picked: list[str] = []

    def pick_dark() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(20, pick_dark)
            return
        dialog.color_scheme.setCurrentIndex(dialog.color_scheme.findData("dark"))
        picked.append(dialog.color_scheme.currentText())
        dialog.accept()

    QTimer.singleShot(0, pick_dark)
    try:
        running.open_settings()  # modal: returns once OK is pressed
        assert picked == ["Dark"]
        assert is_dark()
        dark_window = dark_palette().color(QPalette.ColorRole.Window).name()
        qtbot.waitUntil(
            lambda: window.palette().color(QPalette.ColorRole.Window).name() == dark_window,
            timeout=2000,
        )
        assert load_settings(running.services.paths.settings_file).color_scheme == "dark"
    finally:
        apply_theme(qapp, "system")  # the next test starts as a launch would
