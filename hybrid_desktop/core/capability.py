"""How capable the loaded local model is, read from its GGUF metadata.

A 7B model answers well far more than the embedded 135M one, so the router keeps more on the
device when a bigger model is loaded. :func:`tier_of` turns a model's size (its weight count, or
``general.size_label``), its quantization (``general.file_type``) and its context length into a
:class:`Tier`. The tier moves the router's decision threshold by :attr:`Tier.logit_shift`: the
routing model is fitted for the smallest tier, and each tier up asks for more evidence before a
request leaves the device. A quantization of three bits or fewer counts one tier lower.

The shifts are a stated prior, not a fit: the labelled requests say what a small model can do and
carry no per-model labels. The model catalogue can set a model's tier directly (``override``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hybrid_desktop.core.gguf import GGUFInfo

__all__ = ["TIERS", "Tier", "tier_of"]

#: (name, smallest size in billions of weights, logit shift of the threshold).
TIERS: tuple[tuple[str, float, float], ...] = (
    ("tiny", 0.0, 0.0),
    ("small", 0.9, 0.8),
    ("medium", 2.5, 1.6),
    ("large", 6.0, 2.4),
)
_LOW_BIT = re.compile(r"(?:^|_)(?:I?Q[123]|TQ[12])(?:_|$)")
_SIZE_LABEL = re.compile(r"(?i)^\s*(?:\d+x)?(\d+(?:\.\d+)?)\s*([MBK])\s*$")


@dataclass(frozen=True)
class Tier:
    name: str
    level: int
    logit_shift: float
    #: Weights in billions, when known.
    size_b: float | None = None
    quantization: str | None = None
    context: int | None = None

    def label(self) -> str:
        """For the reason: "local model 135M, tiny tier"."""
        if self.size_b is None:
            return f"{self.name} tier"
        size = f"{self.size_b * 1000:.0f}M" if self.size_b < 1 else f"{self.size_b:.1f}B"
        return f"local model {size.replace('.0B', 'B')}, {self.name} tier"

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "level": self.level,
            "size_b": self.size_b,
            "quantization": self.quantization,
            "context": self.context,
        }


def _size_b(info: GGUFInfo) -> float | None:
    if info.parameter_count > 0:
        return info.parameter_count / 1e9
    match = _SIZE_LABEL.match(str(info.metadata.get("general.size_label") or ""))
    if match:
        scale = {"K": 1e-6, "M": 1e-3, "B": 1.0}[match.group(2).upper()]
        return float(match.group(1)) * scale
    return None


def _quantization(info: GGUFInfo) -> str | None:
    from gguf import LlamaFileType

    value = info.metadata.get("general.file_type")
    if not isinstance(value, int):
        return None
    try:
        return LlamaFileType(value).name.removeprefix("MOSTLY_")
    except ValueError:
        return None


def tier_of(info: GGUFInfo | None, override: str | None = None) -> Tier:
    """The tier of a loaded model (``None``: unknown, taken as the smallest)."""
    if info is None and override is None:
        return Tier("tiny", 0, 0.0)
    size = _size_b(info) if info else None
    quant = _quantization(info) if info else None
    context = info.context_length if info else None
    level = 0
    for i, (_name, smallest, _shift) in enumerate(TIERS):
        if size is not None and size >= smallest:
            level = i
    if quant and _LOW_BIT.search(quant) and level > 0:
        level -= 1
    names = [t[0] for t in TIERS]
    if override in names:
        level = names.index(override)
    name, _smallest, shift = TIERS[level]
    return Tier(name, level, shift, size, quant, context)
