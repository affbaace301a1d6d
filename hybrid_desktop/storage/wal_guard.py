"""The history's ``-wal`` journal (or its ``-shm`` index) deleted from under a running process.

What SQLite does then, on a POSIX system (Windows refuses to delete a file that is open), seen
with real processes (tests/storage/test_wal_deleted.py):

* The process that had the database open keeps writing to the deleted journal through its open
  file descriptor. Those changes are in no file another process can see; they reach the main file
  only through a checkpoint by that process, and its last connection checkpoints at close only
  when no other process has the database open: otherwise they are lost.
* Another process then finds an index that counts frames its new, empty journal does not hold, and
  its reads fail with ``disk I/O error`` (``SQLITE_IOERR_SHORT_READ``). With the index deleted
  too, it builds a new one and silently reads the main file without those changes.

So each connection remembers which journal and index it opened, and before every read and write
(``storage.db.revive``; the GUI's writer also once a second, without waiting for a write)
checks with two ``stat`` calls that they are still the files at those paths. When they are not, it checkpoints through the files it still holds open
(``wal_checkpoint(TRUNCATE)``), so its changes reach the main file, then closes and reopens
itself on the files now there; every other connection of the process to that history reopens at
its next use. Closing a history does the checkpoint too.

A process whose reads come up short (another process holds a deleted journal) waits up to
:data:`WAIT_FOR_HEAL_S` for that process to repair it, then reads the main file alone
(``immutable``), says that the newest changes may be missing, refuses writes, and reopens
normally once the journal is whole. It asks SQLite (a passive checkpoint reads the frames the
index counts), never reads the ``-shm`` file itself: closing any descriptor of a file drops every
POSIX lock the process holds on it, SQLite's included, and another process would then take the
index for abandoned and truncate it under this one (SIGBUS).

Not covered: with the ``-shm`` index deleted, another process sees the older history, without a
warning, until the first one has checkpointed (within a second for the GUI, at the next read or
write for a CLI command); and a process's connections keep SQLite's in-memory hold on the deleted
index until each has reopened, so a second process that writes in that moment is not kept apart
from them by SQLite's locks. A journal deleted under a process that is then killed loses what
that process had not checkpointed.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from hybrid_desktop.errors import StorageError

log = logging.getLogger(__name__)

#: How long a process that finds another's journal deleted waits for that process to repair it.
WAIT_FOR_HEAL_S = 2.5
_POLL_S = 0.05
#: A checkpoint that other readers keep busy is tried this many times before giving up for now.
_CHECKPOINT_TRIES = 5

_ATTR = "_hybrid_desktop_wal_files"
_LOST_ATTR = "_hybrid_desktop_journal_lost"

FileId = tuple[int, int] | None

_lock = threading.Lock()
#: Per history file: bumped when one connection of this process repaired it, so the others reopen.
_generation: dict[str, int] = {}


@dataclass
class WalFiles:
    """The journal and index a connection opened, and how it was opened."""

    path: Path
    wal: FileId
    shm: FileId
    read_only: bool
    generation: int
    #: Its connection was closed to reopen, and reopening failed: the next check tries again.
    closed: bool = False


@dataclass
class JournalLost:
    """Marks a connection reading the main file alone: another process holds a deleted journal."""

    path: Path
    read_only: bool


Reopen = Callable[[Path, bool], sqlite_utils.Database]
#: Opens a connection to a history file (``immutable``: the main file alone), with its key when
#: encrypted: ``storage.db`` passes SQLCipher's. One SQLite library must do every open and close
#: of a file in a process, or closing one library's descriptor drops the other's locks.
Connect = Callable[[Path, bool], sqlite3.Connection]


def plain_connect(path: Path, immutable: bool) -> sqlite3.Connection:
    target = f"{path.absolute().as_uri()}?immutable=1" if immutable else str(path)
    return sqlite3.connect(target, uri=immutable, timeout=10.0)


def _file_id(path: Path) -> FileId:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _shm(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def remember(db: sqlite_utils.Database, path: Path, *, read_only: bool) -> None:
    """Note the journal and index ``db`` has just opened (call after its first read)."""
    with _lock:
        generation = _generation.get(str(path), 0)
    setattr(
        db, _ATTR, WalFiles(path, _file_id(_wal(path)), _file_id(_shm(path)), read_only, generation)
    )


def journal_lost(db: sqlite_utils.Database) -> bool:
    """Whether ``db`` reads the main file alone because another process holds a deleted journal."""
    return isinstance(getattr(db, _LOST_ATTR, None), JournalLost)


def check(
    db: sqlite_utils.Database,
    reopen: Reopen,
    *,
    writing: bool = False,
    connect: Connect = plain_connect,
) -> None:
    """Before a read or a write: repair ``db`` if its journal or index was deleted or replaced,
    and wait for (or read around) another process's deleted journal. Raises StorageError when
    the history cannot be read at all, or (``writing``) only its main file can."""
    lost = getattr(db, _LOST_ATTR, None)
    if isinstance(lost, JournalLost):
        if journal_short(lost.path, connect):
            if writing:
                raise StorageError(
                    "Nothing can be saved to the history now: its journal (history.db-wal) was "
                    "deleted while another Hybrid Desktop process had it open.",
                    _HINT,
                )
            return
        _swap(db, reopen(lost.path, lost.read_only))
        log.info("the history's journal is whole again: %s reopened normally", lost.path)
        return
    files = getattr(db, _ATTR, None)
    if not isinstance(files, WalFiles):
        return
    if files.closed:  # closed to reopen, and reopening failed last time
        _swap(db, reopen(files.path, files.read_only), close_old=False)
    elif _stale(files):
        # Another connection of this process already saved the deleted journal (the same file
        # this one holds) into the main file: only reopen.
        _reopen_closing(db, files, reopen)
    elif _replaced(files):
        _heal(db, files, reopen)
    elif _small_journal(files.path) and _reads_short(db.conn):
        fresh = main_file_only(files.path, read_only=files.read_only, connect=connect)
        if fresh is not None:
            _swap(db, fresh)
            check(db, reopen, writing=writing, connect=connect)


def settle(db: sqlite_utils.Database) -> None:
    """Before closing: if ``db``'s journal was deleted, copy what it holds into the main file
    (closing would save it only if no other process had the history open)."""
    files = getattr(db, _ATTR, None)
    if isinstance(files, WalFiles) and not files.closed and not _stale(files) and _replaced(files):
        log.warning("the history's journal was deleted while open; saving it before closing")
        _checkpoint(db)


def _stale(files: WalFiles) -> bool:
    with _lock:
        return files.generation < _generation.get(str(files.path), 0)


def _replaced(files: WalFiles) -> bool:
    return _file_id(_wal(files.path)) != files.wal or _file_id(_shm(files.path)) != files.shm


def _heal(db: sqlite_utils.Database, files: WalFiles, reopen: Reopen) -> None:
    """Copy what the deleted journal holds into the main file, then reopen on the files there."""
    log.warning(
        "the history's journal or index (%s-wal, -shm) was deleted or replaced while open; "
        "saving its changes into the main file and reopening",
        files.path,
    )
    if _checkpoint(db) == "busy":
        return  # readers elsewhere keep the journal busy: the next check tries again
    with _lock:
        key = str(files.path)
        _generation[key] = _generation.get(key, 0) + 1
    _reopen_closing(db, files, reopen)


def _reopen_closing(db: sqlite_utils.Database, files: WalFiles, reopen: Reopen) -> None:
    # Close first, so that when this was the process's last connection SQLite lets go of a
    # deleted index too, and the fresh connection maps the one at the path.
    db.conn.close()
    files.closed = True
    _swap(db, reopen(files.path, files.read_only), close_old=False)
    log.info("history %s reopened on its current journal", files.path)


def _checkpoint(db: sqlite_utils.Database) -> str:
    """``wal_checkpoint(TRUNCATE)`` through ``db``'s own (possibly deleted) journal: "done" when
    every frame reached the main file, "busy" when other readers kept it from that, "failed"."""
    for attempt in range(_CHECKPOINT_TRIES):
        try:
            busy, _frames, _done = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            log.warning("checkpointing the history failed", exc_info=True)
            return "failed"
        if not busy:
            return "done"
        time.sleep(_POLL_S * (attempt + 1))
    log.warning("the history's checkpoint stayed busy; trying again at the next use")
    return "busy"


def _swap(
    db: sqlite_utils.Database, fresh: sqlite_utils.Database, *, close_old: bool = True
) -> None:
    old, db.conn = db.conn, fresh.conn
    for attr in (_ATTR, _LOST_ATTR):
        if hasattr(db, attr):
            delattr(db, attr)
        if hasattr(fresh, attr):
            setattr(db, attr, getattr(fresh, attr))
    if close_old:
        old.close()


def main_file_only(
    path: Path,
    *,
    read_only: bool,
    needs_migrations: Callable[[sqlite_utils.Database], object] | None = None,
    connect: Connect = plain_connect,
) -> sqlite_utils.Database | None:
    """When another process holds a deleted journal of ``path``: wait up to
    :data:`WAIT_FOR_HEAL_S` for it to repair it (None: it did, open normally), else the main file
    alone, for reading (``immutable``: no journal, no index, no locks). StorageError when that
    cannot be read either, or a schema update is due."""
    key = str(path)
    with _lock:
        waited = key in _gave_up
    if not waited:
        log.warning(
            "the history's journal %s-wal is shorter than its index says: another process "
            "holds a deleted one; waiting up to %.1f s for it to save it",
            path,
            WAIT_FOR_HEAL_S,
        )
        deadline = time.monotonic() + WAIT_FOR_HEAL_S
        while time.monotonic() < deadline:
            time.sleep(_POLL_S)
            if not journal_short(path, connect):
                log.info("the other process saved the history's journal")
                return None
        with _lock:
            _gave_up.add(key)
    try:
        conn = connect(path, True)
    except sqlite3.Error as exc:
        raise _unreadable(exc) from exc
    try:
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA query_only=ON")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if needs_migrations is not None and needs_migrations(db):
            raise StorageError(
                "The history's journal (history.db-wal) was deleted while another Hybrid Desktop "
                "process had it open, and the main file alone does not hold the whole history.",
                _HINT,
            )
    except sqlite3.Error as exc:
        conn.close()
        raise _unreadable(exc) from exc
    except BaseException:
        conn.close()
        raise
    setattr(db, _LOST_ATTR, JournalLost(path, read_only))
    log.warning("reading history %s from its main file alone: its journal was deleted", path)
    return db


_HINT = (
    "Close the other Hybrid Desktop windows and commands: each saves its changes when it next "
    "writes or closes."
)

#: Files whose wait for another process's repair already ran out (they are not waited for again).
_gave_up: set[str] = set()


def _unreadable(exc: sqlite3.Error) -> StorageError:
    return StorageError(
        "The history's journal (history.db-wal) was deleted while another Hybrid Desktop process "
        f"had it open, and the history cannot be read meanwhile: {exc}.",
        _HINT,
    )


#: SQLITE_IOERR_SHORT_READ: fewer bytes than asked for, here from a journal the index overcounts.
SQLITE_IOERR_SHORT_READ = 522
#: A journal smaller than its header and one frame of the smallest page holds no frame at all.
_NO_FRAME_BYTES = 32 + 24 + 512


def short_read(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite reading less of a file than its index promised."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return bool(code == SQLITE_IOERR_SHORT_READ)
    return "disk i/o error" in str(exc).lower()


def _small_journal(path: Path) -> bool:
    try:
        return os.stat(_wal(path)).st_size < _NO_FRAME_BYTES
    except OSError:
        return True


def _reads_short(conn: sqlite3.Connection) -> bool:
    """Whether the frames the index counts cannot be read from the journal: a passive checkpoint
    reads them (and copies nothing when there are none), so SQLite itself answers."""
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error as exc:
        return short_read(exc)
    return False


def journal_short(path: Path, connect: Connect = plain_connect) -> bool:
    """Whether another process holds a deleted journal of ``path`` whose frames are in no file
    here (asked through a connection of its own)."""
    if not _small_journal(path):
        return False
    try:
        conn = connect(path, False)
    except sqlite3.Error:
        return False
    try:
        short = _reads_short(conn)
    finally:
        conn.close()
    if not short:
        with _lock:
            _gave_up.discard(str(path))
    return short
