"""What a screen reader and a keyboard user find in the main window and the Quick Prompt: every
reachable control named and described (read through Qt's accessibility interfaces,
``tests/support/a11y.py``), the menus named, with mnemonics and the shortcuts a desktop user
expects, and Tab going the way the eye reads. The real app with the embedded model, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui.desktop import attach_desktop
from tests.support.a11y import describe, reachable_controls, unnamed_controls
from tests.ui.test_main_window import WAIT_MS, wait_ready


def _own_controls(window) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """The main window's controls made in this group's modules (widgets.py, main_window.py)."""
    banner = window.chat_panel.banner
    return [
        window.chat_panel.input,
        window.conversations.conversation_list,
        banner.settings_button,
        banner.close_button,
    ]


def _problems_of(window, controls: list[QWidget]) -> list[str]:  # type: ignore[no-untyped-def]
    """``unnamed_controls`` of the window, only for ``controls`` (each told by its object name)."""
    mine = {describe(control) for control in controls}
    return [problem for problem in unnamed_controls(window) if problem.split(":")[0] in mine]


def _focus_chain(window: QWidget) -> list[QWidget]:
    """The visible widgets that take Tab focus, in Tab order, starting from the window."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and len(chain) < 500:
        policy = widget.focusPolicy()
        if widget.isVisibleTo(window) and policy & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _menus(window) -> list[QMenu]:  # type: ignore[no-untyped-def]
    return [action.menu() for action in window.menuBar().actions() if action.menu() is not None]


def test_the_main_windows_controls_are_named_and_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8, hotkey="")).window
    assert window.windowTitle().strip()
    banner = window.chat_panel.banner
    banner.show_message("The model file is missing.", offer_settings=True)
    own = _own_controls(window)
    reachable = reachable_controls(window)
    assert all(control in reachable for control in own), [describe(c) for c in own]
    assert _problems_of(window, own) == []
    for control in own:
        face = QAccessible.queryAccessibleInterface(control)
        assert face.text(QAccessible.Text.Name) and face.text(QAccessible.Text.Description)
    assert banner.close_button.accessibleName() == "Dismiss"  # not "✕"
    # Every other visible control of the window (the chat, search and conversation panels'
    # own widgets included) — the whole window, as a screen reader finds it.
    assert unnamed_controls(window) == []

    # With an answer shown (its message buttons), then while searching (the hits list).
    wait_ready(qtbot, window)
    window.chat_panel.input.setPlainText("Name a colour.")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS):
        window.chat_panel.send()
    assert unnamed_controls(window) == []
    with qtbot.waitSignal(window.search.results_shown, timeout=WAIT_MS):
        window.search.box.setText("colour")
    assert window.search.results.isVisibleTo(window)
    # The search box's own clear button (Qt's QLineEditIconButton, search_panel.py) is
    # another group's to name; this group's controls are checked here.
    assert _problems_of(window, own) == []
    assert window.search.results in reachable_controls(window)


def test_a_private_conversation_keeps_every_control_named(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(hotkey="")).window
    window.chat_panel.new_private_conversation()
    assert window.chat_panel.private_banner.isVisibleTo(window)
    assert unnamed_controls(window) == []


