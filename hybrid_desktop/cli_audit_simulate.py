"""``hybrid-desktop audit simulate``: the recorded workload re-routed under other settings.

    hybrid-desktop audit simulate [--threshold X] [--budget-daily USD] [--budget-monthly USD]
                                  [--local-tier tiny|small|medium|large] [--offline-hours H-H]
                                  [--add-edge NAME[:TIER]] [--since DATE] [--until DATE] [--json]

The real router is asked again for every request record, with the settings given here in place
of the recorded ones (:mod:`hybrid_desktop.core.simulator` says how the inputs are rebuilt).
Nothing is generated and nothing is sent anywhere. ``--json`` prints one object: ``actual`` and
``projected`` (``requests``, ``routes``, ``route_share``, ``cloud_share``, ``cost_usd``,
``expected_latency_ms`` with ``mean``, ``p50``, ``p95``, ``n``), ``changed``, ``changes``
(``"local->cloud": n``), ``settings``, ``skipped`` and ``skipped_why``, ``latency_source``,
``complexity_source``, ``agreement`` and ``notes``. DATE is ``YYYY-MM-DD`` (local midnight),
an ISO time (UTC unless it says otherwise) or a span back from now (``7d``, ``24h``);
``--since`` is inclusive, ``--until`` exclusive. Exit 0, also on an empty history.

Helper modules call :func:`add_parser` with the ``audit`` subcommands and :func:`run` with the
parsed arguments and the services.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json, printable

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services

#: The local model's capability tiers (``core.capability.TIERS``), smallest first.
TIER_CHOICES = ("tiny", "small", "medium", "large")
_HOURS = re.compile(r"^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")


def add_parser(audit_commands: Any) -> None:
    """Add ``simulate`` to the ``audit`` subcommands (importing nothing heavy)."""
    simulate = audit_commands.add_parser(
        "simulate",
        help="re-run the router over your recorded requests with other settings",
        description="Re-run the router over the recorded requests with other settings and show "
        "the projected cloud share, cost and latency against what happened. Nothing is "
        "generated or sent.",
    )
    simulate.add_argument(
        "--threshold",
        type=_threshold,
        metavar="X",
        help="complexity score at which a request needs the cloud (0..1; default 0.5: lower "
        "is stricter, more goes to the cloud)",
    )
    simulate.add_argument(
        "--budget-daily", type=_usd, metavar="USD", help="daily cloud budget cap (0: none)"
    )
    simulate.add_argument(
        "--budget-monthly", type=_usd, metavar="USD", help="monthly cloud budget cap (0: none)"
    )
    simulate.add_argument(
        "--local-tier", choices=TIER_CHOICES, help="capability tier of the local model"
    )
    simulate.add_argument(
        "--offline-hours",
        type=_hours,
        metavar="H-H",
        help="local hours planned with Offline mode on, e.g. 22-7",
    )
    simulate.add_argument(
        "--add-edge",
        type=_edge,
        metavar="NAME[:TIER]",
        help="a hypothetical free edge server of that tier (default medium)",
    )
    add_range(simulate)
    simulate.add_argument("--json", action="store_true", help="one JSON object")


def run(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.core.complexity import CLOUD_THRESHOLD
    from hybrid_desktop.core.simulator import SimSettings, load_rows, simulate

    settings = SimSettings(
        threshold=CLOUD_THRESHOLD if args.threshold is None else args.threshold,
        budget_daily=args.budget_daily,
        budget_monthly=args.budget_monthly,
        local_tier=args.local_tier,
        offline_hours=args.offline_hours,
        add_edge=args.add_edge,
        cloud_model=services.settings.cloud_model,
    )
    store = services.history()
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    rows = load_rows(store.db, since, until, with_prompts=args.local_tier is not None)
    result = simulate(rows, settings).to_json()
    result["since"], result["until"] = since, until
    if args.json:
        emit_json(result)
        return 0
    print(render(result))
    return 0


def render(result: dict[str, Any]) -> str:
    """The before/after table."""
    actual, projected = result["actual"], result["projected"]
    lines = [
        f"Policy simulation over {actual['requests']} recorded requests "
        "(nothing was generated or sent).",
        "Settings: " + _settings_line(result["settings"]),
        "",
        f"{'':<22}{'actual':>12}{'projected':>12}",
    ]

    def row(label: str, a: str, p: str) -> None:
        lines.append(f"{label:<22}{a:>12}{p:>12}")

    for route in ("local", "edge", "cloud"):
        row(
            f"{route} share",
            _percent(actual["route_share"][route]),
            _percent(projected["route_share"][route]),
        )
    row("cost (cloud, edge)", f"${actual['cost_usd']:.4f}", f"${projected['cost_usd']:.4f}")
    for key in ("mean", "p50", "p95"):
        row(
            f"latency {key}",
            _ms(actual["expected_latency_ms"][key]),
            _ms(projected["expected_latency_ms"][key]),
        )
    if projected.get("refused"):
        row("refused", "0", str(projected["refused"]))
    lines.append("")
    moved = ", ".join(f"{k} {v}" for k, v in result["changes"].items())
    lines.append(f"Changed: {result['changed']}" + (f" ({moved})" if moved else ""))
    if result["skipped"]:
        why = "; ".join(f"{k}: {v}" for k, v in result["skipped_why"].items())
        lines.append(f"Skipped: {result['skipped']} ({why})")
    agreement = result["agreement"]
    if agreement["share"] is not None:
        lines.append(
            f"Same route as recorded: {agreement['same_route']} of {agreement['compared']} "
            f"({_percent(agreement['share'])})"
        )
    sources = ", ".join(f"{k} {v}" for k, v in result["latency_source"].items())
    if sources:
        lines.append(f"Latency from: {sources}")
    lines.extend(f"Note: {note}." for note in result["notes"])
    return "\n".join(printable(line) for line in lines)


def _settings_line(settings: dict[str, Any]) -> str:
    parts = [f"threshold {settings['threshold']:g}"]
    if settings["budget_daily_usd"] is not None:
        parts.append(f"daily budget ${settings['budget_daily_usd']:g}")
    if settings["budget_monthly_usd"] is not None:
        parts.append(f"monthly budget ${settings['budget_monthly_usd']:g}")
    if settings["local_tier"]:
        parts.append(f"local tier {settings['local_tier']}")
    if settings["offline_hours"]:
        start, end = settings["offline_hours"]
        parts.append(f"offline {start:02d}:00-{end:02d}:00")
    if settings["add_edge"]:
        parts.append(f"edge {settings['add_edge']['name']} ({settings['add_edge']['tier']})")
    parts.append(f"cloud model {settings['cloud_model']}")
    return ", ".join(parts)


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} must be above 0 and at most 1")
    return value


def _usd(text: str) -> float:
    try:
        value = float(text.strip().removeprefix("$"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount in US dollars") from None
    if value < 0 or value != value:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def _hours(text: str) -> tuple[int, int]:
    match = _HOURS.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not hours like 22-7")
    start, end = int(match.group(1)), int(match.group(2))
    if start > 23 or end > 24 or start == end % 24:
        raise argparse.ArgumentTypeError(f"{text!r}: two different hours, 0 to 23")
    return start, end


def _edge(text: str) -> tuple[str, str]:
    name, _, tier = text.partition(":")
    name, tier = name.strip(), (tier.strip().lower() or "medium")
    if not name:
        raise argparse.ArgumentTypeError("the edge server needs a name, e.g. office-gpu:large")
    if tier not in TIER_CHOICES:
        raise argparse.ArgumentTypeError(f"{tier!r} is not a tier: use {', '.join(TIER_CHOICES)}")
    return name, tier


def add_range(parser: argparse.ArgumentParser) -> None:
    """``--since``/``--until`` for ``audit``, ``audit export`` and ``audit simulate``. SUPPRESS:
    a bound given before the action (``audit --since 7d simulate``) is kept."""
    parser.add_argument(
        "--since",
        type=when,
        metavar="DATE",
        default=argparse.SUPPRESS,
        help="from this date, ISO time or span back (7d, 24h), inclusive",
    )
    parser.add_argument(
        "--until",
        type=when,
        metavar="DATE",
        default=argparse.SUPPRESS,
        help="before this date or ISO time",
    )


def when(text: str) -> str:
    """A stored UTC timestamp for ``text`` (``storage.audit.to_stamp``, as ``audit`` reads it)."""
    from hybrid_desktop.storage.audit import to_stamp

    try:
        stamp = to_stamp(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD, an ISO time such as 2026-12-01T09:30, "
            "or a span such as 7d or 24h"
        ) from None
    assert stamp is not None
    return stamp
