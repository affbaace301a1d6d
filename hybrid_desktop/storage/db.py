"""Opening the history database (SQLite through sqlite-utils, in WAL mode) and writing to it.

WAL journaling plus ``synchronous=FULL`` means a crash or ``kill -9`` at any moment leaves the file
consistent and keeps every committed turn. Each thread opens its own connection.

Writes: every write method of a store is one committed transaction (:func:`transaction`). In the
GUI one serial writer (``workers.writer``) owns the only connection that writes; the stores of
other threads open theirs with ``PRAGMA query_only`` and hand each write to that writer
(:func:`serialised`), so SQLite never sees two writers inside the app. Another process (a CLI
call) can still write at the same time: ``BEGIN IMMEDIATE`` plus ``busy_timeout`` make it wait.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from hybrid_desktop.errors import DataDirError, StorageError
from hybrid_desktop.storage.migrations import migrate, utc_now
from hybrid_desktop.storage.writes import Writer, serialised

log = logging.getLogger(__name__)

__all__ = ["Writer", "integrity_ok", "open_database", "serialised", "transaction", "utc_now"]


@contextmanager
def transaction(db: sqlite_utils.Database, what: str) -> Iterator[sqlite_utils.Database]:
    """One committed write transaction. ``BEGIN IMMEDIATE`` takes the write lock first, so a
    writer in another process waits (``busy_timeout``) instead of failing half-way; sqlite-utils'
    own ``atomic()`` blocks inside it become savepoints. SQLite errors become a StorageError."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        db.commit()
    except sqlite3.Error as exc:
        log.exception("write failed (%s)", what)
        raise StorageError(
            f"Could not save the {what}: {exc}.",
            "Check free disk space and the data folder's permissions.",
        ) from exc


def open_database(
    path: Path | None, *, run_migrations: bool = True, read_only: bool = False
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``; ``None`` means in memory.

    ``run_migrations`` brings the schema up to date (the app does it once, at start-up);
    ``read_only`` opens a connection that refuses writes (``PRAGMA query_only``).
    """
    conn: sqlite3.Connection | None = None
    try:
        if path is None:
            conn = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=10.0)
        db = sqlite_utils.Database(conn)
        if path is not None and not read_only:
            _enable_wal(db)
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=10000")
        if run_migrations and not read_only:
            migrate(db)
        if read_only:
            db.execute("PRAGMA query_only=ON")
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


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return bool(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
