"""Edge benchmark: time to first token and decode speed through an edge server against the
in-process local engine, same model, same prompts, measured in one run.

    python tests/benchmarks/bench_edge.py [--prompts 8] [--max-tokens 96] [--threads 1] [--json]

- **edge**: llama-cpp-python's OpenAI-compatible server (``python -m llama_cpp.server``, started by
  ``tests/support/edge_server.py``) serves the embedded model on 127.0.0.1; each prompt goes
  through the app's ``OpenAIEdgeEngine`` (the ``openai`` SDK, a streaming
  ``/v1/chat/completions`` request, SSE parsed chunk by chunk);
- **local**: the same model file in this process through ``LocalEngine`` (the GUI's path).

Both answer the same prompts with the same ``max_tokens`` and greedy decoding (temperature 0;
the sampling fields the edge engine does not send are set locally to the server's defaults), on
the same number of threads and context size (2048). The two never run at the same time: for
each prompt one answers, then the other (the order alternating from prompt to prompt), after one
unmeasured warm-up request each. Both are timed here in the same way, from the text callbacks:
time to first token (from the call to the first text) and decode speed (tokens after the first,
over the time from the first text to the last). Tokens are the answer's text tokenized by the
model, because llama_cpp.server sends no token usage when it streams, and the edge engine then
estimates its count. The table shows medians and edge/local ratios; the JSON also has what each
engine reported about itself (``*_reported_*``).

The server and this process share the same machine, so the figures measure the cost of the
protocol (HTTP, JSON, SSE, the SDK, a second process), not what a GPU box on the network would
give. Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

#: Short everyday requests, the kind the local tier answers; each asks for a few sentences, so
#: an answer usually reaches ``max_tokens`` on both sides.
PROMPTS = [
    "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "Explain in a few sentences why the sky is blue.",
    "Describe a morning walk through a forest in autumn.",
    "Give some advice to someone starting their first job.",
    "Write a short letter inviting a friend to a picnic.",
    "Describe how bread is made, step by step.",
    "Tell me about the life of honey bees.",
    "Write a short story about a cat who learns to swim.",
]


#: llama_cpp.server's defaults for the sampling fields a chat request leaves out.
SERVER_TOP_K, SERVER_MIN_P, SERVER_REPEAT_PENALTY = 40, 0.05, 1.1


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else 0.0


def _one(engine: Any, prompt: str, params: Any, count: Callable[[str], int]) -> dict[str, Any]:
    """One answer, timed here the same way for both engines: from the call to the first text
    callback, and from the first to the last one; tokens are the answer's text tokenized by the
    model (``count``). The engine's own figures are kept as ``reported_*``."""
    messages = [{"role": "user", "content": prompt}]
    seen: list[float] = []
    started = time.perf_counter()
    result = engine.generate(
        messages, params, on_text=lambda _text: seen.append(time.perf_counter())
    )
    ended = time.perf_counter()
    tokens = count(result.text)
    decode_s = seen[-1] - seen[0] if len(seen) > 1 else 0.0
    return {
        "ttft_ms": (seen[0] - started) * 1000 if seen else 0.0,
        "tokens_per_s": (tokens - 1) / decode_s if decode_s > 0 and tokens > 1 else 0.0,
        "completion_tokens": tokens,
        "total_ms": (ended - started) * 1000,
        "reported_ttft_ms": float(result.stats.ttft_ms),
        "reported_tokens_per_s": float(result.stats.tokens_per_s),
        "reported_completion_tokens": int(result.stats.completion_tokens),
        "text": result.text,
    }


