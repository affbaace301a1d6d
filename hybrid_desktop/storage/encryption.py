"""Turning encryption at rest on and off: the history file converted in place, safely.

Encrypting: a new random 256-bit key is saved in the OS keyring and read back; the history is
copied page by page into a new SQLCipher file beside it (``history.db.encrypting``) with
``sqlcipher_export``; that copy is opened with the key read from the keyring again, checked
(``integrity_check``, ``cipher_integrity_check``) and compared with the original table by table
(row counts and a hash of every row); only then does it replace ``history.db`` by an atomic
rename. Decrypting is the same the other way round, and removes the key last. Killed at any
moment, the path holds either the untouched original or the verified copy (and the keyring
holds the key before any encrypted file takes the path).

No other process may have the history open meanwhile (a window still holding the old file
would keep writing to it): switching the original out of WAL mode, which SQLite allows only to
the one connection open, proves that, and the conversion then holds an exclusive lock until the
rename. On POSIX the replaced file is then overwritten with zeros (best effort: copy-on-write
filesystems and SSDs may keep old blocks), so a process that opened it in that instant finds it
unreadable and reopens the new file (``storage.cipher.connect``) instead of writing to a ghost.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hybrid_desktop.config import history_key
from hybrid_desktop.config.private import FILE_MODE, fsync_folder
from hybrid_desktop.errors import HistoryLockedError, HybridDesktopError, StorageError
from hybrid_desktop.storage import cipher
from hybrid_desktop.storage.disk_full import is_disk_full

log = logging.getLogger(__name__)

#: Called with the name of each step as it is reached (tests stop a conversion there).
Step = Callable[[str], None]

STEPS = ("locked", "exporting", "exported", "verified", "replaced")
IN_USE_HINT = (
    "Close the Hybrid Desktop window and wait for running commands to finish, then try again; "
    "or tick Settings → Privacy → Encrypt history, which applies when the app next starts."
)
_WIPE_CHUNK = 1 << 20


@dataclass(frozen=True)
class Conversion:
    """What :func:`encrypt_history` or :func:`decrypt_history` did."""

    encrypted: bool
    changed: bool
    path: Path
    seconds: float = 0.0
    rows: int = 0
    size_before: int = 0
    size_after: int = 0
    note: str = ""

    def describe(self) -> str:
        state = "encrypted" if self.encrypted else "not encrypted"
        if not self.changed:
            return f"The history is already {state} ({self.path})."
        done = "encrypted (SQLCipher 4, AES-256)" if self.encrypted else "decrypted"
        text = (
            f"The history is now {done}: {self.rows:,} rows, {self.size_after:,} bytes, "
            f"in {self.seconds:.2f} s ({self.path})."
        )
        if self.encrypted:
            text += (
                f" Its key is in the OS keyring (service {history_key.SERVICE}, entry "
                f"{history_key.entry_name(self.path)!r}); without it the history cannot be read."
            )
        return f"{text} {self.note}".strip()


@dataclass(frozen=True)
class EncryptionStatus:
    path: Path
    exists: bool
    encrypted: bool
    size: int
    key_entry: str
    #: For an encrypted file: whether the keyring's key opens it (None: not checked).
    key_opens: bool | None = None
    problem: str = ""
    cipher_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "exists": self.exists,
            "encrypted": self.encrypted,
            "size": self.size,
            "key_entry": self.key_entry,
            "key_opens": self.key_opens,
            "problem": self.problem,
            "cipher": self.cipher_version,
        }

    def describe(self) -> str:
        if not self.exists:
            return f"No history yet ({self.path})."
        if not self.encrypted:
            return f"The history is not encrypted ({self.path}, {self.size:,} bytes)."
        text = (
            f"The history is encrypted ({self.cipher_version or 'SQLCipher'}; {self.path}, "
            f"{self.size:,} bytes). Its key: OS keyring, service {history_key.SERVICE}, "
            f"entry {self.key_entry!r}."
        )
        if self.key_opens:
            return text + " The key is there and opens it."
        return f"{text} It cannot be opened now: {self.problem}"


def history_status(path: Path) -> EncryptionStatus:
    """Whether the history at ``path`` is encrypted, and whether its key opens it."""
    exists = path.is_file() and path.stat().st_size > 0
    encrypted = exists and cipher.is_encrypted(path)
    base: dict[str, Any] = {
        "path": path,
        "exists": exists,
        "encrypted": encrypted,
        "size": path.stat().st_size if exists else 0,
        "key_entry": history_key.entry_name(path),
    }
    if not encrypted:
        return EncryptionStatus(**base)
    try:
        conn = cipher.connect(path, timeout=2.0)
    except HybridDesktopError as exc:
        return EncryptionStatus(**base, key_opens=False, problem=exc.user_text())
    except sqlite3.Error as exc:
        return EncryptionStatus(**base, key_opens=False, problem=f"{exc}.")
    try:
        version = str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        conn.close()
    return EncryptionStatus(**base, key_opens=True, cipher_version=f"SQLCipher {version}")


def encrypt_history(path: Path, *, on_step: Step | None = None) -> Conversion:
    """Encrypt the history at ``path`` in place (creating an empty one first if there is none),
    with a new key in the OS keyring. Raises a HybridDesktopError saying what to do; on any
    failure the original is left as it was."""
    if cipher.is_encrypted(path):
        cipher.key_for(path)  # raises when it cannot be opened: "already encrypted" must be true
        return Conversion(True, False, path)
    module = cipher.sqlcipher()
    key = history_key.new_key()
    try:
        history_key.save_key(path, key)
    except history_key.HistoryKeyError as exc:
        raise type(exc)(
            exc.kind, f"The history cannot be encrypted: {exc.message}", exc.hint
        ) from exc
    if not path.is_file() or path.stat().st_size == 0:
        from hybrid_desktop.storage.db import open_database

        open_database(path).conn.close()  # an empty, migrated history, so there is a schema

    def source() -> Any:  # the plaintext file, through SQLCipher's library (no key)
        return cipher.CipherConnection(module.connect(str(path), timeout=2.0))

    result = _convert(path, source, key, encrypting=True, on_step=on_step)
    cipher.remember_key(path, key)
    return result


def decrypt_history(path: Path, *, on_step: Step | None = None) -> Conversion:
    """Decrypt the history at ``path`` in place, then remove its key from the keyring."""
    if not cipher.is_encrypted(path):
        if not path.is_file():
            raise StorageError(f"There is no history at {path} to decrypt.", "Nothing was changed.")
        return Conversion(False, False, path)
    key = cipher.key_for(path)
    if key is None:  # plaintext after all (converted a moment ago)
        return Conversion(False, False, path)

    def source() -> Any:
        return cipher.open_with_key(str(path), key, path=path, timeout=2.0)

    result = _convert(path, source, key, encrypting=False, on_step=on_step)
    cipher.forget_key(path)
    try:
        history_key.delete_key(path)
    except history_key.HistoryKeyError as exc:
        log.warning("the old history key stays in the keyring: %s", exc.message)
        return Conversion(
            False,
            True,
            path,
            result.seconds,
            result.rows,
            result.size_before,
            result.size_after,
            "Its old key could not be removed from the OS keyring and stays there (harmless).",
        )
    return result


def apply_setting(path: Path, wish: bool | None) -> str | None:
    """Bring the history at ``path`` to the state the setting asks for (``None``: leave it as
    it is), before anything in this process opens it. Returns a problem to show the user when
    that could not be done now (another process has the history open, no keyring...); the
    history stays as it was and the next start tries again."""
    if wish is None or wish == cipher.is_encrypted(path):
        return None
    if not wish and not path.exists():
        return None
    try:
        done = encrypt_history(path) if wish else decrypt_history(path)
    except HistoryLockedError:
        return None  # opening the history says what is wrong, and what to do
    except HybridDesktopError as exc:
        log.warning("applying the history encryption setting failed: %s", exc.message)
        state = "unencrypted" if wish else "encrypted"
        return (
            f"History encryption could not be turned {'on' if wish else 'off'}: {exc.message} "
            f"{exc.hint} The history stays {state} for now; the next start tries again."
        )
    log.info("%s", done.describe())
    return None


def _convert(
    path: Path,
    open_source: Callable[[], Any],
    key: bytes,
    *,
    encrypting: bool,
    on_step: Step | None,
) -> Conversion:
    """Copy ``path`` through ``open_source()`` (SQLCipher's connection to it) into the other
    form, verify, replace. The exclusive lock is taken through the SQLite library the app opens
    the file with now (the standard library's for a plaintext file): two SQLite libraries in one
    process do not see each other's locks."""
    step = on_step or (lambda _name: None)
    started = time.perf_counter()
    size_before = path.stat().st_size
    copy = path.with_name(path.name + (".encrypting" if encrypting else ".decrypting"))
    replaced = False
    guard: Any = sqlite3.connect(str(path), timeout=2.0) if encrypting else None
    source: Any = None
    try:
        _remove_copy(copy)  # left over by a conversion that was killed
        if guard is not None:
            _lock_exclusively(guard, path)
        source = open_source()
        if guard is None:
            _lock_exclusively(source, path)
        step("locked")
        expected = _digest(source)
        _make_private(copy)
        target_key = f"\"x'{key.hex()}'\"" if encrypting else "''"
        source.execute(f"ATTACH DATABASE ? AS converted KEY {target_key}", [str(copy)])
        step("exporting")
        source.execute("SELECT sqlcipher_export('converted')")
        for pragma in ("user_version", "application_id"):
            value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA converted.{pragma} = {value}")
        source.execute("DETACH DATABASE converted")
        _fsync(copy)
        step("exported")
        _verify(path, copy, expected, encrypting=encrypting)
        step("verified")
        replaced = _replace([source, guard], copy, path)
        cipher.note_kind(path, encrypting)
        step("replaced")
    except BaseException as exc:
        _close([source, guard])
        if not replaced:
            _remove_copy(copy)
        if isinstance(exc, sqlite3.Error):
            raise _failed(path, exc, encrypting) from exc
        if isinstance(exc, OSError):
            raise _failed(path, exc, encrypting) from exc
        raise
    _close([source, guard])  # SQLCipher's first: closing its file drops the process's locks
    rows = sum(count for count, _ in expected.values())
    seconds = time.perf_counter() - started
    log.info(
        "history %s %s: %d rows, %d -> %d bytes, %.3f s",
        path,
        "encrypted" if encrypting else "decrypted",
        rows,
        size_before,
        path.stat().st_size,
        seconds,
    )
    return Conversion(encrypting, True, path, seconds, rows, size_before, path.stat().st_size)


def _lock_exclusively(source: Any, path: Path) -> None:
    """Prove no other connection has the history open and keep it so: leaving WAL mode needs
    the only connection, and ``locking_mode=EXCLUSIVE`` then holds the lock until close."""
    try:
        mode = source.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        source.execute("PRAGMA locking_mode=EXCLUSIVE")
        source.execute("BEGIN EXCLUSIVE")
        source.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise StorageError(
                f"The history {path} is open in another Hybrid Desktop process, so it cannot "
                "be converted now. Nothing was changed.",
                IN_USE_HINT,
            ) from exc
        raise
    if str(mode).lower() != "delete":
        raise StorageError(
            f"The history {path} could not be taken for conversion (journal mode {mode}).",
            IN_USE_HINT,
        )


def _digest(conn: Any, schema: str = "main") -> dict[str, tuple[int, str]]:
    """Per table: its row count and a hash of every row in storage order; ``""`` holds the
    schema. Virtual tables are left out (their shadow tables are compared instead)."""
    master = conn.execute(
        f"SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master ORDER BY type, name"
    ).fetchall()
    result = {"": (len(master), hashlib.blake2b(repr(master).encode()).hexdigest())}
    for kind, name, _table, sql in master:
        if kind != "table" or (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        digest = hashlib.blake2b(digest_size=20)
        count = 0
        for row in conn.execute(f"SELECT * FROM {schema}.{quoted}"):
            digest.update(repr(row).encode())
            count += 1
        result[name] = (count, digest.hexdigest())
    return result


def _verify(
    path: Path, copy: Path, expected: dict[str, tuple[int, str]], *, encrypting: bool
) -> None:
    """Open the copy as the app will (the key read from the keyring again) and compare."""
    if encrypting:
        key = history_key.load_key(path)
        if key is None:
            raise StorageError(
                "The history key vanished from the OS keyring during the conversion. "
                "Nothing was changed.",
                history_key.UNLOCK_HINT,
            )
        conn: Any = cipher.open_with_key(str(copy), key, path=copy, timeout=2.0)
    else:
        conn = sqlite3.connect(str(copy), timeout=2.0)
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if encrypting:
            problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check")]
        got = _digest(conn)
    finally:
        conn.close()
    if problems != ["ok"] or got != expected:
        different = sorted(
            k or "(schema)" for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)
        )
        log.error("converted copy differs: integrity %s, tables %s", problems[:5], different)
        raise StorageError(
            f"The converted copy of the history {path} did not match the original, so it was "
            "discarded. Nothing was changed.",
            "See the log file for details, and report it.",
        )


def _close(connections: list[Any]) -> None:
    for conn in connections:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


def _replace(connections: list[Any], copy: Path, path: Path) -> bool:
    """Put the verified copy in place of the original (atomic rename), then overwrite the old
    file with zeros (POSIX; Windows cannot rename over a file that is open, so it is closed
    first, and a process that opened it meanwhile makes the rename fail: nothing changes)."""
    if os.name == "nt":
        _close(connections)
        try:
            os.replace(copy, path)
        except PermissionError as exc:
            raise StorageError(
                f"The history {path} was opened by another process during the conversion. "
                "Nothing was changed.",
                IN_USE_HINT,
            ) from exc
        return True
    # Closing this descriptor drops the process's locks on the old file: only after the wipe.
    with open(path, "r+b") as old:
        os.replace(copy, path)
        fsync_folder(path.parent)
        try:
            _wipe(old)
        except OSError as exc:  # the new file is in place: this is only tidying up
            log.warning("could not overwrite the replaced history file: %s", exc)
    return True


def _wipe(handle: Any) -> None:
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    zeros = bytes(_WIPE_CHUNK)
    left = size
    while left > 0:
        n = min(left, _WIPE_CHUNK)
        handle.write(zeros[:n])
        left -= n
    handle.flush()
    os.fsync(handle.fileno())


def _failed(path: Path, exc: BaseException, encrypting: bool) -> HybridDesktopError:
    what = "encrypted" if encrypting else "decrypted"
    if is_disk_full(exc, path):
        from hybrid_desktop.errors import DiskFullError

        return DiskFullError(
            f"The disk is full, so the history could not be {what}: the converted copy needs "
            f"about as much space as {path} itself. Nothing was changed.",
        )
    log.error("converting history %s failed", path, exc_info=exc)
    return StorageError(
        f"The history {path} could not be {what}: {exc}. Nothing was changed.",
        "See the log file for details.",
    )


def _remove_copy(copy: Path) -> None:
    for leftover in (copy, copy.with_name(copy.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _make_private(copy: Path) -> None:
    """Create the (empty) copy as the user's alone before SQLite writes to it."""
    copy.touch(mode=FILE_MODE, exist_ok=False)
    if os.name == "posix":
        copy.chmod(FILE_MODE)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
