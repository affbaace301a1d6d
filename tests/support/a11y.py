"""What a screen reader would find missing in a window: controls without an accessible name or
description, read through Qt's own accessibility interfaces (what AT-SPI, UI Automation and
NSAccessibility are given), not through widget attributes."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

#: The kinds of widget a user acts on (labels only when they hold a link).
CONTROLS: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
)


def _is_inner(widget: QWidget) -> bool:
    """Qt's own parts of a compound control (a spin box's line edit, a scroll area's bars, a
    combo box's popup), which the compound control names for them."""
    if isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_"):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return True
        parent = parent.parentWidget()
    return False


def _interactive_label(widget: QWidget) -> bool:
    return isinstance(widget, QLabel) and bool(widget.openExternalLinks() or "<a " in widget.text())


def reachable_controls(root: QWidget) -> list[QWidget]:
    """The controls inside ``root``'s window that a user can reach (shown, not Qt's inner parts)."""
    window = root.window()
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.window() is not window or not widget.isVisibleTo(window) or _is_inner(widget):
            continue
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, CONTROLS):
            continue
        if isinstance(widget, CONTROLS) or _interactive_label(widget):
            found.append(widget)
    return found


def describe(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '?'}) {widget.accessibleName()!r}"


def unnamed_controls(root: QWidget) -> list[str]:
    """Each reachable control with no accessible name or no description, as ``"<control>: what
    is missing"``; the window itself must have a title. Empty when a screen reader has it all."""
    problems = []
    window = root.window()
    if not window.windowTitle().strip():
        problems.append(f"{type(window).__name__}: no window title")
    for widget in reachable_controls(root):
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None:
            problems.append(f"{describe(widget)}: no accessible interface")
            continue
        name = interface.text(QAccessible.Text.Name).strip()
        description = interface.text(QAccessible.Text.Description).strip()
        missing = [
            what for what, text in (("name", name), ("description", description)) if not text
        ]
        if missing:
            problems.append(f"{describe(widget)}: no {' or '.join(missing)}")
    return problems
