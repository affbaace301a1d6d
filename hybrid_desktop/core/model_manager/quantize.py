"""Quantize and prune a GGUF model on the device with llama.cpp's ``llama_model_quantize``.

:func:`quantize` runs llama.cpp in a child process (:mod:`quantize_child`), in four steps:

1. a dry run (``dry_run``) that writes nothing and reports the quantized tensors' size, from
   which, with the source's header and metadata bytes, the output size is known before any
   byte is written; the free disk is checked against it;
2. the real run, into ``<dest>.incomplete``, with progress parsed from llama.cpp's log (one
   line per tensor, ``[  12/ 272] blk.0.attn_q.weight …``: progress is 12/272);
3. a reload of the output in a fresh child and a short smoke prompt: llama.cpp has an open bug
   where a pruned file fails to load although the quantize call reported success, so a file
   that does not load and answer is deleted and reported, never kept;
4. ``os.replace`` to ``dest``.

Cancel ends the child (terminate, then kill), and a cancel, a failure or Ctrl+C removes the
``.incomplete`` file: the models folder never holds half a model.

Requantizing: the embedded model is already Q4_1, and llama.cpp refuses to requantize unless
``allow_requantize`` is set. Requantizing compounds the rounding error of the first
quantization with the second, so a Q4_0 made from a Q4_1 file is worse than one made from the
original 16-bit weights. The quality receipt (:mod:`receipt`) measures exactly that loss
against the source, and the interfaces say so.

Pruning removes whole transformer layers (``prune_layers``, a sorted list ending in -1).
:func:`suggested_prune_layers` picks which, after ShortGPT (Men et al. 2024, "ShortGPT: Layers
in Large Language Models are More Redundant Than You Expect"), which found the deep layers, all
but the last few, the most redundant.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hybrid_desktop.core.gguf import GGUFInfo, inspect_gguf
from hybrid_desktop.errors import QuantizeCancelledError, QuantizeError

log = logging.getLogger(__name__)

#: The target types offered (the issue's list), best quality first.
QUANT_TYPES = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_0", "Q3_K_M", "Q2_K")
#: ``qtype`` for "keep the source's tensors as they are" (llama.cpp's ``only_copy``): the
#: default of a prune, so that its receipt measures the removed layers and nothing else, and
#: the file shrinks by exactly those layers, whatever the source's type (the embedded model's
#: Q4_1 is not among :data:`QUANT_TYPES`; requantizing it to Q8_0 would add size, to Q4_0 error).
KEEP_TYPE = "COPY"

#: ShortGPT's rule as a fixed order (see :func:`suggested_prune_layers`): never the first two
#: layers (they turn token embeddings into the model's working representation; ShortGPT's
#: per-layer scores are highest there) nor the last two (they map back to the vocabulary), and
#: start at three quarters of the depth, where its most redundant layers cluster.
PROTECT_FIRST = 2
PROTECT_LAST = 2
ANCHOR_DEPTH = 0.75

#: Room kept free beyond the output's expected size (the dry run's tensor size is rounded to
#: 0.01 MiB per tensor; file systems need some slack too).
DISK_MARGIN_BYTES = 16 * 1024 * 1024
#: Seconds a terminated child gets to exit before it is killed.
TERMINATE_GRACE_S = 5.0
CHILD_MODULE = "hybrid_desktop.core.model_manager.quantize_child"
#: The argument that makes the app's own executable run a child job (a frozen bundle has no
#: ``python -m``): ``hybrid-desktop --model-job '<json>'`` (see ``app.main``).
CHILD_FLAG = "--model-job"
#: How often the parent reads the child's log and checks for a cancel.
POLL_S = 0.05


def child_command() -> list[str]:
    """How to start a child job: ``python -m`` from an install, the app's own executable with
    :data:`CHILD_FLAG` from a PyInstaller bundle."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", CHILD_MODULE]


_ERROR_PREFIX = "CHILD-ERROR: "
_LLAMA_FAILED = "failed to quantize: "
_TENSOR_LINE = re.compile(r"^\[\s*(\d+)/\s*(\d+)\]\s+(\S+)")
_QUANT_SIZE = re.compile(r"quant size\s*=\s*([0-9.]+)\s*MiB")

