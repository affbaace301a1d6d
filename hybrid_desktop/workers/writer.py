"""The one history writer: a thread that owns the only connection that writes SQLite.

Every store of the GUI process (the window's, the model worker's) reads on its own connection and
hands its writes here (``storage.db.serialised``), so writes are serialised inside the app rather
than kept apart by a busy timeout, and the GUI thread never writes SQLite itself. The writer
opens the database, and runs its migrations, once at start-up.

A write is short (one transaction, a few milliseconds); callers wait for its result, so what a
write method returns is on disk, exactly as without a writer.

On a full disk, the answers kept in memory (``storage.history.UnsavedMessages``) are the
writer's, shared with every reader it makes, so each window's view shows them until a later
write, or :meth:`HistoryStore.save_unsaved`, puts them on disk; closing tries once more.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from hybrid_desktop.storage.history import HistoryStore, UnsavedMessages

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How often the writer checks that the history's journal is still the file it opened.
CHECK_FILES_S = 1.0


class SerialWriter:
    """Runs write jobs one at a time on its own thread, against its own :class:`HistoryStore`."""

    def __init__(self, path: Path) -> None:
        """Open (and migrate) the database on the writer thread; raises what opening raises."""
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-writer")
        self._thread: threading.Thread | None = None
        self._store: HistoryStore | None = None
        self._closed = False
        #: Messages waiting for disk space, shared by the writer's store and its readers.
        self.unsaved = UnsavedMessages()
        try:
            self._executor.submit(self._open).result()
        except BaseException:
            self._executor.shutdown(wait=True)
            raise
        # A journal deleted under the app is saved into the main file within a second, not at
        # the next write: another process cannot read the history until then (storage.wal_guard).
        self._stop = threading.Event()
        threading.Thread(target=self._tick, name="history-writer-check", daemon=True).start()

    def _tick(self) -> None:
        while not self._stop.wait(CHECK_FILES_S):
            try:
                self._executor.submit(self._check_files)
            except RuntimeError:  # shut down meanwhile
                return

    def _check_files(self) -> None:
        if self._store is None:
            return
        try:
            self._store.check_files()
        except Exception:  # the next read or write tries again, and reports what still fails
            log.warning("checking the history's files failed", exc_info=True)

    def _open(self) -> None:
        self._thread = threading.current_thread()
        self._store = HistoryStore(self.path, unsaved=self.unsaved)

    def call(self, job: Callable[[HistoryStore], T]) -> T:
        """Run ``job(store)`` on the writer thread and return (or raise) its result."""
        if threading.current_thread() is self._thread:  # a write made by a write
            assert self._store is not None
            return job(self._store)
        if self._closed:
            raise RuntimeError("the history writer is closed")
        return self._executor.submit(self._run, job).result()

    def _run(self, job: Callable[[HistoryStore], T]) -> T:
        assert self._store is not None
        return job(self._store)

    def reader(self) -> HistoryStore:
        """A read connection for the calling thread whose writes come here."""
        return HistoryStore(self.path, writer=self, unsaved=self.unsaved)

    def close(self) -> None:
        """Finish the queued writes, then close the connection and end the thread."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()

        def close_store() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._executor.submit(close_store).result()
        self._executor.shutdown(wait=True)
