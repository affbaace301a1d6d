"""The history search box above the conversation list: search as you type, hits with highlights.

What the user types is looked up in the FTS5 index (``storage.search``) after a pause of
``DEBOUNCE_MS``, on the app's pool of short jobs (``workers.tasks``), never on the GUI thread:
at 100,000 messages a prefix search takes a few milliseconds, but a history on a slow or
busy disk must not freeze the window. One search runs at a time; text typed meanwhile is
searched when it ends, and a result that no longer matches the box is dropped.

Each job opens a read connection of its pool thread and closes it again: pool threads come and
go (``QThreadPool`` retires idle ones), so a connection kept per thread would be left behind by
each of them.

The hits replace the conversation list while the box has text (:attr:`SearchPanel.active_changed`);
activating one (click, Enter) emits :attr:`SearchPanel.hit_activated` with the conversation and
message ids, and the window opens the conversation at that message. Esc clears the box.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.storage import search as history_search
from hybrid_desktop.ui.accessible import announce, described

if TYPE_CHECKING:
    from hybrid_desktop.storage.search import Hit
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)

#: The pause after the last key before a search starts.
DEBOUNCE_MS = 150
#: How many hits the list shows.
LIMIT = 50
#: The filter choices: label (translated where shown), route (None: every route).
ROUTE_FILTERS = (
    (QT_TRANSLATE_NOOP("SearchPanel", "All routes"), None),
    (QT_TRANSLATE_NOOP("SearchPanel", "Local"), "local"),
    (QT_TRANSLATE_NOOP("SearchPanel", "Edge"), "edge"),
    (QT_TRANSLATE_NOOP("SearchPanel", "Cloud"), "cloud"),
)
#: Where a hit's message came from, as a hit's row names it (translated where shown).
SOURCE_WORDS = {
    "local": QT_TRANSLATE_NOOP("SearchPanel", "local"),
    "edge": QT_TRANSLATE_NOOP("SearchPanel", "edge"),
    "cloud": QT_TRANSLATE_NOOP("SearchPanel", "cloud"),
    "assistant": QT_TRANSLATE_NOOP("SearchPanel", "assistant"),
}

HIT_ROLE = Qt.ItemDataRole.UserRole


def snippet_html(hit: Hit) -> str:
    """The hit's snippet as rich text: escaped, with the matched words in bold."""
    text = html.escape(hit.snippet, quote=False)
    return text.replace(history_search.MARK_OPEN, "<b>").replace(history_search.MARK_CLOSE, "</b>")


def hit_html(hit: Hit) -> str:
    """One row of the results: the conversation's title and where the message came from, then
    the snippet."""
    source = hit.route or hit.role
    if hit.role == "user":
        who = QCoreApplication.translate("SearchPanel", "You")
    else:
        who = QCoreApplication.translate("SearchPanel", str(SOURCE_WORDS.get(source, source)))
    when = hit.created_at[:10]
    title = html.escape(hit.title, quote=False)
    return (
        f"<div><small>{title} · {html.escape(who)} · {when}</small></div>"
        f"<div>{snippet_html(hit)}</div>"
    )


class SearchBox(QLineEdit):
    """The search field: Esc clears it (and takes Esc from the window's Stop while it has
    text); Down moves into the results."""

    cleared = Signal()
    down_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.text()
        ):
            event.accept()  # the key comes here as a key press, not to the Stop shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.cleared.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class HitList(QListWidget):
    """The hits, each a wrapped rich-text label whose row grows to fit it at the list's width."""

    def fit_rows(self) -> None:
        width = max(self.viewport().width() - 4, 80)
        for row in range(self.count()):
            item = self.item(row)
            label = self.itemWidget(item)
            if isinstance(label, QLabel):
                item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_rows()


