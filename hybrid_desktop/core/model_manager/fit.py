"""Will a model fit this machine, and how fast will it answer? The fit planner.

:func:`estimate_fit` adds up what loading a GGUF model with :class:`LocalEngine` makes resident:

- **weights**: the file's tensor data (``GGUFInfo.data_end - data_offset``; a catalogue entry's
  download size). llama.cpp maps them from the file; the benchmark sees them all resident
  right after the load.
- **KV cache**: ``n_layers * n_ctx * n_kv_heads * (key_length + value_length) * 2`` bytes (f16
  K and V, llama.cpp's default). llama.cpp clears the whole cache when it creates it, so all of
  it is resident from the start. Sliding-window layers (Gemma 2) are counted at full size: an
  over-estimate, on the safe side.
- **overhead**: llama.cpp's compute buffer for the batches the app feeds (at most
  :data:`~hybrid_desktop.core.engines.local.PREFILL_CHUNK` tokens at once), its output buffer,
  and a fixed part. The compute buffer follows what llama.cpp logs as ``CPU compute buffer
  size``: its peak is the larger of the logits (``4 * batch * n_vocab``) and the attention
  scores plus mask (``4 * batch * n_ctx * (n_heads + 1)``), plus the activations
  (``4 * batch * (2 * n_embd + n_ff)``). llama.cpp reserves that buffer for 512-token batches,
  but pages are resident only once used and the app never evaluates more than 64 tokens at
  once, so the 64-token figure is what the machine must hold. The fixed part
  (:data:`FIXED_OVERHEAD_BYTES`: vocabulary tables, llama-cpp-python's arrays, allocator slack)
  was calibrated on the embedded model only (``tests/benchmarks/bench_fit.py``), which is one
  model: treat it as an estimate for others.

The label compares the total with the RAM available now: **fits** up to 70 % of it, **tight**
up to 100 %, **won't fit** beyond. The 30 % margin leaves room for the app's own window and
chat history, the other programs' growth and the OS's file cache: mapped weights that the
OS evicts must be read back from disk on every token, which makes decoding crawl well before
memory "runs out". A GPU backend is not counted: its memory size is not known here, and on
Apple's unified memory the RAM is the right budget anyway.

Tokens per second come from :func:`calibrate`: a short decode of the embedded model on this
machine, cached in ``cache_dir/model-calibration.json`` per llama.cpp build and core count.
Decoding reads every weight once per token, so it is bound by memory bandwidth and another
model's speed is the calibrated one scaled by the ratio of weight bytes. The embedded model is
so small that part of its time per token is fixed cost (sampling over a 49k vocabulary, Python),
not bandwidth, so the scaling under-estimates bigger files (bench_fit.py, one thread: its Q8_0
copy, 1.5 times the weight bytes, predicted 24 tokens/s, measured 36).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Final

from hybrid_desktop.core.engines.local import PREFILL_CHUNK

if TYPE_CHECKING:
    from hybrid_desktop.core.gguf import GGUFInfo
    from hybrid_desktop.core.model_manager.hardware import HardwareProfile

log = logging.getLogger(__name__)

__all__ = [
    "FITS_SHARE",
    "FIXED_OVERHEAD_BYTES",
    "Calibration",
    "FitEstimate",
    "ModelShape",
    "calibrate",
    "estimate_fit",
    "load_calibration",
]

MiB: Final = 1 << 20
#: Share of the available RAM a model may take and still be labelled "fits".
FITS_SHARE: Final = 0.70
#: What loading costs beyond weights, KV cache and buffers: calibrated on the embedded model
#: (measured growth minus the formula's parts at n_ctx 512 and 2048: 17.8 and 19.1 MB, by
#: tests/benchmarks/bench_fit.py; at 8192 the formula counts attention scores for a full context).

FIXED_OVERHEAD_BYTES: Final = 19 * 1000 * 1000
#: f16 K and V entries (llama.cpp's default cache type).
KV_BYTES_PER_ELEMENT: Final = 2
#: When a file or a catalogue entry does not say (Llama 2's vocabulary).
DEFAULT_VOCAB: Final = 32000
CALIBRATION_FILE: Final = "model-calibration.json"
CALIBRATION_VERSION: Final = 1
CALIBRATION_PROMPT: Final = "Count from 1 to 60, separated by commas."


@dataclass(frozen=True)
class ModelShape:
    """The numbers the memory formulas need."""

    layers: int
    heads: int
    kv_heads: int
    key_length: int
    value_length: int
    embedding: int
    feed_forward: int
    vocab: int
    context_length: int | None = None

    @classmethod
    def from_gguf(cls, info: GGUFInfo) -> ModelShape | None:
        """From ``<arch>.block_count``, ``.attention.head_count(_kv)``, ``.embedding_length``,
        ``.attention.key_length``/``value_length`` (else ``n_embd / n_heads``)... ``None`` when
        the file lacks the layer or head counts."""
        arch = info.architecture
        if arch is None:
            return None
        meta = info.metadata

        def number(key: str) -> int | None:
            value = meta.get(f"{arch}.{key}")
            # Some architectures store per-layer arrays; the planner then has no single value.
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
            return None

        layers, heads, embd = (
            number("block_count"),
            number("attention.head_count"),
            number("embedding_length"),
        )
        if not (layers and heads and embd):
            return None
        kv_heads = number("attention.head_count_kv") or heads
        head_dim = embd // heads
        vocab = number("vocab_size")
        if vocab is None:
            tokens = meta.get("tokenizer.ggml.tokens")
            vocab = int(getattr(tokens, "length", 0)) or DEFAULT_VOCAB
        return cls(
            layers=layers,
            heads=heads,
            kv_heads=kv_heads,
            key_length=number("attention.key_length") or head_dim,
            value_length=number("attention.value_length") or head_dim,
            embedding=embd,
            feed_forward=number("feed_forward_length") or 4 * embd,
            vocab=vocab,
            context_length=info.context_length,
        )

    @classmethod
    def from_metadata(cls, meta: dict[str, object]) -> ModelShape | None:
        """From a catalogue entry's plain keys: ``layers``, ``heads``, ``kv_heads``,
        ``head_dim``, optional ``embedding``, ``feed_forward``, ``vocab_size``,
        ``context_length``."""

        def number(key: str) -> int | None:
            value = meta.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
            return None

        layers, heads, kv_heads, head_dim = (
            number("layers"),
            number("heads"),
            number("kv_heads"),
            number("head_dim"),
        )
        if not (layers and heads and kv_heads and head_dim):
            return None
        embd = number("embedding") or heads * head_dim
        return cls(
            layers=layers,
            heads=heads,
            kv_heads=kv_heads,
            key_length=head_dim,
            value_length=head_dim,
            embedding=embd,
            feed_forward=number("feed_forward") or 4 * embd,
            vocab=number("vocab_size") or DEFAULT_VOCAB,
            context_length=number("context_length"),
        )

    def kv_cache_bytes(self, n_ctx: int) -> int:
        per_token = self.layers * self.kv_heads * (self.key_length + self.value_length)
        return per_token * n_ctx * KV_BYTES_PER_ELEMENT

    def compute_buffer_bytes(self, n_ctx: int, batch: int = PREFILL_CHUNK) -> int:
        """llama.cpp's f32 compute buffer peak for ``batch`` tokens (see the module docstring)."""
        batch = max(1, min(batch, n_ctx))
        peak = max(self.vocab, n_ctx * (self.heads + 1))
        return 4 * batch * (peak + 2 * self.embedding + self.feed_forward)

    def overhead_bytes(self, n_ctx: int) -> int:
        output = 4 * self.vocab  # logits of the one output row
        return self.compute_buffer_bytes(n_ctx) + output + FIXED_OVERHEAD_BYTES


