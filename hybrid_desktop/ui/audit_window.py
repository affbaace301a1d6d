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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
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
from hybrid_desktop.ui.audit_charts import (
    LatencyPanel,
    MoneyPanel,
    PiiPanel,
    ReasonsPanel,
    RouteCounts,
    RouteShareChart,
    group,
    label,
    money,
)

if TYPE_CHECKING:
    import sqlite_utils

    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)

TITLE = "Workload Audit"
PAGE_SIZE = 100
REASON_DEBOUNCE_MS = 250
#: The period choices (of the summary, the charts and the table's dates): label, ``since``.
PERIODS = (
    ("Last 7 days", "7d"),
    ("Last 30 days", "30d"),
    ("Last 90 days", "90d"),
    ("All time", None),
)
DEFAULT_PERIOD = 1
BUCKET_CHOICES = (("Day", "day"), ("Week", "week"), ("Month", "month"))
ROUTE_FILTERS = (("All routes", None), ("Local", "local"), ("Edge", "edge"), ("Cloud", "cloud"))
STATUSES = ("complete", "stopped", "partial", "error")
COLUMNS = ("Time", "Route", "Server / model", "Status", "Reason", "Tokens", "Latency ms", "Cost")
NUMERIC_COLUMNS = (5, 6, 7)
REASON_COLUMN = 4
EMPTY_TEXT = "No requests yet: ask something and it shows here."
PRIVATE_TIP = "a private conversation: not kept"
DELETED_TIP = "its conversation was deleted"
OPEN_TIP = "Enter or double-click opens the conversation"
FAILED_TEXT = "The workload audit could not be read; details are in the log file."


def local_time(stamp: str) -> str:
    """A stored UTC time as local ``YYYY-MM-DD HH:MM``."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(stamp)


def _cost_text(record: dict[str, Any]) -> str:
    source = record.get("cost_source")
    if source == "unpriced":
        return "unpriced"
    if source == "local_zero_cost" and not record.get("cost_usd"):
        return "free"
    return money(float(record.get("cost_usd") or 0))


def cell_text(record: dict[str, Any], column: int) -> str:
    """What the table shows for ``record`` in ``column`` (see :data:`COLUMNS`)."""
    if column == 0:
        return local_time(record["created_at"])
    if column == 1:
        return str(record["route"])
    if column == 2:
        return " / ".join(str(p) for p in (record.get("server"), record.get("model")) if p)
    if column == 3:
        return str(record["status"])
    if column == REASON_COLUMN:
        return str(record.get("reason") or "")
    if column == 5:
        return f"{int(record['prompt_tokens']) + int(record['completion_tokens']):,}"
    if column == 6:
        latency = record.get("latency_ms")
        return "—" if latency is None else f"{latency:,.0f}"
    return _cost_text(record)


def row_tooltip(record: dict[str, Any], column: int) -> str:
    if record.get("conversation_id") is None:
        return PRIVATE_TIP if record.get("private") else DELETED_TIP
    if column == REASON_COLUMN and record.get("reason"):
        return f"{record['reason']}\n{OPEN_TIP}"
    if column == 5:
        return f"{record['prompt_tokens']:,} prompt + {record['completion_tokens']:,} completion"
    return OPEN_TIP


class RequestsModel(QAbstractTableModel):
    """One page of request records (``audit.page``'s decoded rows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[dict[str, Any]] = []

    def set_records(self, records: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.records = records
        self.endResetModel()

    def record(self, row: int) -> dict[str, Any]:
        return self.records[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        record, column = self.records[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row_tooltip(record, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _combo(name: str, choices: tuple[tuple[str, Any], ...], current: int = 0) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for text, value in choices:
        box.addItem(text, value)
    box.setCurrentIndex(current)
    return box


def _button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
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
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
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
        self.empty = label(EMPTY_TEXT, "No requests yet")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        state.settings_changed.connect(self._settings_changed)
        self.refresh()

    # layout --------------------------------------------------------------------------------------

    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.period_box = _combo("Period of the summary and charts", PERIODS, DEFAULT_PERIOD)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.refresh_button = _button("&Refresh", "Refresh the audit", self.refresh)
        self.status = label("", "Audit status", wrap=True)
        period = label("&Period:")
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
        self.bucket_box = _combo("Requests per day, week or month", BUCKET_CHOICES)
        self.bucket_box.currentIndexChanged.connect(self._load_share)
        per = label("Sho&w per:")
        per.setBuddy(self.bucket_box)
        self.share_note = label("", "Which buckets the chart shows")
        box = group("Share of requests per route", self.share)
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
        self.table.setAccessibleName("Requests")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((120, 56, 250, 72, 0, 64, 80, 70)):
            if width:
                self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._activate)
        box = group("Requests", self.table)
        layout = box.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, self._filters())
        layout.addLayout(self._pager())
        return box

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.route_filter = _combo("Filter the requests by route", ROUTE_FILTERS)
        self.status_filter = _combo("Filter the requests by status", (("All statuses", None),))
        self.reason_filter = QLineEdit()
        self.reason_filter.setPlaceholderText("Reason contains…")
        self.reason_filter.setAccessibleName("Filter the requests by reason")
        self.reason_filter.setClearButtonEnabled(True)
        self.dates_filter = _combo("Filter the requests by date", PERIODS, DEFAULT_PERIOD)
        for box in (self.route_filter, self.status_filter, self.dates_filter):
            box.currentIndexChanged.connect(self._filters_changed)
        self.reason_filter.textChanged.connect(self._debounce.start)
        for widget in (self.route_filter, self.status_filter, self.dates_filter):
            row.addWidget(widget)
        row.addWidget(self.reason_filter, 1)
        return row

    def _pager(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.range_label = label("", "Rows shown")
        self.previous_button = _button(
            "◀ Pre&vious", "Previous page of requests", self.previous_page
        )
        self.next_button = _button("&Next ▶", "Next page of requests", self.next_page)
        row.addWidget(self.range_label, 1)
        row.addWidget(self.previous_button)
        row.addWidget(self.next_button)
        return row

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
            self._say("The history is not open yet: try Refresh in a moment.", error=True)
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
        text = error.user_text() if isinstance(error, HybridDesktopError) else FAILED_TEXT
        self._say(text, error=True)
        self.failed.emit(text)

    def _say(self, text: str, *, error: bool = False) -> None:
        self._error = text if error else ""
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;" if error else "")

    def _show_status(self) -> None:
        if self._running:
            self.status.setStyleSheet("")
            self.status.setText("Loading…")
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
        self.status_filter.addItem("All statuses", None)
        for status in present:
            self.status_filter.addItem(status.capitalize(), status)
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
            self.range_label.setText(f"rows {offset + 1:,}–{offset + len(rows):,} of {total:,}")
        else:
            self.range_label.setText(
                "No requests match." if total == 0 else f"no rows here, of {total:,}"
            )
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
                f"That request was in {PRIVATE_TIP}."
                if record.get("private")
                else f"That request cannot open: {DELETED_TIP}."
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
