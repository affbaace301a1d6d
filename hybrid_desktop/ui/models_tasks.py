"""The Models dialog's work, off the GUI thread: what is installed and what fits, downloads, and
quantize/prune with their receipt; and the small widgets it shows them in (a download's row).

Downloads and derivations run for minutes, so each gets its own Python thread
(:class:`hybrid_desktop.workers.jobs.Job`)
instead of a place in the app's short-job pool (``workers.tasks``, two threads shared with the
privacy scans): a long download must not hold back a privacy check. Like the pool's jobs, a
:class:`Job` reports back through queued signals of a QObject that lives in the GUI thread, and
every exception comes back as a value. The Job is owned by Python (the dialog keeps it) and is
never handed to ``deleteLater``: PySide6 crashes when Qt deletes a Python-owned object that a
Python reference still holds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.errors import HybridDesktopError, ModelError
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.workers.jobs import Job, Report

if TYPE_CHECKING:
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.model_manager.catalogue import CatalogueEntry
    from hybrid_desktop.core.model_manager.download import DownloadControl, Progress
    from hybrid_desktop.core.model_manager.fit import FitEstimate
    from hybrid_desktop.core.model_manager.hardware import HardwareProfile
    from hybrid_desktop.core.model_manager.registry import ModelEntry, Receipt

log = logging.getLogger(__name__)

#: A download's states (``Progress.state``) as a user reads them.
STATES: dict[str, str] = cast(
    "dict[str, str]",
    {
        "connecting": QT_TRANSLATE_NOOP("ModelsTasks", "connecting"),
        "downloading": QT_TRANSLATE_NOOP("ModelsTasks", "downloading"),
        "paused": QT_TRANSLATE_NOOP("ModelsTasks", "paused"),
        "retrying": QT_TRANSLATE_NOOP("ModelsTasks", "retrying"),
        "verifying": QT_TRANSLATE_NOOP("ModelsTasks", "verifying"),
        "done": QT_TRANSLATE_NOOP("ModelsTasks", "done"),
    },
)


def error_text(error: BaseException) -> str:
    """A plain sentence for any failure: ours carry message and hint; others name their kind
    (the traceback is in the log)."""
    if isinstance(error, HybridDesktopError):
        return error.user_text()
    return QCoreApplication.translate(
        "ModelsTasks", "Something went wrong ({kind}). Details are in the log file."
    ).format(kind=type(error).__name__)


# sizes and progress ------------------------------------------------------------------------------


def size_text(n: float | None) -> str:
    if n is None:
        return "?"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} B"


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds >= 3600:
        return QCoreApplication.translate("ModelsTasks", "{hours} h {minutes} min left").format(
            hours=seconds // 3600, minutes=seconds % 3600 // 60
        )
    if seconds >= 60:
        return QCoreApplication.translate("ModelsTasks", "{minutes} min {seconds} s left").format(
            minutes=seconds // 60, seconds=seconds % 60
        )
    return QCoreApplication.translate("ModelsTasks", "{seconds} s left").format(seconds=seconds)


def progress_text(p: Progress) -> str:
    """ "12.0 MB of 80.0 MB, 4.1 MB/s, 16 s left" (and the state when it is not downloading)."""
    text = QCoreApplication.translate("ModelsTasks", "{done} of {total}").format(
        done=size_text(p.done_bytes), total=size_text(p.total_bytes)
    )
    if p.state == "downloading":
        text += f", {size_text(p.speed_bps)}/s"
        eta = eta_text(p.eta_s)
        if eta:
            text += f", {eta}"
    else:
        state = p.state
        if state in STATES:
            state = QCoreApplication.translate("ModelsTasks", STATES[state])
        text += f" — {state}" + (f" ({p.detail})" if p.detail else "")
    return text


# what is installed, what fits --------------------------------------------------------------------


@dataclass(frozen=True)
class InstalledRow:
    entry: ModelEntry
    fit: FitEstimate | None
    fit_note: str  # why there is no fit, when there is none
    in_use: bool
    layers: int


@dataclass
class Overview:
    """Everything the dialog's tables show, read in one background job."""

    installed: list[InstalledRow] = field(default_factory=list)
    recommended: list[tuple[CatalogueEntry, FitEstimate]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    profile: HardwareProfile | None = None
    problems: list[str] = field(default_factory=list)


def configured_model(settings: Settings) -> Path | None:
    """The file the settings point at (the embedded one for None); None when it is missing."""
    from hybrid_desktop.core.models import resolve_model_path

    try:
        return resolve_model_path(settings.model_path).resolve()
    except HybridDesktopError:
        return None


def read_overview(paths: AppPaths, settings: Settings) -> Overview:
    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.model_manager.catalogue import recommend
    from hybrid_desktop.core.model_manager.fit import estimate_fit, load_calibration
    from hybrid_desktop.core.model_manager.hardware import hardware_profile
    from hybrid_desktop.core.model_manager.quantize import layer_count
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    overview = Overview()
    registry = ModelRegistry(paths)
    profile = overview.profile = hardware_profile(registry.folder)
    calibration = load_calibration(paths.cache_dir)
    current = configured_model(settings)
    for entry in registry.list():
        fit, note, layers = None, "", 0
        try:
            info = inspect_gguf(entry.path)
            layers = layer_count(info)
            fit = estimate_fit(info, n_ctx=settings.n_ctx, profile=profile, calibration=calibration)
        except HybridDesktopError as exc:
            note = exc.message
        in_use = current is not None and entry.path.resolve() == current
        overview.installed.append(InstalledRow(entry, fit, note, in_use, layers))
    try:
        overview.recommended = recommend(profile, calibration, settings.n_ctx)
    except HybridDesktopError as exc:
        overview.problems.append(exc.user_text())
    overview.references = reference_points()
    return overview


def reference_points() -> list[str]:
    """The published figures a receipt is read against (llama.cpp's LLaMA-3-8B scoreboard,
    ``data/reference_points.yaml``), one line each; none when they cannot be read."""
    from hybrid_desktop.core.model_manager.receipt import reference_points as published

    try:
        refs = published()
    except (OSError, KeyError, TypeError, ValueError) as exc:
        log.warning("reference points unreadable: %s", exc)
        return []
    lines = [
        QCoreApplication.translate(
            "ModelsTasks", "{model} (16-bit: perplexity {perplexity}), from {source}:"
        ).format(model=refs.model, perplexity=f"{refs.base_perplexity:.2f}", source=refs.source)
    ]
    for p in refs.points:
        top1 = ""
        if p.top1_agreement is not None:
            top1 = QCoreApplication.translate("ModelsTasks", ", top-1 {top1}").format(
                top1=f"{p.top1_agreement:.1%}"
            )
        lines.append(
            QCoreApplication.translate(
                "ModelsTasks", "{type}: {size} GiB, perplexity {perplexity}, KL {kl}{top1}"
            ).format(
                type=p.type,
                size=f"{p.size_gib:.2f}",
                perplexity=f"{p.perplexity:.2f}",
                kl=f"{p.kl_divergence:.4f}",
                top1=top1,
            )
        )
    return lines


def receipt_text(receipt: Receipt) -> str:
    """One line: what the derivation cost, measured against its source."""
    what = receipt.type
    if receipt.pruned_layers:
        what += QCoreApplication.translate("ModelsTasks", " without layers {layers}").format(
            layers=", ".join(map(str, receipt.pruned_layers))
        )
    text = QCoreApplication.translate(
        "ModelsTasks",
        "{what} of {source}: perplexity {perplexity} (source {source_perplexity}), KL {kl} nats, "
        "top-1 agreement {top1}, {size} (source {source_size})",
    ).format(
        what=what,
        source=receipt.source,
        perplexity=f"{receipt.perplexity:.2f}",
        source_perplexity=f"{receipt.source_perplexity:.2f}",
        kl=f"{receipt.kl_divergence:.4f}",
        top1=f"{receipt.top1_agreement:.1%}",
        size=size_text(receipt.size_bytes),
        source_size=size_text(receipt.source_size_bytes),
    )
    if receipt.decode_tps and receipt.source_decode_tps:
        text += QCoreApplication.translate(
            "ModelsTasks", ", {tps} tokens/s (source {source_tps})"
        ).format(tps=f"{receipt.decode_tps:.0f}", source_tps=f"{receipt.source_decode_tps:.0f}")
    try:
        from hybrid_desktop.core.model_manager.receipt import reference_points as published

        near = published().closest(receipt.kl_divergence)
        text += QCoreApplication.translate(
            "ModelsTasks", "; KL like {model} at {type} ({kl})"
        ).format(model=published().model, type=near.type, kl=f"{near.kl_divergence:.4f}")
    except (OSError, KeyError, TypeError, ValueError):
        pass
    return text


# downloads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DownloadTarget:
    name: str
    url: str
    sha256: str | None = None
    size_bytes: int | None = None


def target_for_url(url: str) -> DownloadTarget:
    """A pasted link: the model is named after the link's file (as ``models pull`` names it)."""
    from urllib.parse import unquote, urlsplit

    from hybrid_desktop.core.model_manager.entries import sanitize_name

    return DownloadTarget(
        sanitize_name(unquote(urlsplit(url).path.rstrip("/")).rsplit("/")[-1]), url
    )


def download_model(
    paths: AppPaths,
    target: DownloadTarget,
    control: DownloadControl,
    offline: bool,
    report: Report,
) -> ModelEntry:
    """Download into the models folder and list the file; a failure leaves nothing there (the
    download removes its partial file on cancel; a file the registry refuses is deleted)."""
    from hybrid_desktop.core.model_manager.download import download
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    registry = ModelRegistry(paths)
    dest = registry.path_for_new(registry.unique_name(target.name))
    sha256 = download(
        target.url,
        dest,
        sha256=target.sha256,
        expected_size=target.size_bytes,
        progress=report,
        control=control,
        offline=offline,
    )
    try:
        return registry.add(dest, source="download", origin=target.url, sha256=sha256)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


def coloured(text: str, error: bool = False) -> str:
    """``text`` for a rich-text label: red for a failure, dark grey otherwise."""
    colour = "#b91c1c" if error else "#374151"
    return f"<span style='color:{colour}'>{text}</span>"


def table_item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tip:
        item.setToolTip(tip)
    return item


def make_table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    described(
        table.horizontalHeader(),
        QCoreApplication.translate("ModelsTasks", "What each column of the table shows"),
        name=QCoreApplication.translate("ModelsTasks", "Column headings"),
    )
    return table


class DownloadRow(QWidget):
    """One download: name, bar, "bytes of total, speed, ETA", Pause/Resume and Cancel."""

    def __init__(self, target: DownloadTarget, job: Job, control: Any) -> None:
        super().__init__()
        self.target, self.job, self.control = target, job, control
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        name = QLabel(target.name)  # a model's name: not translated
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        top.addWidget(name, 1)
        self.pause_button = described(
            QPushButton(self.tr("Pause")),
            self.tr("Pause or resume the download of {name}").format(name=target.name),
        )
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = described(
            QPushButton(self.tr("Cancel")),
            self.tr("Stop the download of {name} and delete what has arrived").format(
                name=target.name
            ),
        )
        self.cancel_button.clicked.connect(control.cancel)
        top.addWidget(self.pause_button)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        self.text = QLabel(self.tr("Connecting…"))
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.state = "connecting"
        job.progress.connect(self.show_progress)

    def toggle_pause(self) -> None:
        if self.control.is_paused:
            self.control.resume()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.control.pause()
            self.pause_button.setText(self.tr("Resume"))

    def show_progress(self, progress: Any) -> None:
        self.state = progress.state
        if progress.total_bytes:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * progress.done_bytes / progress.total_bytes))
        self.text.setText(progress_text(progress))

    def finish(self, text: str, ok: bool) -> None:
        self.state = "done" if ok else "failed"
        if ok:
            self.bar.setRange(0, 1000)
            self.bar.setValue(1000)
        self.text.setText(coloured(text, error=not ok))
        self.pause_button.setEnabled(False)
        self.cancel_button.setEnabled(False)


