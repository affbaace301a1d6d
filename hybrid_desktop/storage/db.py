"""Opening the history database (SQLite through sqlite-utils, in WAL mode) and writing to it.

WAL journaling plus ``synchronous=FULL`` means a crash or ``kill -9`` at any moment leaves the file
consistent and keeps every committed turn. Each thread opens its own connection.

Writes: every write method of a store is one committed transaction (:func:`transaction`). In the
GUI one serial writer (``workers.writer``) owns the only connection that writes; the stores of
other threads open theirs with ``PRAGMA query_only`` and hand each write to that writer
(:func:`serialised`), so SQLite never sees two writers inside the app. Another process (a CLI
call) can still write at the same time: ``BEGIN IMMEDIATE`` plus ``busy_timeout`` make it wait.

A full disk: a write fails with :class:`DiskFullError` (nothing half-written), and a history that
cannot even be opened normally is opened for reading only (``storage.disk_full``), so it can still
be listed and shown; :func:`revive` makes it writable again once there is space.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from hybrid_desktop.errors import DataDirError, DiskFullError, StorageError
from hybrid_desktop.storage import cipher, wal_guard
from hybrid_desktop.storage.disk_full import (
    RETRY_S,
    clear_full_state,
    free_bytes,
    full_state,
    is_disk_full,
    open_while_full,
    wal_has_frames,
)
from hybrid_desktop.storage.migrations import migrate, pending_migrations
from hybrid_desktop.storage.stamps import utc_now
from hybrid_desktop.storage.writes import Writer, serialised

log = logging.getLogger(__name__)

#: Free space below which a history opened read-only on a full disk is not reopened: the WAL
#: index alone takes 32 KiB.
MIN_FREE_TO_REOPEN = 64 * 1024

__all__ = [
    "Writer",
    "integrity_ok",
    "open_database",
    "read_only_while_full",
    "revive",
    "serialised",
    "transaction",
    "utc_now",
]


@contextmanager
def transaction(db: sqlite_utils.Database, what: str) -> Iterator[sqlite_utils.Database]:
    """One committed write transaction. ``BEGIN IMMEDIATE`` takes the write lock first, so a
    writer in another process waits (``busy_timeout``) instead of failing half-way; sqlite-utils'
    own ``atomic()`` blocks inside it become savepoints. SQLite errors become a StorageError
    (a DiskFullError when the disk is full: then nothing of the transaction is kept)."""
    if not revive(db, writing=True):
        raise DiskFullError(f"The disk is full, so the {what} could not be saved.")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.rollback()
            raise
        db.commit()
    except sqlite3.Error as exc:
        _end_failed_transaction(db)
        if is_disk_full(exc, _file_of(db)):
            log.warning("write failed, the disk is full (%s): %s", what, exc)
            raise DiskFullError(f"The disk is full, so the {what} could not be saved.") from exc
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
    ``read_only`` opens a connection that refuses writes (``PRAGMA query_only``). On a full disk
    an existing history opens for reading only (see :func:`read_only_while_full`).
    """
    conn: sqlite3.Connection | None = None
    opened = cipher.file_id(path) if path is not None else None
    try:
        if path is None:
            conn = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = cipher.connect(path, timeout=10.0)  # with its key when encrypted
        db = sqlite_utils.Database(conn)
        if path is not None and not read_only:
            _enable_wal(db)
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        # Deleted rows and freed pages are zeroed, not left in the file (a deleted
        # conversation, its words in the search index: migrations.m005_message_search).
        db.execute("PRAGMA secure_delete=ON")
        db.execute("PRAGMA busy_timeout=10000")
        if run_migrations and not read_only:
            migrate(db)
        if read_only:
            db.execute("PRAGMA query_only=ON")
        # The first read maps the WAL index (-shm): on a full disk, this is where opening fails.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if path is not None:
            wal_guard.remember(db, path, read_only=read_only)
        return db
    except sqlite3.DatabaseError as exc:
        _close_quietly(conn)
        if (
            path is not None
            and wal_guard.short_read(exc)
            and wal_guard.journal_short(path, _connect)
        ):
            # Another process writes to a journal deleted under it: wait for it, or read around.
            needs = pending_migrations if run_migrations and not read_only else None
            fresh = wal_guard.main_file_only(
                path, read_only=read_only, needs_migrations=needs, connect=_connect
            )
            return fresh or open_database(path, run_migrations=run_migrations, read_only=read_only)
        if path is not None and cipher.replaced(path, opened, exc):
            # Encryption was turned on or off meanwhile (storage.encryption): open the new file.
            return open_database(path, run_migrations=run_migrations, read_only=read_only)
        if path is not None and is_disk_full(exc, path):
            return open_while_full(path, run_migrations=run_migrations, read_only=read_only)
        if isinstance(exc, sqlite3.OperationalError) and _looks_unwritable(exc):
            raise DataDirError(f"Cannot write the history database {path}: {exc}.") from exc
        raise StorageError(
            f"The history database {path} cannot be opened: {exc}.",
            "Move the file aside to start a fresh history; the app keeps a log of the error.",
        ) from exc
    except OSError as exc:
        _close_quietly(conn)
        if is_disk_full(exc):
            raise DiskFullError(
                f"The disk is full, so the history database {path} cannot be created."
            ) from exc
        raise DataDirError(
            f"Cannot create the history database {path}: {exc.strerror or exc}."
        ) from exc


def read_only_while_full(db: sqlite_utils.Database) -> bool:
    """Whether ``db`` was opened for reading only because the disk was full (and still is,
    as far as this connection knows)."""
    return full_state(db) is not None


def revive(db: sqlite_utils.Database, *, writing: bool = False) -> bool:
    """Make a history opened read-only on a full disk normal again if there is space now;
    True when ``db`` can write. Reads try at most once a second, and at once when another
    connection has written since (the read-only one would not see it); a write tries every
    time. The connection is swapped inside ``db``, so every store sharing it follows."""
    # A journal deleted under us, or under another process (storage.wal_guard).
    wal_guard.check(db, _reopen, writing=writing, connect=_connect)
    state = full_state(db)
    if state is None:
        return True
    written = wal_has_frames(state.path)
    now = time.monotonic()
    if not writing and not written and now < state.next_try:
        return False
    state.next_try = now + RETRY_S
    free = free_bytes(state.path.parent)
    if not written and free is not None and free < MIN_FREE_TO_REOPEN:  # not worth trying yet
        return False
    try:
        fresh = open_database(state.path, run_migrations=False, read_only=state.read_only)
    except StorageError:
        return False
    if full_state(fresh) is not None:  # still full
        fresh.conn.close()
        return False
    old, db.conn = db.conn, fresh.conn
    clear_full_state(db)
    old.close()
    log.info("there is space again: history %s is writable", state.path)
    return True


def _reopen(path: Path, read_only: bool) -> sqlite_utils.Database:
    return open_database(path, run_migrations=False, read_only=read_only)


def _connect(path: Path, immutable: bool) -> sqlite3.Connection:
    return cipher.connect(path, immutable=immutable)


def _end_failed_transaction(db: sqlite_utils.Database) -> None:
    """After a failed COMMIT (a full disk), make sure nothing of the transaction stays open."""
    try:
        if db.conn.in_transaction:
            db.conn.rollback()
    except sqlite3.Error:
        log.debug("rollback after a failed write failed too", exc_info=True)


def _file_of(db: sqlite_utils.Database) -> Path | None:
    try:
        row = db.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return None
    return Path(row[2]) if row and row[2] else None


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
