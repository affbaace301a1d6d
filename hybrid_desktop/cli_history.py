"""``hybrid-desktop history search QUERY``: full-text search over every stored message.

    hybrid-desktop history search QUERY [--json] [--route local|edge|cloud] [--since DATE]
                                        [--until DATE] [--conversation ID] [--limit N]

Newest hits first. ``--json`` prints one JSON list, each hit an object with ``conversation_id``,
``message_id``, ``snippet`` (the words that matched between ``**``), ``role``, ``route``,
``created_at`` and ``title``. The query is words, not FTS5 syntax: every word must match, the
last one as a prefix (``storage.search.fts_query``). DATE is ``YYYY-MM-DD`` or an ISO time, in
UTC unless it says otherwise; ``--since`` is inclusive, ``--until`` exclusive. A query that
starts with ``-`` goes after ``--``. Exit 0 with or without hits, 2 when the query has nothing
to search for.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json, printable
from hybrid_desktop.domain import ROUTES

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services

BOLD, RESET = "\x1b[1m", "\x1b[0m"
#: The routes a stored answer can have ("auto" is only ever asked for).
STORED_ROUTES = tuple(route for route in ROUTES if route != "auto")


def add_search_parser(history_commands: Any) -> None:
    """Add ``search`` to the ``history`` subcommands (importing nothing heavy: the GUI's start
    parses the command line too)."""
    search = history_commands.add_parser(
        "search", help="find messages by their words (newest first)"
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="the words to look for")
    search.add_argument("--json", action="store_true", help="one JSON list of hits")
    search.add_argument("--route", choices=STORED_ROUTES, help="only messages answered there")
    search.add_argument(
        "--since", type=_when, metavar="DATE", help="from this date or ISO time (UTC), inclusive"
    )
    search.add_argument(
        "--until", type=_when, metavar="DATE", help="before this date or ISO time (UTC)"
    )
    search.add_argument(
        "--conversation", type=_positive_int, metavar="ID", help="only in this conversation"
    )
    search.add_argument(
        "--limit",
        type=_positive_int,
        default=50,
        metavar="N",
        help="at most N hits (default 50, at most 500)",
    )


def run_search(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.storage.search import MAX_LIMIT, fts_query, search

    query = " ".join(args.query)
    if not fts_query(query):
        print("error: there is nothing to search for.", file=sys.stderr)
        print(
            'Give one or more words, for example: history search "lease agreement"', file=sys.stderr
        )
        return 2
    store = services.history()
    if args.conversation is not None:
        store.get_conversation(args.conversation)  # NotFoundError: says there is no such one
    hits = search(
        store.db,
        query,
        route=args.route,
        since=args.since,
        until=args.until,
        conversation_id=args.conversation,
        limit=min(args.limit, MAX_LIMIT),
    )
    if args.json:
        emit_json([hit.to_json() for hit in hits])
        return 0
    if not hits:
        print("No messages match.")
        return 0
    bold = sys.stdout.isatty()
    for hit in hits:
        where = f"{hit.role} · {hit.route}" if hit.route else hit.role
        stamp = hit.created_at[:16].replace("T", " ")
        print(
            f"conversation {hit.conversation_id} · message {hit.message_id} · {where} · "
            f"{stamp}  {printable(hit.title)}"
        )
        text = printable(hit.snippet.replace("\n", " "))
        print("    " + (_mark(text, BOLD, RESET) if bold else _mark(text, "**", "**")))
    return 0


def _mark(text: str, open_mark: str, close_mark: str) -> str:
    from hybrid_desktop.storage.search import MARK_CLOSE, MARK_OPEN

    return text.replace(MARK_OPEN, open_mark).replace(MARK_CLOSE, close_mark)


def _when(text: str) -> datetime:
    from hybrid_desktop.storage.search import parse_when

    try:
        return parse_when(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD or an ISO time such as 2026-12-01T09:30"
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value
