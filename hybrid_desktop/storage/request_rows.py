"""The request record's row: its columns and how a record becomes a row and back. A leaf that
imports nothing from ``storage.db``, so the migration that fills the table can use it.

The request record: one row per request, where it ran and why, what it cost and what the privacy
gate did (migration ``m006_request_records`` has the table; ``storage.audit`` reads it).

A record is written with its answer, in the same transaction (``HistoryStore.add_message(...,
request=...)``), so an answer never lacks its record and a record never points at an answer that
was not stored. A request that failed before any answer was kept has a record of its own
(:meth:`RequestStore.record`). No prompt text is stored here: the prompt is the message
``user_message_id``.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from hybrid_desktop.storage.stamps import utc_now

#: The columns a record may set, besides ``id`` (see the table's DDL in ``storage.migrations``).
REQUEST_COLUMNS: tuple[str, ...] = (
    "created_at",
    "conversation_id",
    "message_id",
    "user_message_id",
    "route",
    "requested",
    "server",
    "model",
    "quantization",
    "reason",
    "signals",
    "fallbacks",
    "fallback_count",
    "escalated",
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "ttft_ms",
    "latency_ms",
    "tokens_per_s",
    "cost_usd",
    "cost_source",
    "pii",
    "pii_count",
    "gate_action",
    "kept_local_by_policy",
    "status",
    "complexity",
    "category",
    "private",
)
_JSON_COLUMNS = ("signals", "fallbacks", "pii")
COST_SOURCES = ("priced", "local_zero_cost", "unpriced")
GATE_ACTIONS = ("none", "sent", "redacted", "blocked", "private")


def row_of(record: dict[str, Any]) -> dict[str, Any]:
    """The table row for ``record``: known columns only, JSON columns encoded, counts derived."""
    unknown = set(record) - set(REQUEST_COLUMNS)
    if unknown:
        raise ValueError(f"unknown request record fields: {sorted(unknown)}")
    row = {k: record[k] for k in REQUEST_COLUMNS if k in record}
    row.setdefault("created_at", utc_now())
    fallbacks = row.get("fallbacks") or []
    pii = row.get("pii") or {}
    row.setdefault("fallback_count", len(fallbacks))
    row.setdefault("pii_count", sum(int(n) for n in pii.values()))
    row["fallbacks"], row["pii"] = fallbacks, pii
    row.setdefault("signals", {})
    for key in _JSON_COLUMNS:
        if not isinstance(row[key], str):
            row[key] = json.dumps(row[key], ensure_ascii=False, sort_keys=True, default=str)
    for key in ("escalated", "kept_local_by_policy", "private"):
        if key in row:
            row[key] = int(bool(row[key]))
    return row


def insert_request(db: sqlite_utils.Database, record: dict[str, Any]) -> int:
    """Insert one record inside the caller's transaction; returns its id."""
    table = db.table("requests").insert(row_of(record))
    return int(table.last_pk or 0)


def decode(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its JSON columns decoded."""
    out = dict(row)
    for key in _JSON_COLUMNS:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out