def run(prompts: int, max_tokens: int, threads: int) -> dict[str, Any]:
    from hybrid_desktop.config.edge import EdgeServer
    from hybrid_desktop.core.engines.base import GenerationParams
    from hybrid_desktop.core.engines.edge_openai import OpenAIEdgeEngine
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.models import embedded_model_path
    from tests.support.edge_server import running_llama_server

    model = embedded_model_path()
    # Greedy on both sides. The edge engine sends temperature and top_p only; the server fills
    # the other fields with its defaults, which the local side uses too.
    params = GenerationParams(
        max_tokens=max_tokens,
        temperature=0.0,
        top_p=1.0,
        top_k=SERVER_TOP_K,
        min_p=SERVER_MIN_P,
        repeat_penalty=SERVER_REPEAT_PENALTY,
    )
    chosen = [PROMPTS[i % len(PROMPTS)] for i in range(prompts)]
    edge_rows: list[dict[str, Any]] = []
    local_rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with running_llama_server(model, extra_args=("--n_threads", str(threads))) as server:
        server_ready_s = time.perf_counter() - started
        box = EdgeServer(
            name="bench-edge",
            url=server.url,
            protocol="openai",
            trust="private",
            model=server.alias,
        )
        edge = OpenAIEdgeEngine(box, None, server.alias, first_token_s=30.0, stall_s=30.0)
        local = LocalEngine.load(model, n_ctx=2048, n_threads=threads)
        try:
            llama = local._llama

            def count(text: str) -> int:
                return len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

            _one(edge, "Say hello.", params, count)  # warm-up: connection, first decode
            _one(local, "Say hello.", params, count)
            for i, prompt in enumerate(chosen):
                order = [(edge, edge_rows), (local, local_rows)]
                for engine, rows in order if i % 2 == 0 else reversed(order):
                    rows.append(_one(engine, prompt, params, count))
        finally:
            local.close()
    same_text = sum(e["text"] == loc["text"] for e, loc in zip(edge_rows, local_rows, strict=True))

    def figures(rows: list[dict[str, Any]]) -> dict[str, float]:
        return {
            "ttft_ms": _median([r["ttft_ms"] for r in rows]),
            "tokens_per_s": _median([r["tokens_per_s"] for r in rows]),
            "total_ms": _median([r["total_ms"] for r in rows]),
            "completion_tokens": _median([float(r["completion_tokens"]) for r in rows]),
            "reported_ttft_ms": _median([r["reported_ttft_ms"] for r in rows]),
            "reported_tokens_per_s": _median([r["reported_tokens_per_s"] for r in rows]),
            "reported_completion_tokens": _median(
                [float(r["reported_completion_tokens"]) for r in rows]
            ),
        }

    e, loc = figures(edge_rows), figures(local_rows)
    return {
        "machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}",
        "model": model.name,
        "server": "llama_cpp.server (llama-cpp-python) on 127.0.0.1",
        "prompts": prompts,
        "max_tokens": max_tokens,
        "threads": threads,
        "server_ready_s": round(server_ready_s, 2),
        "edge_ttft_ms": e["ttft_ms"],
        "local_ttft_ms": loc["ttft_ms"],
        "ttft_ratio": _ratio(e["ttft_ms"], loc["ttft_ms"]),
        "ttft_extra_ms": round(e["ttft_ms"] - loc["ttft_ms"], 1),
        "edge_tokens_per_s": e["tokens_per_s"],
        "local_tokens_per_s": loc["tokens_per_s"],
        "decode_ratio": _ratio(e["tokens_per_s"], loc["tokens_per_s"]),
        "edge_total_ms": e["total_ms"],
        "local_total_ms": loc["total_ms"],
        "total_ratio": _ratio(e["total_ms"], loc["total_ms"]),
        "edge_completion_tokens": e["completion_tokens"],
        "local_completion_tokens": loc["completion_tokens"],
        "same_text": same_text,
        # What each engine says about itself (the edge engine estimates its token count when
        # the server sends no usage, as llama_cpp.server does not when streaming).
        **{f"edge_{k}": v for k, v in e.items() if k.startswith("reported_")},
        **{f"local_{k}": v for k, v in loc.items() if k.startswith("reported_")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=8, help="answers per engine (default 8)")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument(
        "--threads", type=int, default=1, help="llama.cpp threads, the same on both sides"
    )
    parser.add_argument("--json", action="store_true", help="only the JSON object")
    args = parser.parse_args()
    results = run(max(1, args.prompts), args.max_tokens, max(1, args.threads))
    if args.json:
        print(json.dumps(results))
        return
    rows = [
        ("time to first token, median (ms)", "ttft_ms", "ttft_ratio"),
        ("decode, median (tokens/s)", "tokens_per_s", "decode_ratio"),
        ("whole answer, median (ms)", "total_ms", "total_ratio"),
        ("tokens per answer, median", "completion_tokens", None),
    ]
    print(
        f"{results['prompts']} prompts x 2 engines, max_tokens {results['max_tokens']}, greedy, "
        f"{results['threads']} thread(s), {results['model']}, {results['machine']}"
    )
    print(f"{'figure':34} {'edge':>10} {'local':>10} {'edge/local':>11}")
    for name, key, ratio in rows:
        edge_value, local_value = results[f"edge_{key}"], results[f"local_{key}"]
        shown = results[ratio] if ratio else ""
        print(f"{name:34} {edge_value!s:>10} {local_value!s:>10} {shown!s:>11}")
    print(
        f"edge adds {results['ttft_extra_ms']} ms before the first token; "
        f"{results['same_text']} of {results['prompts']} answers identical on both sides"
    )
    print(
        "as the engines report themselves: decode "
        f"{results['edge_reported_tokens_per_s']} / {results['local_reported_tokens_per_s']} "
        f"tokens/s, tokens per answer {results['edge_reported_completion_tokens']} / "
        f"{results['local_reported_completion_tokens']} (edge / local)"
    )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