@dataclass(frozen=True)
class Calibration:
    """Decode speed of the embedded model measured on this machine."""

    tokens_per_s: float
    weights_bytes: int
    n_threads: int
    cpu_count: int
    system_info: str
    model: str
    measured_at: str

    def tokens_per_s_for(self, weights_bytes: int) -> float:
        """Memory-bandwidth bound decode: speed falls in proportion to the bytes read per token."""
        return self.tokens_per_s * self.weights_bytes / max(1, weights_bytes)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Calibration:
        tps, weights, threads, cpus = (
            data["tokens_per_s"],
            data["weights_bytes"],
            data["n_threads"],
            data["cpu_count"],
        )
        if not (isinstance(tps, int | float) and tps > 0):
            raise ValueError("tokens_per_s must be a positive number")
        if not all(isinstance(v, int) and v > 0 for v in (weights, threads, cpus)):
            raise ValueError("weights_bytes, n_threads and cpu_count must be positive integers")
        return cls(
            tokens_per_s=float(tps),
            weights_bytes=int(weights),  # type: ignore[call-overload]
            n_threads=int(threads),  # type: ignore[call-overload]
            cpu_count=int(cpus),  # type: ignore[call-overload]
            system_info=str(data.get("system_info", "")),
            model=str(data.get("model", "")),
            measured_at=str(data.get("measured_at", "")),
        )


