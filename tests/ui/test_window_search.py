"""The main window's history search (ui.search_panel): the real window and worker, a real history
file with a few conversations, the real FTS5 index (storage.search)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.storage import search as history_search
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.ui.search_panel import DEBOUNCE_MS, SearchPanel

WAIT_MS = 10_000


def fill_history() -> dict[str, int]:
    """Three conversations; the second one's answer holds the word to find, among many messages
    (so the hit is far from the bottom the view opens at)."""
    store = HistoryStore(default_paths().database)
    try:
        ids: dict[str, int] = {}
        first = store.start_conversation("How do I boil an egg?")
        store.add_message(
            first.conversation_id, "assistant", "Put it in boiling water.", route="local"
        )
        second = store.start_conversation("Tell me about volcanoes.")
        ids["conversation"] = second.conversation_id
        hit = store.add_message(
            second.conversation_id,
            "assistant",
            "Volcanoes form where magma rises; the Krakatoa eruption of 1883 was heard far away.",
            route="cloud",
            model="claude-test",
        )
        ids["message"] = hit.id
        for n in range(12):
            store.add_message(second.conversation_id, "user", f"Tell me more, part {n}.")
            store.add_message(
                second.conversation_id, "assistant", f"More about lava, part {n}. " * 20
            )
        third = store.start_conversation("A haiku about autumn")
        store.add_message(third.conversation_id, "assistant", "Leaves fall, slow and red.")
        ids["other"] = third.conversation_id
        return ids
    finally:
        store.close()


def started(qtbot, make_app):  # type: ignore[no-untyped-def]
    window = make_app().window
    qtbot.waitUntil(lambda: window.state.services.storage_open, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.conversations.conversation_list.count() == 3, timeout=WAIT_MS)
    return window


def search_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Record the thread each search runs on (the panel calls storage.search.search)."""
    threads: list[threading.Thread] = []
    real = history_search.search

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(history_search, "search", recording)
    return threads


def test_typing_finds_a_word_from_an_answer_and_opens_it(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = fill_history()
    threads = search_threads(monkeypatch)
    window = started(qtbot, make_app)
    panel: SearchPanel = window.search
    assert panel.box.accessibleName() and panel.route_box.accessibleName()
    assert panel.results.accessibleName()
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(panel.box, "kraka")  # a prefix, as typed
    hits = blocker.args[0]
    assert [(h.conversation_id, h.message_id) for h in hits] == [
        (ids["conversation"], ids["message"])
    ]
    # The hits take the conversation list's place; the match is in bold, escaped around it.
    assert panel.results.isVisible() and not window.conversations.conversation_list.isVisible()
    label = panel.results.itemWidget(panel.results.item(0))
    assert "<b>Krakatoa</b>" in label.text()
    assert "1 message" in panel.status.text()
    # Typing five letters quickly searched once (debounced), and never on the GUI thread.
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(threads) == 1

    with qtbot.waitSignal(panel.hit_activated, timeout=WAIT_MS) as opened:
        panel.results.setFocus()
        panel.results.setCurrentRow(0)
        qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert opened.args == [ids["conversation"], ids["message"]]
    chat = window.chat_panel.chat
    assert window.state.current_id == ids["conversation"]
    assert window.conversations.conversation_list.current_id() == ids["conversation"]
    shown = [m for m in chat.messages() if m.message_id == ids["message"]]
    assert len(shown) == 1 and shown[0].highlighted
    assert sum(m.highlighted for m in chat.messages()) == 1
    # Scrolled to it: the hit is within the visible part of the chat, far from the bottom.
    qtbot.wait(50)
    bar = chat.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() < bar.maximum()
    top = shown[0].mapTo(chat.widget(), shown[0].rect().topLeft()).y()
    assert bar.value() <= top <= bar.value() + chat.viewport().height()

    # Esc in the box clears it and brings the conversations back.
    panel.focus_search()
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)
    assert panel.box.text() == ""
    assert not panel.results.isVisible() and window.conversations.conversation_list.isVisible()
    assert panel.results.count() == 0


def test_ctrl_f_focuses_the_box_and_filters_narrow(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fill_history()
    threads = search_threads(monkeypatch)
    window = started(qtbot, make_app)
    panel: SearchPanel = window.search
    window.activateWindow()
    window.chat_panel.input.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.box, timeout=WAIT_MS)
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(panel.box, "part")
    assert len(blocker.args[0]) == 24  # "part" in the user's and the answers' texts
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS) as blocker:
        panel.route_box.setCurrentIndex(panel.route_box.findData("cloud"))
    assert blocker.args[0] == []
    assert "No messages match" in panel.status.text()
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS) as blocker:
        panel.route_box.setCurrentIndex(0)
        panel.box.setText("haiku")
    assert [h.title for h in blocker.args[0]] == ["A haiku about autumn"]
    assert all(t is not threading.main_thread() for t in threads)


def test_fast_typing_keeps_the_gui_ticking(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A slow search (a busy disk) runs while the user goes on typing: the GUI keeps ticking,
    one search at a time runs, and what is shown matches the box at the end."""
    fill_history()
    real = history_search.search
    gate = threading.Event()
    running: list[str] = []

    def slow(db, query, **kwargs):  # type: ignore[no-untyped-def]
        running.append(query)
        gate.wait(5)
        return real(db, query, **kwargs)

    monkeypatch.setattr(history_search, "search", slow)
    window = started(qtbot, make_app)
    panel: SearchPanel = window.search
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    panel.box.setText("volc")
    qtbot.waitUntil(lambda: running == ["volc"], timeout=WAIT_MS)
    before = len(ticks)
    qtbot.wait(DEBOUNCE_MS + 150)
    assert len(ticks) > before + 5, "the GUI thread was blocked while searching"
    panel.box.setText("haiku")  # while "volc" is still running
    qtbot.wait(DEBOUNCE_MS + 100)
    assert running == ["volc"], "a second search started while one ran"
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS) as blocker:
        gate.set()
    timer.stop()
    assert running == ["volc", "haiku"]
    assert [h.title for h in blocker.args[0]] == ["A haiku about autumn"]
    assert [panel.results.item(0).data(Qt.ItemDataRole.UserRole).title] == ["A haiku about autumn"]


def test_esc_with_an_empty_box_still_stops_the_answer(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    """The box takes Esc only while it has text: empty, Esc is the window's Stop Answer."""
    fill_history()
    window = started(qtbot, make_app)
    panel: SearchPanel = window.search
    stops: list[int] = []
    window.chat_panel.stop = lambda: stops.append(1)  # type: ignore[method-assign]
    stop_action = next(a for a in window.actions() if a.text() == "&Stop Answer")
    stop_action.triggered.disconnect()
    stop_action.triggered.connect(window.chat_panel.stop)
    window.activateWindow()
    panel.focus_search()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.box, timeout=WAIT_MS)
    panel.box.setText("egg")
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)
    assert panel.box.text() == "" and stops == []
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)
    assert stops == [1]
