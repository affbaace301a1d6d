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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.errors import DownloadCancelledError, QuantizeCancelledError
from hybrid_desktop.ui import models_tasks as mt
from hybrid_desktop.ui import models_text as mx
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.models_derive import DerivePage
from hybrid_desktop.workers.jobs import Job

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.registry import ModelEntry
    from hybrid_desktop.ui.state import AppState, SettingsController

TITLE = cast("str", QT_TRANSLATE_NOOP("ModelsDialog", "Models"))


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
        self.setWindowTitle(QCoreApplication.translate("ModelsDialog", TITLE))
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
        page = self.derive_page = DerivePage()  # its controls are the dialog's too:
        self.source, self.qtype, self.prune = page.source, page.qtype, page.prune
        self.suggested, self.derive_bar, self.derive_text = (
            page.suggested,
            page.derive_bar,
            page.derive_text,
        )
        self.derive_button, self.derive_cancel = page.derive_button, page.derive_cancel
        self.derive_button.clicked.connect(self.derive)
        self.derive_cancel.clicked.connect(self.cancel_derive)
        for tab, title, tip in (
            (self._installed_tab(), self.tr("Installed"), self.tr("The models on this device")),
            (self._recommended_tab(), self.tr("Recommended"), self.tr("Models to download")),
            (self._downloads_tab(), self.tr("Downloads"), self.tr("Downloads and their progress")),
            (page, self.tr("Quantize && Prune"), self.tr("Make a smaller model from one here")),
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(tab, title), tip)  # the tab's description
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        state.model_changed.connect(self._model_changed)
        self.refresh()

    # messages and jobs -------------------------------------------------------------------------

    def say(self, text: str, error: bool = False) -> None:
        self.status.setText(mt.coloured(text, error))

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes or no (tests replace it; a message box would wait for a click)."""
        box = self.question(title, text)
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            box.deleteLater()

    def question(self, title: str, text: str) -> QMessageBox:
        """The yes-or-no box :meth:`confirm` shows."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, title, text, yes | no, self)
        described(box.button(yes), self.tr("Go ahead"))
        described(box.button(no), self.tr("Leave everything as it is"))
        return box

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
        self.installed = described(
            mt.make_table(mx.headers(mx.INSTALLED_COLUMNS)),
            self.tr("The models on this device; the buttons below act on the chosen one"),
            name=self.tr("Installed models"),
        )
        layout.addWidget(self.installed, 1)
        buttons = QHBoxLayout()
        self.use_button = described(
            QPushButton(self.tr("Use")),
            self.tr("Load this model now; the conversation continues with it."),
        )
        self.use_button.clicked.connect(self.use_selected)
        self.verify_button = described(
            QPushButton(self.tr("Verify")),
            self.tr("Read the whole file and check it against its checksum"),
        )
        self.verify_button.clicked.connect(self.verify_selected)
        self.remove_button = described(
            QPushButton(self.tr("Remove…")), self.tr("Delete the chosen model from disk")
        )
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button = described(
            QPushButton(self.tr("Import…")),
            self.tr("Copy a GGUF model file into the models folder"),
        )
        self.import_button.clicked.connect(self.import_file)
        refresh = described(
            QPushButton(self.tr("Refresh")),
            self.tr("Read the list of models and this machine again"),
        )
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
            cells = mx.installed_cells(e, item.fit, item.fit_note, item.in_use)
            for column, cell in enumerate(cells):
                table.setItem(row, column, cell)
            if selected is not None and e.name == selected.name:
                table.selectRow(row)
        table.resizeColumnsToContents()
        if self.selected_entry() is None and overview.installed:
            table.selectRow(0)
        profile = overview.profile
        if profile is not None:
            self.hardware.setText(mx.hardware_text(profile))
        if overview.references:
            self.references.setText(mx.references_text(overview.references))
        self._show_recommended()
        self.derive_page.fill_sources(overview.installed)
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
            self.say(self.tr("Choose a model in the list first."), error=True)
            return
        if self._in_use(entry) and self.state.model_state == "ready":
            self.say(self.tr("{name} is the model in use.").format(name=entry.name))
            return
        if self._switch is not None:
            self.say(self.tr("A model is being loaded; wait for it first."), error=True)
            return
        self.say(self.tr("Checking {name}…").format(name=entry.name))
        self.run(
            "check",
            lambda _r: mt.check_loadable(entry.path),
            lambda _ok: self._switch_to(entry),
            lambda error: self.say(
                self.tr("{name} cannot be used: {reason} The current model keeps running.").format(
                    name=entry.name, reason=mt.error_text(error)
                ),
                error=True,
            ),
        )

    def _switch_to(self, entry: ModelEntry) -> None:
        new_path = None if entry.source == "embedded" else str(entry.path)
        old_path = self.state.settings.model_path
        self._switch = (entry.name, old_path)
        self.say(self.tr("Loading {name}…").format(name=entry.name))
        if not self.settings.update(model_path=new_path):
            self._switch = None
            self.say(
                self.tr("{name} could not be saved as the model to use.").format(name=entry.name),
                error=True,
            )

    def _model_changed(self, status: str) -> None:
        if self._switch is None or status == "loading":
            return
        name, old_path = self._switch
        if status == "ready":
            self._switch = None
            self.say(
                self.tr("{name} is loaded. The conversation continues with it.").format(name=name)
            )
            self.switched.emit(name)
            self.refresh()
        elif status == "failed":
            why = self.state.model_message
            self._switch = None
            self.say(
                self.tr(
                    "{name} could not be loaded: {reason} Switching back to the previous model."
                ).format(name=name, reason=why),
                error=True,
            )
            self.switched.emit(why)
            self.settings.update(model_path=old_path)

    def verify_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.say(self.tr("Choose a model in the list first."), error=True)
            return
        self.say(self.tr("Verifying {name} (reading the whole file)…").format(name=entry.name))
        self.run(
            "verify",
            lambda _r: mt.verify_model(self.paths, entry.name),
            lambda e: self.say(
                self.tr("{name} is intact: sha256 {sha256}… matches.").format(
                    name=e.name, sha256=e.sha256[:16]
                )
            ),
        )

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.say(self.tr("Choose a model in the list first."), error=True)
            return
        if entry.source == "embedded":
            self.say(
                self.tr("{name} is built into the app and cannot be removed.").format(
                    name=entry.name
                ),
                error=True,
            )
            return
        if self._in_use(entry):
            self.say(
                self.tr(
                    "{name} is the model in use. Use another model first, then remove it."
                ).format(name=entry.name),
                error=True,
            )
            return
        if not self.confirm(
            self.tr("Remove Model"),
            self.tr("Delete {name} ({size}) from disk?").format(
                name=entry.name, size=mt.size_text(entry.size_bytes)
            ),
        ):
            return
        self.run("remove", lambda _r: mt.remove_model(self.paths, entry.name), self._removed)

    def _removed(self, _result: object) -> None:
        self.say(self.tr("The model was removed."))
        self.refresh()

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Import a GGUF model"),
                str(Path.home()),
                self.tr("GGUF models (*.gguf)"),
            )
        if not path:
            return
        chosen = Path(path)
        self.say(self.tr("Checking and copying {name}…").format(name=chosen.name))
        self.run("import", lambda _r: mt.import_model(self.paths, chosen), self._imported)

    def _imported(self, entry: ModelEntry) -> None:
        self.say(
            self.tr("{name} was imported ({size}).").format(
                name=entry.name, size=mt.size_text(entry.size_bytes)
            )
        )
        self.refresh()

    # recommended and downloads -----------------------------------------------------------------

    def _recommended_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.recommended = described(
            mt.make_table(mx.headers(mx.RECOMMENDED_COLUMNS)),
            self.tr("Models for this machine, the best fit first, each with a Download button"),
            name=self.tr("Recommended models"),
        )
        self.recommended.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.recommended, 1)
        row = QHBoxLayout()
        self.link = described(
            QLineEdit(),
            self.tr("An https link to a GGUF file to download"),
            name=self.tr("Link to a GGUF file"),
        )
        self.link.setPlaceholderText(self.tr("Or paste an https link to a GGUF file"))
        self.link_button = get = described(
            QPushButton(self.tr("Download Link")), self.tr("Download the GGUF file of the link")
        )
        get.clicked.connect(lambda: self.download_link(self.link.text()))
        row.addWidget(self.link, 1)
        row.addWidget(get)
        layout.addLayout(row)
        return tab

    def _show_recommended(self) -> None:
        table = self.recommended
        table.setRowCount(len(self.overview.recommended))
        previous: QWidget = table
        for row, (entry, fit) in enumerate(self.overview.recommended):
            for column, cell in enumerate(mx.recommended_cells(entry, fit)):
                table.setItem(row, column, cell)
            button = described(
                QPushButton(self.tr("Download")),
                self.tr("Download {name} into the models folder").format(name=entry.name),
                name=self.tr("Download {name}").format(name=entry.name),
            )
            target = mt.DownloadTarget(entry.name, entry.url, entry.sha256, entry.size_bytes)
            button.clicked.connect(lambda _c=False, t=target: self.download(t))
            table.setCellWidget(row, 5, button)
            QWidget.setTabOrder(previous, button)  # the table's buttons, then the link
            previous = button
        QWidget.setTabOrder(previous, self.link)
        QWidget.setTabOrder(self.link, self.link_button)
        table.resizeColumnsToContents()

    def _downloads_tab(self) -> QWidget:
        tab = QWidget()
        self.downloads_layout = QVBoxLayout(tab)
        self.no_downloads = QLabel(self.tr("No downloads yet: choose one under Recommended."))
        self.downloads_layout.addWidget(self.no_downloads)
        self.downloads_layout.addStretch(1)
        return tab

    def download_link(self, url: str) -> mt.DownloadRow | None:
        url = url.strip()
        if not url:
            self.say(self.tr("Paste a link to a GGUF file first."), error=True)
            return None
        return self.download(mt.target_for_url(url))

    def download(self, target: mt.DownloadTarget) -> mt.DownloadRow | None:
        from hybrid_desktop.core.model_manager.download import DownloadControl

        if any(
            r.target.url == target.url and r.state not in ("done", "failed") for r in self.downloads
        ):
            self.say(self.tr("{name} is being downloaded already.").format(name=target.name))
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
        self.say(self.tr("Downloading {name}…").format(name=target.name))
        return row

    def _downloaded(self, row: mt.DownloadRow, entry: ModelEntry) -> None:
        size = mt.size_text(entry.size_bytes)
        row.finish(
            self.tr("Installed as {name} ({size}), verified.").format(name=entry.name, size=size),
            True,
        )
        self.say(
            self.tr("{name} is installed. Choose it under Installed and press Use.").format(
                name=entry.name
            )
        )
        self.refresh()

    def _download_failed(self, row: mt.DownloadRow, error: BaseException) -> None:
        cancelled = isinstance(error, DownloadCancelledError)
        text = self.tr("Cancelled; nothing was kept.") if cancelled else mt.error_text(error)
        row.finish(text, False)
        self.say(f"{row.target.name}: {text}", error=not cancelled)

    # quantize and prune ------------------------------------------------------------------------

    def derive_layers(self) -> tuple[int, ...]:
        return self.derive_page.layers()

    def derive(self) -> None:
        name = self.source.currentText()
        if not name:
            self.say(self.tr("There is no model to start from."), error=True)
            return
        if self._derive_cancel is not None:
            self.say(self.tr("A model is being made already."), error=True)
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
        self.derive_text.setText(self.tr("Starting…"))
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
            self.derive_text.setText(self.tr("Cancelling…"))

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
            self.tr("Keep This Model?"), mx.keep_question(entry.name, receipt, KL_WARN)
        ):
            self.run("remove", lambda _r: mt.remove_model(self.paths, entry.name), self._removed)
            self.derive_text.setText(self.tr("{name} was deleted.").format(name=entry.name))
            return
        self.say(
            self.tr("{name} is ready. Choose it under Installed and press Use.").format(
                name=entry.name
            )
        )
        self.refresh()

    def _derive_failed(self, error: BaseException) -> None:
        self._derive_ended()
        self.derive_bar.setValue(0)
        if isinstance(error, QuantizeCancelledError):
            self.derive_text.setText(self.tr("Cancelled; nothing was kept."))
        else:
            self.derive_text.setText(mt.coloured(mt.error_text(error), error=True))

    # lifetime ----------------------------------------------------------------------------------

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Cancel what runs (app quit) and wait for it: nothing is left half-written."""
        for row in self.downloads:
            row.control.cancel()
        if self._derive_cancel is not None:
            self._derive_cancel.set()
        for job in self.jobs:
            job.wait(timeout_s)
