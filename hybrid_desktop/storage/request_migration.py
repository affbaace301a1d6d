"""Filling the request records (``storage.requests``) from a history made before they existed.

Each stored answer becomes a record: its route, model, reason and the figures its ``meta`` kept
(tokens, first token, decode speed, total time, cost, the edge server). The prompt is the user
message before it in the conversation. Then each ``usage`` row (a priced cloud or edge request)
is matched to the record of the answer it paid for: same conversation, a cloud or edge answer
stored within a minute after it, nearest first. Its tokens and cost replace the answer's. A usage
row that matches no answer (the answer was never stored, or its conversation was deleted) becomes
a record of its own, with no message.

What older histories never kept is left empty, never guessed: the router's signals, the requested
route, the gate's findings (``gate_action`` says ``sent`` for a cloud or edge answer without
findings on record and ``none`` for a local one) and the fallbacks.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from hybrid_desktop.storage.request_rows import insert_request

#: A usage row is written just before its answer is stored; this is the most they may differ.
MATCH_WINDOW = timedelta(minutes=1)


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _record_of_message(row: tuple[Any, ...]) -> dict[str, Any]:
    mid, cid, status, created, route, reason, model, meta_text, user_id = row
    try:
        meta = json.loads(meta_text) if meta_text else {}
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    server: str | None
    route = route if route in ("local", "edge", "cloud") else "local"
    cost = _float(meta.get("cost_usd")) or 0.0
    if route == "local":
        source, server = "local_zero_cost", "this device"
    elif route == "edge":
        source, server = ("priced" if cost else "local_zero_cost"), meta.get("edge_server")
    else:
        source, server = ("priced" if cost else "unpriced"), "anthropic"
    return {
        "created_at": created,
        "conversation_id": cid,
        "message_id": mid,
        "user_message_id": user_id,
        "route": route,
        "server": server,
        "model": model,
        "reason": reason,
        "prompt_tokens": int(meta.get("prompt_tokens") or 0),
        "completion_tokens": int(meta.get("completion_tokens") or 0),
        "cached_tokens": int(meta.get("cached_tokens") or 0),
        "ttft_ms": _float(meta.get("ttft_ms")),
        "latency_ms": _float(meta.get("total_ms")),
        "tokens_per_s": _float(meta.get("tokens_per_s")),
        "cost_usd": cost,
        "cost_source": source,
        "gate_action": "none" if route == "local" else "sent",
        "status": status if status in ("complete", "stopped", "partial", "error") else "complete",
    }


def migrate_existing(db: sqlite_utils.Database) -> int:
    """Make the records of an older history's answers and usage rows; returns how many."""
    rows = db.execute(
        "SELECT m.id, m.conversation_id, m.status, m.created_at, m.route, m.reason, m.model,"
        " m.meta, (SELECT max(u.id) FROM messages u WHERE u.conversation_id = m.conversation_id"
        "  AND u.role = 'user' AND u.id < m.id)"
        " FROM messages m WHERE m.role = 'assistant' ORDER BY m.id"
    ).fetchall()
    records = [_record_of_message(row) for row in rows]
    # The answers a usage row may have paid for, by conversation.
    paid: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        if record["route"] != "local" and record["conversation_id"] is not None:
            paid.setdefault(record["conversation_id"], []).append(record)
    orphans = []
    for usage in db.execute(
        "SELECT created_at, model, input_tokens, output_tokens, cost_usd, latency_ms, status,"
        " conversation_id FROM usage ORDER BY id"
    ).fetchall():
        created, model, tokens_in, tokens_out, cost, latency, status, cid = usage
        match = None
        when = _time(created)
        candidates = [
            r
            for r in paid.get(cid, [])
            if not r.get("_usage") and timedelta(0) <= _time(r["created_at"]) - when <= MATCH_WINDOW
        ]
        if candidates:
            match = min(candidates, key=lambda r: _time(r["created_at"]) - when)
        edge = " @ " in (model or "")
        if match is None:
            orphans.append(
                {
                    "created_at": created,
                    "conversation_id": cid,
                    "route": "edge" if edge else "cloud",
                    "server": model.split(" @ ", 1)[1] if edge else "anthropic",
                    "model": model.split(" @ ", 1)[0] if edge else model,
                    "prompt_tokens": int(tokens_in or 0),
                    "completion_tokens": int(tokens_out or 0),
                    "latency_ms": _float(latency),
                    "cost_usd": float(cost or 0.0),
                    "cost_source": "priced",
                    "gate_action": "sent",
                    "status": "complete" if status == "ok" else "error",
                }
            )
            continue
        match["_usage"] = True
        match.update(
            prompt_tokens=int(tokens_in or 0),
            completion_tokens=int(tokens_out or 0),
            cost_usd=float(cost or 0.0),
            cost_source="priced",
        )
    for record in records:
        record.pop("_usage", None)
        insert_request(db, record)
    for record in orphans:
        insert_request(db, record)
    return len(records) + len(orphans)
