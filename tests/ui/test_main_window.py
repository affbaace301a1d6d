"""The main window with the real worker thread and the real embedded model (pytest-qt, offscreen)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.workers.local_worker import TurnFailure

WAIT_MS = 60_000


def stored_messages() -> list[tuple[str, str, str]]:
    store = HistoryStore(default_paths().database)
    try:
        return [
            (m.role, m.content, m.status)
            for c in store.list_conversations()
            for m in store.messages(c.id)
        ]
    finally:
        store.close()


def wait_ready(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    if window.state.model_state == "loading":
        with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
            pass
    assert window.state.model_state == "ready"


def test_window_opens_before_the_model_is_ready(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    running = make_app()
    window = running.window
    # start_app returns with the window shown and the load only queued.
    assert window.isVisible()
    assert window.windowTitle().startswith("Hybrid Desktop")
    assert window.state.model_state == "loading"
    assert window.readouts.progress.isVisible()
    with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS) as blocker:
        pass
    assert "SmolLM2" in blocker.args[0].name
    assert window.readouts.model_label.text().startswith("Model ready")
    assert not window.readouts.progress.isVisible()


def test_send_streams_tokens_and_stores_the_turn(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    wait_ready(qtbot, window)
    tokens: list[str] = []
    paints: list[int] = []
    window.turns.token.connect(lambda _rid, text: tokens.append(text))
    window.chat_panel.chat.stream_painted.connect(lambda: paints.append(1))
    window.chat_panel.input.setPlainText("What is the capital of France?")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.chat_panel.input, Qt.Key.Key_Return)
        assert window.chat_panel.input.toPlainText() == ""
        assert (
            not window.chat_panel.send_button.isEnabled()
            and window.chat_panel.stop_button.isEnabled()
        )
    result = blocker.args[0]
    assert isinstance(result, TurnResult) and result.status == "complete"
    assert len(tokens) >= 2 and "".join(tokens) == result.text
    assert paints, "the streaming answer was never painted"
    assert len(paints) < len(tokens) + 2, "repaints should be coalesced, not one per token"
    shown = window.chat_panel.chat.messages()
    assert [m.role for m in shown] == ["user", "assistant"]
    assert shown[-1].plain_text() == result.text
    assert "local" in shown[-1].badge.text()
    assert stored_messages() == [
        ("user", "What is the capital of France?", "complete"),
        ("assistant", result.text, "complete"),
    ]
    assert window.conversations.conversation_list.count() == 1
    assert (
        window.conversations.conversation_list.currentItem().text()
        == "What is the capital of France?"
    )
    assert "tokens/s" in window.readouts.speed_label.text()
    assert (
        window.chat_panel.send_button.isEnabled() and not window.chat_panel.stop_button.isEnabled()
    )


def test_shift_enter_adds_a_line_and_does_not_send(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    qtbot.keyClicks(window.chat_panel.input, "first line")
    qtbot.keyClick(window.chat_panel.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.chat_panel.input, "second line")
    assert window.chat_panel.input.toPlainText() == "first line\nsecond line"
    assert window.chat_panel.active is None


def test_message_sent_while_loading_is_answered(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    assert window.state.model_state == "loading"
    window.chat_panel.input.setPlainText("Say hi.")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    assert isinstance(blocker.args[0], TurnResult)


def test_stop_cancels_quickly_and_keeps_the_partial_answer(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=2000, temperature=0.8)).window
    wait_ready(qtbot, window)
    window.chat_panel.input.setPlainText(
        "Write a very long story about a dragon who learns to cook."
    )
    # A GUI-thread signal: the worker's own token signal would run the wait in its thread.
    with qtbot.waitSignal(window.chat_panel.chat.stream_painted, timeout=WAIT_MS):
        window.chat_panel.send()
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        clicked = time.perf_counter()
        qtbot.mouseClick(window.chat_panel.stop_button, Qt.MouseButton.LeftButton)
    elapsed_ms = (time.perf_counter() - clicked) * 1000
    result = blocker.args[0]
    assert result.status == "stopped"
    assert result.stats.completion_tokens < 2000
    assert elapsed_ms < 2000  # generous bound; the benchmark reports the real figure
    assert "stopped" in window.chat_panel.chat.messages()[-1].badge.text()
    assert stored_messages()[-1] == ("assistant", result.text, "stopped")


def test_empty_message_is_refused_with_a_hint(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    window.chat_panel.input.setPlainText("   \n ")
    window.chat_panel.send()
    assert "empty" in window.chat_panel.banner.text()
    assert window.chat_panel.active is None
    assert stored_messages() == []


def test_too_long_message_is_given_back(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(n_ctx=256, max_tokens=32)).window
    wait_ready(qtbot, window)
    text = "word " * 400
    window.chat_panel.input.setPlainText(text)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    failure = blocker.args[0]
    assert isinstance(failure, TurnFailure) and not failure.stored
    assert "context" in window.chat_panel.banner.text()
    assert window.chat_panel.input.toPlainText() == text
    assert window.chat_panel.chat.messages() == []
    assert stored_messages() == []


def test_broken_model_file_is_explained_and_the_app_stays_usable(  # type: ignore[no-untyped-def]
    qtbot, make_app, truncated_model: Path
) -> None:
    window = make_app(Settings(model_path=str(truncated_model))).window
    with qtbot.waitSignal(window.turns.model_failed, timeout=WAIT_MS) as blocker:
        pass
    assert "truncated" in blocker.args[0]
    assert "truncated" in window.chat_panel.banner.text()
    assert window.chat_panel.banner.settings_button.isVisible()
    assert window.readouts.model_label.text() == "Model not loaded"
    # Sending keeps the text and repeats what to do.
    window.chat_panel.input.setPlainText("hello?")
    window.chat_panel.send()
    assert window.chat_panel.input.toPlainText() == "hello?"
    assert window.chat_panel.active is None
    # Choosing the embedded model again recovers without a restart.
    with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
        assert window.settings_controller.apply(Settings(max_tokens=16))
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    assert isinstance(blocker.args[0], TurnResult)


def test_missing_and_non_gguf_files(qtbot, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text_file = tmp_path / "notes.gguf"
    text_file.write_text("these are my notes, not a model\n" * 10)
    for path, expected in [(tmp_path / "nope.gguf", "does not exist"), (text_file, "not a GGUF")]:
        window = make_app(Settings(model_path=str(path))).window
        with qtbot.waitSignal(window.turns.model_failed, timeout=WAIT_MS) as blocker:
            pass
        assert expected in blocker.args[0]


def test_conversations_new_rename_delete(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8)).window
    wait_ready(qtbot, window)
    for prompt in ("First question", "Second question"):
        window.chat_panel.new_conversation()
        window.chat_panel.input.setPlainText(prompt)
        with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS):
            window.chat_panel.send()
    titles = [window.conversations.conversation_list.item(i).text() for i in range(2)]
    assert titles == ["Second question", "First question"]
    first_id = window.conversations.conversation_list.item(1).data(Qt.ItemDataRole.UserRole)

    window.chat_panel.open_conversation(first_id)
    assert window.chat_panel.chat.messages()[0].plain_text() == "First question"

    window.conversations.rename_conversation(first_id, "  Renamed   chat ")
    assert window.conversations.conversation_list.item(1).text() == "Renamed chat"

    window.chat_panel.new_conversation()
    assert window.chat_panel.chat.messages() == [] and window.state.current_id is None

    assert window.conversations.delete_conversation(first_id)
    assert window.conversations.conversation_list.count() == 1
    assert [m[1] for m in stored_messages() if m[0] == "user"] == ["Second question"]


@pytest.mark.expected_error_log
def test_unwritable_data_folder_still_answers(  # type: ignore[no-untyped-def]
    qtbot, make_app, tmp_path: Path, monkeypatch
) -> None:
    blocker_file = tmp_path / "a-file"
    blocker_file.write_text("x")
    monkeypatch.setenv("HYBRID_DESKTOP_HOME", str(blocker_file / "home"))
    window = make_app(Settings(max_tokens=8)).window
    qtbot.waitUntil(lambda: window.state.history is not None)
    assert "HYBRID_DESKTOP_HOME" in window.chat_panel.banner.text()
    assert "not be saved" in window.chat_panel.banner.text()
    window.chat_panel.input.setPlainText("Hello")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    assert isinstance(blocker.args[0], TurnResult)


def test_low_confidence_answers_suggest_the_cloud_prominently(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui import chat_panel as main_window

    window = make_app(Settings(max_tokens=16)).window
    wait_ready(qtbot, window)
    for threshold, expected in ((1.01, True), (0.0, False)):
        monkeypatch.setattr(main_window, "LOW_CONFIDENCE", threshold)
        window.chat_panel.input.setPlainText("Name a colour.")
        with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
            window.chat_panel.send()
        confidence = blocker.args[0].stats.confidence
        assert confidence is not None and 0 < confidence <= 1
        answer = window.chat_panel.chat.messages()[-1]
        assert answer.low_confidence is expected
        assert ("Low confidence" in answer.cloud_button.text()) is expected
        assert not answer.cloud_button.isHidden()
