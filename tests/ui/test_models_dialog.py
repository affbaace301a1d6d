"""The Models dialog with the real window, the real model worker and the real embedded model
(pytest-qt, offscreen): opened from the menu, the installed list with its fit label, live
switching, removal refused for the embedded model, a download from our own loopback server,
and a cancelled derivation that leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import load_settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.core.model_manager.registry import ModelRegistry
from hybrid_desktop.core.models import EMBEDDED_NAME
from hybrid_desktop.storage.history import HistoryStore
from tests.support.model_server import running_model_server
from tests.ui.test_main_window import WAIT_MS, wait_ready

COPY_NAME = "SmolLM2-copy"


def open_dialog(qtbot, window):  # type: ignore[no-untyped-def]
    """Open the dialog the way a user does (File → Models…) and wait for its tables."""
    action = next(a for a in window.menuBar().actions() if a.text() == "&File")
    models = next(a for a in action.menu().actions() if a.text() == "&Models…")
    models.trigger()
    dialog = window.models_dialog
    with qtbot.waitSignal(dialog.refreshed, timeout=WAIT_MS):
        pass
    return dialog


def installed(dialog) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = dialog.installed
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def ask(qtbot, window, text: str) -> TurnResult:  # type: ignore[no-untyped-def]
    window.chat_panel.input.setPlainText(text)
    # Generous: the first turn waits for the privacy gate, and CI shares this machine.
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=3 * WAIT_MS) as blocker:
        window.chat_panel.send()
    result = blocker.args[0]
    assert isinstance(result, TurnResult) and result.status == "complete", result
    return result


def models_folder_files() -> list[str]:
    folder = ModelRegistry(default_paths()).folder
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("models.json"))


def test_opens_from_the_menu_and_lists_the_embedded_model_with_its_fit(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    assert dialog.windowTitle() == "Models"
    assert dialog.isVisible()
    rows = installed(dialog)
    name, size, disk, fit, in_use, receipt = rows[0]
    assert name == EMBEDDED_NAME
    assert fit.split(":")[0] in ("fits", "tight", "won't fit")
    assert ": needs " in fit and " free" in fit  # the numbers behind the label
    assert in_use == "in use"
    assert "Q4_1" in size and disk == "in the app" and receipt == ""
    assert "memory free" in dialog.hardware.text()
    assert "Q4_K_M" in dialog.references.text()  # the published reference points
    assert dialog.recommended.rowCount() > 0  # the catalogue, ranked for this machine
    assert dialog.source.currentText() == EMBEDDED_NAME
    dialog.prune.setValue(2)
    assert dialog.suggested.text().startswith("Layers 22, 23 of 30")
    # Opening it again shows the same dialog, not a second one.
    assert window.open_models() is dialog


def test_the_tray_menu_opens_it(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui.tray import Tray

    running = make_app()
    window = running.window
    desktop = running.attach_desktop()
    # The offscreen platform has no tray to show the icon in; the menu is built all the same.
    tray = Tray(window.state, window.settings_controller, window, desktop.quick)
    try:
        action = next(a for a in tray.menu.actions() if a.text() == "Models…")
        action.trigger()
        dialog = window.models_dialog
        assert dialog.isVisible() and dialog.windowTitle() == "Models"
        with qtbot.waitSignal(dialog.refreshed, timeout=WAIT_MS):
            pass
    finally:
        tray.hide()


def test_remove_refuses_the_embedded_model(qtbot, make_app, embedded_model: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    dialog.select(EMBEDDED_NAME)
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) or True
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert "cannot be removed" in dialog.status.text()
    assert asked == []  # refused before any question
    assert embedded_model.is_file()
    assert installed(dialog)[0][0] == EMBEDDED_NAME


@pytest.mark.slow
def test_use_switches_the_model_live_and_the_conversation_continues(
    qtbot, make_app, embedded_model: Path
) -> None:  # type: ignore[no-untyped-def]
    copy = ModelRegistry(default_paths()).import_file(embedded_model, name=COPY_NAME)
    window = make_app().window
    wait_ready(qtbot, window)
    first = ask(qtbot, window, "What is the capital of France?")
    conversation = window.state.current_id
    dialog = open_dialog(qtbot, window)
    assert [r[0] for r in installed(dialog)] == [EMBEDDED_NAME, COPY_NAME]
    dialog.select(COPY_NAME)
    with (
        qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS) as loaded,
        qtbot.waitSignal(dialog.switched, timeout=WAIT_MS),
    ):
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert loaded.args[0].path == copy.path  # the worker loaded the new file, no restart
    assert "is loaded" in dialog.status.text()
    assert load_settings(default_paths().settings_file).model_path == str(copy.path)
    with qtbot.waitSignal(dialog.refreshed, timeout=WAIT_MS):
        pass
    assert [r[4] for r in installed(dialog)] == ["", "in use"]
    second = ask(qtbot, window, "And of Italy?")
    assert window.state.current_id == conversation
    store = HistoryStore(default_paths().database)
    try:
        messages = [(m.role, m.content) for m in store.messages(conversation)]
    finally:
        store.close()
    assert messages == [
        ("user", "What is the capital of France?"),
        ("assistant", first.text),
        ("user", "And of Italy?"),
        ("assistant", second.text),
    ]
    # And back to the embedded model: model_path None.
    dialog.select(EMBEDDED_NAME)
    with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS) as loaded:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert loaded.args[0].path == embedded_model
    assert load_settings(default_paths().settings_file).model_path is None


def test_import_of_a_file_that_is_not_gguf_is_a_plain_message(
    qtbot, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    bad = tmp_path / "notes.gguf"
    bad.write_text("these are notes, not a model\n" * 100)
    with qtbot.waitSignal(dialog.job_finished, timeout=WAIT_MS) as done:
        dialog.import_file(str(bad))
    assert isinstance(done.args[1], Exception)
    text = dialog.status.text()
    assert "GGUF" in text and "Traceback" not in text
    assert models_folder_files() == []


def test_a_download_from_a_loopback_server_shows_progress_and_installs(
    qtbot, make_app, embedded_model: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    with running_model_server({"tiny-model.gguf": embedded_model}) as server:
        server.behaviour.rate_bps = 40_000_000  # a few seconds: progress is seen on the way
        dialog.link.setText(server.url("tiny-model.gguf"))
        seen: list[tuple[int, str]] = []
        with qtbot.waitSignal(dialog.job_finished, timeout=WAIT_MS, check_params_cb=lambda k, _r: k == "download") as done:  # fmt: skip
            row = dialog.download_link(dialog.link.text())
            assert row is not None
            row.job.progress.connect(lambda _p: seen.append((row.bar.value(), row.text.text())))
            qtbot.waitUntil(lambda: row.state == "downloading", timeout=WAIT_MS)
            qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: row.state == "paused", timeout=WAIT_MS)
            assert row.pause_button.text() == "Resume" and "paused" in row.text.text()
            paused_at = row.bar.value()
            qtbot.wait(300)
            assert row.bar.value() == paused_at  # nothing flows while paused
            qtbot.mouseClick(row.pause_button, Qt.MouseButton.LeftButton)
            assert row.pause_button.text() == "Pause"
        assert not isinstance(done.args[1], BaseException), done.args[1]
    assert dialog.tabs.currentIndex() == 2
    assert row.state == "done" and row.bar.value() == 1000
    assert "Installed as tiny-model" in row.text.text()
    downloading = [text for _v, text in seen if "MB/s" in text]
    assert downloading, seen
    assert " of 98.4 MB" in downloading[0] and "left" in downloading[-1]
    assert not row.pause_button.isEnabled()
    with qtbot.waitSignal(dialog.refreshed, timeout=WAIT_MS):
        pass
    assert [r[0] for r in installed(dialog)] == [EMBEDDED_NAME, "tiny-model"]
    assert models_folder_files() == ["tiny-model.gguf"]
    # The same link again is a second, separately named copy; cancelling it keeps nothing.
    with running_model_server({"tiny-model.gguf": embedded_model}) as server:
        server.behaviour.rate_bps = 5_000_000
        with qtbot.waitSignal(dialog.job_finished, timeout=WAIT_MS, check_params_cb=lambda k, _r: k == "download"):  # fmt: skip
            row = dialog.download_link(server.url("tiny-model.gguf"))
            assert row is not None
            qtbot.waitUntil(lambda: row.state == "downloading", timeout=WAIT_MS)
            qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert row.state == "failed" and "Cancelled; nothing was kept." in row.text.text()
    assert models_folder_files() == ["tiny-model.gguf"]


def test_cancelling_a_derivation_leaves_nothing(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(3)
    dialog.qtype.setCurrentText("Q4_0")
    seen: list[str] = []
    with qtbot.waitSignal(dialog.job_finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.derive_button, Qt.MouseButton.LeftButton)
        assert not dialog.derive_button.isEnabled() and dialog.derive_cancel.isEnabled()
        dialog.jobs[-1].progress.connect(lambda p: seen.append(p[1]))
        qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
        qtbot.mouseClick(dialog.derive_cancel, Qt.MouseButton.LeftButton)
    assert done.args[0] == "derive"
    assert "Cancelled; nothing was kept." in dialog.derive_text.text()
    assert dialog.derive_button.isEnabled() and not dialog.derive_cancel.isEnabled()
    assert models_folder_files() == []
    assert [r[0] for r in installed(dialog)] == [EMBEDDED_NAME]
    wait_ready(qtbot, window)  # the current model was never touched
    assert window.state.settings.model_path is None


@pytest.mark.slow
def test_a_finished_derivation_has_a_receipt_and_the_kl_warning_asks(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.core.model_manager.receipt import KL_WARN

    window = make_app().window
    dialog = open_dialog(qtbot, window)
    dialog.qtype.setCurrentText("Q4_0")
    dialog.prune.setValue(2)
    dialog.receipt_tokens = 256  # one window of the text: the full receipt takes minutes here
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) or True  # keep it
    with qtbot.waitSignal(dialog.job_finished, timeout=300_000) as done:
        qtbot.mouseClick(dialog.derive_button, Qt.MouseButton.LeftButton)
    assert done.args[0] == "derive" and not isinstance(done.args[1], BaseException), done.args
    receipt = done.args[1].receipt
    assert receipt.pruned_layers == (22, 23) and receipt.type == "Q4_0"
    assert 0 < receipt.tokens <= 512 and receipt.perplexity > 0
    assert bool(asked) == (receipt.kl_divergence > KL_WARN)
    with qtbot.waitSignal(dialog.refreshed, timeout=WAIT_MS):
        pass
    row = installed(dialog)[1]
    assert row[0] == f"{EMBEDDED_NAME}-pruned2-Q4_0"
    assert "perplexity" in row[5] and "KL" in row[5] and "top-1 agreement" in row[5]
    assert models_folder_files() == [f"{EMBEDDED_NAME}-pruned2-Q4_0.gguf"]


def test_use_of_a_deleted_file_is_refused_and_the_model_keeps_working(
    qtbot, make_app, embedded_model: Path
) -> None:  # type: ignore[no-untyped-def]
    copy = ModelRegistry(default_paths()).import_file(embedded_model, name=COPY_NAME)
    window = make_app().window
    wait_ready(qtbot, window)
    dialog = open_dialog(qtbot, window)
    copy.path.unlink()
    dialog.select(COPY_NAME)
    with qtbot.waitSignal(dialog.job_finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert done.args[0] == "check"
    text = dialog.status.text()
    assert "is gone" in text and "current model keeps running" in text
    assert window.state.model_state == "ready" and window.state.settings.model_path is None
    window.chat_panel.route_box.setCurrentIndex(window.chat_panel.route_box.findData("local"))
    ask(qtbot, window, "Say hi.")


def test_a_model_that_fails_to_load_is_switched_back(
    qtbot, make_app, embedded_model: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A file that passes the check but that llama.cpp cannot load (here: cut short after the
    check, which is skipped so the worker meets it) leaves the previous model loaded."""
    from hybrid_desktop.ui import models_tasks

    copy = ModelRegistry(default_paths()).import_file(embedded_model, name=COPY_NAME)
    window = make_app().window
    wait_ready(qtbot, window)
    dialog = open_dialog(qtbot, window)
    with copy.path.open("r+b") as broken:
        broken.truncate(2_000_000)
    monkeypatch.setattr(models_tasks, "check_loadable", lambda _path: None)
    dialog.select(COPY_NAME)
    with qtbot.waitSignal(dialog.switched, timeout=WAIT_MS) as switched:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert "is truncated" in switched.args[0]  # the worker's plain reason
    assert "could not be loaded" in dialog.status.text() and "is truncated" in dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    assert "Switching back to the previous model." in dialog.status.text()
    with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS) as loaded:
        pass
    assert loaded.args[0].path == embedded_model
    assert load_settings(default_paths().settings_file).model_path is None
