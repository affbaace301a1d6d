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
