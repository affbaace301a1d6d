"""The status bar's model, privacy gate and speed read-outs: what the app state says, shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from hybrid_desktop.ui.chat_view import route_label

if TYPE_CHECKING:
    from hybrid_desktop.core.turns import TurnResult
    from hybrid_desktop.ui.state import AppState
    from hybrid_desktop.ui.turns import TurnController


class StatusReadouts(QObject):
    """A QObject on purpose: its slots then run in the GUI thread, whichever thread emits."""

    def __init__(self, status: QStatusBar, state: AppState, turns: TurnController) -> None:
        super().__init__(status)
        self.state = state
        self.model_label = QLabel("Starting…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.speed_label = QLabel("")
        self.gate_label = QLabel("")
        status.addWidget(self.model_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.gate_label)
        status.addPermanentWidget(self.speed_label)
        state.model_changed.connect(self._model_changed)
        state.gate_changed.connect(self._gate_changed)
        turns.model_loading.connect(self.model_label.setText)
        turns.turn_done.connect(self._finished)

    def _model_changed(self, status: str) -> None:
        state = self.state
        if status == "loading":
            self.model_label.setText("Loading the model…")
            self.progress.show()
            return
        self.progress.hide()
        if status == "ready":
            info = state.model_info
            self.model_label.setText(f"Model ready: {info.name}")
            self.model_label.setToolTip(
                f"{info.path}\ncontext {info.n_ctx:,} tokens · {info.n_threads} threads · "
                f"loaded in {info.load_ms:.0f} ms"
            )
        else:
            self.model_label.setText("Model not loaded")
            self.model_label.setToolTip(state.model_message)

    def _gate_changed(self, status: str) -> None:
        text = {
            "loading": "Privacy gate: loading…",
            "ready": "Privacy gate: ready",
            "failed": "Privacy gate: unavailable",
        }.get(status, "")
        self.gate_label.setText(text)
        self.gate_label.setToolTip(self.state.gate_message)

    def _finished(self, result: TurnResult | object) -> None:
        stats = getattr(result, "stats", None)
        if stats is None:  # a failure: nothing was measured
            return
        if stats.completion_tokens:
            where = ""
            if getattr(result, "route", "") == "edge":  # the figures are the edge server's
                where = f"{route_label('edge', getattr(result, 'edge_server', None))}: "
            self.speed_label.setText(
                f"{where}{stats.tokens_per_s:.1f} tokens/s · first token {stats.ttft_ms:.0f} ms"
            )
