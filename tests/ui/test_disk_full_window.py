"""The window on a real full disk (a tmpfs filled until ENOSPC), offscreen, with the real worker
thread, serial writer and embedded model: the history still opens, a question that cannot be
stored goes back to the input box, and an answer that streamed but could not be stored stays on
screen, marked, and is written once there is space."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.turns import TurnResult
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.workers.local_worker import TurnFailure
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (the fixture)
from tests.ui.test_main_window import WAIT_MS, stored_messages, wait_ready


def _seed_history() -> int:
    paths = default_paths()
    paths.ensure()
    store = HistoryStore(paths.database)
    try:
        conversation_id = store.create_conversation().id
        store.add_message(conversation_id, "user", "What is the capital of France?")
        store.add_message(conversation_id, "assistant", "Paris.", model="test")
    finally:
        store.close()
    return conversation_id


def test_the_history_opens_on_a_full_disk_and_a_new_question_comes_back(  # type: ignore[no-untyped-def]
    qtbot,
    full_disk: FullDisk,  # noqa: F811
    make_app,
) -> None:
    conversation_id = _seed_history()
    full_disk.fill()
    window = make_app(Settings(max_tokens=8)).window
    qtbot.waitUntil(lambda: window.state.history is not None, timeout=WAIT_MS)
    try:
        assert window.state.services.paths.data_dir == full_disk.home / "data"
        assert window.conversations.conversation_list.count() == 1
        window.chat_panel.open_conversation(conversation_id)
        shown = [m.plain_text() for m in window.chat_panel.chat.messages()]
        assert shown == ["What is the capital of France?", "Paris."]
        assert (
            "disk" in window.chat_panel.banner.text() and "full" in window.chat_panel.banner.text()
        )

        wait_ready(qtbot, window)
        window.chat_panel.input.setPlainText("And of Spain?")
        with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
            window.chat_panel.send()
        failure = blocker.args[0]
        assert isinstance(failure, TurnFailure) and not failure.stored
        assert "disk is full" in failure.message
        assert window.chat_panel.input.toPlainText() == "And of Spain?"
        assert "disk is full" in window.chat_panel.banner.text()
    finally:
        full_disk.free()
    assert [m[1] for m in stored_messages()] == ["What is the capital of France?", "Paris."]


def test_an_answer_the_disk_cannot_take_stays_on_screen_and_is_saved_later(  # type: ignore[no-untyped-def]
    qtbot,
    full_disk: FullDisk,  # noqa: F811
    make_app,
) -> None:
    window = make_app(Settings(max_tokens=24)).window
    wait_ready(qtbot, window)
    filled: list[bool] = []

    def fill_at_first_token(_request_id: int, _text: str) -> None:
        if not filled:  # in the worker thread, while the answer is being generated
            filled.append(True)
            full_disk.fill()

    window.turns.worker.token.connect(fill_at_first_token, Qt.ConnectionType.DirectConnection)
    try:
        window.chat_panel.input.setPlainText("Name three colours.")
        with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
            window.chat_panel.send()
        result = blocker.args[0]
        assert isinstance(result, TurnResult), getattr(result, "message", result)
        assert filled and result.saved is False and result.text
        shown = window.chat_panel.chat.messages()
        assert [m.role for m in shown] == ["user", "assistant"]
        assert shown[-1].plain_text() == result.text
        assert "not saved" in shown[-1].badge.text()
        assert "disk is full" in window.chat_panel.banner.text()
        assert window.chat_panel.unsaved_timer.isActive()

        # Shown again from history (another conversation, then back): still there, marked.
        conversation_id = result.conversation_id
        window.chat_panel.new_conversation()
        window.chat_panel.open_conversation(conversation_id)
        again = window.chat_panel.chat.messages()
        assert again[-1].plain_text() == result.text and "not saved" in again[-1].badge.text()
        assert [m[0] for m in stored_messages()] == ["user"]

        window.chat_panel.save_unsaved()  # the timer's retry, while the disk is still full
        assert window.chat_panel.unsaved_timer.isActive()
    finally:
        full_disk.free()
    window.chat_panel.unsaved_timer.setInterval(50)
    qtbot.waitUntil(lambda: not window.chat_panel.unsaved_timer.isActive(), timeout=10_000)
    assert stored_messages() == [
        ("user", "Name three colours.", "complete"),
        ("assistant", result.text, "complete"),
    ]
    assert "space on the disk again" in window.chat_panel.banner.text()
    assert "not saved" not in window.chat_panel.chat.messages()[-1].badge.text()
