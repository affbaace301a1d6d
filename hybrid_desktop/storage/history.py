"""Conversations and their messages, kept in SQLite.

A :class:`HistoryStore` wraps one connection and must be used from the thread that made it; each
thread that needs history opens its own store on the same file. Every write is its own committed
transaction, so what a method returned is on disk. Given a ``writer`` (see ``storage.db``), the
store's own connection only reads and each write runs on the writer's thread.

A full disk: a new conversation and its first message are one write, so a turn that cannot be
stored leaves no empty conversation behind. An answer the user has already seen can be kept in
memory instead (``add_message(..., keep_if_full=True)``): :class:`UnsavedMessages` holds it, reads
show it, and it is written, in order, by the next write or :meth:`HistoryStore.save_unsaved`
once there is space.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlite_utils

from hybrid_desktop.errors import DiskFullError, NotFoundError, StorageError
from hybrid_desktop.storage import wal_guard
from hybrid_desktop.storage.db import (
    Writer,
    open_database,
    read_only_while_full,
    revive,
    serialised,
    transaction,
    utc_now,
)
from hybrid_desktop.storage.request_rows import insert_request

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
    #: False while the message is only in memory (the disk was full); its id is then negative.
    saved: bool = True
    #: The answer's request record (``storage.requests``), written with it; not shown in JSON.
    request: dict[str, Any] | None = field(default=None, repr=False)

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


class UnsavedMessages:
    """Messages that could not be written because the disk was full, oldest first, kept in
    memory until they can be. One per process's history: the GUI's serial writer shares its own
    with every reader store. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        self._ids = itertools.count(-1, -1)

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

    def keep(self, message: Message) -> Message:
        kept = replace(message, id=next(self._ids), saved=False)
        with self._lock:
            self._messages.append(kept)
        log.warning(
            "kept an answer of conversation %d in memory: the disk is full", kept.conversation_id
        )
        return kept

    def pending(self) -> list[Message]:
        with self._lock:
            return list(self._messages)

    def of(self, conversation_id: int) -> list[Message]:
        with self._lock:
            return [m for m in self._messages if m.conversation_id == conversation_id]

    def drop(self, message: Message) -> None:
        with self._lock:
            self._messages = [m for m in self._messages if m.id != message.id]

    def drop_conversation(self, conversation_id: int) -> None:
        with self._lock:
            self._messages = [m for m in self._messages if m.conversation_id != conversation_id]


