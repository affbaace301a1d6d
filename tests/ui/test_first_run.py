"""The first-run panel on the real window: what it says comes from this machine (the model
manager's ``recommend``, the keyring), each button does what it says, and it never blocks asking."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.model_manager.catalogue import recommend
from hybrid_desktop.core.model_manager.fit import load_calibration
from hybrid_desktop.core.model_manager.hardware import hardware_profile
from hybrid_desktop.core.model_manager.registry import ModelRegistry
from tests.ui.test_main_window import WAIT_MS, wait_ready


def shown_panel(qtbot, make_app, settings: Settings | None = None):  # type: ignore[no-untyped-def]
    window = make_app(settings or Settings(max_tokens=8)).window
    panel = window.first_run
    if panel.facts is None:
        with qtbot.waitSignal(panel.facts_shown, timeout=WAIT_MS):
            pass
    return window, panel


def expected_best(n_ctx: int):  # type: ignore[no-untyped-def]
    paths = default_paths()
    profile = hardware_profile(ModelRegistry(paths).folder)
    for entry, fit in recommend(profile, load_calibration(paths.cache_dir), n_ctx):
        if fit.label in ("fits", "tight") and entry.size_bytes <= profile.disk_free_bytes:
            return entry
    return None


def test_it_says_what_answers_now_and_the_best_model_here(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    # Offline mode: the download the button starts is refused at once, with a message.
    window, panel = shown_panel(qtbot, make_app, Settings(max_tokens=8, offline_mode=True))
    assert panel.isVisible()
    assert "SmolLM2-135M-Instruct" in panel.now_text.text()
    assert "MB" in panel.now_text.text()  # its real size, read from the file
    best = expected_best(window.state.settings.n_ctx)
    emitted: list[object] = []
    panel.get_model.connect(emitted.append)
    panel.get_button.click()
    if best is None:
        assert emitted == [None]  # nothing fits: the button opens the Models window
    else:
        assert best.name in panel.model_text.text()
        assert emitted[0].url == best.url and emitted[0].sha256 == best.sha256  # type: ignore[attr-defined]
        rows = window.models_dialog.downloads
        assert [r.target.url for r in rows] == [best.url]  # the download started there
        qtbot.waitUntil(lambda: rows[0].state == "failed", timeout=WAIT_MS)
    assert window.models_dialog.isVisible()
    window.models_dialog.hide()
    # Without a key, it offers one.
    assert panel.cloud_button.text() == "Add a Cloud Key…"
    # Asking is never blocked: the input takes a message while the panel is shown.
    wait_ready(qtbot, window)
    window.chat_panel.input.setPlainText("Hi")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS):
        window.chat_panel.send()
    assert panel.isVisible()


def test_a_key_in_the_environment_is_noticed(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    _window, panel = shown_panel(qtbot, make_app)
    assert panel.facts.key_set
    assert panel.cloud_button.text() == "Cloud Settings…"
    assert "A cloud key is set" in panel.cloud_text.text()


def test_the_cloud_button_opens_settings_on_the_cloud_page(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    _window, panel = shown_panel(qtbot, make_app)
    pages: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        pages.append(dialog.tabs.tabText(dialog.tabs.currentIndex()))  # type: ignore[union-attr]
        dialog.reject()  # type: ignore[union-attr]

    QTimer.singleShot(200, look)
    panel.cloud_button.click()
    assert pages == ["Cloud"]


def test_the_preview_link_shows_an_example_with_placeholders(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window, panel = shown_panel(qtbot, make_app)
    assert not window.chat_panel.input.toPlainText()
    with qtbot.waitSignal(window.chat_panel.preview_ready, timeout=WAIT_MS) as ready:
        panel.preview_button.click()
    assert "Maria Schmidt" in window.chat_panel.input.toPlainText()
    sent = window.chat_panel.preview_dialog.outgoing.toPlainText()
    assert "Maria Schmidt" not in sent and "maria.schmidt@example.com" not in sent
    assert "<PERSON_1>" in sent and "<EMAIL_ADDRESS_1>" in sent
    assert ready.args[0].replaced
    window.chat_panel.preview_dialog.reject()


def test_dismissed_is_kept_and_getting_started_brings_it_back(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window, panel = shown_panel(qtbot, make_app)
    panel.dismiss_button.click()
    assert not panel.isVisible()
    saved = json.loads(Path(window.state.services.paths.settings_file).read_text())
    assert saved["first_run_dismissed"] is True
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    started = next(a for a in help_menu.actions() if a.text() == "&Getting Started")
    started.trigger()
    assert panel.isVisible()
    assert not window.state.settings.first_run_dismissed


def test_a_dismissed_panel_stays_hidden_at_the_next_start(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8, first_run_dismissed=True)).window
    wait_ready(qtbot, window)
    assert not window.first_run.isVisible()
    assert window.first_run.facts is None  # nothing read for a panel nobody sees
