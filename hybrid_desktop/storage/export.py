"""Exporting history: one conversation or all of them, as Markdown or as our own JSON, and
writing any export to its file atomically. ChatGPT's ``conversations.json`` is in
``storage.chatgpt``.

Exports hold the messages exactly as stored, which is what the user saw: the cloud tier restores
placeholders on the device before an answer is stored, so no placeholder is ever in history (and
so never in an export). What left the device is the audit log's business, not this module's.

Our JSON shape (``FORMAT``, version 1)::

    {"format": "hybrid-desktop.history", "version": 1, "exported_at": ISO-8601,
     "conversations": [{"id", "title", "created_at", "updated_at",
                        "messages": [{"id", "role", "content", "status", "created_at",
                                      "route", "reason", "model", "meta"}]}]}

JSON files (ours and ChatGPT's) hold one conversation per line, encoded and written as each is
read, so exporting 100,000 messages never holds them all in memory.

A file is written to a temporary file next to it, flushed to disk and renamed over the target,
so a crash or a full disk never leaves a half-written export (and never spoils an older one).
The file is created readable by the user only: it holds private history.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hybrid_desktop.errors import HistoryFileError
from hybrid_desktop.storage.disk_full import is_disk_full
from hybrid_desktop.storage.history import Conversation, HistoryStore, Message
from hybrid_desktop.storage.stamps import utc_now

log = logging.getLogger(__name__)

FORMAT = "hybrid-desktop.history"
VERSION = 1


@dataclass
class Exported:
    """A conversation with its messages, as read for an export."""

    conversation: Conversation
    messages: list[Message]


def iter_conversations(
    store: HistoryStore, conversation_id: int | None = None
) -> Iterator[Exported]:
    """One conversation (NotFoundError at once when there is none with that id), or all of them,
    oldest first, each with its messages in order, read one conversation at a time (an export
    of 100,000 messages never holds them all). Messages still waiting for disk space are left
    out: an export holds what is stored."""
    if conversation_id is not None:
        conversations = [store.get_conversation(conversation_id)]
    else:
        conversations = sorted(store.list_conversations(), key=lambda c: (c.created_at, c.id))
    return (Exported(c, [m for m in store.messages(c.id) if m.saved]) for c in conversations)


def read_conversations(store: HistoryStore, conversation_id: int | None = None) -> list[Exported]:
    """:func:`iter_conversations`, all read at once."""
    return list(iter_conversations(store, conversation_id))


@dataclass
class Tally:
    """Counts what passes through :meth:`count`, for the summary printed after an export."""

    conversations: int = 0
    messages: int = 0

    def count(self, exported: Iterable[Exported]) -> Iterator[Exported]:
        for e in exported:
            self.conversations += 1
            self.messages += len(e.messages)
            yield e


def to_json(exported: Iterable[Exported]) -> dict[str, Any]:
    """Our own JSON document for these conversations."""
    return {**_header(), "conversations": [_conversation_json(e) for e in exported]}


def json_chunks(exported: Iterable[Exported]) -> Iterator[str]:
    """:func:`to_json` as text, one conversation per line, written as it is read."""
    header = json.dumps(_header(), ensure_ascii=False)
    yield header[:-1] + ', "conversations": [\n'
    yield from json_items(json.dumps(_conversation_json(e), ensure_ascii=False) for e in exported)
    yield "]}\n"


def json_items(items: Iterable[str]) -> Iterator[str]:
    """JSON list items, one a line, with commas between them."""
    first = True
    for item in items:
        yield item if first else ",\n" + item
        first = False
    if not first:
        yield "\n"


def _header() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "exported_at": utc_now()}


def _conversation_json(e: Exported) -> dict[str, Any]:
    return {
        "id": e.conversation.id,
        "title": e.conversation.title,
        "created_at": e.conversation.created_at,
        "updated_at": e.conversation.updated_at,
        "messages": [
            {
                "id": m.id,
                "role": m.role,
                "content": m.content,
                "status": m.status,
                "created_at": m.created_at,
                "route": m.route,
                "reason": m.reason,
                "model": m.model,
                "meta": m.meta,
            }
            for m in e.messages
        ],
    }


def to_markdown(exported: Iterable[Exported]) -> str:
    """A readable Markdown document: one ``#`` section per conversation, one ``##`` heading per
    message saying who wrote it, when, and (for answers) where it ran and with which model."""
    return "".join(markdown_chunks(exported))


def markdown_chunks(exported: Iterable[Exported]) -> Iterator[str]:
    """:func:`to_markdown`, one conversation at a time."""
    first = True
    for e in exported:
        yield _conversation_markdown(e) if first else "\n---\n\n" + _conversation_markdown(e)
        first = False
    if first:
        yield "_No conversations._\n"


def _conversation_markdown(e: Exported) -> str:
    c = e.conversation
    lines = [
        f"# {_one_line(c.title)}",
        "",
        f"_Conversation {c.id} · started {_stamp(c.created_at)} · updated "
        f"{_stamp(c.updated_at)} · {len(e.messages)} messages_",
        "",
    ]
    for m in e.messages:
        label = m.role.capitalize()
        if m.role == "assistant":
            label += f" · {m.route or 'unknown route'} · {m.model or 'unknown model'}"
        if m.status != "complete":
            label += f" · {m.status}"
        lines += [f"## {label} · {_stamp(m.created_at)}", ""]
        if m.role == "assistant" and m.reason:
            lines += [f"> {_one_line(m.reason)}", ""]
        lines += [m.content.rstrip("\n"), ""]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _stamp(iso: str) -> str:
    return iso[:19].replace("T", " ") + (" UTC" if iso.endswith(("+00:00", "Z")) else "")


def write_atomically(target: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8; a string or its chunks, written as they come) to ``target``: a temporary file in the same folder, flushed to
    disk, then renamed over ``target``. On any failure ``target`` is as it was and the temporary
    file is gone; the error is a HistoryFileError saying what to do."""
    target = target.expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise HistoryFileError(
            f"{target} is a folder.", "Give the name of the file to write the export to."
        )
    if not folder.is_dir():
        raise HistoryFileError(
            f"The folder {folder} does not exist.", "Create it first, or choose another path."
        )
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace", newline="\n") as out:
            for chunk in [text] if isinstance(text, str) else text:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
        temporary = None
        _sync_folder(folder)
    except OSError as exc:
        log.info("writing the export %s failed", target, exc_info=True)
        if is_disk_full(exc):
            raise HistoryFileError(
                f"The disk is full, so the export {target} could not be written.",
                "Free some space or choose another disk; nothing was written.",
            ) from exc
        raise HistoryFileError(
            f"Could not write the export {target}: {exc.strerror or exc}.",
            "Check the folder's permissions or choose another path; nothing was written.",
        ) from exc
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                log.debug("could not remove %s", temporary, exc_info=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not possible, nor needed, on Windows."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
