"""Live model switching in the GUI path that `models use` relies on: the window's settings change
to a registry model's path, the real worker loads that file without a restart, and the open
conversation continues with it. The CLI then reports the same model in use."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import load_settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.core.model_manager.registry import ModelRegistry
from hybrid_desktop.storage.history import HistoryStore
from tests.conftest import run_cli
from tests.ui.test_main_window import WAIT_MS, wait_ready


def send(qtbot, window, text: str) -> TurnResult:  # type: ignore[no-untyped-def]
    window.chat_panel.input.setPlainText(text)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.chat_panel.input, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert isinstance(result, TurnResult) and result.status == "complete", result
    return result


def test_switching_to_a_registry_model_reloads_live_and_the_conversation_continues(
    qtbot, make_app, embedded_model
) -> None:  # type: ignore[no-untyped-def]
    copy = ModelRegistry(default_paths()).import_file(embedded_model, name="smol-live")
    window = make_app().window
    wait_ready(qtbot, window)
    first = send(qtbot, window, "What is the capital of France?")
    conversation = window.state.current_id

    with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS) as loaded:
        assert window.settings_controller.update(model_path=str(copy.path))
    assert loaded.args[0].path == copy.path  # the running worker loaded the new file
    assert load_settings(default_paths().settings_file).model_path == str(copy.path)

    second = send(qtbot, window, "And of Italy?")
    assert window.state.current_id == conversation
    store = HistoryStore(default_paths().database)
    try:
        messages = [(m.role, m.content, m.model) for m in store.messages(conversation)]
    finally:
        store.close()
    assert [(r, c) for r, c, _m in messages] == [
        ("user", "What is the capital of France?"),
        ("assistant", first.text),
        ("user", "And of Italy?"),
        ("assistant", second.text),
    ]
    assert messages[-1][2] == "smol-live" and messages[1][2] != "smol-live"

    listing = run_cli("models", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    assert json.loads(listing.stdout.strip().splitlines()[-1])["in_use"] == "smol-live"
