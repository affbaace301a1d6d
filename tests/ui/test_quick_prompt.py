"""The Quick Prompt's logic offscreen: send, stream, Esc, copy, open in the main window, history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.ui.desktop import attach_desktop
from hybrid_desktop.ui.quick_prompt import CONVERSATION_TITLE, TITLE

WAIT_MS = 90_000


def test_quick_prompt_answers_into_its_own_conversation(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=16, hotkey="")).window
    desktop = attach_desktop(window)
    quick = desktop.quick
    assert quick.windowTitle() == TITLE == "Quick Prompt"
    quick.summon()
    assert (quick.isVisible() and quick.input.hasFocus()) or quick.isVisible()
    tokens: list[str] = []
    window.turns.token.connect(lambda _rid, text: tokens.append(text))
    qtbot.keyClicks(quick.input, "What is the capital of France?")
    with qtbot.waitSignal(quick.answered, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(quick.input, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert isinstance(result, TurnResult)
    assert tokens and "".join(tokens) == result.text
    assert quick.answer.toPlainText().strip() == result.text.strip()
    assert quick.badge.text().startswith("Local:")
    assert quick.input.text() == ""

    # A second quick prompt lands in the same conversation.
    quick.input.setText("And of Italy?")
    with qtbot.waitSignal(quick.answered, timeout=WAIT_MS):
        quick.send()
    store = HistoryStore(window.state.services.paths.database)
    (conversation,) = store.list_conversations()
    assert conversation.title == CONVERSATION_TITLE
    assert [m.role for m in store.messages(conversation.id)] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    store.close()

    quick.copy_answer()
    assert QGuiApplication.clipboard().text() == quick._text

    qtbot.keyClick(quick, Qt.Key.Key_Escape)
    assert not quick.isVisible()

    quick.summon()
    quick.open_in_main_window()
    assert not quick.isVisible()
    assert window.state.current_id == conversation.id
    assert window.chat_panel.chat.messages()[0].plain_text() == "What is the capital of France?"
    assert window.conversations.conversation_list.currentItem().text() == CONVERSATION_TITLE
    desktop.shutdown()


def test_no_tray_offscreen_is_explained(make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(hotkey="")).window
    desktop = attach_desktop(window)
    assert desktop.tray is None and not window.has_tray
    assert "no system tray" in desktop.tray_status
    assert desktop.hotkey_status == "The global hotkey is off."
    desktop.shutdown()


def test_hotkey_without_a_display_says_why(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    window = make_app(Settings(hotkey="Ctrl+Alt+Space")).window
    desktop = attach_desktop(window)
    assert "no X display" in desktop.hotkey_status
    desktop.shutdown()


def test_wayland_is_detected_and_explained(make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    window = make_app(Settings()).window
    desktop = attach_desktop(window)
    assert "Wayland" in desktop.hotkey_status
    assert "hybrid-desktop --quick-prompt" in desktop.hotkey_status
    desktop.shutdown()
