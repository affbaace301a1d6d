"""Fit planner benchmark: predicted memory and speed against what loading a model really costs.

    python tests/benchmarks/bench_fit.py [--json] [--ctx 512 2048 8192] [--no-q8] [--threads N]

For each model and context size, a fresh child process imports llama.cpp, reads its resident
set size (psutil), loads the model with the app's own :class:`LocalEngine`, answers one short
prompt (prefill in the app's 64-token chunks, then up to 48 decoded tokens) and reads its RSS
again. The growth is compared with :func:`estimate_fit`'s total for the same file and
``n_ctx``; the error is ``(predicted - measured) / measured`` (positive: the planner
over-estimates, the safe side).

Models: the embedded SmolLM2-135M (Q4_1) and, unless ``--no-q8``, a Q8_0 requantization of it
made here with llama.cpp's own quantizer (``llama_model_quantize``, in a child process): the
same shape with 1.8 times the weight bytes, which also tests the speed scaling. Speed: the
planner's tokens/s for each file (a fresh :func:`calibrate` on the embedded model, scaled by
weight bytes) against the child's measured decode speed.

The planner's fixed overhead was calibrated on the embedded model (this benchmark's figures
for it), so its error there is not an independent test; the Q8_0 file's weights and speed are.
Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PROMPT = "Count from 1 to 60, separated by commas."


def child_measure(path: str, n_ctx: int, threads: int) -> None:
    """In a fresh process: RSS before the load, after it, and after one answer."""
    import llama_cpp
    import psutil

    from hybrid_desktop.core.engines.base import GenerationParams
    from hybrid_desktop.core.engines.cpu_buffers import guard_amx
    from hybrid_desktop.core.engines.local import LocalEngine

    guard_amx(llama_cpp)
    proc = psutil.Process()
    before = proc.memory_info().rss
    engine = LocalEngine.load(Path(path), n_ctx, threads)
    loaded = proc.memory_info().rss
    params = GenerationParams(max_tokens=48, temperature=0.0, repeat_penalty=1.0)
    result = engine.generate([{"role": "user", "content": PROMPT}], params)
    answered = proc.memory_info().rss
    print(
        json.dumps(
            {
                "before": before,
                "loaded": loaded,
                "answered": answered,
                "n_ctx": engine.n_ctx,
                "tokens_per_s": result.stats.tokens_per_s,
                "completion_tokens": result.stats.completion_tokens,
            }
        )
    )


def child_quantize(source: str, dest: str, qtype: str) -> None:
    """llama.cpp's quantizer, in its own process (a crash there cannot take the benchmark)."""
    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{qtype}")
    params.allow_requantize = True
    code = llama_cpp.llama_model_quantize(source.encode(), dest.encode(), params)
    sys.exit(0 if code == 0 else 1)


def _run_child(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, timeout=600, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed ({out.returncode}): {out.stderr[-1500:]}")
    return out.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--ctx", type=int, nargs="+", default=[512, 2048, 8192])
    parser.add_argument("--no-q8", action="store_true", help="only the embedded model")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child-measure", nargs=3, metavar=("PATH", "N_CTX", "THREADS"))
    parser.add_argument("--child-quantize", nargs=3, metavar=("SOURCE", "DEST", "TYPE"))
    args = parser.parse_args(argv)
    if args.child_measure:
        path, n_ctx, threads = args.child_measure
        child_measure(path, int(n_ctx), int(threads))
        return 0
    if args.child_quantize:
        child_quantize(*args.child_quantize)
        return 0

    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.model_manager.fit import calibrate, estimate_fit
    from hybrid_desktop.core.model_manager.hardware import hardware_profile
    from hybrid_desktop.core.models import embedded_model_path

    with tempfile.TemporaryDirectory(prefix="bench-fit-") as tmp:
        folder = Path(tmp)
        models = [("embedded Q4_1", embedded_model_path())]
        if not args.no_q8:
            q8 = folder / "embedded-Q8_0.gguf"
            _run_child("--child-quantize", str(models[0][1]), str(q8), "Q8_0")
            models.append(("embedded Q8_0", q8))
        profile = hardware_profile(folder)
        calibration = calibrate(folder, force=True, n_threads=args.threads)
        rows = []
        for label, path in models:
            info = inspect_gguf(path)
            for n_ctx in args.ctx:
                fit = estimate_fit(info, n_ctx=n_ctx, profile=profile, calibration=calibration)
                measured = json.loads(
                    _run_child("--child-measure", str(path), str(n_ctx), str(args.threads))
                    .strip()
                    .splitlines()[-1]
                )
                growth = measured["answered"] - measured["before"]
                tps = measured["tokens_per_s"]
                rows.append(
                    {
                        "model": label,
                        "file_bytes": info.file_size,
                        "n_ctx": n_ctx,
                        "predicted_bytes": fit.total_bytes,
                        "weights_bytes": fit.weights_bytes,
                        "kv_cache_bytes": fit.kv_cache_bytes,
                        "overhead_bytes": fit.overhead_bytes,
                        "measured_bytes": growth,
                        "measured_after_load_bytes": measured["loaded"] - measured["before"],
                        "memory_error": (fit.total_bytes - growth) / growth,
                        "predicted_tokens_per_s": fit.tokens_per_s,
                        "measured_tokens_per_s": tps,
                        "speed_error": None
                        if not tps or fit.tokens_per_s is None
                        else (fit.tokens_per_s - tps) / tps,
                    }
                )
    errors = [abs(r["memory_error"]) for r in rows]
    report = {
        "threads": args.threads,
        "calibration_tokens_per_s": calibration.tokens_per_s,
        "system_info": profile.system_info,
        "rows": rows,
        "max_abs_memory_error": max(errors),
        "mean_abs_memory_error": sum(errors) / len(errors),
    }
    print(f"calibration: {calibration.tokens_per_s:.1f} tokens/s ({args.threads} threads)")
    print(f"{'model':<15} {'n_ctx':>6} {'predicted':>10} {'measured':>10} {'error':>7}  speed")
    for r in rows:
        speed = (
            f"{r['predicted_tokens_per_s']:.0f} vs {r['measured_tokens_per_s']:.0f} t/s"
            if r["measured_tokens_per_s"]
            else "-"
        )
        print(
            f"{r['model']:<15} {r['n_ctx']:>6} {r['predicted_bytes'] / 1e6:>8.1f}MB "
            f"{r['measured_bytes'] / 1e6:>8.1f}MB {r['memory_error'] * 100:>+6.1f}%  {speed}"
        )
    print(
        f"memory error: max {report['max_abs_memory_error'] * 100:.1f}%, "
        f"mean {report['mean_abs_memory_error'] * 100:.1f}%"
    )
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
