"""Accessibility helpers: names and descriptions for controls, and announcements to screen readers.

Qt hands these to the platform's accessibility layer (AT-SPI on Linux, UI Automation on Windows,
NSAccessibility on macOS). A control's *name* is what a screen reader says first (a button's text
or a field's label is used when none is set); its *description* says what it does.

    described(button, "Send the message to the model")            # the description only
    described(field, "Search history", name="Search")              # both
    describe_buttons(box)                                          # OK / Cancel / Close …
    announce(chat_view, "Answer complete")                         # read out politely

Tests check every reachable control with ``tests/support/a11y.py``.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QDialogButtonBox, QWidget

log = logging.getLogger(__name__)

W = TypeVar("W", bound=QWidget)

_Std = QDialogButtonBox.StandardButton


def _standard_descriptions() -> dict[QDialogButtonBox.StandardButton, str]:
    return {
        _Std.Ok: QCoreApplication.translate("Accessible", "Apply the changes and close"),
        _Std.Save: QCoreApplication.translate("Accessible", "Save and close"),
        _Std.Apply: QCoreApplication.translate(
            "Accessible", "Apply the changes and keep this open"
        ),
        _Std.Cancel: QCoreApplication.translate("Accessible", "Close without changing anything"),
        _Std.Close: QCoreApplication.translate("Accessible", "Close this window"),
        _Std.Yes: QCoreApplication.translate("Accessible", "Confirm"),
        _Std.No: QCoreApplication.translate("Accessible", "Decline"),
        _Std.Discard: QCoreApplication.translate("Accessible", "Close and discard the changes"),
        _Std.Reset: QCoreApplication.translate(
            "Accessible", "Put back the values shown when this opened"
        ),
        _Std.RestoreDefaults: QCoreApplication.translate(
            "Accessible", "Put back the default values"
        ),
        _Std.Help: QCoreApplication.translate("Accessible", "Show help for this window"),
    }


def described(widget: W, description: str, name: str | None = None) -> W:
    """Give ``widget`` an accessible description (and name, when its text or label is not one),
    and the same description as its tooltip when it has none. Returns the widget."""
    widget.setAccessibleDescription(description)
    if name is not None:
        widget.setAccessibleName(name)
    if not widget.toolTip():
        widget.setToolTip(description)
    return widget


def describe_buttons(box: QDialogButtonBox, **by_role: str) -> QDialogButtonBox:
    """Descriptions for a button box's standard buttons; ``ok="Save the settings and close"``
    overrides one (keys are the StandardButton names in lower case)."""
    for standard, text in _standard_descriptions().items():
        button = box.button(standard)
        if button is not None:
            described(button, by_role.get(str(standard.name).lower(), text))
    return box


def announce(source: QObject, text: str, assertive: bool = False) -> bool:
    """Ask screen readers to read ``text`` out (politely: after what they are saying). Returns
    whether an accessibility client was listening; nothing happens when none is."""
    if not text:
        return False
    event = QAccessibleAnnouncementEvent(source, text)
    politeness = (
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    event.setPoliteness(politeness)
    QAccessible.updateAccessibility(event)
    return QAccessible.isActive()
