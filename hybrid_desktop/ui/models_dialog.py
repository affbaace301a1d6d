"""The Models dialog: installed models (fit, disk use, receipts), recommended ones, downloads with
progress, and quantize/prune on the device.

"Use" switches the model live: it saves ``model_path`` through the settings controller, the same
path the Settings dialog takes, and the turn controller has the model worker reload it on its
thread; the open conversation stays and its next turn is answered by the new model (with a fresh
KV cache: the engine is new). The file is checked first, and a model that still fails to load
is switched back, so the current model keeps working. Long work runs in :mod:`models_tasks`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.errors import DownloadCancelledError, QuantizeCancelledError
from hybrid_desktop.ui import models_tasks as mt
from hybrid_desktop.workers.jobs import Job

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.registry import ModelEntry
    from hybrid_desktop.ui.state import AppState, SettingsController

TITLE = "Models"
INSTALLED_COLUMNS = ("Model", "Size", "Disk use", "Fit", "In use", "Receipt")
RECOMMENDED_COLUMNS = ("Model", "Size", "Tier", "Licence", "Fit", "")


class ModelsDialog(QDialog):
    #: Tokens of the bundled text a receipt scores (as ``models quantize`` does by default).
    receipt_tokens = 2048

    refreshed = Signal()  # the tables show a fresh overview
    switched = Signal(str)  # a Use finished: the model's name, loaded (or the failure text)
    job_finished = Signal(str, object)  # kind ("download", "derive", …), result or exception

    def __init__(
        self, state: AppState, settings: SettingsController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.resize(900, 560)
        self.state, self.settings = state, settings
        self.paths = state.services.paths
        self.overview = mt.Overview()
        self.jobs: list[Job] = []  # Python owns them (never deleteLater; see models_tasks)
        self.downloads: list[mt.DownloadRow] = []
        self._switch: tuple[str, str | None] | None = None  # (name, model_path to go back to)
        self._derive_cancel: threading.Event | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._installed_tab(), "Installed")
        self.tabs.addTab(self._recommended_tab(), "Recommended")
        self.tabs.addTab(self._downloads_tab(), "Downloads")
        self.tabs.addTab(self._derive_tab(), "Quantize && Prune")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        state.model_changed.connect(self._model_changed)
        self.refresh()

    # messages and jobs -------------------------------------------------------------------------

    def say(self, text: str, error: bool = False) -> None:
        colour = "#b91c1c" if error else "#374151"
        self.status.setText(f"<span style='color:{colour}'>{text}</span>")

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes or no (tests replace it; a message box would wait for a click)."""
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def run(self, kind: str, fn: Any, on_done: Any, on_error: Any = None) -> Job:
        job = Job(kind, fn)
        self.jobs = [j for j in self.jobs if not j.finished] + [job]

        def done(result: object) -> None:
            job.finished = True
            on_done(result)
            self.job_finished.emit(kind, result)

        def failed(error: object) -> None:
            job.finished = True
            assert isinstance(error, BaseException)
            if on_error is not None:
                on_error(error)
            else:
                self.say(mt.error_text(error), error=True)
            self.job_finished.emit(kind, error)

        job.done.connect(done)
        job.failed.connect(failed)
        job.start()
        return job

    def refresh(self) -> None:
        settings = self.state.settings
        self.run("overview", lambda _r: mt.read_overview(self.paths, settings), self._show)

    # installed ---------------------------------------------------------------------------------

    def _installed_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.installed = mt.make_table(INSTALLED_COLUMNS)
        layout.addWidget(self.installed, 1)
        buttons = QHBoxLayout()
        self.use_button = QPushButton("Use")
        self.use_button.setToolTip("Load this model now; the conversation continues with it.")
        self.use_button.clicked.connect(self.use_selected)
        self.verify_button = QPushButton("Verify")
        self.verify_button.clicked.connect(self.verify_selected)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = QPushButton("Import…")
        self.import_button.clicked.connect(self.import_file)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        for button in (self.use_button, self.verify_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(refresh)
        layout.addLayout(buttons)
        self.hardware = QLabel()
        self.hardware.setWordWrap(True)
        layout.addWidget(self.hardware)
        self.references = QLabel()
        self.references.setWordWrap(True)
        self.references.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.references)
        return tab

    def _show(self, overview: mt.Overview) -> None:
        self.overview = overview
        selected = self.selected_entry()
        table = self.installed
        table.setRowCount(len(overview.installed))
        for row, item in enumerate(overview.installed):
            e = item.entry
            params = f"{e.parameter_count / 1e6:,.0f}M parameters" if e.parameter_count else ""
            size = ", ".join(x for x in (params, e.file_type or "") if x)
            disk = "in the app" if e.source == "embedded" else mt.size_text(e.size_bytes)
            fit = item.fit.summary() if item.fit else "unknown"
            receipt = mt.receipt_text(e.receipt) if e.receipt else ""
            cells = (
                mt.table_item(e.name, f"{e.source}: {e.origin}\n{e.path}"),
                mt.table_item(size),
                mt.table_item(disk, f"{e.size_bytes:,} bytes"),
                mt.table_item(fit, item.fit_note),
                mt.table_item("in use" if item.in_use else ""),
                mt.table_item(receipt, receipt),
            )
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
            if selected is not None and e.name == selected.name:
                table.selectRow(row)
        table.resizeColumnsToContents()
        if self.selected_entry() is None and overview.installed:
            table.selectRow(0)
        profile = overview.profile
        if profile is not None:
            simd = ", ".join(profile.simd) or "no SIMD flags reported"
            gpu = ", ".join(profile.gpu_backends) or "CPU only"
            self.hardware.setText(
                f"This machine: {mt.size_text(profile.ram_available_bytes)} of "
                f"{mt.size_text(profile.ram_total_bytes)} memory free, "
                f"{profile.cpu_physical_cores} cores ({simd}), {gpu}, "
                f"{mt.size_text(profile.disk_free_bytes)} free disk for models."
            )
        if overview.references:
            self.references.setText(
                "Published reference points for receipts: " + "<br>".join(overview.references)
            )
        self._show_recommended()
        self._fill_sources()
        for problem in overview.problems:
            self.say(problem, error=True)
        self.refreshed.emit()

    def selected_entry(self) -> ModelEntry | None:
        rows = self.installed.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.overview.installed):
            return None
        return self.overview.installed[rows[0].row()].entry

    def select(self, name: str) -> None:
        for row, item in enumerate(self.overview.installed):
            if item.entry.name == name:
                self.installed.selectRow(row)

    def _in_use(self, entry: ModelEntry) -> bool:
        return any(i.in_use for i in self.overview.installed if i.entry.name == entry.name)

    def use_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.say("Choose a model in the list first.", error=True)
            return
        if self._in_use(entry) and self.state.model_state == "ready":
            self.say(f"{entry.name} is the model in use.")
            return
        if self._switch is not None:
            self.say("A model is being loaded; wait for it first.", error=True)
            return
        self.say(f"Checking {entry.name}…")
        self.run(
            "check",
            lambda _r: mt.check_loadable(entry.path),
            lambda _ok: self._switch_to(entry),
            lambda error: self.say(
                f"{entry.name} cannot be used: {mt.error_text(error)} The current model keeps "
                "running.",
                error=True,
            ),
        )

    def _switch_to(self, entry: ModelEntry) -> None:
        new_path = None if entry.source == "embedded" else str(entry.path)
        old_path = self.state.settings.model_path
        self._switch = (entry.name, old_path)
        self.say(f"Loading {entry.name}…")
        if not self.settings.update(model_path=new_path):
            self._switch = None
            self.say(f"{entry.name} could not be saved as the model to use.", error=True)

    def _model_changed(self, status: str) -> None:
        if self._switch is None or status == "loading":
            return
        name, old_path = self._switch
        if status == "ready":
            self._switch = None
            self.say(f"{name} is loaded. The conversation continues with it.")
            self.switched.emit(name)
            self.refresh()
        elif status == "failed":
            why = self.state.model_message
            self._switch = None
            self.say(
                f"{name} could not be loaded: {why} Switching back to the previous model.",
                error=True,
            )
            self.switched.emit(why)
            self.settings.update(model_path=old_path)

    def verify_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.say("Choose a model in the list first.", error=True)
            return
        self.say(f"Verifying {entry.name} (reading the whole file)…")
        self.run(
            "verify",
            lambda _r: mt.verify_model(self.paths, entry.name),
            lambda e: self.say(f"{e.name} is intact: sha256 {e.sha256[:16]}… matches."),
        )

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.say("Choose a model in the list first.", error=True)
            return
        if entry.source == "embedded":
            self.say(f"{entry.name} is built into the app and cannot be removed.", error=True)
            return
        if self._in_use(entry):
            self.say(
                f"{entry.name} is the model in use. Use another model first, then remove it.",
                error=True,
            )
            return
        if not self.confirm(
            "Remove Model", f"Delete {entry.name} ({mt.size_text(entry.size_bytes)}) from disk?"
        ):
            return
        self.run("remove", lambda _r: mt.remove_model(self.paths, entry.name), self._removed)

    def _removed(self, _result: object) -> None:
        self.say("The model was removed.")
        self.refresh()

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Import a GGUF model", str(Path.home()), "GGUF models (*.gguf)"
            )
        if not path:
            return
        chosen = Path(path)
        self.say(f"Checking and copying {chosen.name}…")
        self.run("import", lambda _r: mt.import_model(self.paths, chosen), self._imported)

    def _imported(self, entry: ModelEntry) -> None:
        self.say(f"{entry.name} was imported ({mt.size_text(entry.size_bytes)}).")
        self.refresh()

    # recommended and downloads -----------------------------------------------------------------

    def _recommended_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.recommended = mt.make_table(RECOMMENDED_COLUMNS)
        self.recommended.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.recommended, 1)
        row = QHBoxLayout()
        self.link = QLineEdit()
        self.link.setPlaceholderText("Or paste an https link to a GGUF file")
        get = QPushButton("Download Link")
        get.clicked.connect(lambda: self.download_link(self.link.text()))
        row.addWidget(self.link, 1)
        row.addWidget(get)
        layout.addLayout(row)
        return tab

    def _show_recommended(self) -> None:
        table = self.recommended
        table.setRowCount(len(self.overview.recommended))
        for row, (entry, fit) in enumerate(self.overview.recommended):
            cells = (
                mt.table_item(
                    entry.name, f"{entry.family}, {entry.parameters_b}B, {entry.quantization}"
                ),
                mt.table_item(mt.size_text(entry.size_bytes)),
                mt.table_item(entry.tier),
                mt.table_item(entry.license),
                mt.table_item(fit.summary()),
            )
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
            button = QPushButton("Download")
            target = mt.DownloadTarget(entry.name, entry.url, entry.sha256, entry.size_bytes)
            button.clicked.connect(lambda _c=False, t=target: self.download(t))
            table.setCellWidget(row, 5, button)
        table.resizeColumnsToContents()

    def _downloads_tab(self) -> QWidget:
        tab = QWidget()
        self.downloads_layout = QVBoxLayout(tab)
        self.no_downloads = QLabel("No downloads yet: choose one under Recommended.")
        self.downloads_layout.addWidget(self.no_downloads)
        self.downloads_layout.addStretch(1)
        return tab

    def download_link(self, url: str) -> mt.DownloadRow | None:
        url = url.strip()
        if not url:
            self.say("Paste a link to a GGUF file first.", error=True)
            return None
        return self.download(mt.target_for_url(url))

    def download(self, target: mt.DownloadTarget) -> mt.DownloadRow | None:
        from hybrid_desktop.core.model_manager.download import DownloadControl

        if any(
            r.target.url == target.url and r.state not in ("done", "failed") for r in self.downloads
        ):
            self.say(f"{target.name} is being downloaded already.")
            return None
        services = self.state.services
        offline = bool(services.settings.offline_mode or services.network.offline_mode)
        control = DownloadControl()
        holder: list[mt.DownloadRow] = []
        job = self.run(
            "download",
            lambda report: mt.download_model(self.paths, target, control, offline, report),
            lambda entry: self._downloaded(holder[0], entry),
            lambda error: self._download_failed(holder[0], error),
        )
        row = mt.DownloadRow(target, job, control)
        holder.append(row)
        self.downloads.append(row)
        self.no_downloads.hide()
        self.downloads_layout.insertWidget(self.downloads_layout.count() - 1, row)
        self.tabs.setCurrentIndex(2)
        self.say(f"Downloading {target.name}…")
        return row

    def _downloaded(self, row: mt.DownloadRow, entry: ModelEntry) -> None:
        row.finish(f"Installed as {entry.name} ({mt.size_text(entry.size_bytes)}), verified.", True)
        self.say(f"{entry.name} is installed. Choose it under Installed and press Use.")
        self.refresh()

    def _download_failed(self, row: mt.DownloadRow, error: BaseException) -> None:
        if isinstance(error, DownloadCancelledError):
            text = "Cancelled; nothing was kept."
        else:
            text = mt.error_text(error)
        row.finish(text, False)
        self.say(f"{row.target.name}: {text}", error=not isinstance(error, DownloadCancelledError))

    # quantize and prune ------------------------------------------------------------------------

    def _derive_tab(self) -> QWidget:
        from hybrid_desktop.core.model_manager.quantize import QUANT_TYPES

        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.source = QComboBox()
        self.source.currentIndexChanged.connect(self._suggest)
        form.addRow("Model:", self.source)
        self.qtype = QComboBox()
        self.qtype.addItems(list(QUANT_TYPES))
        self.qtype.setCurrentText("Q4_0")
        form.addRow("Quantize to:", self.qtype)
        self.prune = QSpinBox()
        self.prune.setRange(0, 0)
        self.prune.setSpecialValueText("none (quantize only)")
        self.prune.valueChanged.connect(self._suggest)
        form.addRow("Remove layers:", self.prune)
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        form.addRow("", self.suggested)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.derive_button = QPushButton("Create")
        self.derive_button.clicked.connect(self.derive)
        self.derive_cancel = QPushButton("Cancel")
        self.derive_cancel.setEnabled(False)
        self.derive_cancel.clicked.connect(self.cancel_derive)
        buttons.addWidget(self.derive_button)
        buttons.addWidget(self.derive_cancel)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.derive_bar = QProgressBar()
        self.derive_bar.setRange(0, 1000)
        layout.addWidget(self.derive_bar)
        self.derive_text = QLabel(
            "A derived model gets a quality receipt: perplexity, KL divergence and top-1 "
            "agreement against its source, measured on this device. Starting from a file that "
            "is already quantized (like the embedded Q4_1 model) rounds twice; the receipt "
            "measures what that costs."
        )
        self.derive_text.setWordWrap(True)
        layout.addWidget(self.derive_text)
        layout.addStretch(1)
        return tab

    def _fill_sources(self) -> None:
        current = self.source.currentText()
        self.source.blockSignals(True)
        self.source.clear()
        for item in self.overview.installed:
            self.source.addItem(item.entry.name, item.layers)
        if current:
            self.source.setCurrentText(current)
        self.source.blockSignals(False)
        self._suggest()

    def _suggest(self) -> None:
        from hybrid_desktop.core.model_manager.quantize import prune_order, suggested_prune_layers

        layers = self.source.currentData() or 0
        most = len(prune_order(layers)) if layers else 0
        self.prune.setRange(0, most)
        count = self.prune.value()
        if not count:
            self.suggested.setText(f"{layers} layers; up to {most} can be removed." if most else "")
            return
        chosen = suggested_prune_layers(layers, count)
        self.suggested.setText(
            f"Layers {', '.join(map(str, chosen))} of {layers} (the deepest middle layers "
            "first, after ShortGPT)."
        )

    def derive_layers(self) -> tuple[int, ...]:
        from hybrid_desktop.core.model_manager.quantize import suggested_prune_layers

        layers, count = self.source.currentData() or 0, self.prune.value()
        return tuple(suggested_prune_layers(layers, count)) if count else ()

    def derive(self) -> None:
        name = self.source.currentText()
        if not name:
            self.say("There is no model to start from.", error=True)
            return
        if self._derive_cancel is not None:
            self.say("A model is being made already.", error=True)
            return
        try:
            layers = self.derive_layers()
        except Exception as exc:
            self.say(mt.error_text(exc), error=True)
            return
        qtype, cancel = self.qtype.currentText(), threading.Event()
        self._derive_cancel = cancel
        self.derive_button.setEnabled(False)
        self.derive_cancel.setEnabled(True)
        self.derive_bar.setValue(0)
        self.derive_text.setText("Starting…")
        job = self.run(
            "derive",
            lambda report: mt.derive_model(
                self.paths,
                name,
                qtype=qtype,
                prune_layers=layers,
                cancel=cancel,
                report=report,
                receipt_tokens=self.receipt_tokens,
            ),
            self._derived,
            self._derive_failed,
        )
        job.progress.connect(self._derive_progress)

    def _derive_progress(self, value: object) -> None:
        fraction, text = cast("tuple[float, str]", value)
        self.derive_bar.setValue(int(1000 * fraction))
        self.derive_text.setText(str(text))

    def cancel_derive(self) -> None:
        if self._derive_cancel is not None:
            self._derive_cancel.set()
            self.derive_text.setText("Cancelling…")

    def _derive_ended(self) -> None:
        self._derive_cancel = None
        self.derive_button.setEnabled(True)
        self.derive_cancel.setEnabled(False)

    def _derived(self, derived: mt.Derived) -> None:
        from hybrid_desktop.core.model_manager.receipt import KL_WARN, needs_confirmation

        self._derive_ended()
        entry, receipt = derived.entry, derived.receipt
        self.derive_bar.setValue(1000)
        self.derive_text.setText(f"{entry.name}: {mt.receipt_text(receipt)}")
        if needs_confirmation(receipt) and not self.confirm(
            "Keep This Model?",
            f"{entry.name} is far from {receipt.source}: its KL divergence is "
            f"{receipt.kl_divergence:.3f} nats, above the warning level of {KL_WARN}, and it "
            f"ranks the same next token first only {receipt.top1_agreement:.0%} of the time. "
            "Keep it?",
        ):
            self.run("remove", lambda _r: mt.remove_model(self.paths, entry.name), self._removed)
            self.derive_text.setText(f"{entry.name} was deleted.")
            return
        self.say(f"{entry.name} is ready. Choose it under Installed and press Use.")
        self.refresh()

    def _derive_failed(self, error: BaseException) -> None:
        self._derive_ended()
        self.derive_bar.setValue(0)
        if isinstance(error, QuantizeCancelledError):
            self.derive_text.setText("Cancelled; nothing was kept.")
        else:
            self.derive_text.setText(f"<span style='color:#b91c1c'>{mt.error_text(error)}</span>")

    # lifetime ----------------------------------------------------------------------------------

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Cancel what runs (app quit) and wait for it: nothing is left half-written."""
        for row in self.downloads:
            row.control.cancel()
        if self._derive_cancel is not None:
            self._derive_cancel.set()
        for job in self.jobs:
            job.wait(timeout_s)
