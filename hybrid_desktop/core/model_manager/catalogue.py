"""The model catalogue: which models the app offers to download, and which suit this machine.

The catalogue is data (``data/catalogue.yaml``, package data, with its sources in its header),
read with PyYAML's ``safe_load`` and checked against a small schema here: a typo in the file
gives a :class:`~hybrid_desktop.errors.CatalogueError` naming the entry and the field, not a
``KeyError`` at the first use. The schema is written out by hand rather than with a validation
library: fifteen fields of four types do not justify a new dependency.

:func:`recommend` ranks the entries for a :class:`HardwareProfile` with the fit planner
(:func:`~.fit.estimate_fit`): first those that **fit** (and whose download fits on the disk),
then the **tight** ones, then the rest (won't fit, or no room on disk) — so a model that cannot
run is never offered first. Within a group a bigger capability tier comes first (a 7B model
answers far better than a 1B one), and within a tier the faster model (the calibrated speed, or
the smaller file when there is no calibration: decode speed falls with the bytes read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from hybrid_desktop.core.capability import TIERS
from hybrid_desktop.core.model_manager.fit import Calibration, FitEstimate, estimate_fit
from hybrid_desktop.errors import CatalogueError

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.hardware import HardwareProfile

__all__ = ["CATALOGUE_VERSION", "CatalogueEntry", "load_catalogue", "recommend"]

#: The schema version this code reads.
CATALOGUE_VERSION: Final = 1
TIER_NAMES: Final = tuple(t[0] for t in TIERS)
_NAME: Final = re.compile(r"^[A-Za-z0-9._-]+$")
_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_URL: Final = re.compile(r"^https://[^\s/]+/\S+\.gguf$")
#: field -> (type, required). Integers must be positive.
_FIELDS: Final[dict[str, tuple[type, bool]]] = {
    "name": (str, True),
    "family": (str, True),
    "url": (str, True),
    "size_bytes": (int, True),
    "quantization": (str, True),
    "license": (str, True),
    "context_length": (int, True),
    "languages": (list, True),
    "sha256": (str, False),  # null allowed: unknown hashes are never invented
    "tier": (str, True),
    "parameters_b": (float, True),
    "layers": (int, True),
    "heads": (int, True),
    "kv_heads": (int, True),
    "head_dim": (int, True),
    "embedding": (int, False),
    "feed_forward": (int, False),
    "vocab_size": (int, False),
}


@dataclass(frozen=True)
class CatalogueEntry:
    """One downloadable model file and the numbers the fit planner needs."""

    name: str
    family: str
    url: str
    size_bytes: int
    quantization: str
    license: str
    context_length: int
    languages: tuple[str, ...]
    sha256: str | None
    tier: str
    parameters_b: float
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    embedding: int = 0
    feed_forward: int = 0
    vocab_size: int = 0

    @property
    def tier_level(self) -> int:
        return TIER_NAMES.index(self.tier)

    def fit_metadata(self) -> dict[str, object]:
        """The keys :func:`~.fit.estimate_fit` reads from ``metadata`` (0 = unknown: left out)."""
        meta: dict[str, object] = {
            "layers": self.layers,
            "heads": self.heads,
            "kv_heads": self.kv_heads,
            "head_dim": self.head_dim,
            "context_length": self.context_length,
        }
        for key in ("embedding", "feed_forward", "vocab_size"):
            if getattr(self, key):
                meta[key] = getattr(self, key)
        return meta

    def estimate(
        self, profile: HardwareProfile, calibration: Calibration | None = None, n_ctx: int = 4096
    ) -> FitEstimate:
        return estimate_fit(
            None,
            n_ctx=n_ctx,
            profile=profile,
            calibration=calibration,
            size_bytes=self.size_bytes,
            metadata=self.fit_metadata(),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "family": self.family,
            "url": self.url,
            "size_bytes": self.size_bytes,
            "quantization": self.quantization,
            "license": self.license,
            "context_length": self.context_length,
            "languages": list(self.languages),
            "sha256": self.sha256,
            "tier": self.tier,
            "parameters_b": self.parameters_b,
            "layers": self.layers,
            "heads": self.heads,
            "kv_heads": self.kv_heads,
            "head_dim": self.head_dim,
            "embedding": self.embedding or None,
            "feed_forward": self.feed_forward or None,
            "vocab_size": self.vocab_size or None,
        }


def _default_path() -> Path:
    """The packaged file (package data: in the wheel and, via collect_data_files, the bundles)."""
    from importlib import resources

    return Path(
        str(resources.files("hybrid_desktop.core.model_manager") / "data" / "catalogue.yaml")
    )


def _check_entry(raw: object, index: int, where: str) -> CatalogueEntry:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: model #{index + 1} is not a mapping of fields.")
    label = f"{where}: model #{index + 1} ({raw.get('name', 'no name')})"
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise CatalogueError(f"{label} has unknown field(s): {', '.join(map(str, unknown))}.")
    values: dict[str, Any] = {}
    for key, (kind, required) in _FIELDS.items():
        value = raw.get(key)
        if value is None:
            if required:
                raise CatalogueError(f"{label} lacks the field {key!r}.")
            values[key] = None if key == "sha256" else 0
            continue
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CatalogueError(
                f"{label}: {key!r} must be a {kind.__name__}, not {type(value).__name__}."
            )
        if isinstance(value, int | float) and value <= 0:
            raise CatalogueError(f"{label}: {key!r} must be positive.")
        values[key] = value
    if not _NAME.match(values["name"]):
        raise CatalogueError(f"{label}: the name may hold only letters, digits, '.', '_', '-'.")
    if not _URL.match(values["url"]):
        raise CatalogueError(f"{label}: the url must be an https:// address of a .gguf file.")
    sha = values.get("sha256")
    if sha is not None and not _SHA256.match(sha):
        raise CatalogueError(f"{label}: sha256 must be 64 lowercase hex digits, or null.")
    if values["tier"] not in TIER_NAMES:
        raise CatalogueError(f"{label}: tier must be one of {', '.join(TIER_NAMES)}.")
    if values["heads"] % values["kv_heads"]:
        raise CatalogueError(f"{label}: heads must be a multiple of kv_heads.")
    languages = values["languages"]
    if not languages or not all(isinstance(lang, str) and lang for lang in languages):
        raise CatalogueError(f"{label}: languages must be a non-empty list of language codes.")
    values["languages"] = tuple(languages)
    return CatalogueEntry(**values)


def load_catalogue(path: Path | None = None) -> tuple[int, list[CatalogueEntry]]:
    """(schema version, entries) of the packaged catalogue, or of ``path``.

    Raises :class:`CatalogueError` with the file, the entry and the field at fault.
    """
    import yaml

    path = path or _default_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"The model catalogue {path} cannot be read: {exc.strerror}.") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"The model catalogue {path} is not valid YAML: {exc}.") from exc
    if not isinstance(data, dict) or "models" not in data or "version" not in data:
        raise CatalogueError(f"The model catalogue {path} needs a 'version' and a 'models' list.")
    version = data["version"]
    if version != CATALOGUE_VERSION:
        raise CatalogueError(
            f"The model catalogue {path} has version {version!r}; "
            f"this Hybrid Desktop reads version {CATALOGUE_VERSION}.",
            "Update Hybrid Desktop, or use a catalogue file of the matching version.",
        )
    models = data["models"]
    if not isinstance(models, list) or not models:
        raise CatalogueError(f"The model catalogue {path}: 'models' must be a non-empty list.")
    entries = [_check_entry(raw, i, str(path)) for i, raw in enumerate(models)]
    seen: set[str] = set()
    for entry in entries:
        if entry.name.lower() in seen:
            raise CatalogueError(f"The model catalogue {path} lists {entry.name} twice.")
        seen.add(entry.name.lower())
    return version, entries


def _group(entry: CatalogueEntry, fit: FitEstimate, disk_free: int) -> int:
    on_disk = entry.size_bytes <= disk_free
    if fit.label == "fits" and on_disk:
        return 0
    if fit.label == "tight" and on_disk:
        return 1
    return 2


def recommend(
    profile: HardwareProfile,
    calibration: Calibration | None = None,
    n_ctx: int = 4096,
    entries: list[CatalogueEntry] | None = None,
) -> list[tuple[CatalogueEntry, FitEstimate]]:
    """Every catalogue entry with its fit on this machine, best first (see the module docstring).

    ``entries`` defaults to the packaged catalogue.
    """
    if entries is None:
        entries = load_catalogue()[1]
    rated = [(entry, entry.estimate(profile, calibration, n_ctx)) for entry in entries]

    def key(item: tuple[CatalogueEntry, FitEstimate]) -> tuple[int, int, float, str]:
        entry, fit = item
        group = _group(entry, fit, profile.disk_free_bytes)
        if group == 2:  # cannot run here: the smallest need first, the closest to fitting
            return (group, 0, float(fit.total_bytes), entry.name)
        speed = fit.tokens_per_s if fit.tokens_per_s is not None else 1e12 / entry.size_bytes
        return (group, -entry.tier_level, -speed, entry.name)

    return sorted(rated, key=key)
