"""The chat's Copy actions say that they worked: the message's Copy button and a code block's
Copy link read "Copied" for :data:`COPIED_MS`, and screen readers hear "Copied to the clipboard".

A code block's link is part of its label's rich text, so it changes by rendering the label again
(with ``copied=N``, see :func:`hybrid_desktop.ui.markdown.render_markdown`); a keyboard user's
place among the label's links is put back each time (Tab keeps walking from there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QToolButton

from hybrid_desktop.ui.accessible import announce, described

if TYPE_CHECKING:
    from hybrid_desktop.ui.chat_view import BodyLabel

#: How long "Copied" is shown.
COPIED_MS = 1500


def copied_text() -> str:
    """What screen readers are told after a copy."""
    return QCoreApplication.translate("ChatCopy", "Copied to the clipboard")


class CopyButton(QToolButton):
    """A message's Copy button: after :meth:`flash` it reads "Copied" for a moment."""

    def __init__(self, description: str) -> None:
        super().__init__()
        self.setAutoRaise(True)
        # As wide as its longer text, so the header does not jump when it changes.
        self.setText(self.tr("Copied"))
        self.setMinimumWidth(self.sizeHint().width())
        self.setText(self.tr("Copy"))
        described(self, description)
        self._flashes = 0

    def flash(self) -> None:
        self._flashes += 1
        flash = self._flashes
        self.setText(self.tr("Copied"))
        announce(self, copied_text())
        QTimer.singleShot(COPIED_MS, self, lambda: self._restore(flash))

    def _restore(self, flash: int) -> None:
        if flash == self._flashes:  # not copied again meanwhile
            self.setText(self.tr("Copy"))


def link_ordinal(html: str, index: int) -> int:
    """Which of the links of ``html`` (0 the first) is code block ``index``'s Copy link."""
    position = html.find(f'href="copy:{index}"')
    return html.count("<a href=", 0, position) if position >= 0 else -1


def focus_link(label: QLabel, ordinal: int) -> None:
    """Give the keyboard's place back to link ``ordinal`` of ``label`` (after its text was set
    again, which keeps the old place, not the link's)."""
    if ordinal < 0:
        return
    label.setSelection(0, 0)  # from the top: the first step is the first link
    for _ in range(ordinal + 1):
        label.focusNextPrevChild(True)


def flash_link(label: BodyLabel, index: int, render: Callable[[BodyLabel], None]) -> None:
    """Show code block ``index``'s link in ``label`` as "Copied" for a moment; ``render`` shows
    the label again from its source (reading ``label.copied``)."""
    keyboard = label.hasFocus() and bool(label.selectedText())
    label.copied_flashes += 1
    flashes = label.copied_flashes

    def show(copied: int | None) -> None:
        label.copied = copied
        render(label)
        if keyboard and label.hasFocus():
            focus_link(label, link_ordinal(label.text(), index))

    show(index)
    announce(label, copied_text())

    def restore() -> None:
        if label.copied_flashes == flashes and label.copied == index:  # not copied again since
            show(None)

    QTimer.singleShot(COPIED_MS, label, restore)