class HistoryStore:
    def __init__(
        self,
        path: Path | None,
        *,
        writer: Writer | None = None,
        run_migrations: bool = True,
        unsaved: UnsavedMessages | None = None,
    ) -> None:
        """Open the history at ``path`` (``None``: a throwaway in-memory history).

        With a ``writer`` the connection is read-only and writes go to the writer (whose own
        store migrated the file at start-up); without one this store migrates and writes itself.
        ``unsaved``: the process's messages waiting for disk space (the writer's, shared).
        On a full disk an existing history opens for reading only (:attr:`disk_full`).
        """
        if writer is not None and path is None:
            raise ValueError("an in-memory history cannot share a writer")
        self.path = path
        self.writer = writer
        self.unsaved = unsaved if unsaved is not None else UnsavedMessages()
        self.db: sqlite_utils.Database = open_database(
            path, run_migrations=run_migrations and writer is None, read_only=writer is not None
        )

    def on(self, history: HistoryStore) -> HistoryStore:
        """This store as seen through ``history``'s connection (the writer's)."""
        return history

    @property
    def persistent(self) -> bool:
        return self.path is not None

    @property
    def disk_full(self) -> bool:
        """Whether this history is open for reading only because the disk was full."""
        return read_only_while_full(self.db) and not revive(self.db)

    @property
    def journal_lost(self) -> bool:
        """Whether only the main file can be read now: another process holds a deleted journal
        (``storage.wal_guard``), so the newest changes may be missing."""
        return wal_guard.journal_lost(self.db)

    def check_files(self) -> None:
        """Repair the connection now if its journal was deleted (see ``storage.wal_guard``);
        every read and write does this too. The GUI's writer calls it every second."""
        revive(self.db)

    def close(self) -> None:
        """Close the connection; a store that writes first tries once more to save what waits."""
        if self.writer is None and len(self.unsaved):
            try:
                self.save_unsaved()
            except StorageError:
                log.warning("saving the waiting messages failed at close", exc_info=True)
            if len(self.unsaved):
                log.warning("%d message(s) could not be saved: the disk is full", len(self.unsaved))
        wal_guard.settle(self.db)  # a journal deleted under us: its changes go to the main file
        self.db.conn.close()

    def _reading(self) -> sqlite_utils.Database:
        """The connection, made normal again first if it was opened on a full disk that has space
        now (tried at most once a second)."""
        revive(self.db)
        return self.db

    # conversations ---------------------------------------------------------------------------

    @serialised
    def create_conversation(self, title: str = "New conversation") -> Conversation:
        now = utc_now()
        with transaction(self.db, "conversation") as db:
            table = db.table("conversations").insert(
                {"title": title, "created_at": now, "updated_at": now}
            )
        return Conversation(int(table.last_pk or 0), title, now, now)

    @serialised
    def start_conversation(self, content: str, role: str = "user") -> Message:
        """A new conversation, named after its first message, and that message: one write, so
        when it fails (a full disk) there is no empty conversation left behind."""
        self.save_unsaved()
        now = utc_now()
        title = title_from(content) if role == "user" else "New conversation"
        with transaction(self.db, "message") as db:
            conversations = db.table("conversations").insert(
                {"title": title, "created_at": now, "updated_at": now}
            )
            conversation_id = int(conversations.last_pk or 0)
            message_id = self._insert_row(db, conversation_id, role, content, now)
        return Message(message_id, conversation_id, role, content, "complete", now)

    def get_conversation(self, conversation_id: int) -> Conversation:
        row = (
            self._reading()
            .execute(
                "SELECT c.id, c.title, c.created_at, c.updated_at,"
                " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"
                " FROM conversations c WHERE c.id = ?",
                [conversation_id],
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"There is no conversation with id {conversation_id}.")
        return Conversation(*row)

    def list_conversations(self) -> list[Conversation]:
        rows = (
            self._reading()
            .execute(
                "SELECT c.id, c.title, c.created_at, c.updated_at,"
                " (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)"
                " FROM conversations c ORDER BY c.updated_at DESC, c.id DESC"
            )
            .fetchall()
        )
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
        self.unsaved.drop_conversation(conversation_id)

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
        keep_if_full: bool = False,
        request: dict[str, Any] | None = None,
    ) -> Message:
        """Append a message and commit it; a first user message also names the conversation.

        On a full disk this raises :class:`DiskFullError`, or with ``keep_if_full`` (an answer
        the user has seen) returns the message kept in memory (``saved`` False), to be written
        by a later write. Messages waiting for space are written first, so the order stays as
        the user saw it; while one of this conversation's still waits, a new one waits too
        (``keep_if_full``) or is refused. ``request``: the answer's request record
        (``storage.requests``), written in the same transaction with the message's id.
        """
        message = Message(
            0,
            conversation_id,
            role,
            content,
            status,
            utc_now(),
            route,
            reason,
            model,
            dict(meta or {}),
            request=dict(request) if request is not None else None,
        )
        if len(self.unsaved):
            self.save_unsaved()
            if self.unsaved.of(conversation_id):
                if keep_if_full:
                    return self.unsaved.keep(message)
                raise DiskFullError(
                    "The disk is full: the last answer in this conversation is not saved yet, "
                    "so nothing can be saved after it."
                )
        conversation = self.get_conversation(conversation_id)
        try:
            return self._insert(conversation, message)
        except DiskFullError:
            if not keep_if_full:
                raise
            return self.unsaved.keep(message)

    @serialised
    def save_unsaved(self) -> int:
        """Write the messages kept in memory while the disk was full, oldest first; stops at the
        first that still does not fit. Returns how many were written."""
        written = 0
        for message in self.unsaved.pending():
            try:
                conversation = self.get_conversation(message.conversation_id)
            except NotFoundError:  # deleted meanwhile: nothing to keep it for
                self.unsaved.drop(message)
                continue
            try:
                self._insert(conversation, message)
            except DiskFullError:
                break
            self.unsaved.drop(message)
            written += 1
        if written:
            log.info("saved %d message(s) kept while the disk was full", written)
        return written

    def _insert(self, conversation: Conversation, message: Message) -> Message:
        changes: dict[str, Any] = {"updated_at": message.created_at}
        if (
            message.role == "user"
            and conversation.message_count == 0
            and conversation.title == "New conversation"
        ):
            changes["title"] = title_from(message.content)
        with transaction(self.db, "message") as db:
            message_id = self._insert_row(
                db,
                conversation.id,
                message.role,
                message.content,
                message.created_at,
                status=message.status,
                route=message.route,
                reason=message.reason,
                model=message.model,
                meta=message.meta,
            )
            if message.request is not None:
                insert_request(
                    db,
                    {
                        **message.request,
                        "created_at": message.created_at,
                        "conversation_id": conversation.id,
                        "message_id": message_id,
                    },
                )
            db.table("conversations").update(conversation.id, changes)
        return replace(message, id=message_id, saved=True)

    @staticmethod
    def _insert_row(
        db: sqlite_utils.Database,
        conversation_id: int,
        role: str,
        content: str,
        created_at: str,
        *,
        status: str = "complete",
        route: str | None = None,
        reason: str | None = None,
        model: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> int:
        table = db.table("messages").insert(
            {
                "conversation_id": conversation_id,
                "role": role,
                "content": content,
                "status": status,
                "created_at": created_at,
                "route": route,
                "reason": reason,
                "model": model,
                "meta": json.dumps(meta) if meta else None,
            }
        )
        return int(table.last_pk or 0)

    def messages(self, conversation_id: int) -> list[Message]:
        """The conversation's messages, oldest first, with any still waiting for disk space."""
        rows = (
            self._reading()
            .execute(
                "SELECT id, conversation_id, role, content, status, created_at, route, reason, model,"
                " meta FROM messages WHERE conversation_id = ? ORDER BY id",
                [conversation_id],
            )
            .fetchall()
        )
        stored = [
            Message(*row[:9], meta=json.loads(row[9]) if row[9] else {})  # type: ignore[misc]
            for row in rows
        ]
        return stored + self.unsaved.of(conversation_id)
