"""Accessibility of the chat side of the main window (chat panel, chat view, conversation list,
history search): every control a screen reader meets has a name and a description, Tab walks
them in the order they are shown, and the Copy actions confirm that they copied."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from hybrid_desktop.ui import chat_copy
from hybrid_desktop.ui.chat_view import BodyLabel, ChatView, MessageWidget
from tests.support.a11y import describe, reachable_controls
from tests.ui.test_window_search import WAIT_MS, fill_history, started

ANSWER = (
    "See [the docs](https://example.com) first.\n\n"
    'First:\n\n```python\nprint("one")\n```\n\nSecond:\n\n```sh\necho "two" && ls\n```\n'
)


def missing_in(*roots: QWidget) -> list[str]:
    """``tests.support.a11y.unnamed_controls``, for the controls inside ``roots`` only (the rest of the window
    belongs to other tests)."""
    found = []
    for widget in reachable_controls(roots[0].window()):
        if not any(root is widget or root.isAncestorOf(widget) for root in roots):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface is not None, describe(widget)
        for what, role in (
            ("name", QAccessible.Text.Name),
            ("description", QAccessible.Text.Description),
        ):
            if not interface.text(role).strip():
                found.append(f"{describe(widget)}: no {what}")
    return found


def show_a_conversation(window) -> tuple[MessageWidget, MessageWidget]:  # type: ignore[no-untyped-def]
    chat = window.chat_panel.chat
    question = chat.add_message("user", "How do I print?")
    answer = chat.add_message("assistant", ANSWER, "local · test", "why")
    answer.mark_low_confidence(0.2)
    chat.add_notice("A notice about this answer.")
    return question, answer


def test_the_chat_panel_and_the_conversation_list_are_named(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    qtbot.waitUntil(lambda: window.state.services.storage_open, timeout=WAIT_MS)
    panel, conversations = window.chat_panel, window.conversations
    question, answer = show_a_conversation(window)
    panel.private_banner.show()
    qtbot.wait(20)
    controls = reachable_controls(window)
    for control in (
        panel.input,
        panel.route_box,
        panel.send_button,
        panel.stop_button,
        conversations.new_button,
        conversations.conversation_list,
        window.search.box,
        window.search.route_box,
        answer.cloud_button,
        answer.copy_button,
        question.copy_button,
    ):
        assert control in controls, describe(control)
    assert not answer.cloud_button.isHidden(), "a local answer offers the cloud model"
    linked = [w for w in answer.findChildren(BodyLabel) if "<a href=" in w.text()]
    assert linked and all(w in controls for w in linked)
    assert missing_in(panel, conversations) == []
    # The view itself and the private banner are named too (a screen reader lands on them).
    assert panel.chat.accessibleName() and panel.chat.accessibleDescription()
    assert panel.private_banner.accessibleName() and panel.private_banner.accessibleDescription()
    # Busy: Stop is the one enabled.
    panel._set_busy(True)
    assert missing_in(panel) == []
    panel._set_busy(False)


def test_the_search_panel_and_its_results_are_named(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill_history()
    window = started(qtbot, make_app)  # type: ignore[no-untyped-call]
    panel = window.search
    assert missing_in(panel) == []
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS):
        qtbot.keyClicks(panel.box, "part")
    assert panel.results.isVisible() and panel.results.count()
    assert panel.results in reachable_controls(window)
    assert missing_in(panel, window.conversations) == []
    item = panel.results.item(0)
    assert item.data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        item.data(Qt.ItemDataRole.UserRole).title
    )


def test_tab_walks_the_messages_as_shown_then_the_input(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    qtbot.waitUntil(lambda: window.state.services.storage_open, timeout=WAIT_MS)
    panel = window.chat_panel
    question, answer = show_a_conversation(window)
    # A streamed answer's parts are frozen into labels of their own as it comes in.
    streamed = panel.chat.begin_stream()
    panel.chat.append_stream("One paragraph.\n\n```\ncode\n```\n\nA [link](https://example.com)")
    panel.chat.end_stream(None, "local · test")
    assert len(streamed.tab_stops()) >= 2
    qtbot.waitUntil(lambda: streamed.copy_button.isVisible(), timeout=WAIT_MS)

    def walk(start: QWidget, steps: int) -> list[QWidget]:
        order: list[QWidget] = []
        widget = start
        while len(order) < steps:
            widget = widget.nextInFocusChain() or start
            if (
                widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                order.append(widget)
        return order

    answer_links = [w for w in answer.tab_stops() if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    streamed_links = [w for w in streamed.tab_stops() if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    expected = [
        question.copy_button,
        answer.cloud_button,
        answer.copy_button,
        *answer_links,
        streamed.cloud_button,
        streamed.copy_button,
        *streamed_links,
        panel.input,
        panel.route_box,
        panel.send_button,
    ]
    assert walk(panel.chat, len(expected)) == expected


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(chat_copy, "announce", lambda _source, text, **_kw: said.append(text))
    monkeypatch.setattr(chat_copy, "COPIED_MS", 200)
    return said


def test_a_code_link_says_copied_and_keeps_its_place(qtbot, announced) -> None:  # type: ignore[no-untyped-def]
    view = ChatView()
    qtbot.addWidget(view)
    answer = view.add_message("assistant", ANSWER)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    (label,) = [w for w in answer.findChildren(BodyLabel) if "copy:" in w.text()]
    QGuiApplication.clipboard().setText("something else")
    # The keyboard: Tab past the docs link and the first Copy to the second Copy, Enter.
    label.setFocus()
    for _ in range(3):
        qtbot.keyClick(label, Qt.Key.Key_Tab)
    assert label.selectedText() == "Copy"
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == 'echo "two" && ls'
    assert announced == ["Copied to the clipboard"]
    links = re.findall(r'href="copy:(\d)"[^>]*><span[^>]*>(\w+)</span>', label.text())
    assert links == [("0", "Copy"), ("1", "Copied")]
    assert label.selectedText() == "Copied", "the keyboard is still on the link it used"
    assert QApplication.focusWidget() is label
    qtbot.waitUntil(lambda: "Copied" not in label.text(), timeout=2000)
    assert re.findall(r'href="copy:(\d)"[^>]*><span[^>]*>(\w+)</span>', label.text()) == [
        ("0", "Copy"),
        ("1", "Copy"),
    ]
    assert label.selectedText() == "Copy"
    # Shift+Tab goes on from there: the first block's link.
    qtbot.keyClick(label, Qt.Key.Key_Backtab)
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == 'print("one")'
    assert len(announced) == 2
    # The mouse's way: the link says so too, and nothing is selected by it.
    label.clearFocus()
    label.linkActivated.emit("copy:1")
    assert 'href="copy:1"' in label.text() and ">Copied<" in label.text()
    assert len(announced) == 3


def test_a_messages_copy_button_says_copied(qtbot, announced) -> None:  # type: ignore[no-untyped-def]
    view = ChatView()
    qtbot.addWidget(view)
    answer = view.add_message("assistant", ANSWER)
    view.show()
    button = answer.copy_button
    assert button.text() == "Copy" and button.accessibleDescription()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == ANSWER
    assert button.text() == "Copied"
    assert announced == ["Copied to the clipboard"]
    qtbot.waitUntil(lambda: button.text() == "Copy", timeout=2000)
    # Copied again before it went back: it stays "Copied" for the full time from the last one.
    button.click()
    qtbot.wait(120)
    button.click()
    qtbot.wait(120)
    assert button.text() == "Copied"
    qtbot.waitUntil(lambda: button.text() == "Copy", timeout=2000)
    assert len(announced) == 3
