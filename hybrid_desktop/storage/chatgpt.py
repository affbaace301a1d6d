"""ChatGPT's ``conversations.json``: exporting history in that format, and importing it.

The format (what ChatGPT's "Export data" puts in its zip) is a list of conversations::

    {"title", "create_time", "update_time", "current_node", "conversation_id",
     "mapping": {node id: {"id", "parent", "children": [ids],
                           "message": null | {"id", "author": {"role"}, "create_time",
                                              "content": {"content_type": "text",
                                                          "parts": [text]}, ...}}}}

Times are seconds since the epoch (floats, or null). ``mapping`` is a tree, not a list: every
edit or regeneration adds a branch, and ``current_node`` is the leaf the user last saw. So an
import walks from ``current_node`` up the ``parent`` links to the root and reverses that path: the
branch on screen, and no other. Along it, only user and assistant messages with text are kept:
the root (no message), system prompts, hidden context, tool calls and their output, images and
empty nodes are skipped.

A file is checked whole before anything is written, then imported in one transaction: a malformed
file, or one of the wrong shape, is refused with a message saying where, and nothing of it is
imported. A conversation imported before (its ChatGPT id is kept in each message's ``meta``) is
skipped, so importing the same file twice adds nothing. ChatGPT's zip may be given as is.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from hybrid_desktop.errors import HistoryFileError
from hybrid_desktop.storage.db import transaction, utc_now
from hybrid_desktop.storage.export import Exported, json_items
from hybrid_desktop.storage.history import HistoryStore, title_from

log = logging.getLogger(__name__)

#: The name of the file inside ChatGPT's export zip.
MEMBER = "conversations.json"
#: Node ids of our exports are stable: the same conversation exports with the same ids.
_NAMESPACE = uuid.UUID("5b0f5f8e-6c1a-4f57-9b8e-8d4bd1e7c0a1")
_ROUTES = ("local", "edge", "cloud")
_SHAPE_HINT = (
    "Choose the conversations.json from ChatGPT's data export (or the export's zip); "
    "nothing was imported."
)


@dataclass
class ImportedMessage:
    role: str
    content: str
    created_at: str
    node_id: str
    model: str | None = None
    route: str | None = None
    reason: str | None = None
    status: str = "complete"


@dataclass
class ImportedConversation:
    source_id: str | None
    title: str
    created_at: str
    updated_at: str
    messages: list[ImportedMessage] = field(default_factory=list)


@dataclass
class ImportResult:
    conversations: int
    messages: int
    #: Conversations in the file that were already imported, or had no user/assistant text.
    skipped: int
    ids: list[int]

    def to_json(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "messages": self.messages,
            "skipped": self.skipped,
            "conversation_ids": self.ids,
        }


# export ---------------------------------------------------------------------------------------


def to_chatgpt(exported: Iterable[Exported]) -> list[dict[str, Any]]:
    """These conversations in ChatGPT's format: each one a single branch from a root node
    (no message, as ChatGPT's own) to its last message, which is ``current_node``."""
    return [_conversation(e) for e in exported]


def chatgpt_chunks(exported: Iterable[Exported]) -> Iterator[str]:
    """:func:`to_chatgpt` as the text of a ``conversations.json``, one conversation per line,
    written as it is read."""
    yield "[\n"
    yield from json_items(json.dumps(_conversation(e), ensure_ascii=False) for e in exported)
    yield "]\n"


def _conversation(e: Exported) -> dict[str, Any]:
    c = e.conversation
    conversation_id = _source_id(e) or str(
        uuid.uuid5(_NAMESPACE, f"conversation:{c.id}:{c.created_at}")
    )
    root = str(uuid.uuid5(_NAMESPACE, f"root:{conversation_id}"))
    mapping: dict[str, dict[str, Any]] = {
        root: {"id": root, "message": None, "parent": None, "children": []}
    }
    parent = root
    for m in e.messages:
        node = str(uuid.uuid5(_NAMESPACE, f"message:{conversation_id}:{m.id}"))
        metadata: dict[str, Any] = {}
        if m.role == "assistant":
            metadata["model_slug"] = m.model
            metadata["hybrid_desktop"] = {"route": m.route, "reason": m.reason, "status": m.status}
        if m.role == "system":
            metadata["is_visually_hidden_from_conversation"] = True
        mapping[node] = {
            "id": node,
            "message": {
                "id": node,
                "author": {"role": m.role, "name": None, "metadata": {}},
                "create_time": _epoch(m.created_at),
                "update_time": None,
                "content": {"content_type": "text", "parts": [m.content]},
                "status": "finished_successfully"
                if m.status == "complete"
                else "finished_partial_completion",
                "end_turn": m.role == "assistant",
                "weight": 1.0,
                "metadata": metadata,
                "recipient": "all",
            },
            "parent": parent,
            "children": [],
        }
        mapping[parent]["children"].append(node)
        parent = node
    return {
        "title": c.title,
        "create_time": _epoch(c.created_at),
        "update_time": _epoch(c.updated_at),
        "mapping": mapping,
        "current_node": parent,
        "conversation_id": conversation_id,
        "id": conversation_id,
    }


def _source_id(e: Exported) -> str | None:
    """The ChatGPT id of a conversation imported from ChatGPT, kept when it goes out again (so
    importing it where the original was imported adds nothing)."""
    found = {m.meta.get("chatgpt_conversation_id") for m in e.messages}
    (only,) = found if len(found) == 1 else (None,)
    return only if isinstance(only, str) and only else None


def _epoch(iso: str) -> float | None:
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return round(moment.timestamp(), 3)


# import ---------------------------------------------------------------------------------------


def load(path: Path) -> Any:
    """The JSON document in ``path``: a ``conversations.json``, or ChatGPT's export zip that
    holds one. HistoryFileError when it cannot be read or is not JSON."""
    path = path.expanduser()
    try:
        data = _from_zip(path) if zipfile.is_zipfile(path) else path.read_bytes()
    except FileNotFoundError:
        raise HistoryFileError(
            f"There is no file {path}.", "Check the path; nothing was imported."
        ) from None
    except IsADirectoryError:
        raise HistoryFileError(
            f"{path} is a folder.", "Give the path of conversations.json; nothing was imported."
        ) from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise HistoryFileError(
            f"Could not read {path}: {getattr(exc, 'strerror', None) or exc}.",
            "Check that the file is readable; nothing was imported.",
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HistoryFileError(
            f"{path} is not a JSON file: it is not UTF-8 text (byte {exc.start}).", _SHAPE_HINT
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryFileError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            _SHAPE_HINT,
        ) from None
    except RecursionError:
        raise HistoryFileError(f"{path} is nested too deeply to read.", _SHAPE_HINT) from None


def _from_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == MEMBER]
        if not names:
            raise HistoryFileError(
                f"The zip {path} holds no {MEMBER}.",
                "Choose the zip of ChatGPT's data export, or the conversations.json inside it; "
                "nothing was imported.",
            )
        return archive.read(min(names, key=len))


def parse(document: Any, *, source: str = "the file") -> list[ImportedConversation]:
    """Check a whole ``conversations.json`` document and return the branch the user saw of each
    conversation. HistoryFileError, saying where, when it is not of ChatGPT's shape."""
    if isinstance(document, dict) and document.get("format") == "hybrid-desktop.history":
        raise HistoryFileError(
            f"{source} is a Hybrid Desktop JSON export, not ChatGPT's conversations.json.",
            "Import reads ChatGPT's format: export with `--format chatgpt` to move history "
            "between installs; nothing was imported.",
        )
    if not isinstance(document, list):
        raise HistoryFileError(
            f"{source} is not ChatGPT's conversations.json: it should hold a list of "
            f"conversations, not {_kind(document)}.",
            _SHAPE_HINT,
        )
    return [_parse_conversation(item, n, source) for n, item in enumerate(document, start=1)]


def _parse_conversation(item: Any, number: int, source: str) -> ImportedConversation:
    where = f"conversation {number}"

    def wrong(problem: str) -> HistoryFileError:
        return HistoryFileError(
            f"{source} is not ChatGPT's conversations.json: {where}: {problem}.", _SHAPE_HINT
        )

    if not isinstance(item, dict):
        raise wrong(f"expected an object, found {_kind(item)}")
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise wrong("'title' is not text")
    if isinstance(title, str) and title.strip():
        where += f" ({' '.join(title.split())[:40]!r})"
    mapping = item.get("mapping")
    if not isinstance(mapping, dict):
        raise wrong("'mapping' is missing or not an object")
    current = item.get("current_node")
    if not isinstance(current, str):
        raise wrong("'current_node' is missing")
    created = _time(item.get("create_time"), wrong, "create_time")
    updated = _time(item.get("update_time"), wrong, "update_time")
    messages: list[ImportedMessage] = []
    for node_id, node in _branch(mapping, current, wrong):
        message = _message(node_id, node, wrong)
        if message is not None:
            messages.append(message)
    fallback = created or (messages[0].created_at if messages else None) or utc_now()
    for m in messages:  # a message without a time of its own: its predecessor's
        m.created_at = m.created_at or fallback
        fallback = m.created_at
    first_user = next((m.content for m in messages if m.role == "user"), "")
    name = " ".join(title.split()) if isinstance(title, str) else ""
    source_id = item.get("conversation_id") or item.get("id")
    return ImportedConversation(
        source_id=source_id if isinstance(source_id, str) and source_id else None,
        title=name or title_from(first_user),
        created_at=created or (messages[0].created_at if messages else fallback),
        updated_at=updated or (messages[-1].created_at if messages else fallback),
        messages=messages,
    )


def _branch(mapping: dict[str, Any], current: str, wrong: Any) -> list[tuple[str, Any]]:
    """The nodes from the root to ``current``, following ``parent`` links up and reversing."""
    path: list[tuple[str, Any]] = []
    seen: set[str] = set()
    node_id: Any = current
    while node_id is not None:
        if not isinstance(node_id, str) or node_id not in mapping:
            raise wrong(f"node {node_id!r} is named but not in 'mapping'")
        if node_id in seen:
            raise wrong(f"the 'parent' links loop at node {node_id!r}")
        seen.add(node_id)
        node = mapping[node_id]
        if not isinstance(node, dict):
            raise wrong(f"node {node_id!r} is not an object")
        path.append((node_id, node))
        node_id = node.get("parent")
    path.reverse()
    return path


def _message(node_id: str, node: dict[str, Any], wrong: Any) -> ImportedMessage | None:
    """The user or assistant text of a node on the branch, or None for a node to skip."""
    message = node.get("message")
    if message is None:
        return None
    if not isinstance(message, dict):
        raise wrong(f"the message of node {node_id!r} is not an object")
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    if not isinstance(role, str):
        raise wrong(f"the message of node {node_id!r} has no author role")
    metadata = message.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    if role not in ("user", "assistant") or metadata.get("is_visually_hidden_from_conversation"):
        return None
    if message.get("recipient", "all") not in ("all", None):  # a tool call
        return None
    content = message.get("content")
    if not isinstance(content, dict):
        return None
    if content.get("content_type") not in ("text", "multimodal_text"):
        return None  # code, tool output, reasoning, browsing: not what the chat showed
    parts = content.get("parts")
    if not isinstance(parts, list):
        raise wrong(f"the text of node {node_id!r} has no 'parts' list")
    text = "\n".join(p for p in parts if isinstance(p, str))  # images are objects: left out
    if not text.strip():
        return None
    created = _time(message.get("create_time"), wrong, f"create_time of node {node_id!r}")
    ours = metadata.get("hybrid_desktop")
    ours = ours if isinstance(ours, dict) else {}
    model = metadata.get("model_slug")
    route = ours.get("route")
    reason = ours.get("reason")
    status = ours.get("status")
    return ImportedMessage(
        role=role,
        content=text,
        created_at=created or "",
        node_id=node_id,
        model=model if isinstance(model, str) and role == "assistant" else None,
        route=route if route in _ROUTES else None,
        reason=reason if isinstance(reason, str) else None,
        status=status if status in ("complete", "partial", "stopped", "error") else "complete",
    )


def _time(value: Any, wrong: Any, name: str) -> str | None:
    """ChatGPT's seconds since the epoch as our ISO-8601 UTC text; None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise wrong(f"{name!r} is not a time in seconds")
    try:
        moment = datetime.fromtimestamp(value, timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise wrong(f"{name!r} is out of range") from None
    return moment.isoformat(timespec="milliseconds")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else "null"


def import_file(store: HistoryStore, path: Path) -> ImportResult:
    """Import the ChatGPT export at ``path`` into history, all or nothing."""
    conversations = parse(load(path), source=str(path))
    if store.writer is not None:  # the GUI: the one writer does it, on its own store
        return store.writer.call(lambda history: import_conversations(history, conversations))
    return import_conversations(store, conversations)


def import_conversations(
    store: HistoryStore, conversations: list[ImportedConversation]
) -> ImportResult:
    """Write checked conversations in one transaction; skip those imported before and those
    without a message to keep."""
    imported: list[int] = []
    messages = skipped = 0
    with transaction(store.db, "import") as db:
        known = _imported_ids(db)
        for c in conversations:
            if not c.messages or (c.source_id is not None and c.source_id in known):
                skipped += 1
                continue
            imported.append(_insert(db, c))
            messages += len(c.messages)
            if c.source_id is not None:
                known.add(c.source_id)
    log.info("imported %d conversations, %d messages", len(imported), messages)
    return ImportResult(len(imported), messages, skipped, imported)


def _imported_ids(db: sqlite_utils.Database) -> set[str]:
    rows = db.execute(
        "SELECT DISTINCT json_extract(meta, '$.chatgpt_conversation_id') FROM messages"
        " WHERE meta LIKE '%chatgpt_conversation_id%'"
    ).fetchall()
    return {row[0] for row in rows if isinstance(row[0], str)}


def _insert(db: sqlite_utils.Database, c: ImportedConversation) -> int:
    cursor = db.execute(
        "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
        [c.title, c.created_at, c.updated_at],
    )
    conversation_id = int(cursor.lastrowid or 0)
    for m in c.messages:
        meta: dict[str, Any] = {"imported_from": "chatgpt", "chatgpt_node_id": m.node_id}
        if c.source_id is not None:
            meta["chatgpt_conversation_id"] = c.source_id
        db.execute(
            "INSERT INTO messages (conversation_id, role, content, status, created_at, route,"
            " reason, model, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                conversation_id,
                m.role,
                m.content,
                m.status,
                m.created_at,
                m.route,
                m.reason,
                m.model,
                json.dumps(meta),
            ],
        )
    return conversation_id
