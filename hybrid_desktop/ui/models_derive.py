"""The Models dialog's "Quantize & Prune" page: which installed model to start from, the type
to quantize to, how many layers to remove (and which ones that means), Create and Cancel, a
bar and the text of the receipt. The dialog runs the work (:meth:`ModelsDialog.derive`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.ui import models_text as mx
from hybrid_desktop.ui.accessible import described

if TYPE_CHECKING:
    from hybrid_desktop.ui.models_tasks import InstalledRow


class DerivePage(QWidget):
    def __init__(self) -> None:
        from hybrid_desktop.core.model_manager.quantize import QUANT_TYPES

        super().__init__()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.source = described(QComboBox(), self.tr("The installed model to start from"))
        self.source.currentIndexChanged.connect(self.suggest)
        form.addRow(self.tr("Model:"), self.source)
        self.qtype = described(QComboBox(), self.tr("The number format of the new model's weights"))
        self.qtype.addItems(list(QUANT_TYPES))
        self.qtype.setCurrentText("Q4_0")
        form.addRow(self.tr("Quantize to:"), self.qtype)
        self.prune = described(
            QSpinBox(), self.tr("How many layers to leave out of the new model (prune)")
        )
        self.prune.setRange(0, 0)
        self.prune.setSpecialValueText(self.tr("none (quantize only)"))
        self.prune.valueChanged.connect(self.suggest)
        form.addRow(self.tr("Remove layers:"), self.prune)
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        form.addRow("", self.suggested)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.derive_button = described(
            QPushButton(self.tr("Create")),
            self.tr("Make the new model and measure its quality receipt"),
        )
        self.derive_cancel = described(
            QPushButton(self.tr("Cancel")), self.tr("Stop making the model and keep nothing")
        )
        self.derive_cancel.setEnabled(False)
        buttons.addWidget(self.derive_button)
        buttons.addWidget(self.derive_cancel)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.derive_bar = QProgressBar()
        self.derive_bar.setRange(0, 1000)
        layout.addWidget(self.derive_bar)
        self.derive_text = QLabel(
            self.tr(
                "A derived model gets a quality receipt: perplexity, KL divergence and top-1 "
                "agreement against its source, measured on this device. Starting from a file that "
                "is already quantized (like the embedded Q4_1 model) rounds twice; the receipt "
                "measures what that costs."
            )
        )
        self.derive_text.setWordWrap(True)
        layout.addWidget(self.derive_text)
        layout.addStretch(1)

    def fill_sources(self, installed: list[InstalledRow]) -> None:
        """The installed models to start from (the chosen one stays chosen)."""
        current = self.source.currentText()
        self.source.blockSignals(True)
        self.source.clear()
        for item in installed:
            self.source.addItem(item.entry.name, item.layers)
        if current:
            self.source.setCurrentText(current)
        self.source.blockSignals(False)
        self.suggest()

    def suggest(self) -> None:
        from hybrid_desktop.core.model_manager.quantize import prune_order, suggested_prune_layers

        layers = self.source.currentData() or 0
        most = len(prune_order(layers)) if layers else 0
        self.prune.setRange(0, most)
        count = self.prune.value()
        chosen = suggested_prune_layers(layers, count) if count else ()
        self.suggested.setText(mx.prune_text(layers, most, chosen))

    def layers(self) -> tuple[int, ...]:
        """The layers "Remove layers" takes out of the chosen model (none: quantize only)."""
        from hybrid_desktop.core.model_manager.quantize import suggested_prune_layers

        layers, count = self.source.currentData() or 0, self.prune.value()
        return tuple(suggested_prune_layers(layers, count)) if count else ()
