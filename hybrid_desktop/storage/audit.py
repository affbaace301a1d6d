"""The workload audit: what ran where, what it cost and what the privacy gate did, read from the
request records (``storage.requests``, migration ``m006_request_records``).

Every figure is aggregated by SQLite (GROUP BY, window functions for the percentiles, ``json_each``
for the PII types and the fallbacks), never by a Python loop over all rows, so the CLI (``audit``)
and the dashboard stay quick at 100,000 records. The queries are plain SQLite (JSON functions are
built in), so they run on a plaintext history and on an encrypted (SQLCipher) one alike.

Times: ``since`` is inclusive and ``until`` exclusive. Both take what :func:`to_stamp` takes: a date
``YYYY-MM-DD`` (the start of that local calendar day, as ``storage.usage`` counts budgets), an ISO
time (UTC unless it names its zone), or a relative ``7d`` / ``24h`` / ``30m`` (before now).
Buckets (day, week, month) are local calendar ones too; a week starts on Monday.

This module imports nothing of core: prices come in as arguments (the CLI passes
``core.costs.price_of(settings.cloud_model)``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

import sqlite_utils

from hybrid_desktop.storage.requests import decode
from hybrid_desktop.storage.usage import local_midnight_utc

Bucket = Literal["day", "week", "month"]
ReasonKind = Literal["escalation", "fallback"]
STORED_ROUTES = ("local", "edge", "cloud")
BUCKETS: dict[str, str] = {
    "day": "date(created_at, 'localtime')",
    # 'weekday 0' moves forward to the next Sunday (or stays on one): six days back is Monday.
    "week": "date(created_at, 'localtime', 'weekday 0', '-6 days')",
    "month": "strftime('%Y-%m', created_at, 'localtime')",
}
AVOIDED_NOTE = (
    "an estimate: the prompt and completion tokens answered on this device or an edge server, "
    "priced at the cloud model's rates; the cloud might have used a different number of tokens."
)
#: The router's reasons end with the cost estimate ("...; est. $0.004."): stripped to group them.
_STRIPPED_REASON = (
    "CASE WHEN instr(reason, '; est. ') > 0 THEN substr(reason, 1, instr(reason, '; est. ') - 1)"
    " ELSE reason END"
)
_RELATIVE = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)


def to_stamp(text: str | datetime | None, now: datetime | None = None) -> str | None:
    """A bound as stored timestamps are written (UTC ISO-8601 with ms), so strings compare.
    ValueError when ``text`` is neither a date, an ISO time nor ``N d|h|m``."""
    if text is None:
        return None
    if isinstance(text, datetime):
        when = text if text.tzinfo else text.astimezone()
        return when.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    raw = text.strip()
    relative = _RELATIVE.match(raw)
    if relative:
        n, unit = int(relative.group(1)), relative.group(2).lower()
        span = {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]
        return to_stamp((now or datetime.now(timezone.utc)) - span)
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return to_stamp(datetime.combine(day, time()).astimezone())  # local midnight
        when = datetime.fromisoformat(raw)
        if when.tzinfo is None:  # an ISO time without a zone is UTC, as stored
            when = when.replace(tzinfo=timezone.utc)
    except ValueError:
        raise ValueError(
            f"not a date: {text!r} (use YYYY-MM-DD, an ISO time, or 7d / 24h)"
        ) from None
    return to_stamp(when)


def _where(since: str | None, until: str | None, extra: str = "") -> tuple[str, list[Any]]:
    clauses, params = [], []
    if since is not None:
        clauses.append("created_at >= ?")
        params.append(to_stamp(since))
    if until is not None:
        clauses.append("created_at < ?")
        params.append(to_stamp(until))
    if extra:
        clauses.append(extra)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return list(db.execute(sql, params).fetchall())


def summary(
    db: sqlite_utils.Database,
    since: str | None,
    until: str | None = None,
    *,
    price_in_per_mtok: float = 0.0,
    price_out_per_mtok: float = 0.0,
    daily_cap_usd: float = 0.0,
    monthly_cap_usd: float = 0.0,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``audit --json`` body over the records in [since, until)."""
    since, until = to_stamp(since, now), to_stamp(until, now)  # "7d": one "now" for every part
    where, params = _where(since, until)
    totals = _rows(
        db,
        "SELECT route, COUNT(*),"
        " COALESCE(SUM(CASE WHEN cost_source = 'priced' THEN cost_usd END), 0),"
        " COALESCE(SUM(CASE WHEN cost_source = 'local_zero_cost' THEN cost_usd END), 0),"
        " SUM(cost_source = 'unpriced'), SUM(prompt_tokens), SUM(completion_tokens),"
        " SUM(kept_local_by_policy), SUM(fallback_count), SUM(fallback_count > 0), SUM(escalated)"
        # "+route": a scan beats walking the (route, created_at) index and fetching each row
        f" FROM requests{where} GROUP BY +route",
        params,
    )
    routes = dict.fromkeys(STORED_ROUTES, 0)
    priced = zero = 0.0
    unpriced = kept = fallbacks = fallback_requests = escalations = 0
    off_cloud_in = off_cloud_out = 0
    for route, n, p, z, u, t_in, t_out, k, f, fr, e in totals:
        routes[route] = int(n)
        priced, zero, unpriced = priced + p, zero + z, unpriced + int(u or 0)
        kept, fallbacks = kept + int(k or 0), fallbacks + int(f or 0)
        fallback_requests, escalations = fallback_requests + int(fr or 0), escalations + int(e or 0)
        if route in ("local", "edge"):
            off_cloud_in, off_cloud_out = (
                off_cloud_in + int(t_in or 0),
                off_cloud_out + int(t_out or 0),
            )
    total = sum(routes.values())
    avoided = (off_cloud_in * price_in_per_mtok + off_cloud_out * price_out_per_mtok) / 1_000_000
    percentiles = latency_percentiles(db, since, until)
    return {
        "since": to_stamp(since),
        "until": to_stamp(until),
        "requests": total,
        "routes": routes,
        "route_share": {r: (round(n / total, 4) if total else 0.0) for r, n in routes.items()},
        "cost_usd": round(priced, 8),
        "cost_by_source": {
            "priced": round(priced, 8),
            "local_zero_cost": round(zero, 8),
            "unpriced": unpriced,
        },
        "estimated_cost_avoided_usd": round(avoided, 8),
        "estimated_cost_avoided_note": AVOIDED_NOTE,
        "latency_ms": percentiles["latency_ms"],
        "ttft_ms": percentiles["ttft_ms"],
        "pii": pii_by_type(db, since, until),
        "kept_local_by_policy": kept,
        "gate_actions": _counts(db, "gate_action", since, until),
        "statuses": _counts(db, "status", since, until),
        "fallbacks": fallbacks,
        "fallback_requests": fallback_requests,
        "escalations": escalations,
        "top_reasons": {
            "escalation": top_reasons(db, "escalation", since, until),
            "fallback": top_reasons(db, "fallback", since, until),
        },
        "budget": budget(db, daily_cap_usd, monthly_cap_usd, now),
    }


