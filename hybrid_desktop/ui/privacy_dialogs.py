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

from PySide6.QtCore import Qt
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
        title = f"{finding.type} ({finding.score:.2f}){' — allowed by your policy' if kept else ''}"
        parts.append(
            f'<span style="{style}" title="{html.escape(title)}">'
            f"{html.escape(text[finding.start : finding.end])}</span>"
        )
        position = finding.end
    parts.append(html.escape(text[position:]))
    return (
        "<pre style='white-space: pre-wrap; font-family: sans-serif;'>" + "".join(parts) + "</pre>"
    )


class EgressPreview(QDialog):
    """The outgoing text for one request. ``confirm=True`` makes it the send confirmation."""

    SEND, LOCAL = 1, 2

    def __init__(
        self,
        verdict: GateVerdict,
        destination: str = "the cloud model",
        confirm: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("What Would Be Sent" if not confirm else "Confirm Cloud Send")
        self.resize(760, 560)
        self.verdict = verdict
        layout = QVBoxLayout(self)
        counts = Counter(f.type for f in verdict.replaced)
        summary = QLabel(
            f"<b>{html.escape(verdict.reason)}</b><br>"
            + (
                "Highlighted values are replaced by placeholders before anything leaves this "
                "device, and restored in the reply on this device."
                if counts
                else "No personal data was found: the text below is sent as you typed it."
            )
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        original = QTextBrowser()
        original.setObjectName("original")
        replaced = {(f.start, f.end) for f in verdict.replaced}
        original.setHtml(highlight_html(verdict.original, verdict.findings, replaced))
        splitter.addWidget(self._titled("Your message (findings highlighted)", original))
        outgoing = QPlainTextEdit(verdict.preview if not verdict.blocked else "")
        outgoing.setObjectName("outgoing")
        outgoing.setReadOnly(True)
        outgoing.setPlaceholderText("Nothing: this request stays on this device.")
        title = (
            f"Exactly what would be sent to {destination}"
            if not verdict.blocked
            else "Nothing would be sent"
        )
        splitter.addWidget(self._titled(title, outgoing))
        layout.addWidget(splitter, 1)
        self.outgoing = outgoing
        self.original = original
        buttons = QDialogButtonBox()
        if confirm and not verdict.blocked:
            send = buttons.addButton("Send to Cloud", QDialogButtonBox.ButtonRole.AcceptRole)
            send.clicked.connect(lambda: self.done(self.SEND))
            local = buttons.addButton("Answer Locally", QDialogButtonBox.ButtonRole.ActionRole)
            local.clicked.connect(lambda: self.done(self.LOCAL))
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
        inner.addWidget(widget)
        return box


class AuditLogDialog(QDialog):
    """Every request that left the device: when, where, how many bytes, which entities, the text."""

    COLUMNS = ("Time (UTC)", "Destination", "Model", "Replaced", "Bytes", "Status")

    def __init__(self, store: PrivacyStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Privacy Audit Log")
        self.resize(900, 600)
        self.store = store
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        splitter.addWidget(self.table)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlaceholderText("Select a request to see exactly what was sent.")
        splitter.addWidget(self.text)
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.status = QLabel()
        row.addWidget(self.status, 1)
        export = QPushButton("Export…")
        export.clicked.connect(self._export)
        row.addWidget(export)
        close = QPushButton("Close")
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
        self.summary.setText(
            f"{total} request(s) have left this device."
            + ("" if total <= len(self.entries) else f" The newest {len(self.entries)} are shown.")
            if total
            else "Nothing has been sent from this device."
        )
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            counts = ", ".join(f"{t} {n}" for t, n in sorted(entry.entity_counts.items())) or "—"
            values = (
                entry.created_at[:19].replace("T", " "),
                entry.destination,
                entry.model or "",
                counts,
                str(entry.bytes),
                entry.status,
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
        self.status.setText(f"Exported to {path}")

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export Audit Log",
            str(Path.home() / "hybrid-desktop-audit.jsonl"),
            "JSON Lines (*.jsonl);;CSV (*.csv)",
        )
        if path:
            try:
                self.export_to(Path(path))
            except HybridDesktopError as exc:
                self.status.setText(exc.user_text())
