"""The model worker: one long-lived QObject on its own QThread that owns the local engine.

The GUI talks to it only through queued signals (``request_load``, ``request_turn``) and hears back
through its signals. Stop is the exception: the GUI sets the request's ``threading.Event`` directly,
because a queued signal would wait behind the running generation.

Every exception in a slot becomes a ``failed``/``load_failed`` signal with a readable message; the
traceback goes to the log. The worker builds its chat service once, in its own thread (over that
thread's history store and the app's shared cloud tier), and keeps it: a new model or new
settings update it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.turns import TurnFailed, TurnRequest
from hybrid_desktop.errors import HybridDesktopError, ModelLoadError

if TYPE_CHECKING:
    from hybrid_desktop.core.chat import ChatService
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    n_ctx: int
    n_threads: int
    load_ms: float


@dataclass(frozen=True)
class TurnFailure:
    message: str
    #: Whether the user's message was stored before the failure (else the UI gives the text back).
    stored: bool
    conversation_id: int | None


class ModelWorker(QObject):
    # inputs (connect with Qt.QueuedConnection semantics: emitted from the GUI thread)
    request_load = Signal(object)  # Settings
    request_turn = Signal(int, object, object)  # request id, TurnRequest, TurnPlan or None
    request_plan = Signal(int, object)  # request id, TurnRequest: decide without answering
    request_settings = Signal(object)  # Settings that need no reload (sampling, system prompt)
    request_shutdown = Signal()

    # outputs
    loading = Signal(str)  # stage, for the status bar
    loaded = Signal(object)  # ModelInfo
    load_failed = Signal(str)
    turn_started = Signal(int, int)  # request id, conversation id (once the user message is stored)
    token = Signal(int, str)
    notice = Signal(int, str)
    planned = Signal(int, object)  # request id, TurnPlan
    fallback = Signal(int, str)  # request id, why the cloud answer was replaced by a local one
    routed = Signal(int, str, str)  # request id, route, reason (before the answer starts)
    finished = Signal(int, object)  # request id, TurnResult
    failed = Signal(int, object)  # request id, TurnFailure
    shut_down = Signal()

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._engine: LocalEngine | None = None
        self._service: ChatService | None = None
        self._settings = services.settings
        self._load_error: str = "The model is not loaded yet."
        self.request_load.connect(self._load)
        self.request_turn.connect(self._turn)
        self.request_plan.connect(self._plan)
        self.request_settings.connect(self._set_settings)
        self.request_shutdown.connect(self._shutdown)

    def _unavailable(self) -> Any:
        raise ModelLoadError(self._load_error, "")

    def _chat(self) -> ChatService:
        """The worker's one chat service, made on first use in this thread."""
        if self._service is None:
            from hybrid_desktop.core.chat import ChatService

            self._service = ChatService(
                self._engine,
                self.services.history(),
                self._settings,
                cloud=self.services.cloud,
                engine_factory=None if self._engine is not None else self._unavailable,
                edge=self.services.edge,
            )
        return self._service

    @Slot(object)
    def _set_settings(self, settings: Settings) -> None:
        self._settings = settings
        if self._service is not None:
            self._service.update_settings(settings)

    @Slot(object)
    def _load(self, settings: Settings) -> None:
        from hybrid_desktop.core.engines.local import LocalEngine
        from hybrid_desktop.core.gguf import inspect_gguf
        from hybrid_desktop.core.models import resolve_model_path

        self._set_settings(settings)
        self._close_engine()
        started = time.perf_counter()
        try:
            self.loading.emit("Checking the model file…")
            path = resolve_model_path(settings.model_path)
            info = inspect_gguf(path)
            self.loading.emit(f"Loading {path.name}…")
            engine = LocalEngine.load(path, settings.n_ctx, settings.n_threads, info)
        except HybridDesktopError as exc:
            log.warning("model load failed: %s", exc.message, exc_info=True)
            self._load_error = exc.user_text()
            self.load_failed.emit(self._load_error)
            return
        except Exception as exc:
            log.exception("unexpected error loading the model")
            self._load_error = f"The model could not be loaded ({type(exc).__name__}). See the log."
            self.load_failed.emit(self._load_error)
            return
        self._engine = engine
        if self._service is not None:
            self._service.set_engine(engine, None)
        self.loaded.emit(
            ModelInfo(
                engine.name,
                engine.path,
                engine.n_ctx,
                engine.n_threads,
                (time.perf_counter() - started) * 1000,
            )
        )

    @Slot(int, object)
    def _plan(self, request_id: int, request: TurnRequest) -> None:
        try:
            self.planned.emit(request_id, self._chat().plan(request))
        except HybridDesktopError as exc:
            self.failed.emit(
                request_id, TurnFailure(exc.user_text(), False, request.conversation_id)
            )
        except Exception as exc:
            log.exception("unexpected error while planning a turn")
            self.failed.emit(request_id, _unexpected(exc, request))

    @Slot(int, object, object)
    def _turn(self, request_id: int, request: TurnRequest, plan: Any) -> None:
        try:
            result = self._chat().ask(
                request,
                on_text=lambda text: self.token.emit(request_id, text),
                on_notice=lambda text: self.notice.emit(request_id, text),
                on_stored=lambda cid: self.turn_started.emit(request_id, cid),
                on_fallback=lambda why: self.fallback.emit(request_id, why),
                on_route=lambda d: self.routed.emit(request_id, d.route, d.reason),
                plan=plan,
            )
            self.finished.emit(request_id, result)
        except TurnFailed as exc:
            self.failed.emit(request_id, TurnFailure(exc.user_text(), True, exc.conversation_id))
        except HybridDesktopError as exc:
            self.failed.emit(
                request_id, TurnFailure(exc.user_text(), False, request.conversation_id)
            )
        except Exception as exc:
            log.exception("unexpected error in a turn")
            self.failed.emit(request_id, _unexpected(exc, request))

    def _close_engine(self) -> None:
        if self._engine is not None:
            if self._service is not None:
                self._service.set_engine(None, self._unavailable)
            self._engine.close()
            self._engine = None

    @Slot()
    def _shutdown(self) -> None:
        self._close_engine()
        self._service = None
        self.services.close_history()
        self.shut_down.emit()


class WorkerThread:
    """Starts a :class:`ModelWorker` on a QThread and stops it cleanly (never ``terminate``)."""

    def __init__(self, services: Services) -> None:
        self.thread = QThread()
        self.thread.setObjectName("model-worker")
        self.worker = ModelWorker(services)
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Release the model in its own thread, then end the thread. Returns False on timeout."""
        if not self.thread.isRunning():
            return True
        loop = QEventLoop()
        self.worker.shut_down.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        self.worker.request_shutdown.emit()
        loop.exec()
        self.thread.quit()
        return self.thread.wait(timeout_ms)


def _unexpected(exc: Exception, request: TurnRequest) -> TurnFailure:
    return TurnFailure(
        f"Something went wrong while answering ({type(exc).__name__}). "
        "Details are in the log file.",
        False,
        request.conversation_id,
    )
