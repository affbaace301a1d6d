"""The services every face of the app shares, as one object that ``hybrid_desktop.app`` (the
composition root) builds once and hands to the GUI, the self-test, the CLI or the benchmark.

Nothing heavy happens on construction: the privacy gate loads Presidio on first use, the cloud
client is made on the first cloud turn, the database opens on :meth:`Services.open_storage`
(the GUI calls it after its first paint; the CLI when a command needs history) and the local
model loads where :meth:`Services.load_local` is called (the GUI's model worker, or the CLI's
first local turn).

History connections are per thread (SQLite's rule): :meth:`Services.history` gives the calling
thread its store, made once and reused. In the GUI every one of them hands its writes to the one
serial writer made by ``make_writer``.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from hybrid_desktop import APP_ID
from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.cloud_tier import CloudTier
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.storage.writes import Writer

if TYPE_CHECKING:
    from hybrid_desktop.core.chat import ChatService
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.privacy.gate import PrivacyGate
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)


class ClosableWriter(Writer, Protocol):
    """What ``make_writer`` returns: a ``storage.db.Writer`` that makes readers and closes."""

    def reader(self) -> HistoryStore: ...

    def close(self) -> None: ...


class Services:
    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        gate: PrivacyGate,
        cloud: CloudTier,
        *,
        problems: list[str] | None = None,
        make_writer: Callable[[Path], ClosableWriter] | None = None,
        temporary_fallback: bool = False,
    ) -> None:
        self.paths = paths
        self.settings = settings
        self.gate = gate
        self.cloud = cloud
        self.network = cloud.network
        from hybrid_desktop.core.edge_tier import EdgeTier

        #: The servers on the user's network (nothing is contacted until a turn needs one).
        self.edge = EdgeTier(settings, gate)
        #: Start-up problems to show once (a broken settings file, an unusable data folder).
        self.problems = list(problems or [])
        self._make_writer = make_writer
        #: Keep working on a temporary folder when the data folder or database is unusable (the
        #: GUI); otherwise the error is the caller's (the CLI reports it and exits).
        self._temporary_fallback = temporary_fallback
        self.writer: ClosableWriter | None = None
        self._local = threading.local()
        self._stores: list[HistoryStore] = []
        self._lock = threading.Lock()
        self._storage_open = False

    # settings ----------------------------------------------------------------------------------

    def update_settings(self, settings: Settings) -> None:
        """Saved new settings: the gate's policy and the cloud tier follow at once. (Each chat
        service hears of them from its own thread: see ``ChatService.update_settings``.)"""
        from hybrid_desktop.core.privacy.gate import PrivacyPolicy

        self.settings = settings
        self.gate.set_policy(PrivacyPolicy.from_settings(settings))
        self.cloud.configure(settings)
        self.edge.configure(settings)

    # storage -----------------------------------------------------------------------------------

    def open_storage(self) -> None:
        """Open (and migrate, once) the history database; idempotent.

        With ``temporary_fallback``, when the data folder is unusable the app keeps working on a
        temporary folder, and says so in :attr:`problems`.
        """
        with self._lock:
            if self._storage_open:
                return
            try:
                self.paths.ensure()
                self._apply_history_encryption()
                self._open(self.paths)
            except HybridDesktopError as exc:
                if not self._temporary_fallback:
                    raise
                log.error("data folder unusable: %s", exc.message, exc_info=True)
                temporary = AppPaths.under(Path(tempfile.mkdtemp(prefix=f"{APP_ID}-")))
                self.paths = AppPaths(
                    temporary.data_dir,
                    self.paths.config_dir,
                    temporary.log_dir,
                    temporary.cache_dir,
                )
                self.paths.data_dir.mkdir(parents=True, exist_ok=True)
                self.problems.append(
                    f"{exc.message} {exc.hint} Until then, this session's conversations are kept "
                    "in a temporary folder and will not be saved."
                )
                self._open(self.paths)
            self._storage_open = True

    def _apply_history_encryption(self) -> None:
        """Encrypt or decrypt history as Settings → Privacy asks, before this process opens it
        (a failure leaves it as it was, and says why in :attr:`problems`)."""
        if self.settings.encrypt_history is None:
            return
        from hybrid_desktop.storage.encryption import apply_setting

        problem = apply_setting(self.paths.database, self.settings.encrypt_history)
        if problem:
            self.problems.append(problem)

    def _open(self, paths: AppPaths) -> None:
        from hybrid_desktop.storage.history import HistoryStore

        if self._make_writer is not None:
            self.writer = self._make_writer(paths.database)
        else:
            HistoryStore(paths.database).close()  # create and migrate, once

    @property
    def storage_open(self) -> bool:
        return self._storage_open

    def history(self) -> HistoryStore:
        """The calling thread's history store (opened on first use, then reused)."""
        store: HistoryStore | None = getattr(self._local, "store", None)
        if store is None:
            from hybrid_desktop.storage.history import HistoryStore

            self.open_storage()
            if self.writer is not None:
                store = self.writer.reader()
            else:
                store = HistoryStore(self.paths.database, run_migrations=False)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def close_history(self) -> None:
        """Close the calling thread's store (a thread that ends closes its own)."""
        store: HistoryStore | None = getattr(self._local, "store", None)
        if store is not None:
            self._local.store = None
            with self._lock:
                if store in self._stores:
                    self._stores.remove(store)
            store.close()

    def close(self) -> None:
        """At exit, after the threads that used history have ended: the writer last."""
        self.close_history()
        with self._lock:
            stores, self._stores = self._stores, []
        for store in stores:
            try:
                store.close()
            except Exception:  # a connection of an ended thread: closing it is best effort
                log.debug("closing a history connection failed", exc_info=True)
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    # answering ---------------------------------------------------------------------------------

    def load_local(self) -> LocalEngine:
        """Check the configured model file, then load it (slow: call off the GUI thread)."""
        from hybrid_desktop.core.engines.local import LocalEngine
        from hybrid_desktop.core.models import resolve_model_path

        settings = self.settings
        path = resolve_model_path(settings.model_path)
        return LocalEngine.load(path, settings.n_ctx, settings.n_threads)

    def chat_service(self) -> ChatService:
        """A chat service for the calling thread (the CLI's), over its history store and the
        shared cloud tier; the local model loads when a turn first needs it. (The GUI's model
        worker builds its own, around the model it loaded.)"""
        from hybrid_desktop.core.chat import ChatService

        return ChatService(
            None,
            self.history(),
            self.settings,
            cloud=self.cloud,
            engine_factory=self.load_local,
            edge=self.edge,
        )
