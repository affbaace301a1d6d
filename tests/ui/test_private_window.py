"""Private ("don't keep") conversations in the main window: the real window, worker and embedded
model; what reaches the history file is read from its bytes (main file and journal)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.ui.chat_view import PRIVATE_TEXT

WAIT_MS = 60_000
#: A word found nowhere else, to look for in the file's bytes.
SECRET = "Quartzvelvetzyx"


def history_bytes() -> bytes:
    database = default_paths().database
    return b"".join(
        p.read_bytes() for p in database.parent.glob(database.name + "*") if p.is_file()
    )


def wait_ready(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    if window.state.model_state == "loading":
        with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
            pass
    assert window.state.model_state == "ready"


def ask(qtbot, window, text: str) -> TurnResult:  # type: ignore[no-untyped-def]
    window.chat_panel.input.setPlainText(text)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(window.chat_panel.input, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert isinstance(result, TurnResult), result
    return result


def private_action(window):  # type: ignore[no-untyped-def]
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in menu.actions() if "Private" in a.text())


def test_a_private_turn_leaves_nothing_of_its_text_on_disk(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    wait_ready(qtbot, window)
    ask(qtbot, window, "Say hello.")  # a kept conversation, to tell apart from the private one
    kept = window.state.current_id
    assert kept is not None

    action = private_action(window)
    assert action.shortcut().toString() == "Ctrl+Shift+N"
    action.trigger()
    panel = window.chat_panel
    assert panel.private and panel.private_banner.isVisible()
    assert panel.private_banner.text() == PRIVATE_TEXT
    assert panel.private_banner.accessibleName()
    assert panel.chat.messages() == [] and window.state.current_id is None

    first = ask(qtbot, window, f"My code word is {SECRET}. Repeat it.")
    assert first.route == "local" and first.text
    # Shown, in the window's private conversation, never as the open stored one.
    assert [m.role for m in panel.chat.messages()] == ["user", "assistant"]
    assert panel.chat.messages()[-1].plain_text() == first.text
    assert window.state.current_id is None and panel.private_id == first.conversation_id
    second = ask(qtbot, window, "And again, please.")
    assert second.conversation_id == first.conversation_id  # the same private conversation
    assert len(panel.chat.messages()) == 4
    assert window.conversations.conversation_list.count() == 1  # only the kept one

    window.state.services.writer.call(lambda store: store.db.execute("PRAGMA wal_checkpoint"))
    on_disk = history_bytes()
    for text in (SECRET, "And again, please.", first.text.strip(), second.text.strip()):
        assert text.encode() not in on_disk, f"{text!r} reached the history file"
    store = HistoryStore(default_paths().database, run_migrations=False)
    try:
        assert [c.id for c in store.list_conversations()] == [kept]
        rows = list(store.db.query("SELECT * FROM requests WHERE private = 1"))
        assert len(rows) == 2  # the records of the private turns, without ids or reasons
        assert all(
            r["conversation_id"] is None
            and r["message_id"] is None
            and r["user_message_id"] is None
            and r["reason"] is None
            for r in rows
        )
    finally:
        store.close()

    # Leaving it: the banner goes; the kept conversation opens as before.
    panel.open_conversation(kept)
    assert not panel.private and not panel.private_banner.isVisible()
    assert [m.role for m in panel.chat.messages()] == ["user", "assistant"]


def test_a_private_conversation_is_gone_after_a_restart(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    running = make_app()
    window = running.window
    wait_ready(qtbot, window)
    window.chat_panel.new_private_conversation()
    result = ask(qtbot, window, f"Remember {SECRET}.")
    assert result.text
    window.close()
    running.shutdown()

    window = make_app().window
    wait_ready(qtbot, window)
    assert window.conversations.conversation_list.count() == 0
    assert not window.chat_panel.private and not window.chat_panel.private_banner.isVisible()
    assert window.chat_panel.chat.messages() == []
    assert SECRET.encode() not in history_bytes()
    window.search.box.setText(SECRET[:6])
    with qtbot.waitSignal(window.search.results_shown, timeout=WAIT_MS) as blocker:
        window.search.run_search()
    assert blocker.args[0] == []


def test_new_chat_leaves_the_private_conversation(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    window.activateWindow()
    window.chat_panel.input.setFocus()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    shortcut = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.chat_panel.input, Qt.Key.Key_N, shortcut)
    assert window.chat_panel.private and window.chat_panel.private_banner.isVisible()
    window.chat_panel.new_conversation()
    assert not window.chat_panel.private and not window.chat_panel.private_banner.isVisible()


def test_a_failed_private_turn_is_taken_back_from_the_view(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    """Nothing of a failed turn was kept: the private view (its only copy) drops just that turn,
    keeps the earlier ones, and gives the text back."""
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.workers.local_worker import TurnFailure

    window = make_app(Settings(n_ctx=256, max_tokens=16)).window
    wait_ready(qtbot, window)
    panel = window.chat_panel
    panel.new_private_conversation()
    first = ask(qtbot, window, "Say hi.")
    text = "word " * 400
    panel.input.setPlainText(text)
    with qtbot.waitSignal(panel.turn_finished, timeout=WAIT_MS) as blocker:
        panel.send()
    failure = blocker.args[0]
    assert isinstance(failure, TurnFailure) and not failure.stored
    assert panel.private and panel.private_banner.isVisible()
    assert [m.plain_text() for m in panel.chat.messages()] == ["Say hi.", first.text]
    assert panel.input.toPlainText() == text
