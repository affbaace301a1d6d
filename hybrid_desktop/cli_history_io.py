"""``hybrid-desktop history export`` and ``history import``: history out to a file, and ChatGPT's
``conversations.json`` in.

    hybrid-desktop history export [ID] --format md|json|chatgpt FILE   one conversation, or all
    hybrid-desktop history import FILE [--json]    ChatGPT's conversations.json (or its zip)

An export is written atomically (a temporary file renamed over FILE) and holds the messages as
stored, which is what the user saw. An import is all or nothing: a malformed file is refused
with a message saying where, and nothing of it is imported. ``import --json`` prints
``{"conversations", "messages", "skipped", "conversation_ids"}``. The formats are in
``storage.export`` and ``storage.chatgpt``; this module only parses and prints.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services

FORMATS = ("md", "json", "chatgpt")
_ID_MAX = 2**63 - 1


class _Intermixed(argparse.ArgumentParser):
    """A parser whose positionals may be split by options (``export 3 --format md FILE``):
    plain argparse gives ``[ID] FILE`` out in the first run of positionals and rejects the
    rest, so this one parses intermixed (``parse_known_intermixed_args``)."""

    _inner = False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self._inner:  # the intermixed parse calls this itself, twice
            return super().parse_known_args(args, namespace)
        self._inner = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._inner = False


def _conversation_id(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= _ID_MAX:
        raise argparse.ArgumentTypeError(f"{text!r} is not a conversation id (a whole number)")
    return int(text)


def add_history_io_parsers(history_commands: Any) -> None:
    """Add ``export`` and ``import`` to the ``history`` command's subparsers."""
    export = history_commands.add_parser(
        "export",
        help="export one conversation, or all, as Markdown, JSON or ChatGPT's format",
        description="Write one conversation (ID), or all of them, to FILE: Markdown (md), "
        "Hybrid Desktop's JSON (json), or ChatGPT's conversations.json (chatgpt). The file "
        "is replaced atomically and holds the messages as you saw them.",
    )
    export.__class__ = _Intermixed  # made by add_parser; only parsing differs
    export.add_argument(
        "id", nargs="?", type=_conversation_id, metavar="ID", help="one conversation (default: all)"
    )
    export.add_argument("file", metavar="FILE", help="the file to write (replaced atomically)")
    export.add_argument("--format", required=True, choices=FORMATS, help="the file's format")
    export.add_argument("--json", action="store_true", help="print one JSON object")
    imported = history_commands.add_parser(
        "import",
        help="import ChatGPT's conversations.json (or its export zip)",
        description="Import the conversations of a ChatGPT data export: for each, the branch "
        "you last saw (from current_node to the root), user and assistant messages only. "
        "All or nothing; conversations imported before are skipped.",
    )
    imported.add_argument("file", metavar="FILE", help="conversations.json, or the export's zip")
    imported.add_argument("--json", action="store_true", help="print one JSON object")


def run_history_io(args: argparse.Namespace, services: Services) -> int:
    if args.history_command == "export":
        return _export(args, services)
    return _import(args, services)


def _export(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.storage import chatgpt, export

    store = services.history()
    tally = export.Tally()
    exported = tally.count(export.iter_conversations(store, args.id))
    if args.format == "md":
        text = export.markdown_chunks(exported)
    elif args.format == "json":
        text = export.json_chunks(exported)
    else:
        text = chatgpt.chatgpt_chunks(exported)
    target = Path(args.file)
    export.write_atomically(target, text)
    count, messages = tally.conversations, tally.messages
    if args.json:
        emit_json(
            {
                "file": str(target),
                "format": args.format,
                "conversations": count,
                "messages": messages,
            }
        )
    else:
        print(
            f"Exported {_count(count, 'conversation')} ({_count(messages, 'message')}) to {target}."
        )
    return 0


def _import(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.storage import chatgpt

    result = chatgpt.import_file(services.history(), Path(args.file))
    if args.json:
        emit_json(result.to_json())
        return 0
    print(
        f"Imported {_count(result.conversations, 'conversation')} "
        f"({_count(result.messages, 'message')}) from {args.file}."
    )
    if result.skipped:
        print(
            f"Skipped {result.skipped}: already imported, or without user or assistant text.",
        )
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
