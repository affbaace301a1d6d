"""The Models dialog's texts: its tables' cells, the line about this machine and the longer
questions, translated (context ``ModelsText``) when they are made, not at import."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QTableWidgetItem

from hybrid_desktop.ui import models_tasks as mt

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.catalogue import CatalogueEntry
    from hybrid_desktop.core.model_manager.fit import FitEstimate
    from hybrid_desktop.core.model_manager.hardware import HardwareProfile
    from hybrid_desktop.core.model_manager.registry import ModelEntry, Receipt

INSTALLED_COLUMNS: tuple[str, ...] = cast(
    "tuple[str, ...]",
    (
        QT_TRANSLATE_NOOP("ModelsText", "Model"),
        QT_TRANSLATE_NOOP("ModelsText", "Size"),
        QT_TRANSLATE_NOOP("ModelsText", "Disk use"),
        QT_TRANSLATE_NOOP("ModelsText", "Fit"),
        QT_TRANSLATE_NOOP("ModelsText", "In use"),
        QT_TRANSLATE_NOOP("ModelsText", "Receipt"),
    ),
)
RECOMMENDED_COLUMNS: tuple[str, ...] = cast(
    "tuple[str, ...]",
    (
        QT_TRANSLATE_NOOP("ModelsText", "Model"),
        QT_TRANSLATE_NOOP("ModelsText", "Size"),
        QT_TRANSLATE_NOOP("ModelsText", "Tier"),
        QT_TRANSLATE_NOOP("ModelsText", "Licence"),
        QT_TRANSLATE_NOOP("ModelsText", "Fit"),
        "",
    ),
)

#: Where a model came from (``ModelEntry.source``), as a word.
SOURCES: dict[str, str] = cast(
    "dict[str, str]",
    {
        "embedded": QT_TRANSLATE_NOOP("ModelsText", "embedded"),
        "download": QT_TRANSLATE_NOOP("ModelsText", "download"),
        "import": QT_TRANSLATE_NOOP("ModelsText", "import"),
        "derived": QT_TRANSLATE_NOOP("ModelsText", "derived"),
    },
)

#: The catalogue's capability tiers (``core.capability.TIERS``), as words.
TIERS: dict[str, str] = cast(
    "dict[str, str]",
    {
        "tiny": QT_TRANSLATE_NOOP("ModelsText", "tiny"),
        "small": QT_TRANSLATE_NOOP("ModelsText", "small"),
        "medium": QT_TRANSLATE_NOOP("ModelsText", "medium"),
        "large": QT_TRANSLATE_NOOP("ModelsText", "large"),
    },
)


#: ``FitEstimate.label``, as words.
FIT_LABELS: dict[str, str] = cast(
    "dict[str, str]",
    {
        "fits": QT_TRANSLATE_NOOP("ModelsText", "fits"),
        "tight": QT_TRANSLATE_NOOP("ModelsText", "tight"),
        "won't fit": QT_TRANSLATE_NOOP("ModelsText", "won't fit"),
    },
)


def fit_text(fit: FitEstimate) -> str:
    """``FitEstimate.summary()`` in the window's language: "fits: needs 1.2 GB of 6.0 GB free,
    ~25 tokens/s"."""
    text = QCoreApplication.translate("ModelsText", "{label}: needs {need} of {free} free").format(
        label=word(FIT_LABELS, fit.label),
        need=mt.size_text(fit.total_bytes),
        free=mt.size_text(fit.available_bytes),
    )
    if fit.tokens_per_s is not None:
        speed = f"{fit.tokens_per_s:.0f}" if fit.tokens_per_s >= 10 else f"{fit.tokens_per_s:.1f}"
        text += QCoreApplication.translate("ModelsText", ", ~{speed} tokens/s").format(speed=speed)
    return text


def word(table: dict[str, str], key: str) -> str:
    """``key`` translated through one of the tables above (unknown keys as they are)."""
    return QCoreApplication.translate("ModelsText", table[key]) if key in table else key


