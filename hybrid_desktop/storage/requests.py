"""Request records written on their own: a request that failed before any answer was kept.

A record that has an answer is written with it (``HistoryStore.add_message(..., request=...)``);
the row format is ``storage.request_rows``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hybrid_desktop.storage.db import serialised, transaction
from hybrid_desktop.storage.request_rows import (
    COST_SOURCES,
    GATE_ACTIONS,
    REQUEST_COLUMNS,
    decode,
    insert_request,
    row_of,
)

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import HistoryStore

__all__ = [
    "COST_SOURCES",
    "GATE_ACTIONS",
    "REQUEST_COLUMNS",
    "RequestStore",
    "decode",
    "insert_request",
    "row_of",
]


class RequestStore:
    """Records written on their own (a request that failed with no answer kept). Shares the
    history's connection and writer, like ``storage.usage``."""

    def __init__(self, history: HistoryStore) -> None:
        self.db = history.db
        self.writer = history.writer

    def on(self, history: HistoryStore) -> RequestStore:
        return RequestStore(history)

    @serialised
    def record(self, record: dict[str, Any]) -> int:
        with transaction(self.db, "request record") as db:
            return insert_request(db, record)

    def for_message(self, message_id: int) -> dict[str, Any] | None:
        """The record of the answer ``message_id``, decoded, or None."""
        cursor = self.db.execute(
            "SELECT * FROM requests WHERE message_id = ? ORDER BY id DESC LIMIT 1", [message_id]
        )
        row = cursor.fetchone()
        if row is None:
            return None
        return decode(dict(zip([c[0] for c in cursor.description], row, strict=True)))
