"""Settings: the model file, threads, context size and generation limits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.errors import HybridDesktopError
from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.models import EMBEDDED_NAME


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        layout = QVBoxLayout(self)
        form = QFormLayout()

        model_row = QHBoxLayout()
        self.model_path = QLineEdit(settings.model_path or "")
        self.model_path.setPlaceholderText(f"Embedded model ({EMBEDDED_NAME})")
        self.model_path.textChanged.connect(self._check_model)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        embedded = QPushButton("Use Embedded")
        embedded.clicked.connect(self.model_path.clear)
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(browse)
        model_row.addWidget(embedded)
        form.addRow("Model file (GGUF):", model_row)
        self.model_status = QLabel()
        self.model_status.setWordWrap(True)
        form.addRow("", self.model_status)

        self.n_threads = self._spin(*Settings.LIMITS["n_threads"], settings.n_threads)
        form.addRow("CPU threads:", self.n_threads)
        self.n_ctx = self._spin(*Settings.LIMITS["n_ctx"], settings.n_ctx, step=1024)
        self.n_ctx.setToolTip("Tokens of conversation the model sees. More uses more memory.")
        form.addRow("Context size (tokens):", self.n_ctx)
        self.max_tokens = self._spin(*Settings.LIMITS["max_tokens"], settings.max_tokens, step=128)
        form.addRow("Longest answer (tokens):", self.max_tokens)
        self.temperature = self._double(*Settings.LIMITS["temperature"], settings.temperature)
        form.addRow("Temperature:", self.temperature)
        self.top_p = self._double(*Settings.LIMITS["top_p"], settings.top_p)
        form.addRow("Top-p:", self.top_p)
        self.repeat_penalty = self._double(
            *Settings.LIMITS["repeat_penalty"], settings.repeat_penalty
        )
        form.addRow("Repeat penalty:", self.repeat_penalty)
        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        self.system_prompt.setPlaceholderText("Optional: instructions the model gets first")
        self.system_prompt.setMaximumHeight(80)
        form.addRow("System prompt:", self.system_prompt)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check_model()

    @staticmethod
    def _spin(low: float, high: float, value: int, step: int = 1) -> QSpinBox:
        box = QSpinBox()
        box.setRange(int(low), int(high))
        box.setSingleStep(step)
        box.setValue(value)
        return box

    @staticmethod
    def _double(low: float, high: float, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        box.setValue(value)
        return box

    def _browse(self) -> None:
        start = self.model_path.text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a GGUF model", start, "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.model_path.setText(path)

    def _check_model(self) -> bool:
        """Check the chosen file at once, so a bad file is caught before it is saved."""
        text = self.model_path.text().strip()
        ok_button = (
            self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            if hasattr(self, "buttons")
            else None
        )
        if not text:
            self.model_status.setText(f"The embedded {EMBEDDED_NAME} model will be used.")
            valid = True
        else:
            try:
                info = inspect_gguf(Path(text).expanduser())
            except HybridDesktopError as exc:
                self.model_status.setText(f"<span style='color:#b91c1c'>{exc.message}</span>")
                valid = False
            else:
                ctx = f", trained context {info.context_length:,}" if info.context_length else ""
                self.model_status.setText(
                    f"{info.name} ({info.architecture or 'unknown architecture'}{ctx}), "
                    f"{info.file_size / 1e6:,.0f} MB"
                )
                valid = True
        if ok_button is not None:
            ok_button.setEnabled(valid)
        return valid

    def result_settings(self) -> Settings:
        return dataclasses.replace(
            self._settings,
            model_path=self.model_path.text().strip() or None,
            n_threads=self.n_threads.value(),
            n_ctx=self.n_ctx.value(),
            max_tokens=self.max_tokens.value(),
            temperature=round(self.temperature.value(), 2),
            top_p=round(self.top_p.value(), 2),
            repeat_penalty=round(self.repeat_penalty.value(), 2),
            system_prompt=self.system_prompt.toPlainText(),
            problems=[],
        )
