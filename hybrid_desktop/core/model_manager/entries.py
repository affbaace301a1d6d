"""What the registry knows about one model, and the checks a GGUF file must pass to be one.

Kept apart from :mod:`.registry` (the folder and its index) so that the pieces without state —
:class:`ModelEntry`, :class:`Receipt`, :func:`validate_gguf`, :func:`sha256_file` — can be read
and tested on their own. :mod:`.registry` re-exports all of them: import them from there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from hybrid_desktop.core.gguf import GGUFInfo, inspect_gguf
from hybrid_desktop.errors import ModelError, ModelFileError

__all__ = [
    "NAME_RE",
    "ModelEntry",
    "Receipt",
    "chat_template_note",
    "check_name",
    "make_entry",
    "now_utc",
    "sanitize_name",
    "sha256_file",
    "supported_architectures",
    "validate_gguf",
]

log = logging.getLogger(__name__)

NAME_RE: Final = re.compile(r"[A-Za-z0-9._-]+")
MAX_NAME: Final = 100
_CHUNK: Final = 1 << 20


# llama.cpp's names for ggml file types (general.file_type), from llama_model_ftype_name.
_FILE_TYPES: Final = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4",
}  # fmt: skip


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Receipt:
    """What was measured when a model was derived (quantized or pruned) from another."""

    method: str
    source: str
    type: str
    pruned_layers: tuple[int, ...]
    perplexity: float
    source_perplexity: float
    kl_divergence: float
    top1_agreement: float
    size_bytes: int
    source_size_bytes: int
    decode_tps: float | None
    source_decode_tps: float | None
    tokens: int
    text_sha256: str
    measured_at: str

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["pruned_layers"] = list(self.pruned_layers)
        return data

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Receipt:
        """Build from :meth:`to_dict` output; unknown keys (a newer version's) are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in d.items() if k in names}
        values["pruned_layers"] = tuple(int(n) for n in values.get("pruned_layers") or ())
        return cls(**values)


@dataclass(frozen=True)
class ModelEntry:
    """One installed model. ``present`` is whether its file is still on disk right now."""

    name: str
    path: Path
    size_bytes: int
    sha256: str
    source: str
    origin: str
    architecture: str | None
    parameter_count: int
    file_type: str | None
    context_length: int | None
    added_at: str
    receipt: Receipt | None = None

    @property
    def present(self) -> bool:
        return self.path.is_file()

    @property
    def is_embedded(self) -> bool:
        return self.source == "embedded"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
            "source": self.source,
            "origin": self.origin,
            "architecture": self.architecture,
            "parameter_count": self.parameter_count,
            "file_type": self.file_type,
            "context_length": self.context_length,
            "added_at": self.added_at,
            "present": self.present,
        }
        if self.receipt is not None:
            for key in ("perplexity", "source_perplexity", "kl_divergence", "top1_agreement"):
                data[key] = getattr(self.receipt, key)
            data["receipt"] = self.receipt.to_dict()
        return data

    def _to_index(self, folder: Path) -> dict[str, Any]:
        data = self.to_json()
        for key in ("present", "path", "perplexity", "source_perplexity", "kl_divergence"):
            data.pop(key, None)
        data.pop("top1_agreement", None)
        data["file"] = self.path.name if self.path.parent == folder else str(self.path)
        return data

    @classmethod
    def _from_index(cls, d: dict[str, Any], folder: Path) -> ModelEntry:
        receipt = d.get("receipt")
        name = str(d["name"])
        if not NAME_RE.fullmatch(name):
            raise ValueError(f"bad model name {name!r}")
        return cls(
            name=name,
            path=folder / str(d["file"]),
            size_bytes=int(d["size_bytes"]),
            sha256=str(d["sha256"]),
            source=str(d.get("source") or "import"),
            origin=str(d.get("origin") or ""),
            architecture=d.get("architecture"),
            parameter_count=int(d.get("parameter_count") or 0),
            file_type=d.get("file_type"),
            context_length=d.get("context_length"),
            added_at=str(d.get("added_at") or ""),
            receipt=_receipt(name, receipt),
        )


