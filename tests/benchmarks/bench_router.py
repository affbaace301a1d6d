"""Router benchmark: cross-validated and locked held-out agreement, by language and length band.

    python tests/benchmarks/bench_router.py [--json] [--reps 5] [--folds 5] [--no-cv]

- **Held-out** (the quality figure): ``tests/data/routing/heldout_v2.jsonl``, written before the
  model was fitted, by someone who never saw the router, and locked by its hash
  (``tests/core/test_router_data.py``). It is scored, never fitted on or read for errors.
- **Cross-validated**: the training requests (``fit_router.TRAINING``), each scored by a model
  fitted without its group of near-duplicates (grouped k-fold, the fit script's procedure). The
  fit needs scikit-learn; without it (``--no-cv``) this part is skipped.

For each: agreement, the share of hard (cloud-labelled) requests kept local, the share of easy
ones sent to the cloud, overall, by language and by length band (characters: short < 120,
medium < 600, long < 3000, very long). Baselines in the same run: always local, and the length
rule (longer than 200 characters goes to the cloud). Decision time: mean and p99 of single
in-process ``estimate`` calls over every prompt, ``--reps`` times.

``--json`` prints one JSON object on the last line. Nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "routing"))

from hybrid_desktop.core.complexity import estimate  # noqa: E402

DATA = ROOT / "tests" / "data" / "routing"
HELDOUT = DATA / "heldout_v2.jsonl"
LENGTH_RULE_CHARS = 200
BANDS = ((120, "short"), (600, "medium"), (3000, "long"))

Row = dict[str, Any]


def band(prompt: str) -> str:
    for limit, name in BANDS:
        if len(prompt) < limit:
            return name
    return "very_long"


def load(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def figures(rows: list[Row], cloud: list[bool]) -> dict[str, Any]:
    """Agreement and both error shares, overall and per language and band."""

    def block(idx: list[int]) -> dict[str, Any]:
        hard = [i for i in idx if rows[i]["label"] == "cloud"]
        easy = [i for i in idx if rows[i]["label"] == "local"]
        agree = sum(cloud[i] == (rows[i]["label"] == "cloud") for i in idx)
        return {
            "n": len(idx),
            "agreement": round(agree / len(idx), 3) if idx else None,
            "hard_kept_local": round(sum(not cloud[i] for i in hard) / len(hard), 3)
            if hard
            else None,
            "easy_sent_cloud": round(sum(cloud[i] for i in easy) / len(easy), 3) if easy else None,
        }

    by_lang: dict[str, list[int]] = defaultdict(list)
    by_band: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_lang[row.get("lang", "en")].append(i)
        by_band[band(row["prompt"])].append(i)
    order = [name for _, name in BANDS] + ["very_long"]
    return {
        "all": block(list(range(len(rows)))),
        "by_language": {k: block(v) for k, v in sorted(by_lang.items())},
        "by_band": {k: block(by_band[k]) for k in order if k in by_band},
    }


def baselines(rows: list[Row]) -> dict[str, Any]:
    return {
        "always_local": figures(rows, [False] * len(rows))["all"],
        "length_rule": figures(rows, [len(r["prompt"]) > LENGTH_RULE_CHARS for r in rows])["all"],
    }


def cross_validated(folds: int) -> dict[str, Any] | None:
    try:
        import fit_router
    except ImportError:
        return None
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return None
    model = json.loads((ROOT / "hybrid_desktop/core/data/router_model.json").read_text())
    rows = fit_router.load_rows()
    y = [1 if r["label"] == "cloud" else 0 for r in rows]
    groups = fit_router.near_duplicate_groups(rows)
    logits = fit_router.cross_validated_logits(
        fit_router.featurise(rows), y, groups, model["fit"]["C"], folds
    )
    cut = model["threshold_logit"]
    out = figures(rows, [z >= cut for z in logits])
    out["baselines"] = baselines(rows)
    out["groups"] = len(set(groups))
    return out


def timing(prompts: list[str], reps: int) -> dict[str, float]:
    estimate("warm up")
    samples: list[float] = []
    for _ in range(reps):
        for prompt in prompts:
            start = time.perf_counter()
            estimate(prompt)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "mean_ms": round(statistics.fmean(samples), 3),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 3),
        "max_ms": round(samples[-1], 3),
        "calls": len(samples),
    }


def _print_block(title: str, data: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"  {'':<14} {'n':>5} {'agree':>6} {'hard→local':>11} {'easy→cloud':>11}")

    def line(name: str, b: dict[str, Any]) -> None:
        def fmt(v: float | None) -> str:
            return "-" if v is None else f"{v:.3f}"

        print(
            f"  {name:<14} {b['n']:>5} {fmt(b['agreement']):>6} {fmt(b['hard_kept_local']):>11}"
            f" {fmt(b['easy_sent_cloud']):>11}"
        )

    line("all", data["all"])
    for key in ("by_language", "by_band"):
        for name, b in data[key].items():
            line(f"{key[3:]}={name}", b)
    for name, b in data.get("baselines", {}).items():
        line(name, b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validated figures")
    args = parser.parse_args(argv)

    rows = load(HELDOUT)
    held = figures(rows, [estimate(r["prompt"]).needs_cloud for r in rows])
    held["baselines"] = baselines(rows)
    result: dict[str, Any] = {"heldout": held}
    cv = None if args.no_cv else cross_validated(args.folds)
    if cv is not None:
        result["cross_validated"] = cv
    result["decision_time"] = timing([r["prompt"] for r in rows], args.reps)

    _print_block(f"held-out ({HELDOUT.name}, locked): router", held)
    if cv is not None:
        _print_block(f"cross-validated ({args.folds}-fold, {cv['groups']} groups): router", cv)
    t = result["decision_time"]
    print(
        f"\ndecision time: mean {t['mean_ms']} ms, p99 {t['p99_ms']} ms, "
        f"max {t['max_ms']} ms over {t['calls']} calls"
    )
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
