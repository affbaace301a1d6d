"""Opening the history when it is encrypted at rest: SQLCipher, through the ``sqlcipher3`` binding.

An encrypted history is a SQLCipher 4 database: every page of the file, of its ``-wal`` journal
and so of every table and index (the placeholder vault, the audit log, a full-text index) is
AES-256 encrypted and authenticated (HMAC-SHA512). Its key is a random 256-bit key in the OS
keyring (``config.history_key``), given to SQLCipher as a raw key, so opening costs no key
derivation. A plaintext SQLite file starts with ``SQLite format 3\\0``; an encrypted one starts
with its random salt, which is how :func:`is_encrypted` tells them apart without a key.

:func:`connect` is the one way the storage layer opens a history file: plain ``sqlite3`` for a
plaintext file (exactly as before), SQLCipher with the key for an encrypted one. Its SQLCipher
connection raises the standard library's ``sqlite3`` exceptions (:class:`CipherConnection`
translates them, keeping ``sqlite_errorcode``), so every ``except sqlite3.Error`` in the app and
in sqlite-utils behaves the same for both kinds of file.

When the key cannot be had (no keyring, a locked one, no entry) or does not open the file, the
error is a :class:`HistoryLockedError` that says which, and what to do; nothing is changed.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from hybrid_desktop.config import history_key
from hybrid_desktop.errors import HistoryLockedError, StorageError

log = logging.getLogger(__name__)

PLAINTEXT_HEADER = b"SQLite format 3\x00"
#: SQLite's "file is not a database": what SQLCipher answers for a key that does not fit.
SQLITE_NOTADB = 26

_keys: dict[str, bytes] = {}
#: Per file (device, inode): whether it is encrypted, once known.
_kinds: dict[tuple[int, int], bool] = {}
_keys_lock = threading.Lock()
_cipher_error: type[Exception] | None = None


def is_encrypted(path: Path) -> bool:
    """Whether the file at ``path`` exists, is not empty and is not a plaintext SQLite file
    (an encrypted history, or something damaged).

    The answer is remembered per file (device and inode), and a file this process creates is
    noted as plaintext when it is made (:func:`connect`): on POSIX, closing *any* descriptor of a
    file drops every lock the process holds on it, SQLite's included (another process could then
    take this one's WAL journal for unused and delete it), so the header is read only of a file
    this process has not opened yet. A conversion always puts a new file in place.
    """
    ident = file_id(path)
    if ident is None:
        return False
    with _keys_lock:
        known = _kinds.get(ident)
    if known is not None:
        return known
    return _read_kind(path, ident)


def _read_kind(path: Path, ident: tuple[int, int]) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(PLAINTEXT_HEADER))
    except OSError:  # a folder, unreadable: opening it says what is wrong
        return False
    encrypted = bool(head) and head != PLAINTEXT_HEADER
    if len(head) == len(PLAINTEXT_HEADER):  # a file being created has no header yet
        with _keys_lock:
            _kinds[ident] = encrypted
    return encrypted


def note_kind(path: Path, encrypted: bool) -> None:
    """Remember what the file now at ``path`` is (this process made it so)."""
    ident = file_id(path)
    if ident is not None:
        with _keys_lock:
            _kinds[ident] = encrypted


def replaced(path: Path, opened: tuple[int, int] | None, exc: BaseException) -> bool:
    """After ``exc`` opening ``path``: whether another file took its place meanwhile (a
    conversion), so opening again opens that one. ``opened``: :func:`file_id` before opening."""
    now = file_id(path)
    if opened is not None and now != opened:
        return True
    if getattr(exc, "sqlite_errorcode", None) != SQLITE_NOTADB or now is None:
        return False
    # Not a database to the library chosen: if what was remembered of this file number is from
    # an earlier file (numbers are reused), the header says so now.
    with _keys_lock:
        known = _kinds.pop(now, None)
    return known is not None and _read_kind(path, now) != known


def connect(path: Path, *, immutable: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to the history at ``path``; ``immutable``: read the main file only, taking
    no locks and writing nothing (a full disk). Encrypted files are opened with their key and
    checked with a first read. Raises ``sqlite3`` errors as ``sqlite3.connect`` does, and
    :class:`HistoryLockedError` when an encrypted file's key cannot be had or does not fit."""
    target = f"{path.absolute().as_uri()}?immutable=1" if immutable else str(path)
    opened = file_id(path)
    if not is_encrypted(path):
        return _plain(path, target, timeout=timeout, uri=immutable)
    key = key_for(path)
    if key is None:  # not plaintext a moment ago, plaintext now (a conversion just finished)
        return _plain(path, target, timeout=timeout, uri=immutable)
    try:
        return open_with_key(target, key, path=path, timeout=timeout, uri=immutable)
    except HistoryLockedError as exc:
        if not replaced(path, opened, exc.__cause__ or exc):
            raise
        # Encryption was turned off meanwhile: the file opened is the replaced one.
        return connect(path, immutable=immutable, timeout=timeout)


def _plain(path: Path, target: str, *, timeout: float, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=timeout, uri=uri)
    note_kind(path, False)  # also when this connection has just created the file
    return conn