@dataclass(frozen=True)
class FitEstimate:
    """What a model needs at ``n_ctx`` against what this machine has free."""

    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int
    total_bytes: int
    available_bytes: int
    label: str
    tokens_per_s: float | None
    n_ctx: int

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data["tokens_per_s"] = None if self.tokens_per_s is None else round(self.tokens_per_s, 1)
        return data

    def summary(self) -> str:
        """One line for a table or a tooltip: "fits: needs 1.2 GB of 6.0 GB free, ~25 tokens/s"."""
        text = f"{self.label}: needs {_gb(self.total_bytes)} of {_gb(self.available_bytes)} free"
        if self.tokens_per_s is not None:
            text += f", ~{_speed(self.tokens_per_s)} tokens/s"
        return text


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 100e6 else f"{n / 1e6:.0f} MB"


def _speed(tps: float) -> str:
    return f"{tps:.0f}" if tps >= 10 else f"{tps:.1f}"


def weights_bytes_of(info: GGUFInfo) -> int:
    """The tensor data of a checked GGUF file (the whole file when the offset is unknown)."""
    if info.data_offset > 0 and info.data_end > info.data_offset:
        return info.data_end - info.data_offset
    return info.file_size


def label_for(total: int, available: int) -> str:
    if available > 0 and total <= FITS_SHARE * available:
        return "fits"
    if available > 0 and total <= available:
        return "tight"
    return "won't fit"


def estimate_fit(
    info: GGUFInfo | None,
    *,
    n_ctx: int,
    profile: HardwareProfile,
    calibration: Calibration | None = None,
    size_bytes: int | None = None,
    metadata: dict[str, object] | None = None,
) -> FitEstimate:
    """The memory a model needs at ``n_ctx`` (clamped to its trained context, as the engine
    does), its label on this machine, and its expected decode speed.

    A local file passes its ``info``; a catalogue entry, which has no file yet, passes
    ``size_bytes`` and ``metadata`` (see :meth:`ModelShape.from_metadata`). Without layer and
    head counts only the weights are counted, plus the fixed overhead.
    """
    if n_ctx <= 0:
        raise ValueError("n_ctx must be positive")
    shape: ModelShape | None = None
    if info is not None:
        weights = weights_bytes_of(info)
        shape = ModelShape.from_gguf(info)
    elif size_bytes is not None:
        weights = int(size_bytes)
    else:
        raise ValueError("estimate_fit needs a GGUFInfo or a size_bytes")
    if shape is None and metadata is not None:
        shape = ModelShape.from_metadata(metadata)
    if shape is not None and shape.context_length:
        n_ctx = min(n_ctx, shape.context_length)
    kv = shape.kv_cache_bytes(n_ctx) if shape else 0
    overhead = shape.overhead_bytes(n_ctx) if shape else FIXED_OVERHEAD_BYTES
    total = weights + kv + overhead
    available = profile.ram_available_bytes
    return FitEstimate(
        weights_bytes=weights,
        kv_cache_bytes=kv,
        overhead_bytes=overhead,
        total_bytes=total,
        available_bytes=available,
        label=label_for(total, available),
        tokens_per_s=calibration.tokens_per_s_for(weights) if calibration else None,
        n_ctx=n_ctx,
    )


