"""The key of the encrypted history, kept in the OS keyring: never in a file, a log or a message.

One random 256-bit key per history file, stored as 64 hex digits under the app's keyring service
(``hybrid-desktop``, beside the Anthropic API key) with the entry name
``history-key:<absolute path of history.db>``, so that two installs on one account (a portable
one through ``HYBRID_DESKTOP_HOME``) keep their keys apart. A plaintext keyring backend is refused,
as it is for the API key (``config.secrets``).

Every failure is a :class:`HistoryKeyError` whose ``kind`` says which: ``no-keyring`` (no
usable backend), ``locked`` (the user did not unlock it), ``refused`` (the backend failed), or
``malformed`` (the entry holds something that is not a key).
"""

from __future__ import annotations

import logging
import secrets as random_source
from pathlib import Path

from hybrid_desktop.config.secrets import SERVICE, backend_available
from hybrid_desktop.errors import SecretStoreError

__all__ = [
    "ENTRY_PREFIX",
    "KEY_BYTES",
    "SERVICE",
    "UNLOCK_HINT",
    "HistoryKeyError",
    "delete_key",
    "entry_name",
    "load_key",
    "new_key",
    "save_key",
]

log = logging.getLogger(__name__)

ENTRY_PREFIX = "history-key:"
KEY_BYTES = 32

NO_KEYRING_HINT = (
    "This session has no OS keyring (on Linux: a Secret Service such as GNOME Keyring or "
    "KWallet, unlocked). Start one and try again."
)
UNLOCK_HINT = (
    "Unlock the OS keyring (on Linux: log in to GNOME Keyring or KWallet, or unlock it in "
    "Passwords and Keys; on macOS: the login keychain) and try again."
)


class HistoryKeyError(SecretStoreError):
    """The history key cannot be read, saved or removed; ``kind`` says why."""

    def __init__(self, kind: str, message: str, hint: str) -> None:
        super().__init__(message, hint)
        self.kind = kind


def entry_name(database: Path) -> str:
    """The keyring entry (username) that holds the key of ``database``."""
    return ENTRY_PREFIX + str(database.expanduser().resolve())


def new_key() -> bytes:
    return random_source.token_bytes(KEY_BYTES)


def _keyring_or_fail() -> str:
    ok, name = backend_available()
    if not ok:
        raise HistoryKeyError(
            "no-keyring",
            f"There is no usable OS keyring to hold the history key ({name}).",
            NO_KEYRING_HINT,
        )
    return name


def _failure(action: str, exc: Exception) -> HistoryKeyError:
    from keyring.errors import KeyringLocked

    # The exception text may echo the secret in some backends: only its type is passed on.
    log.warning("%s the history key in the keyring failed: %s", action, type(exc).__name__)
    if isinstance(exc, KeyringLocked):
        return HistoryKeyError("locked", "The OS keyring is locked.", UNLOCK_HINT)
    return HistoryKeyError(
        "refused",
        f"The OS keyring refused {action} the history key ({type(exc).__name__}).",
        UNLOCK_HINT,
    )


def load_key(database: Path) -> bytes | None:
    """The key of ``database`` from the keyring, or None when it holds none. Raises
    :class:`HistoryKeyError` when the keyring is missing, locked or fails."""
    _keyring_or_fail()
    import keyring

    try:
        stored = keyring.get_password(SERVICE, entry_name(database))
    except Exception as exc:
        raise _failure("reading", exc) from None
    if stored is None:
        return None
    try:
        key = bytes.fromhex(stored.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise HistoryKeyError(
            "malformed",
            f"The keyring entry {entry_name(database)!r} does not hold a history key.",
            "Restore the entry from a backup of the keyring; nothing was deleted.",
        )
    return key


def save_key(database: Path, key: bytes) -> str:
    """Store ``key`` for ``database`` and read it back to be sure it is there; returns the
    backend's name. Raises :class:`HistoryKeyError`."""
    if len(key) != KEY_BYTES:
        raise ValueError("a history key is 32 bytes")
    backend = _keyring_or_fail()
    import keyring

    try:
        keyring.set_password(SERVICE, entry_name(database), key.hex())
        stored = keyring.get_password(SERVICE, entry_name(database))
    except Exception as exc:
        raise _failure("saving", exc) from None
    if stored != key.hex():
        raise HistoryKeyError(
            "refused",
            "The OS keyring did not keep the history key (reading it back gave something else).",
            UNLOCK_HINT,
        )
    return backend


def delete_key(database: Path) -> bool:
    """Remove the key of ``database``; False when there was none. Raises HistoryKeyError."""
    _keyring_or_fail()
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, entry_name(database))
    except PasswordDeleteError:
        return False
    except Exception as exc:
        raise _failure("removing", exc) from None
    return True
