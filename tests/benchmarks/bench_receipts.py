"""Quality receipts of models derived from the embedded SmolLM2-135M (Q4_1) on this machine.

    python tests/benchmarks/bench_receipts.py [--json] [--tokens 2048] [--types Q4_0 Q8_0] [--prune 2]

Each derived model is made with the app's own code (``core.model_manager.quantize``: dry run,
child process, reload and smoke prompt) in a temporary folder, then measured against the
embedded model with ``core.model_manager.receipt.measure_receipt`` on the bundled text (the
opening of *Alice's Adventures in Wonderland*, 512-token windows, the second half of each
scored): perplexity of each, mean KL(source || derived), same top token, file sizes, and
decode speed (best of 3 greedy runs of 32 tokens). ``--prune N`` removes the N suggested
layers (``suggested_prune_layers``), keeping the tensors' Q4_1 type, so that row measures the
pruning alone.

The source is already quantized (Q4_1), so the Q4_0 and Q8_0 rows measure requantizing: a
second rounding on top of the first (Q8_0 cannot restore what Q4_1 lost; it only adds
little). Decode speeds depend on what else the machine is doing; nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.model_manager.quantize import (
        KEEP_TYPE,
        layer_count,
        quantize,
        suggested_prune_layers,
    )
    from hybrid_desktop.core.model_manager.receipt import KL_WARN, measure_receipt
    from hybrid_desktop.core.models import EMBEDDED_NAME, embedded_model_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per row")
    parser.add_argument("--tokens", type=int, default=2048, help="tokens to score (max)")
    parser.add_argument("--types", nargs="*", default=["Q4_0", "Q8_0"])
    parser.add_argument("--prune", type=int, default=2, help="layers to prune (0: none)")
    args = parser.parse_args(argv)

    source = embedded_model_path()
    info = inspect_gguf(source)
    jobs: list[tuple[str, str, list[int]]] = [(t, t, []) for t in args.types]
    if args.prune:
        layers = suggested_prune_layers(layer_count(info), args.prune)
        jobs.append((f"prune {args.prune} (Q4_1 kept)", KEEP_TYPE, layers))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-receipts-") as folder:
        for label, qtype, layers in jobs:
            dest = Path(folder) / f"derived-{qtype}-{len(layers)}.gguf"
            started = time.perf_counter()
            quantize(source, dest, qtype=qtype, prune_layers=layers)
            made = time.perf_counter() - started
            receipt = measure_receipt(
                source,
                dest,
                method="prune" if layers else "quantize",
                qtype="Q4_1" if qtype == KEEP_TYPE else qtype,
                pruned_layers=layers,
                max_tokens=args.tokens,
                source_name=EMBEDDED_NAME,
            )
            measured = time.perf_counter() - started - made
            row = {
                "label": label,
                "layers_removed": layers,
                "make_s": round(made, 1),
                "receipt_s": round(measured, 1),
                **receipt.to_dict(),
            }
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
            dest.unlink()
    if not args.json:
        print(f"Source: {EMBEDDED_NAME} (Q4_1, {source.stat().st_size / 1e6:.1f} MB); "
              f"{rows[0]['tokens']} tokens scored; KL warning above {KL_WARN}.")  # fmt: skip
        print()
        print("| derived | size MB | perplexity | source ppl | KL (nats) | same top token "
              "| decode t/s | source t/s |")  # fmt: skip
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print(
                f"| {r['label']} | {r['size_bytes'] / 1e6:.1f} | {r['perplexity']:.2f} "
                f"| {r['source_perplexity']:.2f} | {r['kl_divergence']:.4f} "
                f"| {r['top1_agreement']:.1%} | {_speed(r['decode_tps'])} "
                f"| {_speed(r['source_decode_tps'])} |"
            )
    return 0


def _speed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    sys.exit(main())
