"""Logging set-up: a rotating log file in the app's log folder, tracebacks included.

The screen shows short messages; the log keeps the detail. Prompt text and secrets are never
logged at INFO or above.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_configured_file: Path | None = None


class _EarlyRecords(logging.Handler):
    """Keeps the records logged before the log file is open (the GUI opens it after its first
    paint, since ``logging.handlers`` alone costs ~11 ms of start-up); ``setup_logging`` writes
    them to the file. Not ``logging.handlers.MemoryHandler``: it lives in that same module."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < 1000:
            self.records.append(record)


def _drop_record(record: logging.LogRecord) -> None:
    """The log file's ``handleError``: the record is lost, quietly; the app carries on."""


def keep_early_records(level: int = logging.INFO) -> None:
    """Hold the log records of start-up in memory until :func:`setup_logging` runs."""
    root = logging.getLogger()
    if not any(isinstance(h, _EarlyRecords) for h in root.handlers):
        root.addHandler(_EarlyRecords())
        root.setLevel(level)


def setup_logging(log_file: Path | None, level: int = logging.INFO) -> Path | None:
    """Send log records to ``log_file`` (rotating, 1 MB x 5). Returns the file in use, or ``None``.

    When the file cannot be opened, records go to stderr at WARNING and above instead, so a broken
    log folder never stops the app.
    """
    import logging.handlers

    global _configured_file
    root = logging.getLogger()
    early = [h for h in root.handlers if isinstance(h, _EarlyRecords)]
    for h in early:
        root.removeHandler(h)
    if _configured_file is not None and _configured_file == log_file:
        return log_file
    for old in list(root.handlers):
        if getattr(old, "_hybrid_desktop", False):
            root.removeHandler(old)
            old.close()
    handler: logging.Handler
    used: Path | None = None
    try:
        if log_file is None:
            raise OSError("no log file")
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        # A record that cannot be written (a full disk) is dropped: logging's default prints a
        # traceback on the user's terminal.
        setattr(handler, "handleError", _drop_record)  # noqa: B010
        handler.setLevel(level)
        used = log_file
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    setattr(handler, "_hybrid_desktop", True)  # noqa: B010
    root.addHandler(handler)
    root.setLevel(level)
    for h in early:
        for record in h.records:
            if record.levelno >= handler.level:
                handler.handle(record)
    # Presidio lists every recognizer it loads at INFO: noise in a user's log.
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
    _configured_file = used
    return used