def test_the_menus_have_names_mnemonics_descriptions_and_shortcuts(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(hotkey="")).window
    bar = window.menuBar()
    titles = [action.text() for action in bar.actions()]
    assert titles[:3] == ["&File", "&Conversation", "&Privacy"] and titles[-1] == "&Help"
    keys = [QKeySequence.mnemonic(title).toString() for title in titles]
    assert all(keys) and len(set(keys)) == len(keys), titles  # Alt+letter, each its own
    face = QAccessible.queryAccessibleInterface(bar)
    names = [face.child(i).text(QAccessible.Text.Name) for i in range(face.childCount())]
    assert names == [title.replace("&", "") for title in titles]
    own_titles = {"&File", "&Conversation", "&Privacy", "&Help"}
    for menu in _menus(window):
        if menu.menuAction().text() not in own_titles:
            continue
        items = [action for action in menu.actions() if not action.isSeparator()]
        menu_face = QAccessible.queryAccessibleInterface(menu)
        spoken = [
            menu_face.child(i).text(QAccessible.Text.Name) for i in range(menu_face.childCount())
        ]
        assert [name for name in spoken if name] == [a.text().replace("&", "") for a in items]
        letters = [QKeySequence.mnemonic(a.text()).toString() for a in items]
        assert all(letters) and len(set(letters)) == len(letters), [a.text() for a in items]

    # Each of this window's own actions says what it does (tooltip and status bar tip).
    for action in window.menu_actions:
        assert action.statusTip() and action.toolTip() == action.statusTip(), action.text()

    def shortcuts(text: str) -> list[str]:
        action = next(a for a in window.menu_actions if a.text() == text)
        return [key.toString() for key in action.shortcuts()]

    assert "Ctrl+N" in shortcuts("&New Chat")
    assert shortcuts("New &Private Conversation") == ["Ctrl+Shift+N"]
    assert "Ctrl+," in shortcuts("&Settings…")
    assert "Ctrl+Q" in shortcuts("&Quit")
    assert shortcuts("&Models…") == ["Ctrl+Shift+M"]
    assert "Ctrl+F" in shortcuts("&Find in History…")
    assert shortcuts("&Rename…") == ["F2"]
    assert "Del" in shortcuts("&Delete…")
    assert shortcuts("&Stop Answer") == ["Esc"]
    assert shortcuts("&Preview What Would Be Sent…") == ["Ctrl+Shift+P"]
    settings = next(a for a in window.menu_actions if a.text() == "&Settings…")
    assert settings.menuRole() == QAction.MenuRole.PreferencesRole

    # No two of the window's actions share a shortcut (Qt would run neither).
    taken: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString()
            assert taken.setdefault(text, action.text()) == action.text(), text
    # The File menu opens from the keyboard (Alt+F).
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    file_menu = _menus(window)[0]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(file_menu.isVisible, timeout=5000)
    qtbot.keyClick(file_menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not file_menu.isVisible(), timeout=5000)


def test_tab_goes_as_the_eye_reads_and_every_control_takes_focus(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(hotkey="")).window
    panel, search = window.chat_panel, window.search
    for control in reachable_controls(window):
        assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, describe(control)
    chain = _focus_chain(window)
    expected = [
        window.conversations.new_button,
        search.box,
        search.route_box,
        window.conversations.conversation_list,
        panel.input,
        panel.route_box,
        panel.send_button,
    ]
    positions = [chain.index(widget) for widget in expected]
    assert positions == sorted(positions), [describe(w) for w in chain]
    assert panel.input.tabChangesFocus()  # Tab leaves the message box, it types no tab


def test_the_quick_prompt_is_named_described_and_keyboard_ready(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8, hotkey="")).window
    desktop = attach_desktop(window)
    quick = desktop.quick
    try:
        quick.summon()
        assert quick.windowTitle() == "Quick Prompt"
        assert unnamed_controls(quick) == []
        controls = reachable_controls(quick)
        assert {quick.input, quick.answer, quick.copy_button, quick.open_button} <= set(controls)
        for control in controls:
            assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, describe(control)
        chain = _focus_chain(quick)
        order = [quick.input, quick.answer, quick.copy_button, quick.open_button]
        positions = [chain.index(widget) for widget in order]
        assert positions == sorted(positions), [describe(w) for w in chain]
        face = QAccessible.queryAccessibleInterface(quick.input)
        assert face.text(QAccessible.Text.Name) == "Question"

        # After an answer, too.
        wait_ready(qtbot, window)
        quick.input.setText("Name a tree.")
        with qtbot.waitSignal(quick.answered, timeout=WAIT_MS):
            quick.send()
        assert unnamed_controls(quick) == []
    finally:
        desktop.shutdown()


def test_the_tray_menu_items_are_named(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui.tray import Tray

    window = make_app(Settings(hotkey="")).window
    desktop = attach_desktop(window)
    # The offscreen platform has no tray to show the icon in; the menu is built all the same.
    tray = Tray(window.state, window.settings_controller, window, desktop.quick)
    try:
        items = [action for action in tray.menu.actions() if not action.isSeparator()]
        face = QAccessible.queryAccessibleInterface(tray.menu)
        spoken = [face.child(i).text(QAccessible.Text.Name) for i in range(face.childCount())]
        assert [name for name in spoken if name] == [action.text() for action in items]
        assert all(action.toolTip() != action.text() for action in items), [
            action.text() for action in items
        ]
        assert tray.icon.toolTip().startswith("Hybrid Desktop — ")
    finally:
        tray.hide()
        desktop.shutdown()