def headers(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(QCoreApplication.translate("ModelsText", c) if c else c for c in columns)


def installed_cells(
    e: ModelEntry, fit: FitEstimate | None, fit_note: str, in_use: bool
) -> tuple[QTableWidgetItem, ...]:
    """One row of the Installed table: name, size, disk use, fit, in use, receipt."""
    params = ""
    if e.parameter_count:
        params = QCoreApplication.translate("ModelsText", "{count}M parameters").format(
            count=f"{e.parameter_count / 1e6:,.0f}"
        )
    size = ", ".join(x for x in (params, e.file_type or "") if x)
    if e.source == "embedded":
        disk = QCoreApplication.translate("ModelsText", "in the app")
    else:
        disk = mt.size_text(e.size_bytes)
    summary = fit_text(fit) if fit else QCoreApplication.translate("ModelsText", "unknown")
    receipt = mt.receipt_text(e.receipt) if e.receipt else ""
    return (
        mt.table_item(e.name, f"{word(SOURCES, e.source)}: {e.origin}\n{e.path}"),
        mt.table_item(size),
        mt.table_item(
            disk,
            QCoreApplication.translate("ModelsText", "{count} bytes").format(
                count=f"{e.size_bytes:,}"
            ),
        ),
        mt.table_item(summary, fit_note),
        mt.table_item(QCoreApplication.translate("ModelsText", "in use") if in_use else ""),
        mt.table_item(receipt, receipt),
    )


def recommended_cells(entry: CatalogueEntry, fit: FitEstimate) -> tuple[QTableWidgetItem, ...]:
    """One row of the Recommended table (the last column, a button, is the dialog's)."""
    return (
        mt.table_item(entry.name, f"{entry.family}, {entry.parameters_b}B, {entry.quantization}"),
        mt.table_item(mt.size_text(entry.size_bytes)),
        mt.table_item(word(TIERS, entry.tier)),
        mt.table_item(entry.license),
        mt.table_item(fit_text(fit)),
    )


def hardware_text(profile: HardwareProfile) -> str:
    simd = ", ".join(profile.simd) or QCoreApplication.translate(
        "ModelsText", "no SIMD flags reported"
    )
    gpu = ", ".join(profile.gpu_backends) or QCoreApplication.translate("ModelsText", "CPU only")
    return QCoreApplication.translate(
        "ModelsText",
        "This machine: {free} of {total} memory free, {cores} cores ({simd}), {gpu}, "
        "{disk} free disk for models.",
    ).format(
        free=mt.size_text(profile.ram_available_bytes),
        total=mt.size_text(profile.ram_total_bytes),
        cores=profile.cpu_physical_cores,
        simd=simd,
        gpu=gpu,
        disk=mt.size_text(profile.disk_free_bytes),
    )


def references_text(references: list[str]) -> str:
    return QCoreApplication.translate(
        "ModelsText", "Published reference points for receipts: {points}"
    ).format(points="<br>".join(references))


def prune_text(layers: int, most: int, chosen: list[int] | tuple[int, ...]) -> str:
    """What "Remove layers" would take out (``chosen``), or how many could go."""
    if not chosen:
        if not most:
            return ""
        return QCoreApplication.translate(
            "ModelsText", "{layers} layers; up to {most} can be removed."
        ).format(layers=layers, most=most)
    return QCoreApplication.translate(
        "ModelsText",
        "Layers {chosen} of {layers} (the deepest middle layers first, after ShortGPT).",
    ).format(chosen=", ".join(map(str, chosen)), layers=layers)


def keep_question(name: str, receipt: Receipt, warn: float) -> str:
    """Asked when a derived model is far from its source."""
    return QCoreApplication.translate(
        "ModelsText",
        "{name} is far from {source}: its KL divergence is {kl} nats, above the warning level "
        "of {warn}, and it ranks the same next token first only {top1} of the time. Keep it?",
    ).format(
        name=name,
        source=receipt.source,
        kl=f"{receipt.kl_divergence:.3f}",
        warn=warn,
        top1=f"{receipt.top1_agreement:.0%}",
    )
