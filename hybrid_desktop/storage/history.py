"""Conversations and their messages, kept in SQLite.

A :class:`HistoryStore` wraps one connection and must be used from the thread that made it; each
thread that needs history opens its own store on the same file. Every write is its own committed
transaction, so what a method returned is on disk. Given a ``writer`` (see ``storage.db``), the
store's own connection only reads and each write runs on the writer's thread.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from hybrid_desktop.errors import NotFoundError, StorageError
from hybrid_desktop.storage.db import Writer, open_database, serialised, transaction, utc_now

log = logging.getLogger(__name__)

TITLE_LENGTH = 60


@dataclass
class Conversation:
    id: int
    title: str
    created_at: str
    updated_at: str
    message_count: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "message_count": self.message_count,
        }


@dataclass
class Message:
    id: int
    conversation_id: int
    role: str
    content: str
    status: str = "complete"
    created_at: str = ""
    route: str | None = None
    reason: str | None = None
    model: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "role": self.role,
            "content": self.content,
            "status": self.status,
            "created_at": self.created_at,
            "route": self.route,
            "reason": self.reason,
            "model": self.model,
            "meta": self.meta,
        }


def title_from(text: str) -> str:
    """A conversation title from its first message: first line, trimmed to a readable length."""
    line = " ".join(text.split())
    if len(line) <= TITLE_LENGTH:
        return line or "New conversation"
    return line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


class HistoryStore:
    def __init__(
        self, path: Path | None, *, writer: Writer | None = None, run_migrations: bool = True
    ) -> None:
        """Open the history at ``path`` (``None``: a throwaway in-memory history).

        With a ``writer`` the connection is read-only and writes go to the writer (whose own
        store migrated the file at start-up); without one this store migrates and writes itself.
        """
        if writer is not None and path is None:
            raise ValueError("an in-memory history cannot share a writer")
        self.path = path
        self.writer = writer
        self.db: sqlite_utils.Database = open_database(
            path, run_migrations=run_migrations and writer is None, read_only=writer is not None
        )

    def on(self, history: HistoryStore) -> HistoryStore:
        """This store as seen through ``history``'s connection (the writer's)."""
        return history

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        self.db.conn.close()

    # conversations ---------------------------------------------------------------------------

    @serialised
    def create_conversation(self, title: str = "New conversation") -> Conversation:
        now = utc_now()
        with transaction(self.db, "conversation") as db:
            table = db.table("conversations").insert(
                {"title": title, "created_at": now, "updated_at": now}
            )
        return Conversation(int(table.last_pk or 0), title, now, now)

    def get_conversation(self, conversation_id: int) -> Conversation:
        row = self.db.execute(
            "SELECT c.id, c.title, c.created_at, c.updated_at,"
            " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"
            " FROM conversations c WHERE c.id = ?",
            [conversation_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"There is no conversation with id {conversation_id}.")
        return Conversation(*row)

    def list_conversations(self) -> list[Conversation]:
        rows = self.db.execute(
            "SELECT c.id, c.title, c.created_at, c.updated_at,"
            " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"
            " FROM conversations c ORDER BY c.updated_at DESC, c.id DESC"
        ).fetchall()
        return [Conversation(*row) for row in rows]

    @serialised
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise StorageError("A conversation needs a title.", "Type a name, or press Esc.")
        self.get_conversation(conversation_id)
        with transaction(self.db, "conversation") as db:
            db.table("conversations").update(conversation_id, {"title": title})

    @serialised
    def delete_conversation(self, conversation_id: int) -> None:
        self.get_conversation(conversation_id)
        with transaction(self.db, "conversation") as db:
            db.table("messages").delete_where("conversation_id = ?", [conversation_id])
            db.table("conversations").delete(conversation_id)

    # messages ---------------------------------------------------------------------------------

    @serialised
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        status: str = "complete",
        route: str | None = None,
        reason: str | None = None,
        model: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Message:
        """Append a message and commit it; a first user message also names the conversation."""
        conversation = self.get_conversation(conversation_id)
        now = utc_now()
        with transaction(self.db, "message") as db:
            table = db.table("messages").insert(
                {
                    "conversation_id": conversation_id,
                    "role": role,
                    "content": content,
                    "status": status,
                    "created_at": now,
                    "route": route,
                    "reason": reason,
                    "model": model,
                    "meta": json.dumps(meta) if meta else None,
                }
            )
            changes: dict[str, Any] = {"updated_at": now}
            if (
                role == "user"
                and conversation.message_count == 0
                and conversation.title == "New conversation"
            ):
                changes["title"] = title_from(content)
            db.table("conversations").update(conversation_id, changes)
        return Message(
            int(table.last_pk or 0),
            conversation_id,
            role,
            content,
            status,
            now,
            route,
            reason,
            model,
            dict(meta or {}),
        )

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self.db.execute(
            "SELECT id, conversation_id, role, content, status, created_at, route, reason, model,"
            " meta FROM messages WHERE conversation_id = ? ORDER BY id",
            [conversation_id],
        ).fetchall()
        return [
            Message(*row[:9], meta=json.loads(row[9]) if row[9] else {})  # type: ignore[misc]
            for row in rows
        ]
