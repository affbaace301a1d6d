"""The Workload Audit window's table of requests (``ui.audit_window``): one page of
``audit.page``'s decoded rows, its cells and tooltips in the user's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QWidget

from hybrid_desktop.ui.audit_words import money, word

#: English source strings, translated where they are shown (``_t``).
COLUMNS = (
    str(QT_TRANSLATE_NOOP("AuditTable", "Time")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Route")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Server / model")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Status")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Reason")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Tokens")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Latency ms")),
    str(QT_TRANSLATE_NOOP("AuditTable", "Cost")),
)
NUMERIC_COLUMNS = (5, 6, 7)
REASON_COLUMN = 4
PRIVATE_TIP = str(QT_TRANSLATE_NOOP("AuditTable", "a private conversation: not kept"))
DELETED_TIP = str(QT_TRANSLATE_NOOP("AuditTable", "its conversation was deleted"))
OPEN_TIP = str(QT_TRANSLATE_NOOP("AuditTable", "Enter or double-click opens the conversation"))


def _t(text: str) -> str:
    return QCoreApplication.translate("AuditTable", text)


def local_time(stamp: str) -> str:
    """A stored UTC time as local ``YYYY-MM-DD HH:MM``."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(stamp)


def _cost_text(record: dict[str, Any]) -> str:
    source = record.get("cost_source")
    if source == "unpriced":
        return QCoreApplication.translate("AuditTable", "unpriced")
    if source == "local_zero_cost" and not record.get("cost_usd"):
        return QCoreApplication.translate("AuditTable", "free")
    return money(float(record.get("cost_usd") or 0))


def cell_text(record: dict[str, Any], column: int) -> str:
    """What the table shows for ``record`` in ``column`` (see :data:`COLUMNS`)."""
    if column == 0:
        return local_time(record["created_at"])
    if column == 1:
        return word(str(record["route"]))
    if column == 2:
        return " / ".join(str(p) for p in (record.get("server"), record.get("model")) if p)
    if column == 3:
        return word(str(record["status"]))
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
        return _t(PRIVATE_TIP) if record.get("private") else _t(DELETED_TIP)
    if column == REASON_COLUMN and record.get("reason"):
        return f"{record['reason']}\n{_t(OPEN_TIP)}"
    if column == 5:
        return QCoreApplication.translate(
            "AuditTable", "{prompt} prompt + {completion} completion"
        ).format(
            prompt=f"{record['prompt_tokens']:,}", completion=f"{record['completion_tokens']:,}"
        )
    return _t(OPEN_TIP)


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
            return _t(COLUMNS[section])
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
