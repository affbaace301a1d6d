"""The quality receipt of a derived (quantized or pruned) model: what deriving it cost.

:func:`measure_receipt` compares the derived model with its source on a bundled public-domain
text (``data/receipt_text.txt``, see ``receipt_text.SOURCE.md``), the way llama.cpp's
``perplexity`` tool does: the text is cut into windows of :data:`N_CTX` tokens, each window is
evaluated from an empty cache, and only the second half of each window is scored, so every
scored token has at least half a window of context. For each scored position it takes both
models' next-token distributions (log-softmax of the logits, with numpy) and reports

- the perplexity of each model on the text,
- the mean KL divergence KL(source || derived), in nats,
- the share of positions where both rank the same token first (top-1 agreement),

plus the decode speed of each on a short fixed greedy generation, and both file sizes.

Both models run in one child process (:mod:`quantize_child`, mode ``"score"``), one after the
other, so memory holds one model at a time. The source's log-probabilities wait in an unnamed
temporary file (a numpy memmap) in the derived model's folder until the derived model has been
scored: 255 positions × the vocabulary in float32 per window, 50 MB for SmolLM2's
49,152-token vocabulary; the system deletes the file when the child ends, however it ends.

The warning threshold :data:`KL_WARN` and the published reference points
(``data/reference_points.yaml``) are explained there and below.
"""

from __future__ import annotations

import hashlib
import math
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.model_manager.quantize import ChildError, run_child, worker_threads
from hybrid_desktop.core.models import display_name
from hybrid_desktop.errors import QuantizeError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from hybrid_desktop.core.model_manager.registry import Receipt

#: Window length in tokens, as llama.cpp's perplexity tool uses by default (and its reference
#: scoreboard was measured with).
N_CTX = 512
#: Mean KL(source || derived) above which a derived model is kept only after a confirmation.
#:
#: llama.cpp's scoreboard for LLaMA-3-8B (``data/reference_points.yaml``) puts its most
#: aggressive k-quant, Q2_K, at a mean KL of 0.445 nats against FP16, with perplexity up by 56 %
#: and the same top token at only 71 % of positions; Q3_K_M is at 0.10 and Q4_K_M at 0.031.
#: Q2_K is the edge of what that table still lists as a usable quantization, so a derived model
#: further from its own source than Q2_K is from FP16 gets a warning and must be confirmed.
#: A lower bar (Q3_K_M's 0.10) would flag nearly every derivative of a small model (a 135M model
#: loses far more per bit than an 8B one) and teach users to type --yes without reading; the
#: receipt shows the number either way, next to the reference points.
KL_WARN = 0.45
#: Tokens generated for the decode-speed figure, from :data:`SPEED_PROMPT`, greedily, best of
#: :data:`SPEED_RUNS` runs.
SPEED_TOKENS = 32
SPEED_RUNS = 3
SPEED_PROMPT = "Once upon a time, in a small village by the sea, there lived"
_PROGRESS = "PROGRESS "
_DATA = "hybrid_desktop.core.model_manager"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReferencePoint:
    """One published measurement: an 8B model quantized to ``type``, against its FP16 weights."""

    type: str
    size_gib: float
    perplexity: float
    kl_divergence: float
    top1_agreement: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "size_gib": self.size_gib,
            "perplexity": self.perplexity,
            "kl_divergence": self.kl_divergence,
            "top1_agreement": self.top1_agreement,
        }


@dataclass(frozen=True)
class ReferencePoints:
    source: str
    model: str
    base_perplexity: float
    points: tuple[ReferencePoint, ...]

    def closest(self, kl_divergence: float) -> ReferencePoint:
        """The published point nearest in KL divergence (on a log scale): "like Q4_K_M"."""
        floor = 1e-6
        return min(
            self.points,
            key=lambda p: abs(math.log(max(p.kl_divergence, floor) / max(kl_divergence, floor))),
        )


