"""Long jobs of the Models dialog (downloads, quantize and prune), each on its own thread.

Downloads and derivations run for minutes, so each gets its own Python thread instead of a place
in the app's short-job pool (:mod:`workers.tasks`, two threads shared with the privacy scans): a
long download must not hold back a privacy check. Like the pool's jobs, a :class:`Job` reports
back through queued signals of a QObject that lives in the GUI thread, and every exception comes
back as a value. The Job is owned by Python (the dialog keeps it) and is never handed to
``deleteLater``: PySide6 crashes when Qt deletes a Python-owned object that a Python reference
still holds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from hybrid_desktop.errors import HybridDesktopError

log = logging.getLogger(__name__)

#: How a job reports progress: one value, sent to the GUI thread by a queued signal.
Report = Callable[[object], None]


class Job(QObject):
    """One long job on its own thread; ``progress``, ``done`` and ``failed`` arrive queued in
    the GUI thread (the QObject lives there; the worker thread only emits)."""

    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, name: str, fn: Callable[[Report], Any]) -> None:
        super().__init__()
        self.name = name
        self._fn = fn
        self._thread = threading.Thread(target=self._run, name=f"models-{name}", daemon=True)
        self.finished = False

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            result = self._fn(self.progress.emit)
        except BaseException as exc:  # every failure goes back as a value
            if not isinstance(exc, HybridDesktopError):
                log.error("models job %s failed", self.name, exc_info=exc)
            self.failed.emit(exc)
        else:
            self.done.emit(result)

    def wait(self, timeout_s: float) -> bool:
        """Wait for the thread to end (dialog close, tests); True when it has."""
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        return not self._thread.is_alive()
