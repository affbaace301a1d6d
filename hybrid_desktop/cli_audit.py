"""``hybrid-desktop audit``: what ran where, what it cost and what left the device.

    hybrid-desktop audit [--since DATE] [--until DATE] [--json]
    hybrid-desktop audit export (--csv | --jsonl) FILE [--since DATE] [--until DATE]
    hybrid-desktop audit simulate ...        (cli_audit_simulate)

``audit --json`` prints one object (``storage.audit.summary``): ``since``, ``until``, ``requests``,
``routes`` and ``route_share`` per route, ``cost_usd``, ``cost_by_source``,
``estimated_cost_avoided_usd`` with its ``estimated_cost_avoided_note``, ``latency_ms`` and
``ttft_ms`` (``{route: {p50, p95, n}}``), ``pii`` (per entity type), ``kept_local_by_policy``,
``gate_actions``, ``statuses``, ``fallbacks``, ``fallback_requests``, ``escalations``,
``top_reasons`` (``escalation`` and ``fallback`` lists of ``{reason, count}``) and ``budget``.
The cost avoided prices the local and edge tokens at the settings' ``cloud_model`` rates.

``audit export`` writes every record (oldest first) atomically: JSON Lines, one record a line, or
CSV with a header row, ``signals``, ``pii``, ``fallbacks`` and ``sent`` as JSON in their cells.
``sent`` is what left the device for that request, from the audit log
(``storage.audit.iter_rows`` says how rows are matched). No prompt text is exported: the prompt is
``user_message_id``'s message.

DATE is ``YYYY-MM-DD`` (local midnight), an ISO time (UTC unless it says otherwise) or a span back
from now (``7d``, ``24h``); ``--since`` is inclusive, ``--until`` exclusive. Exit 0, also with an
empty history.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_audit_simulate import add_range
from hybrid_desktop.cli_output import emit_json, printable

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services

ROUTE_ORDER = ("local", "edge", "cloud")
_JSON_CELLS = ("signals", "pii", "fallbacks", "sent")


def add_audit_parser(commands: Any) -> None:
    """Add ``audit`` (with ``export`` and ``simulate``) to the top-level commands."""
    audit = commands.add_parser(
        "audit",
        help="what ran where, what it cost, and what left this device",
        description="Counts per route, cost, the estimated cloud cost avoided, latency "
        "percentiles per route, PII findings and the top reasons, from the request records.",
    )
    add_range(audit)
    audit.add_argument("--json", action="store_true", help="one JSON object")
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write every request record to a CSV or JSON Lines file",
        description="Write every request record, with what was sent off the device for it, to "
        "FILE (atomically). The prompt text is not in it.",
    )
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--csv", action="store_true", help="CSV with a header row")
    kind.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    export.add_argument("file", type=Path, metavar="FILE")
    add_range(export)
    from hybrid_desktop.cli_audit_simulate import add_parser

    add_parser(actions)  # simulate


def run_audit(args: argparse.Namespace, services: Services) -> int:
    # --since/--until may come before or after the action: whichever was given counts.
    for name in ("since", "until"):
        if not hasattr(args, name):
            setattr(args, name, None)
    if args.audit_command == "simulate":
        from hybrid_desktop.cli_audit_simulate import run

        return run(args, services)
    store = services.history()
    if args.audit_command == "export":
        return _export(args, store.db)
    from hybrid_desktop.core.costs import price_of
    from hybrid_desktop.storage.audit import summary

    settings = services.settings
    price_in, price_out = price_of(settings.cloud_model)
    body = summary(
        store.db,
        args.since,
        args.until,
        price_in_per_mtok=price_in,
        price_out_per_mtok=price_out,
        daily_cap_usd=settings.daily_budget_usd,
        monthly_cap_usd=settings.monthly_budget_usd,
    )
    body["cloud_model"] = settings.cloud_model
    if args.json:
        emit_json(body)
    else:
        print(render(body))
    return 0


def _export(args: argparse.Namespace, db: Any) -> int:
    from hybrid_desktop.storage.audit import iter_rows
    from hybrid_desktop.storage.export import write_atomically

    counted = _Counted(iter_rows(db, args.since, args.until))
    chunks = csv_chunks(counted) if args.csv else jsonl_chunks(counted)
    write_atomically(args.file, chunks)
    noun = "record" if counted.n == 1 else "records"
    print(f"Exported {counted.n} request {noun} to {args.file}.")
    return 0


class _Counted:
    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            self.n += 1
            yield row


def jsonl_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n"


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A header row, then one row per record; JSON values in the JSON columns, empty for None."""
    from hybrid_desktop.storage.requests import REQUEST_COLUMNS

    columns = ["id", *REQUEST_COLUMNS, "sent"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                json.dumps(row.get(c), ensure_ascii=False) if c in _JSON_CELLS else row.get(c)
                for c in columns
            ]
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def render(body: dict[str, Any]) -> str:
    """The summary as a short readable table."""
    n = body["requests"]
    span = f"since {_day(body['since'])}" if body["since"] else "all time"
    if body["until"]:
        span += f", until {_day(body['until'])}"
    lines = [f"Workload audit ({span}): {n} request{'s' if n != 1 else ''}"]
    lines.append("")
    lines.append(f"  {'route':<7}{'requests':>9}{'share':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for route in ROUTE_ORDER:
        lat = body["latency_ms"][route]
        lines.append(
            f"  {route:<7}{body['routes'][route]:>9}{body['route_share'][route] * 100:>7.1f}%"
            f"{_ms(lat['p50']):>10}{_ms(lat['p95']):>10}"
        )
    lines.append("")
    unpriced = body["cost_by_source"]["unpriced"]
    cost = f"  Cloud spend: ${body['cost_usd']:.4f}"
    if unpriced:
        cost += f" (and {unpriced} unpriced request{'s' if unpriced != 1 else ''})"
    lines.append(cost)
    lines.append(
        f"  Estimated cloud cost avoided: ${body['estimated_cost_avoided_usd']:.4f} "
        f"(an estimate, at {body.get('cloud_model', 'the cloud model')}'s rates)"
    )
    b = body["budget"]
    lines.append(
        f"  Budget: today ${b['spent_today_usd']:.4f} of {_cap(b['daily_cap_usd'])}, "
        f"this month ${b['spent_month_usd']:.4f} of {_cap(b['monthly_cap_usd'])}"
    )
    pii = ", ".join(f"{k} {v}" for k, v in body["pii"].items()) or "none"
    lines.append(
        f"  PII found: {pii}; kept on this device by policy: {body['kept_local_by_policy']}"
    )
    lines.append(
        f"  Fallbacks: {body['fallbacks']}; escalations to the cloud: {body['escalations']}"
    )
    statuses = ", ".join(f"{k} {v}" for k, v in body["statuses"].items()) or "none"
    lines.append(f"  Statuses: {statuses}")
    for kind, title in (("escalation", "Top escalation reasons"), ("fallback", "Top fallbacks")):
        reasons = body["top_reasons"][kind][:5]
        if reasons:
            lines.append(f"  {title}:")
            lines.extend(f"    {r['count']:>6}  {printable(r['reason'])}" for r in reasons)
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _cap(value: float) -> str:
    return f"${value:.2f}" if value else "no cap"


def _day(stamp: str) -> str:
    return stamp[:16].replace("T", " ") + " UTC"
