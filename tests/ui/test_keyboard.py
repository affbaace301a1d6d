"""The main flows with the keyboard alone, on the real window and the real embedded model: every
step is a key press sent to the widget that has the focus, never a click or a method call."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

from hybrid_desktop.config.settings import Settings
from tests.ui.test_main_window import WAIT_MS, stored_messages, wait_ready

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def tab_cycle(start: QWidget, limit: int = 60) -> list[QWidget]:
    """The widgets Tab visits from ``start`` until it comes back (or ``limit`` presses)."""
    seen = [start]
    for _ in range(limit):
        press(Key.Key_Tab)
        widget = focused()
        if widget is start:
            return seen
        seen.append(widget)
    raise AssertionError(f"Tab never came back to {start!r}: {[type(w).__name__ for w in seen]}")


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def test_ask_find_and_switch_with_the_keyboard_alone(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    running = make_app(Settings(max_tokens=12))
    window = running.window
    window.activateWindow()
    wait_ready(qtbot, window)
    panel = window.chat_panel
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.input, timeout=5_000)

    # Ask: type, Enter sends, the answer is stored.
    type_text("Say hello to Ada")
    with qtbot.waitSignal(panel.turn_finished, timeout=WAIT_MS):
        press(Key.Key_Return)
    assert stored_messages()[0][:2] == ("user", "Say hello to Ada")

    # Tab goes round every control of the window, each with a name, and back to the input.
    cycle = tab_cycle(panel.input)
    names = [accessible_name(w) for w in cycle]
    assert all(names), [type(w).__name__ for w, n in zip(cycle, names, strict=True) if not n]
    for needed in (panel.route_box, window.search.box, window.conversations.conversation_list):
        assert needed in cycle, f"Tab never reaches {accessible_name(needed)!r}"
    assert window.first_run.dismiss_button in cycle

    # A new chat (Ctrl+N) empties the view; the focus comes back to the input.
    previous = window.state.current_id
    press(Key.Key_N, Ctrl)
    assert window.state.current_id != previous or window.state.current_id is None
    assert focused() is panel.input

    # Find (Ctrl+F), type, Down to the hits, Enter opens the conversation.
    press(Key.Key_F, Ctrl)
    assert focused() is window.search.box
    type_text("Ada")
    qtbot.waitUntil(lambda: window.search.results.count() > 0, timeout=10_000)
    press(Key.Key_Down)
    assert focused() is window.search.results
    with qtbot.waitSignal(window.search.hit_activated, timeout=5_000):
        press(Key.Key_Return)
    assert window.state.current_id == previous


def test_settings_open_walk_and_close_by_keyboard(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8)).window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.chat_panel.input, timeout=5_000)
    seen: list[str] = []

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(dialog.tabs.tabText(dialog.tabs.currentIndex()))  # type: ignore[attr-defined]
        for _ in range(4):
            press(Key.Key_Tab, Ctrl)  # the next page
            seen.append(dialog.tabs.tabText(dialog.tabs.currentIndex()))  # type: ignore[attr-defined]
        press(Key.Key_Escape)

    QTimer.singleShot(200, in_dialog)
    press(Key.Key_Comma, Ctrl)  # Settings… (Ctrl+,): modal, closed by Escape in in_dialog
    assert seen == ["Model", "General", "Cloud", "Edge", "Privacy"]
    # The window gets its focus back where it was (offscreen, the window manager's part of
    # handing activation back is done by hand).
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.chat_panel.input, timeout=5_000)


def test_the_first_run_panel_dismissed_by_keyboard(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    running = make_app(Settings(max_tokens=8))
    window = running.window
    window.activateWindow()
    panel = window.first_run
    assert panel.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.chat_panel.input, timeout=5_000)
    for _ in range(60):
        if focused() is panel.dismiss_button:
            break
        press(Key.Key_Tab)
    assert focused() is panel.dismiss_button
    press(Key.Key_Space)
    assert not panel.isVisible()
    assert running.state.settings.first_run_dismissed


def test_focus_is_visible(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    """A focused button looks different from an unfocused one, in both schemes."""
    for scheme in ("light", "dark"):
        window = make_app(Settings(max_tokens=8, color_scheme=scheme)).window
        window.activateWindow()
        button: QPushButton = window.conversations.new_button
        field = window.chat_panel.input
        field.setFocus()
        qtbot.waitUntil(lambda field=field: QApplication.focusWidget() is field)
        plain = button.grab().toImage()
        for _ in range(60):  # Tab to it, as a keyboard user does
            if focused() is button:
                break
            press(Key.Key_Tab)
        assert button.hasFocus()
        assert button.grab().toImage() != plain, f"no visible focus in {scheme}"
        window.close()