def budget(
    db: sqlite_utils.Database,
    daily_cap_usd: float,
    monthly_cap_usd: float,
    now: datetime | None = None,
) -> dict[str, float]:
    """The caps (0 = none) and the priced spend of this local day and month so far."""
    now = now or datetime.now(timezone.utc)

    def spent(since: str) -> float:
        sql = (
            "SELECT COALESCE(SUM(cost_usd), 0) FROM requests"
            " WHERE created_at >= ? AND cost_source = 'priced'"
        )
        return round(float(db.execute(sql, [since]).fetchone()[0]), 8)

    return {
        "daily_cap_usd": float(daily_cap_usd),
        "monthly_cap_usd": float(monthly_cap_usd),
        "spent_today_usd": spent(local_midnight_utc(now)),
        "spent_month_usd": spent(local_midnight_utc(now, month=True)),
    }


def _counts(
    db: sqlite_utils.Database, column: str, since: str | None, until: str | None
) -> dict[str, int]:
    assert column in ("gate_action", "status", "route")
    where, params = _where(since, until)
    sql = f"SELECT {column}, COUNT(*) FROM requests{where} GROUP BY {column} ORDER BY {column}"
    return {str(k): int(n) for k, n in _rows(db, sql, params)}


def _percentiles(
    db: sqlite_utils.Database, column: str, since: str | None, until: str | None
) -> dict[str, dict[str, Any]]:
    """Nearest-rank p50 and p95 per route (rank ceil(p * n)), over rows with a measured value
    that did not fail."""
    assert column in ("latency_ms", "ttft_ms")
    where, params = _where(since, until, f"{column} IS NOT NULL AND status != 'error'")
    # One sort per route (a named window shared by the rank and the count); only the (at most
    # six) rows at the two ranks come back.
    sql = (
        "SELECT route, n, rn, v FROM ("
        f"  SELECT route, {column} AS v, ROW_NUMBER() OVER w AS rn,"
        "   COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n"
        f"  FROM requests{where} WINDOW w AS (PARTITION BY +route ORDER BY {column})"
        ") WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 95 + 99) / 100"
    )
    out: dict[str, dict[str, Any]] = {r: {"p50": None, "p95": None, "n": 0} for r in STORED_ROUTES}
    for route, n, rn, value in _rows(db, sql, params):
        entry = out[route]
        entry["n"] = int(n)
        if rn == (n * 50 + 99) // 100:
            entry["p50"] = value
        if rn == (n * 95 + 99) // 100:
            entry["p95"] = value
    return out


