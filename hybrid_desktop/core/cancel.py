"""A stop request that also closes what the answer is blocked on.

A turn is stopped by setting its :class:`Cancellation` (Ctrl+C in the CLI's signal handler, Stop
or closing the window in the GUI). It is a :class:`threading.Event`, so engines that check a flag
between tokens keep doing so; an engine that can block elsewhere (the cloud one, reading a silent
socket) registers a closer with :meth:`Cancellation.closing`, and :meth:`set` runs it at once, in
the stopping thread. Nothing here starts a thread.

Closers run inside a signal handler too, so they must be quick, take no lock the interrupted code
may hold, and never raise (a failing closer is logged and the others still run).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

Closer = Callable[[], None]


class Cancellation(threading.Event):
    """``set()`` stops the turn: the flag is raised, then every registered closer runs."""

    def __init__(self) -> None:
        super().__init__()
        self._closers: list[Closer] = []
        # Re-entrant: a signal handler may run set() while this thread is inside closing().
        self._lock = threading.RLock()

    def set(self) -> None:
        super().set()
        with self._lock:
            closers = list(self._closers)
        for closer in closers:
            _run(closer)

    @contextmanager
    def closing(self, closer: Closer) -> Iterator[None]:
        """Run ``closer`` if the turn is stopped while the block runs (at once if it already is)."""
        with self._lock:
            self._closers.append(closer)
        try:
            if self.is_set():
                _run(closer)
            yield
        finally:
            with self._lock:
                self._closers.remove(closer)


def _run(closer: Closer) -> None:
    try:
        closer()
    except Exception:  # a closer must not stop the others, nor the signal handler
        log.warning("a cancellation closer failed", exc_info=True)
