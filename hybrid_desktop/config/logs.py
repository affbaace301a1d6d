"""Logging set-up: a rotating log file in the app's log folder, tracebacks included.

The screen shows short messages; the log keeps the detail. Prompt text and secrets are never
logged at INFO or above.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"
_configured_file: Path | None = None


def setup_logging(log_file: Path | None, level: int = logging.INFO) -> Path | None:
    """Send log records to ``log_file`` (rotating, 1 MB x 5). Returns the file in use, or ``None``.

    When the file cannot be opened, records go to stderr at WARNING and above instead, so a broken
    log folder never stops the app.
    """
    global _configured_file
    root = logging.getLogger()
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
        handler.setLevel(level)
        used = log_file
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    setattr(handler, "_hybrid_desktop", True)  # noqa: B010
    root.addHandler(handler)
    root.setLevel(level)
    # Presidio lists every recognizer it loads at INFO: noise in a user's log.
    logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
    _configured_file = used
    return used
