"""The child process that runs llama.cpp for :mod:`quantize` and :mod:`receipt`.

``python -m hybrid_desktop.core.model_manager.quantize_child '<json>'`` with a JSON object whose
``mode`` is one of:

- ``"quantize"``: ``llama_model_quantize`` from ``source`` to ``dest`` (``qtype``,
  ``prune_layers``, ``nthread``, ``dry_run``). llama.cpp's log goes to this process's stderr,
  where the parent reads one line per tensor (``[  12/ 272] blk.0.attn_q.weight ...``) as
  progress and the dry run's ``quant size = … MiB`` for the disk check.
- ``"smoke"``: load ``path`` the way the app does (:class:`LocalEngine`) and answer one short
  prompt. llama.cpp has an open bug where a pruned file fails to load although quantize
  reported success, so no derived file is kept before this passes.
- ``"score"``: the receipt's measurement (:func:`receipt.score_pair`).

Why a child: cancel must be able to stop llama.cpp in the middle of a tensor (a C call that
cannot be interrupted from Python), and a crash inside llama.cpp (a segfault on a broken file)
must end this process, not the app. Each mode prints one JSON object as its last stdout line;
failures print ``CHILD-ERROR: <message>`` on stderr and exit with status 2.
"""

from __future__ import annotations

import ctypes
import json
import sys
from pathlib import Path
from typing import Any

#: Status of a failure the child understood (llama.cpp returned an error, the file did not load).
FAILED = 2
ERROR_PREFIX = "CHILD-ERROR: "
#: The smoke prompt: any answer at all proves the file loads, decodes and samples.
SMOKE_PROMPT = "What is the capital of France? Answer in one word."
SMOKE_TOKENS = 8


def _llama_cpp() -> Any:
    import llama_cpp

    from hybrid_desktop.core.engines.cpu_buffers import guard_amx

    guard_amx(llama_cpp)  # llama.cpp's AMX path crashes on this kind of CPU (see cpu_buffers)
    return llama_cpp


def _verbose_log() -> None:
    """Send every llama.cpp log line to stderr (llama-cpp-python prints its log there while its
    logger is below ERROR); the parent parses it."""
    from llama_cpp import _logger

    _logger.set_verbose(True)


def ftype_of(llama_cpp: Any, qtype: str) -> int:
    """llama.cpp's ``LLAMA_FTYPE_MOSTLY_<qtype>`` constant."""
    value = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{qtype}", None)
    if not isinstance(value, int):
        raise ValueError(f"this llama.cpp has no quantization type {qtype}")
    return value


def run_quantize(job: dict[str, Any]) -> dict[str, Any]:
    llama_cpp = _llama_cpp()
    _verbose_log()
    params = llama_cpp.llama_model_quantize_default_params()
    if job["qtype"] == "COPY":  # prune only: every kept tensor is copied as it is
        params.only_copy = True
    else:
        params.ftype = ftype_of(llama_cpp, str(job["qtype"]))
    params.nthread = int(job.get("nthread", 0))
    # Requantizing an already quantized source compounds the error (the receipt measures it);
    # without this llama.cpp refuses every quantized source, the embedded model included.
    params.allow_requantize = True
    params.dry_run = bool(job.get("dry_run", False))
    layers = [int(n) for n in job.get("prune_layers", [])]
    keep: Any = None
    if layers:
        keep = (ctypes.c_int32 * (len(layers) + 1))(*layers, -1)  # sorted, ending in -1
        params.prune_layers = ctypes.cast(keep, ctypes.POINTER(ctypes.c_int32))
    status = llama_cpp.llama_model_quantize(
        str(job["source"]).encode(), str(job["dest"]).encode(), ctypes.byref(params)
    )
    del keep
    if status != 0:
        raise RuntimeError(f"llama.cpp's quantize returned status {status}")
    return {"ok": True, "dry_run": params.dry_run}


def run_smoke(job: dict[str, Any]) -> dict[str, Any]:
    _llama_cpp()
    from hybrid_desktop.core.engines.base import GenerationParams
    from hybrid_desktop.core.engines.local import LocalEngine

    engine = LocalEngine.load(Path(job["path"]), n_ctx=512, n_threads=int(job.get("nthread", 2)))
    try:
        result = engine.generate(
            [{"role": "user", "content": SMOKE_PROMPT}],
            GenerationParams(max_tokens=SMOKE_TOKENS, temperature=0.0),
        )
    finally:
        engine.close()
    tokens = result.stats.completion_tokens
    if tokens == 0 and not result.text.strip():
        raise RuntimeError("the model loaded but produced no answer to a short prompt")
    return {"ok": True, "text": result.text, "tokens": tokens}


def run_score(job: dict[str, Any]) -> dict[str, Any]:
    from hybrid_desktop.core.model_manager.receipt import score_pair

    return score_pair(_llama_cpp(), job)


MODES = {"quantize": run_quantize, "smoke": run_smoke, "score": run_score}


def main(argv: list[str]) -> int:
    try:
        job = json.loads(argv[1])
        mode = MODES[job["mode"]]
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        print(f"{ERROR_PREFIX}bad job ({exc})", file=sys.stderr, flush=True)
        return FAILED
    try:
        result = mode(job)
    except Exception as exc:  # reported to the parent as text: it raises the plain error
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        print(f"\n{ERROR_PREFIX}{message}", file=sys.stderr, flush=True)
        return FAILED
    sys.stderr.flush()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
