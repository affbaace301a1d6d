"""The privacy gate's records: each conversation's placeholder vault, and the audit log of what was
sent off the device.

Both live in the history database (migrations ``m002_privacy_vault`` and ``m003_audit_log``). A
vault row belongs to its conversation and is deleted with it (``ON DELETE CASCADE``); an audit row
outlives it, with its ``conversation_id`` set to NULL. The vault never leaves the device; the audit
log holds only the redacted text that was actually sent.

A :class:`PrivacyStore` uses the connection of the :class:`HistoryStore` (or database) it is given,
so it belongs to the same thread, and that store's writer for its writes. Every write is one
committed transaction. It returns rows and plain values: the vault comes back as its
``(entity type, placeholder, value)`` entries, and core builds its ``Vault`` from them.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from hybrid_desktop.domain import Replacement
from hybrid_desktop.errors import NotFoundError, StorageError
from hybrid_desktop.storage.db import serialised, transaction, utc_now
from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)

AUDIT_STATUSES = ("sent", "failed", "blocked")
AuditStatus = Literal["sent", "failed", "blocked"]
#: One vault entry as stored: (entity type, placeholder, original value).
VaultRow = tuple[str, str, str]
ExportFormat = Literal["jsonl", "csv"]

_AUDIT_COLUMNS = (
    "id",
    "created_at",
    "destination",
    "model",
    "conversation_id",
    "redacted_text",
    "entity_counts",
    "bytes",
    "status",
    "detail",
)
_SELECT_AUDIT = f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit_log"


@dataclass
class AuditEntry:
    """One request that left the device (or was stopped before it could)."""

    id: int
    created_at: str
    destination: str
    model: str | None
    conversation_id: int | None
    redacted_text: str
    entity_counts: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    status: str = "sent"
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "destination": self.destination,
            "model": self.model,
            "conversation_id": self.conversation_id,
            "redacted_text": self.redacted_text,
            "entity_counts": dict(self.entity_counts),
            "bytes": self.bytes,
            "status": self.status,
            "detail": self.detail,
        }

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> AuditEntry:
        values = dict(zip(_AUDIT_COLUMNS, row, strict=True))
        values["entity_counts"] = json.loads(values["entity_counts"] or "{}")
        return cls(**values)


def count_entities(entities: Iterable[Replacement] | Mapping[str, int] | None) -> dict[str, int]:
    """``{entity type: how many}`` from the replacements made, or a ready count."""
    if entities is None:
        return {}
    if isinstance(entities, Mapping):
        counts: dict[str, int] = {}
        for entity_type, n in entities.items():
            if not isinstance(entity_type, str) or isinstance(n, bool) or not isinstance(n, int):
                raise ValueError("Entity counts map type names to whole numbers.")
            if n < 0:
                raise ValueError(f"The count of {entity_type} is negative.")
            if n:
                counts[entity_type] = n
        return dict(sorted(counts.items()))
    return dict(sorted(Counter(r.finding.type for r in entities).items()))


class PrivacyStore:
    def __init__(self, history: HistoryStore | sqlite_utils.Database) -> None:
        """Share the connection of ``history`` (a store or its ``.db``); use it on that thread."""
        if isinstance(history, HistoryStore):
            self.db: sqlite_utils.Database = history.db
            self.writer = history.writer
        else:
            self.db = history
            self.writer = None

    def on(self, history: HistoryStore) -> PrivacyStore:
        return PrivacyStore(history)

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self.db.execute(sql, list(params)).fetchall())
        except sqlite3.Error as exc:
            log.exception("privacy store read failed")
            raise StorageError(f"Could not read the privacy records: {exc}.") from exc

    def _check_conversation(self, conversation_id: int) -> None:
        if not self.db.execute(
            "SELECT 1 FROM conversations WHERE id = ?", [conversation_id]
        ).fetchone():
            raise NotFoundError(f"There is no conversation with id {conversation_id}.")

    # vault ----------------------------------------------------------------------------------

    def vault_rows(self, conversation_id: int) -> list[VaultRow]:
        """The conversation's vault entries in the order they were made (empty if none yet)."""
        rows = self._read(
            "SELECT entity_type, placeholder, value FROM privacy_vault"
            " WHERE conversation_id = ? ORDER BY rowid",
            [conversation_id],
        )
        return [(str(t), str(p), str(v)) for t, p, v in rows]

    @serialised
    def save_vault(self, conversation_id: int, vault: Iterable[VaultRow]) -> int:
        """Store the entries (a ``Vault`` or its rows) not stored yet; returns how many were added.

        Refuses (``StorageError``) if a stored placeholder stands for another value: two copies
        of the vault have diverged, and sending with either could restore the wrong person.
        """
        entries = [(str(t), str(p), str(v)) for t, p, v in vault]
        now = utc_now()
        with transaction(self.db, "privacy mapping") as db:
            self._check_conversation(conversation_id)
            stored = dict(
                self.db.execute(
                    "SELECT placeholder, value FROM privacy_vault WHERE conversation_id = ?",
                    [conversation_id],
                ).fetchall()
            )
            clashes = [p for _, p, v in entries if p in stored and stored[p] != v]
            if clashes:
                raise StorageError(
                    f"The privacy mapping of conversation {conversation_id} was changed "
                    f"elsewhere: {', '.join(clashes)} already stand for other values.",
                    "Reopen the conversation and send the message again.",
                )
            new = [(t, p, v) for t, p, v in entries if p not in stored]
            db.table("privacy_vault").insert_all(
                {
                    "conversation_id": conversation_id,
                    "entity_type": t,
                    "placeholder": p,
                    "value": v,
                    "created_at": now,
                }
                for t, p, v in new
            )
        return len(new)

    # audit log ------------------------------------------------------------------------------

    @serialised
    def add_audit(
        self,
        destination: str,
        redacted_text: str,
        *,
        model: str | None = None,
        conversation_id: int | None = None,
        entities: Iterable[Replacement] | Mapping[str, int] | None = None,
        status: AuditStatus = "sent",
        detail: str | None = None,
    ) -> int:
        """Record one request; returns the entry's id. ``bytes`` is the UTF-8 size of the text."""
        if status not in AUDIT_STATUSES:
            raise ValueError(f"Audit status must be one of {', '.join(AUDIT_STATUSES)}.")
        if not destination:
            raise ValueError("An audit entry needs a destination.")
        counts = count_entities(entities)
        size = len(redacted_text.encode("utf-8"))
        with transaction(self.db, "audit log entry") as db:
            if conversation_id is not None:
                self._check_conversation(conversation_id)
            table = db.table("audit_log").insert(
                {
                    "created_at": utc_now(),
                    "destination": destination,
                    "model": model,
                    "conversation_id": conversation_id,
                    "redacted_text": redacted_text,
                    "entity_counts": json.dumps(counts, sort_keys=True),
                    "bytes": size,
                    "status": status,
                    "detail": detail,
                }
            )
        return int(table.last_pk or 0)

    @serialised
    def set_audit_status(
        self, entry_id: int, status: AuditStatus, detail: str | None = None
    ) -> None:
        """Mark a recorded request as failed (say) once its outcome is known."""
        if status not in AUDIT_STATUSES:
            raise ValueError(f"Audit status must be one of {', '.join(AUDIT_STATUSES)}.")
        with transaction(self.db, "audit log entry") as db:
            if not db.execute("SELECT 1 FROM audit_log WHERE id = ?", [entry_id]).fetchone():
                raise NotFoundError(f"There is no audit log entry with id {entry_id}.", "")
            db.table("audit_log").update(entry_id, {"status": status, "detail": detail})

    def get_audit(self, entry_id: int) -> AuditEntry:
        rows = self._read(f"{_SELECT_AUDIT} WHERE id = ?", [entry_id])
        if not rows:
            raise NotFoundError(f"There is no audit log entry with id {entry_id}.", "")
        return AuditEntry.from_row(rows[0])

    def list_audit(self, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
        """Entries newest first."""
        rows = self._read(
            f"{_SELECT_AUDIT} ORDER BY id DESC LIMIT ? OFFSET ?", [max(limit, 0), max(offset, 0)]
        )
        return [AuditEntry.from_row(row) for row in rows]

    def count_audit(self) -> int:
        return int(self._read("SELECT count(*) FROM audit_log")[0][0])

    def export_audit(self, path: Path | str, fmt: ExportFormat = "jsonl") -> int:
        """Write every entry, oldest first, to ``path`` as JSON Lines or CSV; returns how many.

        The file appears complete or not at all (written beside it, then renamed over it).
        """
        if fmt not in ("jsonl", "csv"):
            raise ValueError("Export format must be 'jsonl' or 'csv'.")
        target = Path(path)
        entries = [AuditEntry.from_row(r) for r in self._read(f"{_SELECT_AUDIT} ORDER BY id")]
        tmp_name: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w",
                encoding="utf-8",
                newline="",
                dir=target.parent,
                prefix=f".{target.name}.",
                suffix=".tmp",
                delete=False,
            ) as out:
                tmp_name = out.name
                if fmt == "jsonl":
                    for entry in entries:
                        out.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
                else:
                    writer = csv.writer(out)
                    writer.writerow(_AUDIT_COLUMNS)
                    for entry in entries:
                        row = entry.to_json()
                        row["entity_counts"] = json.dumps(entry.entity_counts, sort_keys=True)
                        writer.writerow(row[c] for c in _AUDIT_COLUMNS)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp_name, target)
            tmp_name = None
        except OSError as exc:
            raise StorageError(
                f"Could not export the audit log to {target}: {exc.strerror or exc}.",
                "Choose a folder you can write to.",
            ) from exc
        finally:
            if tmp_name is not None:
                Path(tmp_name).unlink(missing_ok=True)
        return len(entries)