def latency_percentiles(
    db: sqlite_utils.Database, since: str | None, until: str | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{"latency_ms": {route: {p50, p95, n}}, "ttft_ms": {...}}``."""
    return {
        "latency_ms": _percentiles(db, "latency_ms", since, until),
        "ttft_ms": _percentiles(db, "ttft_ms", since, until),
    }


def pii_by_type(
    db: sqlite_utils.Database, since: str | None, until: str | None = None
) -> dict[str, int]:
    """``{entity type: findings}`` summed over the records' ``pii`` objects, most found first."""
    where, params = _where(since, until, "pii_count > 0")
    sql = (
        "SELECT je.key, SUM(je.value) AS n FROM (SELECT pii FROM requests"
        f"{where}) AS r, json_each(r.pii) AS je GROUP BY je.key ORDER BY n DESC, je.key"
    )
    return {str(k): int(n) for k, n in _rows(db, sql, params)}


def top_reasons(
    db: sqlite_utils.Database,
    kind: ReasonKind,
    since: str | None,
    until: str | None = None,
    limit: int = 8,
) -> list[dict[str, Any]]:
    """The commonest reasons: ``escalation`` — the router's sentence (cost estimate stripped) on
    requests it sent to the cloud or an edge server by itself (requested ``auto``); ``fallback`` —
    the error of every fallback taken."""
    if kind == "escalation":
        where, params = _where(
            since, until, "route IN ('cloud', 'edge') AND requested = 'auto' AND reason IS NOT NULL"
        )
        sql = (
            f"SELECT {_STRIPPED_REASON} AS why, COUNT(*) AS n FROM requests{where}"
            " GROUP BY why ORDER BY n DESC, why LIMIT ?"
        )
    elif kind == "fallback":
        where, params = _where(since, until, "fallback_count > 0")
        sql = (
            "SELECT COALESCE(json_extract(je.value, '$.error'), '') AS why, COUNT(*) AS n"
            f" FROM (SELECT fallbacks FROM requests{where}) AS r, json_each(r.fallbacks) AS je"
            " GROUP BY why ORDER BY n DESC, why LIMIT ?"
        )
    else:
        raise ValueError(f"unknown reason kind: {kind!r}")
    return [{"reason": why, "count": int(n)} for why, n in _rows(db, sql, [*params, limit])]


def route_share_over_time(
    db: sqlite_utils.Database, bucket: Bucket, since: str | None, until: str | None = None
) -> list[dict[str, Any]]:
    """Requests per route per local day, week (its Monday) or month, oldest first:
    ``[{"bucket", "local", "edge", "cloud", "total"}]``."""
    key = BUCKETS[bucket]
    where, params = _where(since, until)
    sql = (
        f"SELECT {key} AS b, SUM(route = 'local'), SUM(route = 'edge'), SUM(route = 'cloud'),"
        f" COUNT(*) FROM requests{where} GROUP BY b ORDER BY b"
    )
    return [
        {"bucket": b, "local": int(lo), "edge": int(ed), "cloud": int(cl), "total": int(n)}
        for b, lo, ed, cl, n in _rows(db, sql, params)
    ]


def spend_over_time(
    db: sqlite_utils.Database, bucket: Bucket, since: str | None, until: str | None = None
) -> list[dict[str, Any]]:
    """Priced spend per local bucket, oldest first: ``[{"bucket", "cost_usd", "requests"}]``
    (``requests``: the priced ones)."""
    key = BUCKETS[bucket]
    where, params = _where(since, until, "cost_source = 'priced'")
    sql = f"SELECT {key} AS b, SUM(cost_usd), COUNT(*) FROM requests{where} GROUP BY b ORDER BY b"
    return [
        {"bucket": b, "cost_usd": round(float(c), 8), "requests": int(n)}
        for b, c, n in _rows(db, sql, params)
    ]


def page(
    db: sqlite_utils.Database,
    *,
    route: str | None = None,
    status: str | None = None,
    reason: str | None = None,
    since: str | None = None,
    until: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[dict[str, Any]], int]:
    """One page of records, newest first, and how many match. ``reason`` is a case-insensitive
    substring of the router's reason."""
    extra, params = [], []
    if route is not None:
        extra.append("route = ?")
        params.append(route)
    if status is not None:
        extra.append("status = ?")
        params.append(status)
    if reason:
        extra.append("instr(lower(COALESCE(reason, '')), lower(?)) > 0")
        params.append(reason)
    where, time_params = _where(since, until, " AND ".join(extra))
    all_params = [*time_params, *params]
    total = int(db.execute(f"SELECT COUNT(*) FROM requests{where}", all_params).fetchone()[0])
    cursor = db.execute(
        f"SELECT * FROM requests{where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
        [*all_params, max(1, int(limit)), max(0, int(offset))],
    )
    names = [c[0] for c in cursor.description]
    return [decode(dict(zip(names, row, strict=True))) for row in cursor.fetchall()], total


_SENT_JSON = """json_group_array(json_object(
        'created_at', a.created_at, 'destination', a.destination, 'model', a.model,
        'status', a.status, 'text', a.redacted_text))"""
_EDGE_SERVER = (
    "CASE WHEN json_valid(a.redacted_text) THEN json_extract(a.redacted_text, '$.server') END"
)
#: The audit rows of a request: written (before anything left) after the previous record of
#: the same conversation and no later than this one. See :func:`iter_rows`. A request with no
#: conversation looks along the time index (there may be many such audit rows), the others along
#: their conversation's.
_EXPORT_SQL = f"""
WITH r AS (
    SELECT *, LAG(created_at) OVER (
        PARTITION BY conversation_id ORDER BY created_at, id
    ) AS previous_at FROM requests
)
SELECT r.*, CASE WHEN r.conversation_id IS NOT NULL THEN (
    SELECT {_SENT_JSON} FROM (
        SELECT * FROM audit_log a INDEXED BY audit_log_by_conversation
        WHERE a.conversation_id = r.conversation_id
          AND a.created_at <= r.created_at
          AND (r.previous_at IS NULL OR a.created_at > r.previous_at)
        ORDER BY a.created_at, a.id
    ) AS a
) ELSE (
    SELECT {_SENT_JSON} FROM (
        SELECT * FROM audit_log a INDEXED BY audit_log_by_time
        WHERE a.created_at <= r.created_at
          AND (r.previous_at IS NULL OR a.created_at > r.previous_at)
          AND a.conversation_id IS NULL
          AND (({_EDGE_SERVER} IS NULL AND (r.route = 'cloud' OR EXISTS (
                   SELECT 1 FROM json_each(r.fallbacks) f
                   WHERE json_extract(f.value, '$.route') = 'cloud')))
            OR ({_EDGE_SERVER} IS NOT NULL AND (r.route = 'edge' OR EXISTS (
                   SELECT 1 FROM json_each(r.fallbacks) f
                   WHERE json_extract(f.value, '$.route') = 'edge'))))
        ORDER BY a.created_at, a.id
    ) AS a
) END AS sent
FROM r{{where}} ORDER BY r.created_at, r.id
"""


def iter_rows(
    db: sqlite_utils.Database, since: str | None, until: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every record in [since, until), oldest first, streamed, each with ``sent``: what left the
    device for it, as the audit log holds it (a list of ``{created_at, destination, model,
    status, text}``, empty when nothing left).

    A request's audit rows are matched by conversation and time: the rows of its conversation
    written after the conversation's previous record and no later than its own (an audit row is
    written before the request leaves, the record after the answer). A private request (or one
    whose conversation was deleted) has no conversation id: its audit rows are those with none,
    in the same window between such records, whose destination matches a route it tried (its
    route or a fallback's): an edge row names its server in the text sent, a cloud row does not.
    """
    where, params = _where(since, until)
    sql = _EXPORT_SQL.replace("{where}", where.replace("created_at", "r.created_at"))
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    while True:
        batch = cursor.fetchmany(500)
        if not batch:
            return
        for row in batch:
            record = decode(dict(zip(names, row, strict=True)))
            record.pop("previous_at", None)
            record["sent"] = json.loads(record["sent"] or "[]")
            yield record
