"""The turn controller: the GUI side of the model worker.

It owns the request ids and the turns in flight (the window's and the Quick Prompt's), loads the
model and warms the privacy gate, and keeps :class:`~hybrid_desktop.ui.state.AppState` current
(model status, busy, the conversation list). Views ask through it and listen to its signals;
none of them talks to the worker directly.

The per-token signals (``token``, ``notice``, ``routed``, ``fallback``, ``turn_started``) are the
worker's own, passed through without an extra hop. ``finished`` and ``failed`` are too: the
controller connects to them first, so its bookkeeping is done before any view hears of them
(Qt calls slots in the order they were connected).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hybrid_desktop.core.turns import TurnPlan, TurnRequest
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui import message
from hybrid_desktop.workers.local_worker import ModelInfo, TurnFailure, WorkerThread

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.turns import TurnResult
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)

#: Settings whose change means loading the model again.
MODEL_FIELDS = ("model_path", "n_ctx", "n_threads")


@dataclass
class Turn:
    request_id: int
    request: TurnRequest
    conversation_id: int | None
    #: Who asked ("window", "quick"), for the views that filter by it.
    owner: str


class TurnController(QObject):
    #: A cloud plan waits for the user's look at what would leave: request id, TurnPlan.
    confirm_needed = Signal(int, object)
    #: The user cancelled at the confirmation; nothing was stored: request id, TurnRequest.
    cancelled = Signal(int, object)
    #: Any turn ended: a TurnResult or a TurnFailure.
    turn_done = Signal(object)
    model_loading = Signal(str)  # the loading stage, for the status bar
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(str)
    gate_ready = Signal(str)  # the spaCy model in use

    def __init__(self, state: AppState, worker: WorkerThread) -> None:
        super().__init__()
        self.state = state
        self.worker_thread = worker
        self.worker = w = worker.worker
        self.turns: dict[int, Turn] = {}
        self._ids = itertools.count(1)
        # Bookkeeping first: these connections are made before any view's.
        w.loading.connect(self.model_loading)
        w.loaded.connect(self._loaded)
        w.load_failed.connect(self._load_failed)
        w.turn_started.connect(self._started)
        w.planned.connect(self._planned)
        w.routed.connect(self._routed)
        w.finished.connect(self._finished)
        w.failed.connect(self._failed)
        self.token = w.token
        self.notice = w.notice
        self.routed = w.routed
        self.fallback = w.fallback
        self.turn_started = w.turn_started
        self.finished = w.finished
        self.failed = w.failed
        state.settings_changed.connect(self._settings_changed)

    # the model and the gate --------------------------------------------------------------------

    def load_model(self) -> None:
        self.state.set_model("loading")
        self.worker.request_load.emit(self.state.settings)

    def _loaded(self, info: ModelInfo) -> None:
        self.state.set_model("ready", info)
        self.warm_gate()
        self.model_ready.emit(info)

    def _load_failed(self, text: str) -> None:
        self.state.set_model("failed", None, text)
        message.error(text, offer_settings=True)
        self.model_failed.emit(text)

    def warm_gate(self) -> None:
        """Load the privacy gate in the background (spaCy and Presidio take about a second)."""
        if self.state.gate_state in ("loading", "ready"):
            return
        self.state.set_gate("loading")
        gate = self.state.services.gate
        self.state.tasks.run(gate.load, self.gate_loaded, self.gate_failed, tag="gate")

    def gate_loaded(self, detector: object) -> None:
        model = str(getattr(detector, "model_name", ""))
        self.state.set_gate(
            "ready", self.tr("Personal data is found on this device ({model}).").format(model=model)
        )
        self.gate_ready.emit(model)

    def gate_failed(self, error: BaseException) -> None:
        log.error("privacy gate failed", exc_info=error)
        text = (
            error.user_text()
            if isinstance(error, HybridDesktopError)
            else self.tr(
                "The privacy gate could not run ({error}); nothing will be sent off this device. "
                "Details are in the log file."
            ).format(error=type(error).__name__)
        )
        self.state.set_gate("failed", text)
        message.error(text)

    def _settings_changed(self, new: Settings, old: Settings) -> None:
        reload = any(getattr(new, f) != getattr(old, f) for f in MODEL_FIELDS)
        if reload or self.state.model_state == "failed":
            self.stop_all()
            message.clear()
            self.load_model()
        else:
            # Sampling settings take effect on the next turn; no reload needed.
            self.worker.request_settings.emit(new)

    # turns -------------------------------------------------------------------------------------

    def ask(self, request: TurnRequest, owner: str, confirm: bool = False) -> int:
        """Queue a turn; returns its request id. With ``confirm`` a turn that would go to the
        cloud is planned first and waits for :meth:`confirm` (see ``confirm_needed``)."""
        request_id = next(self._ids)
        self.turns[request_id] = Turn(request_id, request, request.conversation_id, owner)
        self.state.set_busy(True)
        if confirm and request.route != "local":
            self.worker.request_plan.emit(request_id, request)
        else:
            self.worker.request_turn.emit(request_id, request, None)
        return request_id

    def confirm(self, request_id: int, choice: str, plan: TurnPlan | None = None) -> None:
        """The user's answer at the confirmation: ``send``, ``local`` or ``cancel``."""
        turn = self.turns.get(request_id)
        if turn is None:
            return
        if choice == "send":
            self.worker.request_turn.emit(request_id, turn.request, plan)
        elif choice == "local":
            turn.request.route = "local"
            self.worker.request_turn.emit(request_id, turn.request, None)
        else:
            del self.turns[request_id]
            self._update_busy()
            self.cancelled.emit(request_id, turn.request)

    def stop(self, request_id: int | None) -> None:
        turn = self.turns.get(request_id) if request_id is not None else None
        if turn is not None:
            turn.request.cancel.set()

    def stop_all(self) -> None:
        for turn in self.turns.values():
            turn.request.cancel.set()

    def answering(self, conversation_id: int) -> bool:
        return any(t.conversation_id == conversation_id for t in self.turns.values())

    def _update_busy(self) -> None:
        self.state.set_busy(bool(self.turns))
        if not self.turns:
            self.state.cloud_in_use.emit(False)
            self.state.route_in_use.emit("")

    def _planned(self, request_id: int, plan: object) -> None:
        turn = self.turns.get(request_id)
        if turn is None or not isinstance(plan, TurnPlan):
            return
        if plan.decision.route != "cloud" or plan.verdict is None:
            self.worker.request_turn.emit(request_id, turn.request, plan)
        else:
            self.confirm_needed.emit(request_id, plan)

    def _started(self, request_id: int, conversation_id: int) -> None:
        turn = self.turns.get(request_id)
        if turn is not None:
            turn.conversation_id = conversation_id
            self.state.conversations_changed.emit()

    def _routed(self, request_id: int, route: str, _reason: str) -> None:
        if request_id in self.turns:
            self.state.cloud_in_use.emit(route == "cloud")
            self.state.route_in_use.emit(route)

    def _finished(self, request_id: int, result: TurnResult) -> None:
        if self.turns.pop(request_id, None) is None:
            return
        self._update_busy()
        self.state.conversations_changed.emit()
        if result.route == "cloud" or result.fallback:
            self.state.turn_spent.emit()
        self.turn_done.emit(result)

    def _failed(self, request_id: int, failure: TurnFailure) -> None:
        if self.turns.pop(request_id, None) is None:
            return
        self._update_busy()
        self.state.conversations_changed.emit()
        self.turn_done.emit(failure)
