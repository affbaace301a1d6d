"""The exception tree of Hybrid Desktop.

Every error a user can meet is a :class:`HybridDesktopError`. Each carries a ``message`` that says
what happened and a ``hint`` that says what to do. Both are safe to show on screen: they never
contain secrets or prompt text. Tracebacks go to the log file, never to the user.

::

    HybridDesktopError
    ├── ModelError                  the local model cannot be used
    │   ├── ModelNotFoundError      no file at the configured path / embedded package missing
    │   ├── ModelFileError          the file is not GGUF, is truncated, or is unreadable
    │   ├── ModelLoadError          llama.cpp refused the file (out of memory, unsupported arch)
    │   ├── CatalogueError          the model catalogue file is unreadable or breaks its schema
    │   ├── DownloadError           a model download failed (HTTP error, drop after all retries)
    │   │   ├── DownloadCancelledError      the user cancelled (the partial file is deleted)
    │   │   ├── DownloadChecksumError       the file's sha256 is not the expected one
    │   │   ├── DownloadOfflineError        Offline mode is on
    │   │   └── DownloadDiskFullError       not enough free disk (before or while writing)
    │   └── QuantizeError           quantize/prune failed, or its output does not load or answer
    │       └── QuantizeCancelledError      the user cancelled (the partial file is deleted)
    ├── PromptError                 the request cannot be sent as it is
    │   ├── EmptyPromptError        nothing but whitespace
    │   └── ContextOverflowError    the new message alone does not fit the context window
    ├── GenerationError             the engine failed while answering
    ├── RouteUnavailableError       the requested tier (e.g. cloud) cannot serve the request
    ├── CloudError                  the cloud tier failed (carries any partial answer)
    │   ├── CloudAuthError          the API key was rejected (401/403)
    │   ├── CloudBusyError          rate limit or overload (429, 529)
    │   ├── CloudServerError        a server error (5xx)
    │   ├── CloudTimeoutError       no answer in time
    │   ├── CloudConnectionError    no connection (offline, DNS, refused)
    │   ├── CloudStreamCutError     the answer stopped mid-stream
    │   └── CloudRequestError       the request was refused (400: too long, unknown model)
    ├── SecretStoreError            the OS keyring is unavailable or refused
    ├── StorageError                history could not be read or written
    │   ├── DataDirError            the data directory cannot be created or written
    │   ├── DiskFullError           the disk holding history is full (reads still work)
    │   ├── HistoryLockedError      encrypted history whose key cannot be had or does not fit
    │   ├── HistoryFileError        an export cannot be written, or an import file is unusable
    │   └── NotFoundError           no conversation with that id
    └── SettingsError               the settings file is unreadable or invalid
"""

from __future__ import annotations


class HybridDesktopError(Exception):
    """Base class: a failure the user should be told about in plain words."""

    default_hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def user_text(self) -> str:
        """The message and the hint, as one paragraph for a status line or dialog."""
        return f"{self.message} {self.hint}".strip()


class ModelError(HybridDesktopError):
    default_hint = "Choose another GGUF model file in Settings → Model, or use the embedded model."


class ModelNotFoundError(ModelError):
    pass


class ModelFileError(ModelError):
    pass


class ModelLoadError(ModelError):
    pass


class CatalogueError(ModelError):
    default_hint = "Reinstall Hybrid Desktop, or fix the catalogue file named in the message."


class DownloadError(ModelError):
    default_hint = "Check the network connection and run the same command again: it resumes."


class DownloadCancelledError(DownloadError):
    default_hint = ""


class DownloadChecksumError(DownloadError):
    default_hint = (
        "Try again. If it keeps happening, the file on the server changed (check the expected "
        "sha256) or something on the network alters downloads."
    )


class DownloadOfflineError(DownloadError):
    default_hint = "Turn Offline mode off (Settings → Cloud, or the tray menu) to download models."


class DownloadDiskFullError(DownloadError):
    default_hint = "Free some space on the disk that holds the models folder, then try again."


class QuantizeError(ModelError):
    default_hint = "The source model is unchanged and nothing was added to the models folder."


class QuantizeCancelledError(QuantizeError):
    default_hint = ""


class PromptError(HybridDesktopError):
    pass


class EmptyPromptError(PromptError):
    default_hint = "Type a question or instruction first."


class ContextOverflowError(PromptError):
    default_hint = (
        "Shorten the message, or raise the context size in Settings → Model "
        "(a larger context uses more memory)."
    )


class GenerationError(HybridDesktopError):
    default_hint = "Try again. If it keeps happening, see the log file (Help → Open Log Folder)."


class RouteUnavailableError(HybridDesktopError):
    pass


class StorageError(HybridDesktopError):
    default_hint = "See the log file for details."


class DataDirError(StorageError):
    default_hint = (
        "Fix the folder's permissions or free some space, or set HYBRID_DESKTOP_HOME "
        "to a writable folder."
    )


class DiskFullError(StorageError):
    default_hint = (
        "Free some space on the disk that holds the data folder; reading your history still works."
    )


class HistoryLockedError(StorageError):
    """The history is encrypted and cannot be opened: no keyring, a locked one, no key, or a
    key that does not fit. Nothing was changed or deleted."""

    default_hint = "Nothing was deleted: the history opens again once its key can be read."


class HistoryFileError(StorageError):
    """An export file cannot be written, or a file to import cannot be read or is not in the
    expected format. Nothing was written or imported."""

    default_hint = "Nothing was imported or changed."


class NotFoundError(StorageError):
    default_hint = "Run `hybrid-desktop history list` to see the conversations that exist."


class SettingsError(HybridDesktopError):
    default_hint = "Fix or delete the settings file; defaults are used meanwhile."


class CloudError(HybridDesktopError):
    """The cloud tier failed. ``partial`` holds any answer text that arrived before the failure."""

    default_hint = "The local model can answer instead."

    def __init__(self, message: str, hint: str | None = None, partial: str = "") -> None:
        super().__init__(message, hint)
        self.partial = partial


class CloudAuthError(CloudError):
    default_hint = "Open Settings → Cloud to replace the API key, or run `hybrid-desktop key set`."


class CloudBusyError(CloudError):
    default_hint = "Wait a minute and try again; the local model can answer meanwhile."

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        partial: str = "",
        retry_after_s: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, hint, partial)
        #: The wait the service asked for (``Retry-After``), when it said; the HTTP status.
        self.retry_after_s = retry_after_s
        self.status = status


class CloudServerError(CloudError):
    pass


class CloudTimeoutError(CloudError):
    pass


class CloudConnectionError(CloudError):
    default_hint = "Check the network connection; the local model works offline."


class CloudPortalError(CloudConnectionError):
    """The network answered for the service with a sign-in page or a redirect (a captive
    portal): the network probe's cached verdict becomes ``captive_portal`` (core/network.py)."""


class CloudStreamCutError(CloudError):
    pass


class CloudRequestError(CloudError):
    pass


class EdgeError(CloudError):
    """An edge server (on the user's network) failed. ``kind`` says how: ``connection``,
    ``timeout``, ``loading`` (the model is still loading), ``server`` (5xx), ``cut`` (the stream
    stopped mid-answer), ``auth``, ``busy`` or ``request``; ``server`` names it."""

    default_hint = "Check the server in Settings → Edge; the next tier answers instead."

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        partial: str = "",
        kind: str = "connection",
        server: str = "",
    ) -> None:
        super().__init__(message, hint, partial)
        self.kind = kind
        self.server = server


class SecretStoreError(HybridDesktopError):
    """The OS keyring is missing, locked or refused the operation."""
