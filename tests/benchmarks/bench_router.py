"""Complexity-estimator benchmark: agreement with hand labels, and decision time.

    python tests/benchmarks/bench_router.py [--json] [--reps 20] [--errors]

Two labelled sets under ``tests/data/routing/``: ``labelled.jsonl`` (the weights were set by hand
against it) and ``heldout.jsonl`` (written first, before the estimator, and never tuned on: its
figure is the honest one). Each line is ``{"prompt", "label": "local"|"cloud", "kind"}``.

Reported, for both sets: agreement overall, per label and per kind; the share of hard
(cloud-labelled) requests kept local; the share of easy (local-labelled) requests sent to the
cloud. Decision time is measured in-process over every prompt of both sets, ``--reps`` times
(mean and p99 of single calls, in ms). Baselines measured in the same run: "always local" and a
naive length threshold (prompt longer than 200 characters -> cloud).

``--json`` prints one JSON object on the last line. ``--errors`` lists the labelled set's
disagreements (never the held-out set's, so that reading them cannot tune the estimator to it).
Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from hybrid_desktop.core.complexity import estimate  # noqa: E402

DATA = ROOT / "tests" / "data" / "routing"
LENGTH_BASELINE_CHARS = 200

Row = dict[str, str]
Router = Callable[[str], bool]


def load(name: str) -> list[Row]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def estimator(prompt: str) -> bool:
    return estimate(prompt).needs_cloud


def always_local(prompt: str) -> bool:
    return False


def by_length(prompt: str) -> bool:
    return len(prompt) > LENGTH_BASELINE_CHARS


def score(rows: list[Row], route: Router) -> dict[str, object]:
    ok = 0
    per_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        predicted = "cloud" if route(row["prompt"]) else "local"
        good = int(predicted == row["label"])
        ok += good
        for table, key in ((per_label, row["label"]), (per_kind, row["kind"])):
            table[key][0] += good
            table[key][1] += 1
    hard_n = per_label["cloud"][1]
    easy_n = per_label["local"][1]
    return {
        "n": len(rows),
        "agreement": round(ok / len(rows), 4),
        "agreement_cloud": round(per_label["cloud"][0] / hard_n, 4) if hard_n else None,
        "agreement_local": round(per_label["local"][0] / easy_n, 4) if easy_n else None,
        "hard_kept_local": round(1 - per_label["cloud"][0] / hard_n, 4) if hard_n else None,
        "easy_sent_cloud": round(1 - per_label["local"][0] / easy_n, 4) if easy_n else None,
        "per_kind": {k: round(g / n, 3) for k, (g, n) in sorted(per_kind.items())},
        "per_kind_n": {k: n for k, (_, n) in sorted(per_kind.items())},
    }


def decision_times(prompts: list[str], reps: int) -> list[float]:
    for prompt in prompts:  # warm up
        estimate(prompt)
    times = []
    clock = time.perf_counter
    for _ in range(reps):
        for prompt in prompts:
            start = clock()
            estimate(prompt)
            times.append((clock() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object last")
    parser.add_argument("--reps", type=int, default=20, help="timing repetitions per prompt")
    parser.add_argument("--errors", action="store_true", help="list labelled-set mistakes")
    args = parser.parse_args()

    labelled, heldout = load("labelled.jsonl"), load("heldout.jsonl")
    results = {
        name: {"estimator": score(rows, estimator), "length": score(rows, by_length)}
        | {"always_local": score(rows, always_local)}
        for name, rows in (("labelled", labelled), ("heldout", heldout))
    }
    times = sorted(decision_times([r["prompt"] for r in labelled + heldout], args.reps))
    mean_ms = statistics.fmean(times)
    p99_ms = times[min(len(times) - 1, int(0.99 * len(times)))]

    for name, by_router in results.items():
        est, length, local = by_router["estimator"], by_router["length"], by_router["always_local"]
        print(f"\n== {name} ({est['n']} requests) ==")
        print(
            f"estimator    agreement {est['agreement']:.3f}  (cloud {est['agreement_cloud']:.3f},"
            f" local {est['agreement_local']:.3f})  hard kept local {est['hard_kept_local']:.3f}"
            f"  easy sent cloud {est['easy_sent_cloud']:.3f}"
        )
        print(
            f"length>{LENGTH_BASELINE_CHARS}   agreement {length['agreement']:.3f}  hard kept local "
            f"{length['hard_kept_local']:.3f}  easy sent cloud {length['easy_sent_cloud']:.3f}"
        )
        print(f"always local agreement {local['agreement']:.3f}")
        kinds = est["per_kind"]
        counts = est["per_kind_n"]
        assert isinstance(kinds, dict) and isinstance(counts, dict)
        weakest = sorted(kinds.items(), key=lambda kv: kv[1])[:8]
        print("weakest kinds: " + ", ".join(f"{k} {v:.2f} (n={counts[k]})" for k, v in weakest))
    print(f"\ndecision time: mean {mean_ms:.3f} ms, p99 {p99_ms:.3f} ms, max {times[-1]:.3f} ms")
    print(f"({len(times)} calls: {args.reps} x {len(labelled) + len(heldout)} prompts)")

    if args.errors:
        print("\nlabelled-set disagreements:")
        for row in labelled:
            c = estimate(row["prompt"])
            if ("cloud" if c.needs_cloud else "local") != row["label"]:
                text = row["prompt"][:100].replace("\n", " ")
                print(f"  {row['label']:5s} {row['kind']:18s} {c.score:.2f} {c.signals} {text}")

    if args.json:
        lab, held = results["labelled"], results["heldout"]
        report = {
            "agreement": lab["estimator"]["agreement"],
            "agreement_heldout": held["estimator"]["agreement"],
            "hard_kept_local": lab["estimator"]["hard_kept_local"],
            "easy_sent_cloud": lab["estimator"]["easy_sent_cloud"],
            "hard_kept_local_heldout": held["estimator"]["hard_kept_local"],
            "easy_sent_cloud_heldout": held["estimator"]["easy_sent_cloud"],
            "decision_ms_mean": round(mean_ms, 4),
            "decision_ms_p99": round(p99_ms, 4),
            "decision_ms_max": round(times[-1], 4),
            "baseline_length_agreement": lab["length"]["agreement"],
            "baseline_length_agreement_heldout": held["length"]["agreement"],
            "baseline_local_agreement": lab["always_local"]["agreement"],
            "baseline_local_agreement_heldout": held["always_local"]["agreement"],
            "n_labelled": len(labelled),
            "n_heldout": len(heldout),
            "per_kind": lab["estimator"]["per_kind"],
            "per_kind_heldout": held["estimator"]["per_kind"],
        }
        print(json.dumps(report))


if __name__ == "__main__":
    main()