@cache
def supported_architectures() -> frozenset[str]:
    """The ``general.architecture`` values the installed llama.cpp can load (a data list taken
    from llama.cpp's ``src/llama-arch.cpp``; see the file's header for its commit)."""
    text = (
        resources.files("hybrid_desktop.core.model_manager")
        .joinpath("data/architectures.txt")
        .read_text("utf-8")
    )
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def sanitize_name(text: str) -> str:
    """A registry name made from free text: runs of other characters become ``-``."""
    stem = text[:-5] if text.lower().endswith(".gguf") else text
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:MAX_NAME].strip("-.")
    return name or "model"


def check_name(name: str) -> None:
    if not NAME_RE.fullmatch(name) or len(name) > MAX_NAME or name.startswith("."):
        raise ModelError(
            f"{name!r} cannot be a model name.",
            f"Use up to {MAX_NAME} letters, digits, '.', '_' or '-', not starting with '.'.",
        )


def validate_gguf(path: Path, *, warn: bool = True) -> GGUFInfo:
    """Check that ``path`` is a GGUF model this app's llama.cpp can load; return its header.

    Raises :class:`ModelFileError` (or :class:`ModelNotFoundError`) with a plain message: not
    GGUF, truncated, corrupt, one part of a split model, or an architecture llama.cpp does not
    know. A missing chat template is only logged (unless ``warn`` is false; see
    :func:`chat_template_note`): the app falls back to ChatML.
    """
    info = inspect_gguf(path)
    split = info.metadata.get("split.count")
    if isinstance(split, int) and split > 1:
        raise ModelFileError(
            f"The model file {path} is one part of a model split into {split} files.",
            "Import a single-file GGUF model, or join the parts first with llama-gguf-split "
            "--merge.",
        )
    arch = info.architecture
    if arch is None:
        raise ModelFileError(
            f"The model file {path} does not say which model architecture it is "
            "(general.architecture is missing), so llama.cpp cannot load it.",
            "Use a GGUF file made by llama.cpp's convert_hf_to_gguf.py or a model publisher.",
        )
    if arch not in supported_architectures():
        raise ModelFileError(
            f"The model file {path} is a {arch!r} model, an architecture the installed "
            "llama.cpp cannot run.",
            "Choose a model of a supported architecture (for example llama, qwen2, qwen3, "
            "gemma3, phi3), or update Hybrid Desktop.",
        )
    note = chat_template_note(info) if warn else None
    if note:
        log.warning("%s", note)
    return info


def chat_template_note(info: GGUFInfo) -> str | None:
    """A warning when the model has no chat template (it still works, with ChatML)."""
    if info.chat_template:
        return None
    return (
        f"The model file {info.path} has no chat template; the app will format chats as "
        "ChatML, which may not be what this model was trained on."
    )


def sha256_file(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """The file's sha256 (hex), read in 1 MiB chunks; ``progress(done, total)`` after each."""
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return digest.hexdigest()


def file_type_name(info: GGUFInfo) -> str | None:
    value = info.metadata.get("general.file_type")
    if isinstance(value, int) and not isinstance(value, bool):
        return _FILE_TYPES.get(value, f"type {value}")
    return None


def make_entry(
    name: str, path: Path, info: GGUFInfo, *, sha256: str, source: str, origin: str,
    receipt: Receipt | None = None, added_at: str | None = None,
) -> ModelEntry:  # fmt: skip
    return ModelEntry(
        name=name,
        path=path,
        size_bytes=info.file_size,
        sha256=sha256,
        source=source,
        origin=origin,
        architecture=info.architecture,
        parameter_count=info.parameter_count,
        file_type=file_type_name(info),
        context_length=info.context_length,
        added_at=added_at or now_utc(),
        receipt=receipt,
    )


def _receipt(name: str, data: object) -> Receipt | None:
    """A stored receipt; a damaged one is dropped (logged), not the whole index with it."""
    if not isinstance(data, dict):
        return None
    try:
        return Receipt.from_dict(data)
    except (TypeError, ValueError):
        log.warning("the stored quality receipt of %s is damaged; it is ignored", name)
        return None
