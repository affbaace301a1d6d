"""What leaves the device, shown to the user: the egress preview and the audit log.

The preview shows the user's text with each finding highlighted (hover for its type) and, below,
exactly the text that would be sent. Used on its own (Privacy → Preview) and as the confirmation
before a cloud send when Settings asks for one.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import describe_buttons, described

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.gate import GateVerdict
    from hybrid_desktop.domain import Finding
    from hybrid_desktop.storage.privacy import PrivacyStore

COLOURS = {
    "PERSON": "#fde68a",
    "SECRET": "#fca5a5",
    "EMAIL_ADDRESS": "#bfdbfe",
    "PHONE_NUMBER": "#bbf7d0",
    "STREET_ADDRESS": "#ddd6fe",
    "POSTCODE": "#ddd6fe",
    "LOCATION": "#e9d5ff",
    "ORGANIZATION": "#fed7aa",
    "CUSTOM": "#f9a8d4",
}
DEFAULT_COLOUR = "#fecaca"

#: ``AuditEntry.status`` as the audit log's Status column shows it (translated there).
AUDIT_STATUS_LABELS = {
    "sent": QT_TRANSLATE_NOOP("AuditLogDialog", "sent"),
    "failed": QT_TRANSLATE_NOOP("AuditLogDialog", "failed"),
    "blocked": QT_TRANSLATE_NOOP("AuditLogDialog", "blocked"),
}


def highlight_html(
    text: str, findings: tuple[Finding, ...] | list[Finding], replaced: set[tuple[int, int]]
) -> str:
    """``text`` as HTML with each finding marked; allowed (not replaced) ones are underlined."""
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        parts.append(html.escape(text[position : finding.start]))
        colour = COLOURS.get(finding.type, DEFAULT_COLOUR)
        kept = (finding.start, finding.end) not in replaced
        style = "text-decoration: underline;" if kept else f"background-color: {colour};"
        title = f"{finding.type} ({finding.score:.2f})"
        if kept:
            title = QCoreApplication.translate(
                "EgressPreview", "{finding} — allowed by your policy"
            ).format(finding=title)
        parts.append(
            f'<span style="{style}" title="{html.escape(title)}">'
            f"{html.escape(text[finding.start : finding.end])}</span>"
        )
        position = finding.end
    parts.append(html.escape(text[position:]))
    return (
        "<pre style='white-space: pre-wrap; font-family: sans-serif;'>" + "".join(parts) + "</pre>"
    )


def _summary_html(reason: str, explained: str) -> str:
    return f"<b>{html.escape(reason)}</b><br>{html.escape(explained)}"


class EgressPreview(QDialog):
    """The outgoing text for one request. ``confirm=True`` makes it the send confirmation."""

    SEND, LOCAL = 1, 2

    def __init__(
        self,
        verdict: GateVerdict,
        destination: str | None = None,
        confirm: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("What Would Be Sent") if not confirm else self.tr("Confirm Cloud Send")
        )
        self.resize(760, 560)
        self.verdict = verdict
        layout = QVBoxLayout(self)
        counts = Counter(f.type for f in verdict.replaced)
        explained = (
            self.tr(
                "Highlighted values are replaced by placeholders before anything leaves this "
                "device, and restored in the reply on this device."
            )
            if counts
            else self.tr("No personal data was found: the text below is sent as you typed it.")
        )
        summary = QLabel(_summary_html(verdict.reason, explained))
        summary.setWordWrap(True)
        layout.addWidget(summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        original = QTextBrowser()
        original.setObjectName("original")
        replaced = {(f.start, f.end) for f in verdict.replaced}
        original.setHtml(highlight_html(verdict.original, verdict.findings, replaced))
        described(
            original,
            self.tr("Your message; hover over a highlighted value to see what kind of data it is"),
        )
        splitter.addWidget(self._titled(self.tr("Your message (findings highlighted)"), original))
        outgoing = QPlainTextEdit(verdict.preview if not verdict.blocked else "")
        outgoing.setObjectName("outgoing")
        outgoing.setReadOnly(True)
        outgoing.setPlaceholderText(self.tr("Nothing: this request stays on this device."))
        described(outgoing, self.tr("The text that leaves this device, placeholders and all"))
        title = (
            self.tr("Exactly what would be sent to {destination}").format(
                destination=destination or self.tr("the cloud model")
            )
            if not verdict.blocked
            else self.tr("Nothing would be sent")
        )
        splitter.addWidget(self._titled(title, outgoing))
        layout.addWidget(splitter, 1)
        self.outgoing = outgoing
        self.original = original
        buttons = QDialogButtonBox()
        if confirm and not verdict.blocked:
            send = buttons.addButton(
                self.tr("Send to Cloud"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            described(send, self.tr("Send the text shown above to the cloud model"))
            send.clicked.connect(lambda: self.done(self.SEND))
            local = buttons.addButton(
                self.tr("Answer Locally"), QDialogButtonBox.ButtonRole.ActionRole
            )
            described(local, self.tr("Send nothing: the local model answers"))
            local.clicked.connect(lambda: self.done(self.LOCAL))
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            describe_buttons(buttons, cancel=self.tr("Send nothing and give the message back"))
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
            describe_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title)
        label.setTextFormat(Qt.TextFormat.PlainText)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setBuddy(widget)  # the title names the field for screen readers
        inner.addWidget(label)
        inner.addWidget(widget)
        return box


class AuditLogDialog(QDialog):
    """Every request that left the device: when, where, how many bytes, which entities, the text."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("AuditLogDialog", "Time (UTC)"),
        QT_TRANSLATE_NOOP("AuditLogDialog", "Destination"),
        QT_TRANSLATE_NOOP("AuditLogDialog", "Model"),
        QT_TRANSLATE_NOOP("AuditLogDialog", "Replaced"),
        QT_TRANSLATE_NOOP("AuditLogDialog", "Bytes"),
        QT_TRANSLATE_NOOP("AuditLogDialog", "Status"),
    )

    def __init__(self, store: PrivacyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Privacy Audit Log"))
        self.resize(900, 600)
        self.store = store
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(str(column)) for column in self.COLUMNS])
        described(
            self.table,
            self.tr("Every request that left this device; select one to see its text below"),
            name=self.tr("Requests sent"),
        )
        # No tooltips on the headers: their names and descriptions are for screen readers.
        columns, rows = self.table.horizontalHeader(), self.table.verticalHeader()
        columns.setAccessibleName(self.tr("Column titles"))
        columns.setAccessibleDescription(self.tr("The titles of the columns"))
        rows.setAccessibleName(self.tr("Row numbers"))
        rows.setAccessibleDescription(self.tr("The number of each request"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        splitter.addWidget(self.table)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(self.tr("Select a request to see exactly what was sent."))
        described(
            self.text,
            self.tr("Exactly what was sent for the selected request"),
            name=self.tr("Text sent"),
        )
        splitter.addWidget(self.text)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.status = QLabel()
        row.addWidget(self.status, 1)
        export = described(
            QPushButton(self.tr("Export…")),
            self.tr("Save the audit log to a JSON Lines or CSV file"),
        )
        export.clicked.connect(self._export)
        row.addWidget(export)
        close = described(QPushButton(self.tr("Close")), self.tr("Close this window"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.entries: list = []  # type: ignore[type-arg]
        self.reload()

    def reload(self) -> None:
        try:
            self.entries = self.store.list_audit(limit=1000)
            total = self.store.count_audit()
        except HybridDesktopError as exc:
            self.summary.setText(exc.user_text())
            return
        if not total:
            summary = self.tr("Nothing has been sent from this device.")
        else:
            summary = self.tr("%n request(s) have left this device.", "", total)
            if total > len(self.entries):
                summary += " " + self.tr("The newest %n are shown.", "", len(self.entries))
        self.summary.setText(summary)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            counts = ", ".join(f"{t} {n}" for t, n in sorted(entry.entity_counts.items())) or "—"
            values = (
                entry.created_at[:19].replace("T", " "),
                entry.destination,
                entry.model or "",
                counts,
                str(entry.bytes),
                self.tr(str(AUDIT_STATUS_LABELS.get(entry.status, entry.status))),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def _show_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) == 1:
            self.text.setPlainText(self.entries[rows.pop()].redacted_text)

    def export_to(self, path: Path) -> None:
        self.store.export_audit(path, fmt="csv" if path.suffix.lower() == ".csv" else "jsonl")
        self.status.setText(self.tr("Exported to {path}").format(path=path))

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export Audit Log"),
            str(Path.home() / "hybrid-desktop-audit.jsonl"),
            self.tr("JSON Lines (*.jsonl);;CSV (*.csv)"),
        )
        if path:
            try:
                self.export_to(Path(path))
            except HybridDesktopError as exc:
                self.status.setText(exc.user_text())