@cache
def reference_points() -> ReferencePoints:
    """llama.cpp's published LLaMA-3-8B figures (``data/reference_points.yaml``)."""
    import yaml

    text = resources.files(_DATA).joinpath("data/reference_points.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    points = tuple(
        ReferencePoint(
            type=str(p["type"]),
            size_gib=float(p["size_gib"]),
            perplexity=float(p["perplexity"]),
            kl_divergence=float(p["kl_divergence"]),
            top1_agreement=None if p.get("top1_agreement") is None else float(p["top1_agreement"]),
        )
        for p in data["points"]
    )
    return ReferencePoints(
        str(data["source"]), str(data["model"]), float(data["base"]["perplexity"]), points
    )


def receipt_text_path() -> Path:
    """The bundled text (a real file: the child process reads it by path)."""
    return Path(str(resources.files(_DATA).joinpath("data/receipt_text.txt")))


def text_sha256(path: Path | None = None) -> str:
    return hashlib.sha256((path or receipt_text_path()).read_bytes()).hexdigest()


# the numbers (pure numpy: unit-tested with exact small cases) ------------------------------------


def log_softmax(logits: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Row-wise log-softmax, stable for any logit scale."""
    import numpy as np

    shifted = logits - logits.max(axis=-1, keepdims=True)
    out: npt.NDArray[np.float32] = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return out


def window_count(n_tokens: int, max_tokens: int, n_ctx: int = N_CTX) -> int:
    """Windows to score: as many as the text has whole windows, at most ``max_tokens`` scored
    tokens, and at least one."""
    per_window = scored_per_window(n_ctx)
    return max(0, min(n_tokens // n_ctx, max(1, max_tokens // per_window)))


def scored_per_window(n_ctx: int = N_CTX) -> int:
    """Positions scored in a window: the logits at ``n_ctx/2 … n_ctx-2`` predict the tokens at
    ``n_ctx/2+1 … n_ctx-1`` (llama.cpp's perplexity tool)."""
    return n_ctx - 1 - n_ctx // 2


@dataclass
class Tally:
    """Running sums over the scored positions."""

    positions: int = 0
    source_nll: float = 0.0
    derived_nll: float = 0.0
    kl: float = 0.0
    agree: int = 0

    def add(
        self,
        source: npt.NDArray[np.float32],
        derived: npt.NDArray[np.float32],
        targets: npt.NDArray[np.int64],
    ) -> None:
        """``source`` and ``derived``: log-probabilities (positions × vocabulary);
        ``targets``: the token that actually came next at each position."""
        import numpy as np

        rows = np.arange(len(targets))
        self.positions += len(targets)
        self.source_nll -= float(source[rows, targets].astype(np.float64).sum())
        self.derived_nll -= float(derived[rows, targets].astype(np.float64).sum())
        # float32 per row (numpy sums pairwise), float64 across rows
        per_row = (np.exp(source) * (source - derived)).sum(axis=1, dtype=np.float32)
        self.kl += float(per_row.astype(np.float64).sum())
        self.agree += int((source.argmax(axis=1) == derived.argmax(axis=1)).sum())

    def to_json(self) -> dict[str, Any]:
        n = max(1, self.positions)
        return {
            "tokens": self.positions,
            "source_perplexity": math.exp(self.source_nll / n),
            "perplexity": math.exp(self.derived_nll / n),
            "kl_divergence": max(0.0, self.kl / n),
            "top1_agreement": self.agree / n,
        }


# the child's side --------------------------------------------------------------------------------


def _say(fraction: float, message: str) -> None:
    print(f"{_PROGRESS}{fraction:.4f} {message}", file=sys.stderr, flush=True)


def score_pair(llama_cpp: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Run in the child process: score the source, then the derived model (see the module)."""
    import numpy as np

    text = Path(job["text_path"]).read_bytes()
    n_ctx, max_tokens, threads = int(job["n_ctx"]), int(job["max_tokens"]), int(job["nthread"])
    first = n_ctx // 2
    per_window = scored_per_window(n_ctx)
    tally = Tally()
    speeds: dict[str, float | None] = {}
    with tempfile.TemporaryFile(dir=job.get("scratch_dir")) as scratch:
        store: Any = None
        expected_tokens: list[int] | None = None
        for index, role in enumerate(("source", "derived")):
            llama = llama_cpp.Llama(
                model_path=str(job[role]),
                n_ctx=n_ctx,
                n_batch=n_ctx,
                n_threads=threads,
                n_threads_batch=threads,
                verbose=False,
            )
            batch = llama_cpp.llama_batch_init(n_ctx, 0, 1)
            try:
                tokens = list(llama.tokenize(text, add_bos=False, special=False))
                if expected_tokens is None:
                    expected_tokens = tokens
                elif tokens != expected_tokens:
                    raise RuntimeError("the two models do not share one vocabulary")
                windows = window_count(len(tokens), max_tokens, n_ctx)
                if windows == 0:
                    raise RuntimeError(f"the text has fewer than {n_ctx} tokens")
                if store is None:
                    store = np.memmap(
                        scratch,
                        dtype=np.float32,
                        mode="w+",
                        shape=(windows * per_window, llama.n_vocab()),
                    )
                add_bos = bool(llama_cpp.llama_vocab_get_add_bos(llama._model.vocab))
                for w in range(windows):
                    _say(
                        (index + w / windows) / 2.1, f"scoring the {role} model ({w + 1}/{windows})"
                    )
                    window = tokens[w * n_ctx : (w + 1) * n_ctx]
                    if add_bos:  # as llama.cpp's perplexity tool: the window starts with BOS
                        window[0] = llama.token_bos()
                    logp = _window_logprobs(llama_cpp, llama, batch, window, first)
                    rows = slice(w * per_window, (w + 1) * per_window)
                    if role == "source":
                        store[rows] = logp
                    else:
                        targets = np.array(window[first + 1 : n_ctx], dtype=np.int64)
                        tally.add(np.asarray(store[rows]), logp, targets)
                _say((index + 1) / 2.1, f"timing the {role} model")
                speeds[role] = decode_speed(llama, runs=int(job.get("speed_runs", SPEED_RUNS)))
            finally:
                llama_cpp.llama_batch_free(batch)
                llama.close()
        del store
    return {
        **tally.to_json(),
        "decode_tps": speeds["derived"],
        "source_decode_tps": speeds["source"],
    }


def _window_logprobs(
    llama_cpp: Any, llama: Any, batch: Any, window: list[int], first: int
) -> npt.NDArray[np.float32]:
    """Evaluate one window from an empty cache and return the log-probabilities at positions
    ``first … len-2``. Logits are requested for the scored half only (as llama.cpp's perplexity
    tool does): the output layer over a 49k vocabulary is most of a small model's work, and
    ``Llama(logits_all=True)`` would compute it for every position (measured here: 2.0 s per
    512-token window instead of 5 to 9 s)."""
    import numpy as np

    for i, token in enumerate(window):
        batch.token[i] = token
        batch.pos[i] = i
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = 0
        batch.logits[i] = 1 if i >= first else 0
    batch.n_tokens = len(window)
    ctx = llama._ctx.ctx
    llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(ctx), True)
    status = llama_cpp.llama_decode(ctx, batch)
    if status != 0:
        raise RuntimeError(
            f"llama.cpp could not evaluate the text (llama_decode returned {status})"
        )
    outputs = len(window) - first
    logits = np.ctypeslib.as_array(
        llama_cpp.llama_get_logits(ctx), shape=(outputs, llama.n_vocab())
    )
    return log_softmax(np.array(logits[: outputs - 1], dtype=np.float32))


def decode_speed(llama: Any, tokens: int = SPEED_TOKENS, runs: int = SPEED_RUNS) -> float | None:
    """Tokens per second of greedy decoding after :data:`SPEED_PROMPT`, the best of ``runs``
    (other work on the machine only ever slows a run down; the first token of each run is
    excluded: it includes the prompt's evaluation)."""
    best: float | None = None
    prompt = llama.tokenize(SPEED_PROMPT.encode(), add_bos=True)
    for _run in range(runs):
        llama.reset()
        stamps: list[float] = []
        for _token in llama.generate(prompt, temp=0.0, top_k=1, repeat_penalty=1.0):
            stamps.append(time.perf_counter())
            if len(stamps) >= tokens:
                break
        if len(stamps) >= 2 and stamps[-1] > stamps[0]:
            speed = (len(stamps) - 1) / (stamps[-1] - stamps[0])
            best = speed if best is None else max(best, speed)
    return best


# the parent's side -------------------------------------------------------------------------------


def measure_receipt(
    source: Path,
    derived: Path,
    *,
    method: str,
    qtype: str,
    pruned_layers: Sequence[int] = (),
    max_tokens: int = 2048,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    source_name: str | None = None,
    speed_runs: int = SPEED_RUNS,
) -> Receipt:
    """Measure ``derived`` against ``source`` (see the module). ``source_name`` is the source's
    name in the registry (default: its file name). Raises :class:`QuantizeError` when the
    measurement fails, :class:`QuantizeCancelledError` when cancelled; it writes nothing."""
    from hybrid_desktop.core.model_manager.registry import Receipt

    report = progress or (lambda _f, _m: None)
    text = receipt_text_path()
    job = {
        "mode": "score",
        "source": str(source),
        "derived": str(derived),
        "text_path": str(text),
        "n_ctx": N_CTX,
        "max_tokens": max_tokens,
        "nthread": worker_threads(),
        "scratch_dir": str(derived.parent),
        "speed_runs": speed_runs,
    }

    def on_line(line: str) -> None:
        if line.startswith(_PROGRESS):
            fraction, _, message = line[len(_PROGRESS) :].partition(" ")
            try:
                value = float(fraction)
            except ValueError:
                return
            report(min(1.0, value), message)

    report(0.0, "measuring the quality receipt")
    try:
        result = run_child(job, on_line=on_line, cancel=cancel)
    except ChildError as exc:
        raise QuantizeError(
            f"The quality receipt of {derived.name} could not be measured: {exc.message}.",
            "The new model was not kept. See the log file for llama.cpp's messages.",
        ) from exc
    report(1.0, "receipt measured")
    return Receipt(
        method=method,
        source=source_name or display_name(source),
        type=qtype,
        pruned_layers=tuple(pruned_layers),
        perplexity=float(result["perplexity"]),
        source_perplexity=float(result["source_perplexity"]),
        kl_divergence=float(result["kl_divergence"]),
        top1_agreement=float(result["top1_agreement"]),
        size_bytes=derived.stat().st_size,
        source_size_bytes=source.stat().st_size,
        decode_tps=_optional(result.get("decode_tps")),
        source_decode_tps=_optional(result.get("source_decode_tps")),
        tokens=int(result["tokens"]),
        text_sha256=text_sha256(text),
        measured_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def _optional(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def needs_confirmation(receipt: Receipt) -> bool:
    """Whether the derived model is further from its source than :data:`KL_WARN`."""
    return receipt.kl_divergence > KL_WARN


def describe(receipt: Receipt) -> list[str]:
    """The receipt as a few plain lines for the CLI and the UI, with the nearest published
    reference point."""
    refs = reference_points()
    near = refs.closest(receipt.kl_divergence)
    what = (
        f"{receipt.type} without layers {', '.join(map(str, receipt.pruned_layers))}"
        if receipt.pruned_layers
        else receipt.type
    )
    lines = [
        f"Quality receipt: {what} from {receipt.source} ({receipt.tokens} tokens scored)",
        f"  size            {receipt.size_bytes / 1e6:8.1f} MB   (source {receipt.source_size_bytes / 1e6:.1f} MB)",
        f"  perplexity      {receipt.perplexity:8.3f}      (source {receipt.source_perplexity:.3f})",
        f"  KL divergence   {receipt.kl_divergence:8.4f} nats (warning above {KL_WARN})",
        f"  same top token  {receipt.top1_agreement:8.1%}",
    ]
    if receipt.decode_tps is not None and receipt.source_decode_tps is not None:
        lines.append(
            f"  decode speed    {receipt.decode_tps:8.1f} t/s  (source {receipt.source_decode_tps:.1f} t/s)"
        )
    top1 = "" if near.top1_agreement is None else f", same top token {near.top1_agreement:.1%}"
    lines.append(
        f"  For scale: {refs.model} at {near.type} measures KL {near.kl_divergence:.4f}{top1} "
        "against its 16-bit weights (llama.cpp's published scoreboard)."
    )
    return lines