# calibration ------------------------------------------------------------------------------------


def _machine_key() -> tuple[str, int]:
    from hybrid_desktop.core.model_manager.hardware import llama_system_info

    return llama_system_info()[0], os.cpu_count() or 1


def load_calibration(cache_dir: Path) -> Calibration | None:
    """The cached calibration for this llama.cpp build and core count, if there is one.

    A damaged cache file is not an error: it is logged and measured again.
    """
    system_info, cpus = _machine_key()
    path = cache_dir / CALIBRATION_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("machines", []):
            cal = Calibration.from_json(item)
            if cal.system_info == system_info and cal.cpu_count == cpus:
                return cal
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("ignoring the unreadable calibration file %s", path, exc_info=True)
    return None


def _save(cache_dir: Path, cal: Calibration) -> None:
    """Keep the other machines' entries (a shared home folder); write atomically."""
    path = cache_dir / CALIBRATION_FILE
    kept: list[dict[str, object]] = []
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        kept = [
            m
            for m in old.get("machines", [])
            if isinstance(m, dict)
            and (m.get("system_info"), m.get("cpu_count")) != (cal.system_info, cal.cpu_count)
        ]
    except (OSError, ValueError, AttributeError):
        pass
    cache_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps(
        {"version": CALIBRATION_VERSION, "machines": [*kept, cal.to_json()]}, indent=1
    )
    fd, tmp = tempfile.mkstemp(prefix=".calibration-", suffix=".tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def calibrate(cache_dir: Path, *, force: bool = False, n_threads: int | None = None) -> Calibration:
    """Decode speed of the embedded model here, from the cache unless ``force``.

    Loads the embedded model (n_ctx 512, the app's decode threads), decodes a short answer twice
    and keeps the faster run: a busy machine only ever slows a run down. Takes about a second on
    a laptop. Raises the engine's :class:`~hybrid_desktop.errors.ModelError` when the model
    cannot run.
    """
    if not force:
        cached = load_calibration(cache_dir)
        if cached is not None:
            return cached
    from hybrid_desktop.config.settings import default_threads
    from hybrid_desktop.core.engines.base import GenerationParams
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.models import EMBEDDED_NAME, embedded_model_path

    threads = n_threads or default_threads()
    path = embedded_model_path()
    engine = LocalEngine.load(path, 512, threads)
    best = 0.0
    try:
        params = GenerationParams(max_tokens=48, temperature=0.0, repeat_penalty=1.0)
        for _ in range(2):
            result = engine.generate([{"role": "user", "content": CALIBRATION_PROMPT}], params)
            best = max(best, result.stats.tokens_per_s or 0.0)
        weights = weights_bytes_of(engine.info)
    finally:
        engine.close()
    if best <= 0:
        from hybrid_desktop.errors import GenerationError

        raise GenerationError(
            "The embedded model answered too briefly to time its decoding.",
            "Try again; if it keeps happening, see the log file.",
        )
    system_info, cpus = _machine_key()
    cal = Calibration(
        tokens_per_s=best,
        weights_bytes=weights,
        n_threads=threads,
        cpu_count=cpus,
        system_info=system_info,
        model=EMBEDDED_NAME,
        measured_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    log.info("calibrated decode: %.1f tokens/s (%d threads)", best, threads)
    try:
        _save(cache_dir, cal)
    except OSError:
        log.warning("could not cache the calibration in %s", cache_dir, exc_info=True)
    return cal
