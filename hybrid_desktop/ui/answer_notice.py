"""When an answer completes: screen readers hear it, and a tray notification says so when no window
of the app has the focus (the main window minimised or hidden, the Quick Prompt closed).

    notifier = AnswerNotifier(state, turns, notify=tray.notify, announce_to=window)

The notification is off with ``Settings.notify_on_answer`` (Settings → General). Clicking it opens
the main window (``Tray``). A failed turn is not notified: its message waits in the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QWidget

from hybrid_desktop import APP_NAME
from hybrid_desktop.core.turns import TurnResult
from hybrid_desktop.ui.accessible import announce

if TYPE_CHECKING:
    from hybrid_desktop.ui.state import AppState
    from hybrid_desktop.ui.turns import TurnController

log = logging.getLogger(__name__)

#: The most of an answer a notification or an announcement quotes.
PREVIEW_CHARS = 160

#: Where an answer came from, in words (translated where used, in the context ``AnswerNotice``).
_ROUTE_WORDS = {
    "local": str(QT_TRANSLATE_NOOP("AnswerNotice", "the local model")),
    "cloud": str(QT_TRANSLATE_NOOP("AnswerNotice", "the cloud model")),
    "edge": str(QT_TRANSLATE_NOOP("AnswerNotice", "an edge server")),
}


def answer_preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The answer's start on one line, cut at a word near ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
    return cut + "…"


def answer_title(result: TurnResult) -> str:
    where = result.route
    if result.route in _ROUTE_WORDS:
        where = QCoreApplication.translate("AnswerNotice", _ROUTE_WORDS[result.route])
    if result.edge_server and result.route == "edge":
        where = result.edge_server
    return QCoreApplication.translate("AnswerNotice", "Answer ready from {where}").format(
        where=where
    )


class AnswerNotifier(QObject):
    def __init__(
        self,
        state: AppState,
        turns: TurnController,
        notify: Callable[[str, str], None] | None,
        announce_to: QWidget,
    ) -> None:
        super().__init__(announce_to)
        self.state = state
        self.notify = notify
        self.announce_to = announce_to
        #: (title, text) of each notification shown, newest last (for the log and tests).
        self.shown: list[tuple[str, str]] = []
        turns.turn_done.connect(self._done)

    def _done(self, result: object) -> None:
        if not isinstance(result, TurnResult) or result.status == "stopped":
            return
        title = answer_title(result)
        preview = answer_preview(result.text)
        announce(
            self.announce_to,
            QCoreApplication.translate("AnswerNotice", "{title}. {preview}").format(
                title=title, preview=preview
            ),
        )
        if self.notify is None or not self.state.settings.notify_on_answer:
            return
        active = QApplication.activeWindow()
        if active is not None and active.isVisible() and not active.isMinimized():
            return  # the user is looking at one of ours
        self.shown.append((title, preview))
        log.info("answer notification shown (%s)", result.route)
        self.notify(
            QCoreApplication.translate("AnswerNotice", "{app}: {title}").format(
                app=APP_NAME, title=title
            ),
            preview or QCoreApplication.translate("AnswerNotice", "(an empty answer)"),
        )