Progress = Callable[[float, str], None]


class ChildError(Exception):
    """The child process failed: ``message`` is its own account (or how it ended)."""

    def __init__(self, message: str, returncode: int, tail: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.returncode = returncode
        self.tail = tail


def run_child(
    job: dict[str, Any],
    *,
    on_line: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Run one :mod:`quantize_child` job and return its JSON result.

    ``on_line`` gets each stderr line (llama.cpp's log) on the calling thread. When ``cancel``
    is set, or the caller is interrupted (Ctrl+C), the child is terminated, then killed, before
    :class:`QuantizeCancelledError` (or the interrupt) is raised. A failure raises
    :class:`ChildError`."""
    command = [*child_command(), json.dumps(job)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    tail: deque[str] = deque(maxlen=40)
    error: str | None = None
    # The child writes to unnamed temporary files, which this thread reads as they grow: no pipe
    # to drain, so no reader threads (only workers/ makes threads), and it works on Windows too.
    with tempfile.TemporaryFile() as err_file, tempfile.TemporaryFile() as out_file:
        child = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out_file, stderr=err_file, env=env
        )
        pending = b""
        read_at = 0

        def take(line_bytes: bytes) -> None:
            nonlocal error
            line = line_bytes.decode("utf-8", "replace").rstrip("\r\n")
            tail.append(line)
            if _LLAMA_FAILED in line:  # llama.cpp's own reason beats the child's status line
                error = line.split(_LLAMA_FAILED, 1)[1].strip()
            elif line.startswith(_ERROR_PREFIX) and error is None:
                error = line[len(_ERROR_PREFIX) :].strip()
            elif on_line is not None:
                on_line(line)

        def drain() -> None:
            nonlocal pending, read_at
            err_file.seek(read_at)
            chunk = err_file.read()
            read_at += len(chunk)
            *complete, pending = (pending + chunk).split(b"\n")
            for line_bytes in complete:
                take(line_bytes)

        try:
            while True:
                if cancel is not None and cancel.is_set():
                    _stop(child)
                    raise QuantizeCancelledError("Cancelled: nothing was kept.")
                ended = child.poll() is not None
                drain()
                if ended:
                    break
                time.sleep(POLL_S)
            if pending:
                take(pending)
            returncode = child.wait()
        except BaseException:
            _stop(child)
            raise
        out_file.seek(0)
        output = out_file.read()
    if returncode != 0:
        log.info(
            "child %s failed (%d); its log ends:\n%s", job["mode"], returncode, "\n".join(tail)
        )
        if error is None:
            error = _how_it_ended(returncode, tail)
        raise ChildError(error, returncode, list(tail))
    text = output.decode("utf-8", "replace").strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(text[-1])
    except (IndexError, ValueError) as exc:
        raise ChildError("the helper process gave no result", returncode, list(tail)) from exc
    return result


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=TERMINATE_GRACE_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _how_it_ended(returncode: int, tail: Sequence[str]) -> str:
    for line in reversed(tail):  # llama.cpp's own reason, e.g. "failed to quantize: …"
        if "error" in line.lower() or "failed" in line.lower():
            return line.strip()
    if returncode < 0:
        return f"the helper process crashed (signal {-returncode})"
    return f"the helper process ended with status {returncode}"


# layers ----------------------------------------------------------------------------------------


def layer_count(info: GGUFInfo) -> int:
    """The model's transformer layers (``<arch>.block_count``); 0 when the file does not say."""
    value = info.metadata.get(f"{info.architecture}.block_count")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def prune_order(n_layers: int) -> list[int]:
    """Every layer that may be suggested, most redundant first: from three quarters of the depth
    outwards, a deeper layer before a shallower one at the same distance (ShortGPT found
    redundancy rising with depth up to the last few layers)."""
    lo, hi = PROTECT_FIRST, n_layers - PROTECT_LAST - 1
    if hi < lo:
        return []
    anchor = min(max(round(ANCHOR_DEPTH * (n_layers - 1)), lo), hi)
    order = [anchor]
    step = 1
    while len(order) < hi - lo + 1:
        order.extend(c for c in (anchor + step, anchor - step) if lo <= c <= hi)
        step += 1
    return order


def suggested_prune_layers(n_layers: int, count: int) -> list[int]:
    """The ``count`` layers to remove first, sorted (as llama.cpp wants them).

    ShortGPT ranks layers by Block Influence, one minus the cosine similarity of a layer's input
    and output hidden states on calibration text. llama-cpp-python exposes no per-layer hidden
    states, so this applies its published finding as a fixed rule instead of measuring: skip the
    first :data:`PROTECT_FIRST` and last :data:`PROTECT_LAST` layers, start at
    :data:`ANCHOR_DEPTH` of the depth and walk outwards, deeper first. For the embedded model
    (30 layers) that is 22, 23, 21, 24, 20, … The receipt then measures what the removal cost.
    A larger ``count`` always extends a smaller one's choice."""
    order = prune_order(n_layers)
    if not order:
        raise QuantizeError(
            f"A model with {n_layers} layers is too small to prune.",
            "Quantize it instead (`models quantize`).",
        )
    if not 1 <= count <= len(order):
        raise QuantizeError(
            f"Between 1 and {len(order)} of this model's {n_layers} layers can be removed; "
            f"{count} were asked for.",
            "Choose a smaller number with --layers, or name the layers with --drop.",
        )
    return sorted(order[:count])


def validate_prune_layers(n_layers: int, layers: Sequence[int]) -> tuple[int, ...]:
    """Explicit layer numbers, checked (in range, unique, not all) and sorted for llama.cpp."""
    if n_layers <= 0:
        raise QuantizeError(
            "This model's file does not say how many layers it has, so none can be removed.",
            "Quantize it instead (`models quantize`).",
        )
    wanted = list(layers)
    if not wanted:
        raise QuantizeError("No layers were given to remove.", "Name them, e.g. --drop 10,11.")
    outside = sorted({n for n in wanted if not 0 <= n < n_layers})
    if outside:
        raise QuantizeError(
            f"Layer {', '.join(map(str, outside))} does not exist: this model has layers 0 to "
            f"{n_layers - 1}.",
            "Name layers in that range.",
        )
    if len(set(wanted)) != len(wanted):
        twice = sorted({n for n in wanted if wanted.count(n) > 1})
        raise QuantizeError(
            f"Layer {', '.join(map(str, twice))} is named more than once.",
            "Name each layer once.",
        )
    if len(wanted) >= n_layers:
        raise QuantizeError(
            f"Removing all {n_layers} layers leaves no model.", "Remove fewer layers."
        )
    return tuple(sorted(wanted))


# quantize --------------------------------------------------------------------------------------


def worker_threads() -> int:
    """Physical cores: llama.cpp's kernels gain nothing from hyper-threads."""
    try:
        import psutil

        return max(1, int(psutil.cpu_count(logical=False) or os.cpu_count() or 1))
    except ImportError:  # psutil is a dependency; this only keeps the helper usable without it
        return max(1, os.cpu_count() or 1)


def quantize(
    source: Path,
    dest: Path,
    *,
    qtype: str,
    prune_layers: Sequence[int] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    free_bytes: int | None = None,
) -> Path:
    """Write ``source`` quantized to ``qtype`` (and without ``prune_layers``) to ``dest``.

    ``free_bytes`` overrides the free disk measured at ``dest``'s folder (tests). Returns
    ``dest``. Raises :class:`QuantizeError` (plain message) or :class:`QuantizeCancelledError`;
    either way nothing is left at ``dest`` or ``<dest>.incomplete``."""
    report = progress or (lambda _f, _m: None)
    if qtype not in QUANT_TYPES and qtype != KEEP_TYPE:
        raise QuantizeError(
            f"{qtype!r} is not a quantization type offered here.",
            f"Choose one of {', '.join(QUANT_TYPES)}.",
        )
    info = inspect_gguf(source)  # not GGUF, truncated: a plain ModelFileError, before any child
    layers = validate_prune_layers(layer_count(info), prune_layers) if prune_layers else ()
    if dest.exists():
        raise QuantizeError(f"{dest} already exists.", "Choose another name with --out.")
    temp = dest.with_name(dest.name + ".incomplete")
    temp.unlink(missing_ok=True)  # left by a crash of an earlier run
    job = {
        "mode": "quantize",
        "source": str(source),
        "dest": str(temp),
        "qtype": qtype,
        "prune_layers": list(layers),
        "nthread": worker_threads(),
    }
    what = source.name + ("" if qtype == KEEP_TYPE else f" to {qtype}")
    what += f" without layers {_layer_list(layers)}" if layers else ""

    report(0.0, "checking the output size (dry run)")
    expected = _dry_run(job, info, what, cancel)
    free = free_bytes if free_bytes is not None else shutil.disk_usage(dest.parent).free
    if expected + DISK_MARGIN_BYTES > free:
        raise QuantizeError(
            f"Not enough free disk: the new model needs {_mb(expected + DISK_MARGIN_BYTES)} "
            f"and {_mb(free)} are free in {dest.parent}.",
            "Free some space on that disk, then try again.",
        )
    report(0.02, f"writing about {_mb(expected)}")

    def on_line(line: str) -> None:
        match = _TENSOR_LINE.match(line)
        if match:
            done, total = int(match[1]), max(1, int(match[2]))
            report(0.02 + 0.83 * done / total, f"quantizing {match[3]} ({done}/{total})")

    try:
        try:
            run_child(job, on_line=on_line, cancel=cancel)
        except ChildError as exc:
            raise QuantizeError(f"llama.cpp could not quantize {what}: {exc.message}.") from exc
        if not temp.is_file():
            raise QuantizeError(f"llama.cpp reported success for {what} but wrote no file.")
        log.info("quantized %s: %d bytes (expected %d)", what, temp.stat().st_size, expected)
        report(0.86, "loading the new model and asking it a short question")
        smoke_test(temp, cancel=cancel)
        os.replace(temp, dest)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    report(1.0, f"done: {dest.name}, {_mb(dest.stat().st_size)}")
    return dest


def _dry_run(job: dict[str, Any], info: GGUFInfo, what: str, cancel: threading.Event | None) -> int:
    """The output's size in bytes: the dry run's tensor total plus the source's header and
    metadata (which quantizing does not change; the vocabulary is most of it)."""
    sizes: list[float] = []

    def on_line(line: str) -> None:
        match = _QUANT_SIZE.search(line)
        if match:
            sizes.append(float(match[1]))

    try:
        run_child({**job, "dry_run": True}, on_line=on_line, cancel=cancel)
    except ChildError as exc:
        raise QuantizeError(f"llama.cpp cannot quantize {what}: {exc.message}.") from exc
    if not sizes:
        raise QuantizeError(f"llama.cpp's dry run for {what} did not report the output size.")
    return int(sizes[-1] * 1024 * 1024) + info.data_offset


def smoke_test(path: Path, *, cancel: threading.Event | None = None) -> str:
    """Load ``path`` in a fresh child process and answer a short prompt; returns the answer.
    Raises :class:`QuantizeError` when the file does not load or answer (the caller deletes
    it)."""
    try:
        result = run_child(
            {"mode": "smoke", "path": str(path), "nthread": worker_threads()}, cancel=cancel
        )
    except ChildError as exc:
        raise QuantizeError(
            f"llama.cpp wrote {path.name.removesuffix('.incomplete')} but cannot use it: "
            f"{exc.message}. (llama.cpp has a known bug where some pruned files fail to load "
            "although quantizing reported success.)",
            "Nothing was kept. Try other layers (--drop), fewer layers, or another type.",
        ) from exc
    text = str(result.get("text", ""))
    log.info("smoke test of %s answered %r", path.name, text[:80])
    return text


def _layer_list(layers: Sequence[int]) -> str:
    return ", ".join(map(str, layers))


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"
