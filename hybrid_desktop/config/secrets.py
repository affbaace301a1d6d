"""The Anthropic API key: kept in the OS keyring, never in a file, a log or an error message.

Lookup order (as Simon Willison's ``llm`` does it): the OS keyring (service ``hybrid-desktop``),
then the ``ANTHROPIC_API_KEY`` environment variable. When the OS has no keyring backend (a bare
Linux session without a Secret Service), saving fails with a plain message: the user can export
``ANTHROPIC_API_KEY`` instead. A plaintext fallback is never chosen silently.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass

from hybrid_desktop.errors import SecretStoreError

log = logging.getLogger(__name__)

SERVICE = "hybrid-desktop"
USERNAME = "anthropic-api-key"
ENV_VAR = "ANTHROPIC_API_KEY"

NO_BACKEND_HINT = (
    "This session has no OS keyring (on Linux: a Secret Service such as GNOME Keyring or KWallet, "
    f"unlocked). Start one, or set the environment variable {ENV_VAR} instead."
)


@dataclass(frozen=True)
class KeyStatus:
    present: bool
    #: ``keyring``, ``environment`` or ``none``.
    source: str
    #: The keyring backend's name, or why there is none.
    backend: str

    def describe(self) -> str:
        if self.source == "keyring":
            return f"An API key is set in the OS keyring ({self.backend})."
        if self.source == "environment":
            return f"An API key is set by the environment variable {ENV_VAR}."
        return "No API key is set."


def _backend() -> object:
    import keyring

    return keyring.get_keyring()


def backend_available() -> tuple[bool, str]:
    """Whether a usable keyring backend exists, and its name (or why not)."""
    try:
        from keyring.backends import fail

        backend = _backend()
    except Exception as exc:  # a broken keyring install must not break the app
        log.warning("keyring unavailable", exc_info=True)
        return False, f"keyring error: {type(exc).__name__}"
    if isinstance(backend, fail.Keyring):
        return False, "no keyring backend"
    name = str(getattr(backend, "name", "") or type(backend).__name__)
    if "plaintext" in name.lower():
        return False, f"{name} (plaintext, refused)"
    return True, name


def get_api_key() -> tuple[str | None, str]:
    """The key and where it came from (``keyring``, ``environment`` or ``none``)."""
    ok, _name = backend_available()
    if ok:
        try:
            import keyring

            key = keyring.get_password(SERVICE, USERNAME)
        except Exception as exc:
            log.warning("reading the keyring failed: %s", type(exc).__name__)
            key = None
        if key:
            return key, "keyring"
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env, "environment"
    return None, "none"


def key_status() -> KeyStatus:
    ok, name = backend_available()
    key, source = get_api_key()
    return KeyStatus(key is not None, source, name if ok else f"unavailable: {name}")


def set_api_key(key: str) -> str:
    """Store ``key`` in the OS keyring; returns the backend's name. Raises SecretStoreError."""
    key = key.strip()
    if not key:
        raise SecretStoreError("The API key is empty.", "Paste the key from the Anthropic Console.")
    if any(c.isspace() for c in key):
        raise SecretStoreError(
            "The API key contains spaces or line breaks.", "Paste the key exactly as issued."
        )
    ok, name = backend_available()
    if not ok:
        raise SecretStoreError(f"The API key cannot be saved: {name}.", NO_BACKEND_HINT)
    try:
        import keyring

        keyring.set_password(SERVICE, USERNAME, key)
    except Exception as exc:
        # The exception text may echo the secret in some backends: never pass it on.
        log.warning("saving to the keyring failed: %s", type(exc).__name__)
        raise SecretStoreError(
            f"The OS keyring refused to save the key ({type(exc).__name__}).",
            "Unlock the keyring (on Linux: log in to GNOME Keyring or KWallet) and try again.",
        ) from None
    return name


def delete_api_key() -> bool:
    """Remove the key from the keyring. Returns False when there was none there."""
    ok, name = backend_available()
    if not ok:
        raise SecretStoreError(f"The OS keyring is not available: {name}.", NO_BACKEND_HINT)
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, USERNAME)
    except PasswordDeleteError:
        return False
    except Exception as exc:
        log.warning("deleting from the keyring failed: %s", type(exc).__name__)
        raise SecretStoreError(
            f"The OS keyring refused to delete the key ({type(exc).__name__}).",
            "Unlock the keyring and try again.",
        ) from None
    return True


# edge servers ------------------------------------------------------------------------------------


def _edge_user(name: str) -> str:
    return f"edge-server:{name.lower()}"


def get_edge_key(name: str) -> str | None:
    """The API key of edge server ``name`` from the keyring (None: none, or no keyring)."""
    ok, _backend_name = backend_available()
    if not ok:
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, _edge_user(name)) or None
    except Exception as exc:
        log.warning("reading an edge key from the keyring failed: %s", type(exc).__name__)
        return None


def set_edge_key(name: str, key: str) -> str:
    """Keep edge server ``name``'s API key in the keyring; returns the backend's name."""
    key = key.strip()
    if not key or any(c.isspace() for c in key):
        raise SecretStoreError(
            "The edge server's API key is empty or contains spaces.", "Paste the key as issued."
        )
    ok, backend_name = backend_available()
    if not ok:
        raise SecretStoreError(
            f"The edge server's key cannot be saved: {backend_name}.", NO_BACKEND_HINT
        )
    try:
        import keyring

        keyring.set_password(SERVICE, _edge_user(name), key)
    except Exception as exc:
        log.warning("saving an edge key to the keyring failed: %s", type(exc).__name__)
        raise SecretStoreError(
            f"The OS keyring refused to save the key ({type(exc).__name__}).",
            "Unlock the keyring and try again.",
        ) from None
    return backend_name


def delete_edge_key(name: str) -> None:
    """Forget edge server ``name``'s key (nothing happens when there is none, or no keyring)."""
    ok, _backend_name = backend_available()
    if not ok:
        return
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(SERVICE, _edge_user(name))
    except Exception as exc:
        log.warning("deleting an edge key from the keyring failed: %s", type(exc).__name__)