class SearchPanel(QWidget):
    """The search box, a route filter, a status line and the list of hits."""

    #: A hit was opened: conversation id, message id.
    hit_activated = Signal(int, int)
    #: True while the box has text (the hits are shown instead of the conversations).
    active_changed = Signal(bool)
    #: After each search's hits are shown (tests): the list of Hit.
    results_shown = Signal(object)

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.box = SearchBox()
        self.box.setPlaceholderText(self.tr("Search history (Ctrl+F)"))
        self.box.setClearButtonEnabled(True)
        for button in self.box.findChildren(QToolButton):  # Qt's own clear button, unnamed
            action = button.defaultAction()
            if action is not None and action.objectName() == "_q_qlineeditclearaction":
                described(
                    button,
                    self.tr("Empty the search box and show the conversations again"),
                    name=self.tr("Clear the search"),
                )
        self.box.setAccessibleName(self.tr("Search history"))
        self.box.setAccessibleDescription(
            self.tr("Finds messages in every conversation as you type; Esc clears.")
        )
        self.box.setToolTip(self.tr("Search every conversation's messages (Ctrl+F); Esc clears"))
        row.addWidget(self.box, 1)
        self.route_box = QComboBox()
        for label, route in ROUTE_FILTERS:
            self.route_box.addItem(QCoreApplication.translate("SearchPanel", str(label)), route)
        described(
            self.route_box,
            self.tr("Only messages answered on this route"),
            name=self.tr("Search route filter"),
        )
        row.addWidget(self.route_box)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Search status"))
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.results = HitList()
        described(
            self.results,
            self.tr("The messages found; Enter opens one in its conversation."),
            name=self.tr("Search results"),
        )
        self.results.setWordWrap(True)
        self.results.setMinimumWidth(200)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        self.results.hide()
        layout.addWidget(self.results, 1)
        #: Hits of the last search shown.
        self.hits: list[Hit] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self._running: tuple[str, str | None] | None = None
        self._again = False
        self._active = False
        self.box.textChanged.connect(self._typed)
        self.box.cleared.connect(self.clear)
        self.box.down_pressed.connect(self._into_results)
        self.route_box.currentIndexChanged.connect(lambda _i: self._typed(self.box.text()))

    # what the user does ------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: into the box, its text selected to type over."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def clear(self) -> None:
        """Empty the box and show the conversations again."""
        self._timer.stop()
        if self.box.text():
            self.box.clear()  # -> _typed("")
        self._show_idle()

    def _typed(self, text: str) -> None:
        self._set_active(bool(text.strip()))
        if not text.strip():
            self._timer.stop()
            self._show_idle()
            return
        self._timer.start()

    def _set_active(self, active: bool) -> None:
        if active != self._active:
            self._active = active
            self.results.setVisible(active)
            self.active_changed.emit(active)

    def _show_idle(self) -> None:
        self.results.clear()
        self.hits = []
        self.status.hide()
        self._set_active(False)

    def _into_results(self) -> None:
        if self.results.isVisible() and self.results.count():
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)

    def _activated(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if hit is not None:
            self.hit_activated.emit(hit.conversation_id, hit.message_id)

    # searching ---------------------------------------------------------------------------------

    def _wanted(self) -> tuple[str, str | None]:
        route = self.route_box.currentData()
        return self.box.text(), (str(route) if route else None)

    def run_search(self) -> None:
        """Search for what the box holds now, on the task pool (one search at a time)."""
        query, route = self._wanted()
        if not query.strip():
            return
        if self._running is not None:
            self._again = True  # searched when the running one ends
            return
        services = self.state.services
        if not services.storage_open:
            self._say(self.tr("The history is not open yet."))
            return
        self._running = (query, route)
        self._again = False
        if not self.hits:
            self._say(self.tr("Searching…"))

        def job() -> list[Hit]:
            try:
                return history_search.search(services.history().db, query, route=route, limit=LIMIT)
            finally:
                services.close_history()

        self.state.tasks.run(job, self._found, self._failed, tag="history-search")

    def _found(self, hits: list[Hit]) -> None:
        asked, self._running = self._running, None
        if asked != self._wanted() or self._again:
            self._again = False
            if self.box.text().strip():
                self.run_search()
            return
        self._fill(hits)

    def _failed(self, error: BaseException) -> None:
        self._running = None
        if isinstance(error, HybridDesktopError):
            text = error.user_text()
        else:
            log.error("history search failed", exc_info=error)
            text = self.tr("The search failed; details are in the log file.")
        if self._again and self.box.text().strip():
            self._again = False
            self.run_search()
            return
        self.results.clear()
        self.hits = []
        self._say(text)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def _fill(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.results.clear()
        if not self._active:
            return
        for hit in hits:
            item = QListWidgetItem()
            item.setData(HIT_ROLE, hit)
            plain = hit.plain()
            spoken = self.tr("{title}: {text}").format(title=hit.title, text=plain)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            when = hit.created_at[:16].replace("T", " ")
            item.setToolTip(self.tr("{title}\n{time} UTC").format(title=hit.title, time=when))
            label = QLabel(hit_html(hit))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setContentsMargins(4, 3, 4, 3)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
        self.results.fit_rows()
        if not hits:
            self._say(self.tr("No messages match."))
        elif len(hits) == LIMIT:
            self._say(self.tr("%n message(s) (the newest)", "", len(hits)))
        else:
            self._say(self.tr("%n message(s)", "", len(hits)))
        announce(self.status, self.status.text())  # the hits appear silently otherwise
        self.results_shown.emit(hits)
