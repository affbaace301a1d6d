"""Opening the history database: SQLite through sqlite-utils, in WAL mode, with ordered migrations.

WAL journaling plus ``synchronous=FULL`` means a crash or ``kill -9`` at any moment leaves the file
consistent and keeps every committed turn. Each thread opens its own connection; SQLite serialises
the writers (``busy_timeout`` makes a second writer wait instead of failing).

Migrations are plain functions, applied in the order they are listed and recorded by name in the
``_migrations`` table, so each runs once per database (the scheme Simon Willison's ``llm`` uses).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from hybrid_desktop.core.errors import DataDirError, StorageError

log = logging.getLogger(__name__)

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_conversations_and_messages(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete',
            created_at TEXT NOT NULL,
            route TEXT,
            reason TEXT,
            model TEXT,
            meta TEXT
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX conversations_by_update ON conversations(updated_at);
        """,
    )


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    """Run ``;``-separated DDL inside the caller's transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def open_database(path: Path | None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``; ``None`` means in memory."""
    conn: sqlite3.Connection | None = None
    try:
        if path is None:
            conn = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=10.0)
        db = sqlite_utils.Database(conn)
        if path is not None:
            _enable_wal(db)
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=10000")
        migrate(db)
        return db
    except sqlite3.DatabaseError as exc:
        _close_quietly(conn)
        if isinstance(exc, sqlite3.OperationalError) and _looks_unwritable(exc):
            raise DataDirError(f"Cannot write the history database {path}: {exc}.") from exc
        raise StorageError(
            f"The history database {path} cannot be opened: {exc}.",
            "Move the file aside to start a fresh history; the app keeps a log of the error.",
        ) from exc
    except OSError as exc:
        _close_quietly(conn)
        raise DataDirError(
            f"Cannot create the history database {path}: {exc.strerror or exc}."
        ) from exc


def _close_quietly(conn: sqlite3.Connection | None) -> None:
    """Release the file of a failed open at once (the raised error keeps the frame alive), so the
    user can move a broken database aside as the error's hint says."""
    if conn is not None:
        conn.close()


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch the file to WAL journaling.

    When several processes open a brand-new database at the same moment, SQLite can answer this
    pragma with "database is locked" at once, without waiting for the busy timeout (it refuses
    to wait where waiting could deadlock), so retry for a while before giving up.
    """
    deadline = time.monotonic() + 10.0
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _looks_unwritable(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("readonly", "read-only", "unable to open", "disk i/o", "full"))


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for fn in MIGRATIONS:
        name = fn.__name__
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while we waited for the write lock.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                db.conn.commit()
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", [name, utc_now()]
            )
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
        log.info("applied migration %s", name)
        applied.append(name)
    return applied


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


@migration
def m002_privacy_vault(db: sqlite_utils.Database) -> None:
    """Each conversation's placeholder mapping; it goes when the conversation goes."""
    _run_statements(
        db,
        """
        CREATE TABLE privacy_vault (
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            entity_type TEXT NOT NULL,
            placeholder TEXT NOT NULL,
            value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_id, placeholder)
        )
        """,
    )


@migration
def m003_audit_log(db: sqlite_utils.Database) -> None:
    """What was sent off the device. It outlives the conversation it came from: deleting one
    sets its rows' conversation_id to NULL (found through the second index)."""
    _run_statements(
        db,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            destination TEXT NOT NULL,
            model TEXT,
            conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
            redacted_text TEXT NOT NULL,
            entity_counts TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'failed', 'blocked')),
            detail TEXT
        );
        CREATE INDEX audit_log_by_time ON audit_log(created_at);
        CREATE INDEX audit_log_by_conversation ON audit_log(conversation_id)
        """,
    )


@migration
def m004_cloud_usage(db: sqlite_utils.Database) -> None:
    """Tokens, price and latency of every cloud request (budgets are summed from it)."""
    from hybrid_desktop.storage.usage import create_usage_table

    create_usage_table(db)