# quantize and prune ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Derived:
    entry: ModelEntry
    receipt: Receipt


def derive_model(
    paths: AppPaths,
    source_name: str,
    *,
    qtype: str,
    prune_layers: tuple[int, ...],
    cancel: threading.Event,
    report: Report,
    receipt_tokens: int = 2048,
) -> Derived:
    """Quantize (and maybe prune) an installed model, measure its receipt, list it.

    Progress: quantizing is the first 60 %, the receipt the rest. ``receipt_tokens``: how much
    of the bundled text the receipt scores (the CLI's default; fewer is quicker and coarser).
    A cancel at any point, or a failure, leaves nothing in the models folder."""
    from hybrid_desktop.core.model_manager.quantize import quantize
    from hybrid_desktop.core.model_manager.receipt import measure_receipt
    from hybrid_desktop.core.model_manager.registry import ModelRegistry
    from hybrid_desktop.errors import QuantizeCancelledError

    registry = ModelRegistry(paths)
    source = registry.get(source_name)
    suffix = f"pruned{len(prune_layers)}-{qtype}" if prune_layers else qtype
    dest = registry.path_for_new(registry.unique_name(f"{source.name}-{suffix}"))

    def step(share: float, start: float) -> Callable[[float, str], None]:
        return lambda fraction, text: report((start + share * fraction, text))

    quantize(
        source.path,
        dest,
        qtype=qtype,
        prune_layers=prune_layers,
        progress=step(0.6, 0.0),
        cancel=cancel,
    )
    try:
        receipt = measure_receipt(
            source.path,
            dest,
            method="prune" if prune_layers else "quantize",
            qtype=qtype,
            pruned_layers=prune_layers,
            max_tokens=receipt_tokens,
            progress=step(0.4, 0.6),
            cancel=cancel,
            source_name=source.name,
        )
        if cancel.is_set():
            raise QuantizeCancelledError("The new model was cancelled and deleted.")
        entry = registry.add(
            dest, source="derived", origin=source.name, receipt=receipt, name=dest.stem
        )
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return Derived(entry, receipt)


def remove_model(paths: AppPaths, name: str) -> None:
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    ModelRegistry(paths).remove(name)


def verify_model(paths: AppPaths, name: str) -> ModelEntry:
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    return ModelRegistry(paths).verify(name)


def import_model(paths: AppPaths, path: Path) -> ModelEntry:
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    return ModelRegistry(paths).import_file(path)


def check_loadable(path: Path) -> None:
    """What the worker would refuse, found before the switch: the current model keeps running
    when this fails."""
    from hybrid_desktop.core.model_manager.registry import validate_gguf

    if not path.is_file():
        raise ModelError(
            QCoreApplication.translate("ModelsTasks", "The model file {path} is gone.").format(
                path=path
            ),
            QCoreApplication.translate("ModelsTasks", "Remove it from the list."),
        )
    validate_gguf(path)
