"""History on a full disk: reading needs no space, and a write says plainly why it failed.

SQLite in WAL mode needs a little space even to read: every connection maps the ``-shm`` index
(32 KiB), and on a full disk creating it fails (``SQLITE_IOERR_SHMSIZE``), so not even a list of
conversations could be shown. When that happens and the ``-wal`` file holds nothing (the usual
case once the last connection closed cleanly), the database is opened ``immutable``: no
``-shm``, no locks, nothing written, so reading takes no space at all. Such a connection only
reads; ``storage.db`` replaces it with a normal one as soon as there is space again (before every
write; on reads at most once a second, or at once when another connection has written since).
"""

from __future__ import annotations

import errno
import logging
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from hybrid_desktop.errors import DiskFullError
from hybrid_desktop.storage import cipher
from hybrid_desktop.storage.migrations import pending_migrations

log = logging.getLogger(__name__)

#: SQLite's primary result codes (the low byte of an extended code).
SQLITE_IOERR = 10
SQLITE_FULL = 13
#: Below this much free space, an I/O error while writing is taken as the disk being full.
LOW_SPACE_BYTES = 1024 * 1024
#: How often a read tries to reopen the history normally while it is read-only.
RETRY_S = 1.0

_ATTR = "_hybrid_desktop_read_only_while_full"


@dataclass
class ReadOnlyWhileFull:
    """Marks a database opened read-only because the disk was full."""

    path: Path
    #: What the store asked for when it opened (a reader of the GUI's serial writer).
    read_only: bool
    next_try: float = 0.0


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def is_disk_full(exc: BaseException, path: Path | None = None) -> bool:
    """Whether ``exc`` means "no space left" (SQLITE_FULL, ENOSPC, a quota), or an I/O error
    while the disk that holds ``path`` has next to no free space."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if not isinstance(exc, sqlite3.Error):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    text = str(exc).lower()
    if (code is not None and code & 0xFF == SQLITE_FULL) or "disk is full" in text:
        return True
    io_error = (code is not None and code & 0xFF == SQLITE_IOERR) or "disk i/o error" in text
    if io_error and path is not None:
        free = free_bytes(path.parent)
        return free is not None and free < LOW_SPACE_BYTES
    return False


def wal_has_frames(path: Path) -> bool:
    """Whether the database's ``-wal`` file holds anything (a connection opened ``immutable``
    reads the main file only, so it would miss those changes)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def full_state(db: sqlite_utils.Database) -> ReadOnlyWhileFull | None:
    """The marker of a database opened read-only because the disk was full, else None."""
    state = getattr(db, _ATTR, None)
    return state if isinstance(state, ReadOnlyWhileFull) else None


def clear_full_state(db: sqlite_utils.Database) -> None:
    if hasattr(db, _ATTR):
        delattr(db, _ATTR)


def open_while_full(path: Path, *, run_migrations: bool, read_only: bool) -> sqlite_utils.Database:
    """The history at ``path`` for reading only, taking no disk space; DiskFullError when that
    cannot be done (no database yet, recent changes only in the WAL, a schema to update)."""
    if not path.exists() or path.stat().st_size == 0:
        raise DiskFullError(f"The disk is full, so the history database {path} cannot be created.")
    if wal_has_frames(path):
        raise DiskFullError(
            "The disk is full, and the newest changes to the history cannot be read without a "
            "little free space."
        )
    conn = cipher.connect(path, immutable=True)  # with its key when encrypted
    try:
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA query_only=ON")
        db.execute("PRAGMA foreign_keys=ON")
        if run_migrations and pending_migrations(db):
            raise DiskFullError(
                "The disk is full, so the history cannot be updated for this version of the app."
            )
    except sqlite3.Error as exc:
        conn.close()
        raise DiskFullError(
            f"The disk is full, and the history database {path} cannot be read: {exc}."
        ) from exc
    except BaseException:
        conn.close()
        raise
    setattr(db, _ATTR, ReadOnlyWhileFull(path, read_only, time.monotonic() + RETRY_S))
    log.warning("the disk is full: history %s is open for reading only", path)
    return db
