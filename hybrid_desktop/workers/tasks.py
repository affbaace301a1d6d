"""Short jobs off the GUI thread (a privacy scan, a history export), results posted back.

The pattern of MusicBrainz Picard's ``run_task``: the job runs on a ``QThreadPool`` thread; its
result or exception comes back to the GUI thread through a queued signal. The app makes one
:class:`TaskRunner` for all its short jobs (privacy scans, network probes, model lists, spend
reads). Jobs may run side by side: what must not (the privacy gate's detector) locks itself. A
``tag`` names a kind of job so a caller can skip starting a second one while one runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Lives in the GUI thread; the pool thread emits, Qt queues the call back."""

    done = Signal(object, object)  # result, exception


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _Bridge) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._bridge = bridge

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # every failure goes back as a value
            log.debug("task failed", exc_info=True)
            self._bridge.done.emit(None, exc)
        else:
            self._bridge.done.emit(result, None)


class TaskRunner:
    """Runs callables on its own thread pool (one thread unless told otherwise)."""

    def __init__(self, max_threads: int = 2) -> None:
        self.pool = QThreadPool()
        self.pool.setObjectName("tasks")
        self.pool.setMaxThreadCount(max_threads)
        self._pending: dict[_Bridge, str] = {}

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        tag: str = "",
    ) -> None:
        bridge = _Bridge()
        self._pending[bridge] = tag

        def finish(result: Any, error: BaseException | None) -> None:
            self._pending.pop(bridge, None)
            if error is None:
                on_done(result)
            else:
                on_error(error)

        bridge.done.connect(finish)
        self.pool.start(_Job(fn, bridge))

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def running(self, tag: str) -> bool:
        """Whether a job of this kind is queued or running."""
        return tag in self._pending.values()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for the running jobs (at shutdown). Results not yet delivered are dropped."""
        return bool(self.pool.waitForDone(timeout_ms))
