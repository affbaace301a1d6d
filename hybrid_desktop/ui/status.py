"""The status bar's model, privacy gate and speed read-outs: what the app state says, shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from hybrid_desktop.ui.accessible import described
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
        self.model_label = described(
            QLabel(self.tr("Starting…")), self.tr("The local model and its state")
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        described(
            self.progress,
            self.tr("Shown while the model loads"),
            name=self.tr("Loading the model"),
        )
        self.speed_label = described(QLabel(""), self.tr("How fast the last answer came"))
        self.gate_label = described(
            QLabel(""), self.tr("Whether the privacy gate that finds personal data is ready")
        )
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
            self.model_label.setText(self.tr("Loading the model…"))
            self.progress.show()
            return
        self.progress.hide()
        if status == "ready":
            info = state.model_info
            self.model_label.setText(self.tr("Model ready: {name}").format(name=info.name))
            self.model_label.setToolTip(
                self.tr(
                    "{path}\ncontext {n_ctx} tokens · {threads} threads · loaded in {ms} ms"
                ).format(
                    path=info.path,
                    n_ctx=f"{info.n_ctx:,}",
                    threads=info.n_threads,
                    ms=f"{info.load_ms:.0f}",
                )
            )
        else:
            self.model_label.setText(self.tr("Model not loaded"))
            self.model_label.setToolTip(state.model_message)

    def _gate_changed(self, status: str) -> None:
        text = {
            "loading": self.tr("Privacy gate: loading…"),
            "ready": self.tr("Privacy gate: ready"),
            "failed": self.tr("Privacy gate: unavailable"),
        }.get(status, "")
        self.gate_label.setText(text)
        self.gate_label.setToolTip(self.state.gate_message)

    def _finished(self, result: TurnResult | object) -> None:
        stats = getattr(result, "stats", None)
        if stats is None:  # a failure: nothing was measured
            return
        if stats.completion_tokens:
            speed = self.tr("{rate} tokens/s · first token {ms} ms").format(
                rate=f"{stats.tokens_per_s:.1f}", ms=f"{stats.ttft_ms:.0f}"
            )
            if getattr(result, "route", "") == "edge":  # the figures are the edge server's
                server = route_label("edge", getattr(result, "edge_server", None))
                speed = self.tr("{server}: {speed}").format(server=server, speed=speed)
            self.speed_label.setText(speed)
