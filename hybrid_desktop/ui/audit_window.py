"""The Workload Audit window (Privacy → Workload Audit…): what ran where, what it cost, what the
privacy gate did, and every request in a paged table.

Every figure comes from ``storage.audit``'s SQL aggregates and one page of the table from
``audit.page`` (100 rows), so the window stays quick at 100,000 records. Each read runs on the
app's pool of short jobs (``workers.tasks``) with a read connection of its own, closed when the
job ends (as ``ui.search_panel`` does), never on the GUI thread. Three kinds of read: the
*overview* (``audit.summary`` over the period), the *share* (``audit.route_share_over_time``) and
the *page*. A newer read of a kind makes the older one's result stale: it is dropped.

The period (last 7, 30 or 90 days, or all time) applies to the summary and the charts; the
table's date filter is a combo of the same choices, set to the period when the period changes.
Activating a row (Enter, double-click) emits :attr:`AuditWindow.conversation_requested`;
a private request has no conversation and does not open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.core.costs import price_of
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.storage import audit
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.audit_charts import (
    LatencyPanel,
    MoneyPanel,
    PiiPanel,
    ReasonsPanel,
    RouteCounts,
    RouteShareChart,
    group,
    label,
    name_for_screen_readers,
)
from hybrid_desktop.ui.audit_table import PRIVATE_TIP as PRIVATE_TIP
from hybrid_desktop.ui.audit_table import REASON_COLUMN, RequestsModel
from hybrid_desktop.ui.audit_words import status_label
from hybrid_desktop.ui.theme import is_dark

if TYPE_CHECKING:
    import sqlite_utils

    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)

#: English source strings (the labels below too), translated where they are shown (``_t``).
TITLE = str(QT_TRANSLATE_NOOP("AuditWindow", "Workload Audit"))
PAGE_SIZE = 100
REASON_DEBOUNCE_MS = 250
#: The period choices (of the summary, the charts and the table's dates): label, ``since``.
PERIODS = (
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Last 7 days")), "7d"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Last 30 days")), "30d"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Last 90 days")), "90d"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "All time")), None),
)
DEFAULT_PERIOD = 1
BUCKET_CHOICES = (
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Day")), "day"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Week")), "week"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Month")), "month"),
)
ROUTE_FILTERS = (
    (str(QT_TRANSLATE_NOOP("AuditWindow", "All routes")), None),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Local")), "local"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Edge")), "edge"),
    (str(QT_TRANSLATE_NOOP("AuditWindow", "Cloud")), "cloud"),
)
STATUSES = ("complete", "stopped", "partial", "error")
ALL_STATUSES = str(QT_TRANSLATE_NOOP("AuditWindow", "All statuses"))
EMPTY_TEXT = str(
    QT_TRANSLATE_NOOP("AuditWindow", "No requests yet: ask something and it shows here.")
)
FAILED_TEXT = str(
    QT_TRANSLATE_NOOP(
        "AuditWindow", "The workload audit could not be read; details are in the log file."
    )
)


def _t(text: str) -> str:
    return QCoreApplication.translate("AuditWindow", text)


def _combo(
    name: str, description: str, choices: tuple[tuple[str, Any], ...], current: int = 0
) -> QComboBox:
    """A combo of ``choices`` (English source labels, translated here)."""
    box = described(QComboBox(), description, name=name)
    for text, value in choices:
        box.addItem(_t(text), value)
    box.setCurrentIndex(current)
    return box


def _button(text: str, name: str, description: str, slot: Callable[[], None]) -> QPushButton:
    button = described(QPushButton(text), description, name=name)
    button.clicked.connect(slot)
    return button


class AuditWindow(QWidget):
    """The dashboard: one window, kept by the main window (``MainWindow.open_workload_audit``)."""

    conversation_requested = Signal(int, int)  # conversation id, message id (0: none)
    overview_shown = Signal(object)  # the summary shown (``audit.summary``'s body)
    share_shown = Signal(list)  # the share chart's categories
    page_shown = Signal(int)  # the table's rows are shown: how many match the filters
    failed = Signal(str)  # a read failed: what the window says

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.state = state
        self._dark = is_dark()
        self.setWindowTitle(_t(TITLE))
        self.setAccessibleName(_t(TITLE))
        self.resize(1200, 860)
        self._generation: dict[str, int] = {}
        self._running: set[str] = set()
        self._error = ""
        self.offset = self.total = 0
        #: The summary shown (``audit.summary``'s body, with ``cloud_model`` and ``ever``).
        self.body: dict[str, Any] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REASON_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._filters_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._dashboard())
        self.empty = label(_t(EMPTY_TEXT), self.tr("No requests yet"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        state.settings_changed.connect(self._settings_changed)
        self._tab_order()
        self.refresh()

    # layout --------------------------------------------------------------------------------------

    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.period_box = _combo(
            self.tr("Period of the summary and charts"),
            self.tr("Which days the figures, the charts and the table's dates cover"),
            PERIODS,
            DEFAULT_PERIOD,
        )
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.refresh_button = _button(
            self.tr("&Refresh"),
            self.tr("Refresh the audit"),
            self.tr("Read the figures, the charts and the table afresh"),
            self.refresh,
        )
        self.status = label("", self.tr("Audit status"), wrap=True)
        period = label(self.tr("&Period:"))
        period.setBuddy(self.period_box)
        for widget in (period, self.period_box, self.refresh_button):
            bar.addWidget(widget)
        bar.addWidget(self.status, 1)
        return bar

    def _dashboard(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.counts, self.latency = RouteCounts(), LatencyPanel()
        self.money, self.pii, self.reasons = MoneyPanel(), PiiPanel(), ReasonsPanel()
        grid.addWidget(self.counts, 0, 0, 1, 3)
        grid.addWidget(self._share_box(), 1, 0, 1, 2)
        grid.addWidget(self.latency, 1, 2)
        grid.addWidget(self.money, 2, 0)
        grid.addWidget(self.pii, 2, 1)
        grid.addWidget(self.reasons, 2, 2)
        grid.addWidget(self._table_box(), 3, 0, 1, 3)
        for column, stretch in enumerate((1, 1, 1)):
            grid.setColumnStretch(column, stretch)
        grid.setRowStretch(1, 6)
        grid.setRowStretch(2, 5)
        grid.setRowStretch(3, 6)
        return page

    def _share_box(self) -> QGroupBox:
        self.share = RouteShareChart()
        self.bucket_box = _combo(
            self.tr("Requests per day, week or month"),
            self.tr("Whether each bar of the chart is a day, a week or a month"),
            BUCKET_CHOICES,
        )
        self.bucket_box.currentIndexChanged.connect(self._load_share)
        per = label(self.tr("Sho&w per:"))
        per.setBuddy(self.bucket_box)
        self.share_note = label("", self.tr("Which buckets the chart shows"))
        box = group(self.tr("Share of requests per route"), self.share)
        controls = QHBoxLayout()
        controls.addWidget(self.share_note, 1)
        controls.addWidget(per)
        controls.addWidget(self.bucket_box)
        layout = box.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, controls)
        return box

    def _table_box(self) -> QGroupBox:
        self.model = RequestsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        name_for_screen_readers(
            self.table,
            self.tr("Requests"),
            self.tr(
                "The requests that match the filters; Enter or double-click opens a conversation"
            ),
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        name_for_screen_readers(
            header, self.tr("Requests: columns"), self.tr("The titles of the table's columns")
        )
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((120, 56, 250, 72, 0, 64, 80, 70)):
            if width:
                self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._activate)
        box = group(self.tr("Requests"), self.table)
        layout = box.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, self._filters())
        layout.addLayout(self._pager())
        return box

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.route_filter = _combo(
            self.tr("Filter the requests by route"),
            self.tr("Show the requests of one route only, or of all"),
            ROUTE_FILTERS,
        )
        self.status_filter = _combo(
            self.tr("Filter the requests by status"),
            self.tr("Show the requests that ended one way only, or all"),
            ((ALL_STATUSES, None),),
        )
        self.reason_filter = QLineEdit()
        self.reason_filter.setPlaceholderText(self.tr("Reason contains…"))
        described(
            self.reason_filter,
            self.tr("Show only the requests whose reason contains this text"),
            name=self.tr("Filter the requests by reason"),
        )
        self.reason_filter.setClearButtonEnabled(True)
        self.dates_filter = _combo(
            self.tr("Filter the requests by date"),
            self.tr("Show the requests of the last days only, or of all time"),
            PERIODS,
            DEFAULT_PERIOD,
        )
        for box in (self.route_filter, self.status_filter, self.dates_filter):
            box.currentIndexChanged.connect(self._filters_changed)
        self.reason_filter.textChanged.connect(self._debounce.start)
        for widget in (self.route_filter, self.status_filter, self.dates_filter):
            row.addWidget(widget)
        row.addWidget(self.reason_filter, 1)
        return row

    def _pager(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.range_label = label("", self.tr("Rows shown"))
        self.previous_button = _button(
            self.tr("◀ Pre&vious"),
            self.tr("Previous page of requests"),
            self.tr("Show the hundred requests before these"),
            self.previous_page,
        )
        self.next_button = _button(
            self.tr("&Next ▶"),
            self.tr("Next page of requests"),
            self.tr("Show the hundred requests after these"),
            self.next_page,
        )
        row.addWidget(self.range_label, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        return row

    def _tab_order(self) -> None:
        """Tab goes as the eye does: the period, the share chart and its buckets, the other
        charts and lists, then the table's filters, the table and its pages."""
        chain = (
            self.period_box,
            self.refresh_button,
            self.bucket_box,
            self.share,
            self.latency.chart,
            self.pii.chart,
            self.reasons.escalations,
            self.reasons.fallbacks,
            self.route_filter,
            self.status_filter,
            self.dates_filter,
            self.reason_filter,
            self.table,
            self.previous_button,
            self.next_button,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # reading -------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a read is queued or running."""
        return bool(self._running)

    def refresh(self) -> None:
        """Read everything afresh: the summary, the share chart and the table's page."""
        self._error = ""
        self._load_overview()
        self._load_share()
        self._load_page()

    def changeEvent(self, event: QEvent) -> None:
        """The scheme changed (the system's, or Settings → Colours): the charts are drawn again
        in the new chart theme."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and is_dark() != self._dark:
            self._dark = not self._dark
            if self.state.services.storage_open:
                self.refresh()

    def _since(self) -> str | None:
        since = self.period_box.currentData()
        return str(since) if since else None

    def _run(
        self, kind: str, read: Callable[[sqlite_utils.Database], Any], shown: Callable[[Any], None]
    ) -> None:
        """Run ``read`` on the task pool with a read connection of its own; ``shown`` gets the
        result on the GUI thread unless a newer read of the same kind started meanwhile."""
        services = self.state.services
        if not services.storage_open:
            self._say(self.tr("The history is not open yet: try Refresh in a moment."), error=True)
            return
        generation = self._generation[kind] = self._generation.get(kind, 0) + 1
        self._running.add(kind)
        self._show_status()

        def job() -> Any:
            try:
                return read(services.history().db)
            finally:
                services.close_history()

        self.state.tasks.run(
            job,
            lambda result: self._arrived(kind, generation, result, shown),
            lambda error: self._read_failed(kind, generation, error),
            tag=f"audit-{kind}",
        )

    def _current(self, kind: str, generation: int) -> bool:
        if generation != self._generation.get(kind):
            return False  # a newer read of this kind runs: its result counts
        self._running.discard(kind)
        return True

    def _arrived(
        self, kind: str, generation: int, result: Any, shown: Callable[[Any], None]
    ) -> None:
        if self._current(kind, generation):
            shown(result)
            self._show_status()

    def _read_failed(self, kind: str, generation: int, error: BaseException) -> None:
        if not self._current(kind, generation):
            return
        log.warning("workload audit: the %s read failed", kind, exc_info=error)
        text = error.user_text() if isinstance(error, HybridDesktopError) else _t(FAILED_TEXT)
        self._say(text, error=True)
        self.failed.emit(text)

    def _say(self, text: str, *, error: bool = False) -> None:
        self._error = text if error else ""
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;" if error else "")

    def _show_status(self) -> None:
        if self._running:
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Loading…"))
        elif self._error:
            self._say(self._error, error=True)
        else:
            self.status.setText("")

    def _load_overview(self) -> None:
        settings = self.state.settings
        since = self._since()
        self._run("overview", lambda db: _overview(db, since, settings), self._show_overview)

    def _load_share(self) -> None:
        since, bucket = self._since(), self.bucket_box.currentData()

        def read(db: sqlite_utils.Database) -> tuple[str, list[dict[str, Any]]]:
            return bucket, audit.route_share_over_time(db, bucket, since)

        self._run("share", read, self._show_share)

    def _page_query(self) -> dict[str, Any]:
        return {
            "route": self.route_filter.currentData(),
            "status": self.status_filter.currentData(),
            "reason": self.reason_filter.text().strip() or None,
            "since": self.dates_filter.currentData(),
        }

    def _load_page(self) -> None:
        query, offset = self._page_query(), self.offset

        def read(db: sqlite_utils.Database) -> tuple[int, list[dict[str, Any]], int]:
            rows, total = audit.page(db, **query, offset=offset, limit=PAGE_SIZE)
            return offset, rows, total

        self._run("page", read, self._show_page)

    # showing -------------------------------------------------------------------------------------

    def _show_overview(self, body: dict[str, Any]) -> None:
        self.body = body
        self.stack.setCurrentIndex(0 if body["ever"] else 1)
        for panel in (self.counts, self.latency, self.money, self.pii, self.reasons):
            panel.show_body(body)
        self._offer_statuses(body["statuses"])
        self.overview_shown.emit(body)

    def _offer_statuses(self, statuses: dict[str, int]) -> None:
        """The status filter: All, then the statuses present (the chosen one stays)."""
        chosen = self.status_filter.currentData()
        present = [s for s in STATUSES if s in statuses] + sorted(set(statuses) - set(STATUSES))
        if chosen is not None and chosen not in present:
            present.append(chosen)
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(_t(ALL_STATUSES), None)
        for status in present:
            self.status_filter.addItem(status_label(status), status)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(chosen)))
        self.status_filter.blockSignals(False)

    def _show_share(self, result: tuple[str, list[dict[str, Any]]]) -> None:
        bucket, rows = result
        self.share.show_rows(rows, bucket)
        self.share_note.setText(self.share.note)
        self.share_shown.emit(self.share.shown_categories)

    def _show_page(self, result: tuple[int, list[dict[str, Any]], int]) -> None:
        offset, rows, total = result
        self.offset, self.total = offset, total
        self.model.set_records(rows)
        if rows:
            shown = self.tr("rows {first}–{last} of {total}").format(
                first=f"{offset + 1:,}", last=f"{offset + len(rows):,}", total=f"{total:,}"
            )
        elif total == 0:
            shown = self.tr("No requests match.")
        else:
            shown = self.tr("no rows here, of {total}").format(total=f"{total:,}")
        self.range_label.setText(shown)
        self.previous_button.setEnabled(offset > 0)
        self.next_button.setEnabled(offset + len(rows) < total)
        self.page_shown.emit(total)

    # acting --------------------------------------------------------------------------------------

    def _period_changed(self) -> None:
        self._load_overview()
        self._load_share()
        if self.dates_filter.currentIndex() != self.period_box.currentIndex():
            self.dates_filter.setCurrentIndex(self.period_box.currentIndex())  # reloads the page

    def _filters_changed(self) -> None:
        self._debounce.stop()
        self.offset = 0
        self._load_page()

    def next_page(self) -> None:
        if self.offset + PAGE_SIZE < self.total:
            self.offset += PAGE_SIZE
            self._load_page()

    def previous_page(self) -> None:
        if self.offset > 0:
            self.offset = max(0, self.offset - PAGE_SIZE)
            self._load_page()

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        record = self.model.record(index.row())
        conversation = record.get("conversation_id")
        if conversation is None:
            self._say(
                self.tr("That request was in a private conversation: not kept.")
                if record.get("private")
                else self.tr("That request cannot open: its conversation was deleted.")
            )
            return
        self.conversation_requested.emit(int(conversation), int(record.get("message_id") or 0))

    def _settings_changed(self, new: Settings, old: Settings) -> None:
        changed = (new.cloud_model, new.daily_budget_usd, new.monthly_budget_usd) != (
            old.cloud_model,
            old.daily_budget_usd,
            old.monthly_budget_usd,
        )
        if changed and self.isVisible():
            self._load_overview()


def _overview(db: sqlite_utils.Database, since: str | None, settings: Settings) -> dict[str, Any]:
    """``audit.summary`` over the period, as the CLI's ``audit`` reads it, with ``cloud_model``
    and ``ever`` (how many records there are at all: 0 shows the empty state)."""
    price_in, price_out = price_of(settings.cloud_model)
    body = audit.summary(
        db,
        since,
        price_in_per_mtok=price_in,
        price_out_per_mtok=price_out,
        daily_cap_usd=settings.daily_budget_usd,
        monthly_cap_usd=settings.monthly_budget_usd,
    )
    body["cloud_model"] = settings.cloud_model
    body["ever"] = body["requests"] or audit.page(db, limit=1)[1]
    return body