def file_id(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` now (device and inode): a conversion replaces it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def open_with_key(
    target: str, key: bytes, *, path: Path, timeout: float = 10.0, uri: bool = False
) -> sqlite3.Connection:
    """SQLCipher's connection to ``target`` (a path or, with ``uri``, a file: URI), keyed and
    checked with a first read; HistoryLockedError when the key does not open ``path``."""
    module = sqlcipher()
    conn = CipherConnection(module.connect(target, timeout=timeout, uri=uri))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would print to stderr
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_NOTADB:
            raise HistoryLockedError(
                f"The history database {path} is encrypted, and the key in the OS keyring does "
                "not open it: the key belongs to another file, or the file is damaged.",
                f"Nothing was deleted. Restore this file's key to the keyring entry "
                f"{history_key.entry_name(path)!r} (service {history_key.SERVICE}), or move "
                "the file aside to start a fresh history.",
            ) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return cast(sqlite3.Connection, conn)


def key_for(path: Path) -> bytes | None:
    """The key of the encrypted file at ``path``: from this process's memory once read, else
    from the keyring. None when the file turned out to be plaintext after all. Raises
    :class:`HistoryLockedError` saying why there is no key."""
    name = _name(path)
    with _keys_lock:
        key = _keys.get(name)
    if key is not None:
        return key
    try:
        key = history_key.load_key(path)
    except history_key.HistoryKeyError as exc:
        _no_key(path, exc)
        return None
    if key is None:
        _no_key(path, None)
        return None
    remember_key(path, key)
    return key


def remember_key(path: Path, key: bytes) -> None:
    with _keys_lock:
        _keys[_name(path)] = key


def forget_key(path: Path) -> None:
    with _keys_lock:
        _keys.pop(_name(path), None)


def _name(path: Path) -> str:
    return str(path.expanduser().resolve())


def _no_key(path: Path, problem: history_key.HistoryKeyError | None) -> None:
    """Raise the error for an encrypted-looking file whose key cannot be had. A plain open is
    tried first: a damaged file then says so, and a file that is plaintext after all (a
    conversion finished meanwhile) returns None, so the caller opens it plainly."""
    cause: sqlite3.DatabaseError | None = None
    try:
        probe = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        cause = exc
    if cause is None:
        return None
    aside = "Nothing was deleted. If the file is damaged instead, move it aside to start a fresh history."
    entry = f"{history_key.entry_name(path)!r} of service {history_key.SERVICE}"
    if problem is None:
        error = HistoryLockedError(
            f"The history database {path} cannot be opened: it is not a plain SQLite file, and "
            "the OS keyring holds no key for it. It was encrypted and its key is gone (a reset "
            "keyring, or a copy from another computer or folder), or it is damaged.",
            f"Nothing was deleted. If you have the key, restore it to the keyring entry {entry}; "
            "to start a fresh history instead, move the file aside.",
        )
    elif problem.kind == "locked":
        error = HistoryLockedError(
            f"The history database {path} is encrypted, and the OS keyring that holds its key "
            "is locked.",
            f"{problem.hint} {aside}",
        )
    elif problem.kind == "no-keyring":
        error = HistoryLockedError(
            f"The history database {path} cannot be opened: it is damaged, or encrypted with a "
            "key kept in an OS keyring that this session does not have.",
            f"{problem.hint} {aside}",
        )
    else:
        error = HistoryLockedError(
            f"The history database {path} is encrypted, and its key cannot be read: "
            f"{problem.message}",
            f"{problem.hint} {aside}",
        )
    log.warning("history %s is locked: %s", path, error.message)
    raise error from cause


# SQLCipher behind the standard library's exceptions ---------------------------------------------


def sqlcipher() -> Any:
    global _cipher_error
    try:
        import sqlcipher3
    except ImportError as exc:
        raise StorageError(
            "This installation cannot open an encrypted history: SQLCipher (the Python package "
            "sqlcipher3) is missing.",
            "Reinstall Hybrid Desktop, or run `pip install sqlcipher3`; nothing was changed.",
        ) from exc
    _cipher_error = sqlcipher3.Error
    return sqlcipher3


def _translated(exc: Exception) -> Exception:
    """The standard library's twin of a SQLCipher exception (same class name, message, codes)."""
    twin = getattr(sqlite3, type(exc).__name__, None)
    if not (isinstance(twin, type) and issubclass(twin, sqlite3.Error)):
        twin = sqlite3.DatabaseError
    new = twin(*exc.args)
    for attr in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(exc, attr):
            setattr(new, attr, getattr(exc, attr))
    return new


def _is_cipher_error(exc: BaseException) -> bool:
    return _cipher_error is not None and isinstance(exc, _cipher_error)


def _translating(function: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = function(*args, **kwargs)
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise
        return _wrap(result)

    return call


def _wrap(result: Any) -> Any:
    if type(result).__module__.startswith("sqlcipher3") and type(result).__name__ == "Cursor":
        return CipherCursor(result)
    return result


class CipherCursor:
    """A SQLCipher cursor that raises ``sqlite3``'s exceptions."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: Any) -> None:
        object.__setattr__(self, "_cursor", cursor)

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        try:
            self._cursor.execute(sql, parameters)
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise
        return self

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise

    def fetchall(self) -> list[Any]:
        try:
            return cast(list[Any], self._cursor.fetchall())
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._cursor)
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise

    def __getattr__(self, name: str) -> Any:  # description, rowcount, lastrowid, fetchmany, ...
        attr = getattr(self._cursor, name)
        return _translating(attr) if callable(attr) else attr

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._cursor, name, value)


class CipherConnection:
    """A SQLCipher connection that raises ``sqlite3``'s exceptions and hands out such cursors;
    everything else (``in_transaction``, ``isolation_level``, ``commit``...) passes through."""

    __slots__ = ("_conn",)

    def __init__(self, conn: Any) -> None:
        object.__setattr__(self, "_conn", conn)

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        try:
            return CipherCursor(self._conn.execute(sql, parameters))
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise

    def __enter__(self) -> CipherConnection:
        self._conn.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        try:
            return bool(self._conn.__exit__(*exc_info))
        except Exception as exc:
            if _is_cipher_error(exc):
                raise _translated(exc) from exc
            raise

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._conn, name)
        return _translating(attr) if callable(attr) else attr

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._conn, name, value)
