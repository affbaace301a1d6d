"""Fit the router's model from the labelled requests and write ``core/data/router_model.json``.

    pip install scikit-learn            # at fit time only; the app does not need it
    python tests/data/routing/fit_router.py [--check] [--folds 5]

- Training data: every ``*.jsonl`` here listed in :data:`TRAINING` (never ``heldout_v2.jsonl``,
  the locked held-out set, which is only ever scored by ``bench_router.py``).
- Features: :func:`hybrid_desktop.core.route_features.features`, the same function the app scores.
- A feature that occurs in fewer than :data:`MIN_DF` distinct groups is dropped, so no weight
  exists for one prompt or one family of paraphrases.
- Groups: each row's ``group`` (paraphrases), merged with its near-duplicates (Jaccard ≥ 0.5 on
  word 3-shingles), so cross-validation never scores a request whose twin it was fitted on.
- ``C`` is chosen by grouped cross-validation; the threshold is chosen on the cross-validated
  scores: the highest agreement at which at most :data:`MAX_HARD_LOCAL` of hard requests stay
  local.
- ``--check`` fits again and fails if the file in the package differs (a stale model).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from hybrid_desktop.core.complexity import MODEL_PATH  # noqa: E402
from hybrid_desktop.core.route_features import features  # noqa: E402
from hybrid_desktop.core.task_text import split_task  # noqa: E402

HERE = Path(__file__).resolve().parent
TRAINING = ("labelled.jsonl", "heldout.jsonl", "train_v2.jsonl", "train_v3.jsonl", "train_v4.jsonl")
MIN_DF = 2
MAX_HARD_LOCAL = 0.05
C_GRID = (3.0, 10.0, 30.0, 100.0, 300.0)


def load_rows(names: tuple[str, ...] = TRAINING) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in names:
        path = HERE / name
        if not path.exists():
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                row.setdefault("id", f"{path.stem}:{i}")
                row.setdefault("group", row["id"])
                row["group"] = f"{path.stem}:{row['group']}"
                rows.append(row)
    return rows


def corpus_digest(names: tuple[str, ...] = TRAINING) -> dict[str, str]:
    return {
        name: hashlib.sha256((HERE / name).read_bytes()).hexdigest()
        for name in names
        if (HERE / name).exists()
    }


def features_digest() -> str:
    """The code that turns a request into features: a model fitted with other code is stale."""
    core = ROOT / "hybrid_desktop" / "core"
    digest = hashlib.sha256()
    for name in ("route_features.py", "task_text.py"):
        digest.update((core / name).read_bytes())
    return digest.hexdigest()


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())[:400]
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def near_duplicate_groups(rows: list[dict[str, Any]], threshold: float = 0.5) -> list[int]:
    """A group number per row: its ``group`` merged with near-duplicates (union-find)."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        union(i, first.setdefault(row["group"], i))
    sets = [_shingles(r["prompt"]) for r in rows]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    for i, s in enumerate(sets):
        seen: dict[int, int] = {}
        for sh in s:
            for j in index[sh]:
                if j > i:
                    seen[j] = seen.get(j, 0) + 1
        for j, shared in seen.items():
            if shared / (len(s) + len(sets[j]) - shared) >= threshold:
                union(i, j)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(rows))]


def featurise(rows: list[dict[str, Any]]) -> list[dict[str, float]]:
    return [features(split_task(r["prompt"])) for r in rows]


def _keep_frequent(feats: list[dict[str, float]], groups: list[int]) -> list[dict[str, float]]:
    seen: dict[str, set[int]] = {}
    for f, g in zip(feats, groups, strict=True):
        for name in f:
            seen.setdefault(name, set()).add(g)
    keep = {n for n, gs in seen.items() if len(gs) >= MIN_DF or n.startswith("f:")}
    return [{k: v for k, v in f.items() if k in keep} for f in feats]


def _fit(x: Any, y: list[int], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)


def cross_validated_logits(
    feats: list[dict[str, float]], y: list[int], groups: list[int], c: float, folds: int
) -> list[float]:
    """Each row's log-odds from a model fitted without its group (grouped k-fold)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import GroupKFold

    out = [0.0] * len(y)
    for train, test in GroupKFold(n_splits=folds).split(feats, y, groups):
        train_groups = [groups[i] for i in train]
        train_feats = _keep_frequent([feats[i] for i in train], train_groups)
        vec = DictVectorizer()
        model = _fit(vec.fit_transform(train_feats), [y[i] for i in train], c)
        z = model.decision_function(vec.transform([feats[i] for i in test]))
        for i, value in zip(test, z, strict=True):
            out[i] = float(value)
    return out


def choose_threshold(logits: list[float], y: list[int]) -> tuple[float, float, float]:
    """(threshold, agreement, hard kept local): the best agreement with few hard requests local."""
    cuts = sorted(set(logits))
    hard = sum(y) or 1
    best: tuple[float, float, float] | None = None
    fallback: tuple[float, float, float] | None = None
    for cut in [min(cuts) - 1.0, *cuts]:
        pred = [z >= cut for z in logits]
        agree = sum(p == bool(t) for p, t in zip(pred, y, strict=True)) / len(y)
        kept = sum(1 for p, t in zip(pred, y, strict=True) if t and not p) / hard
        if kept <= MAX_HARD_LOCAL and (best is None or agree > best[1]):
            best = (cut, agree, kept)
        if fallback is None or kept < fallback[2] or (kept == fallback[2] and agree > fallback[1]):
            fallback = (cut, agree, kept)
    chosen = best or fallback
    assert chosen is not None
    return chosen


def fit(folds: int = 5) -> dict[str, Any]:
    from sklearn import __version__ as sklearn_version
    from sklearn.feature_extraction import DictVectorizer

    rows = load_rows()
    y = [1 if r["label"] == "cloud" else 0 for r in rows]
    groups = near_duplicate_groups(rows)
    feats = featurise(rows)
    scores = {}
    for c in C_GRID:
        logits = cross_validated_logits(feats, y, groups, c, folds)
        scores[c] = (choose_threshold(logits, y), logits)
        print(f"C={c:<5} cv agreement {scores[c][0][1]:.3f}, hard kept local {scores[c][0][2]:.3f}")
    c = max(C_GRID, key=lambda k: (scores[k][0][1], -k))
    (cut, agree, kept), _ = scores[c]
    kept_feats = _keep_frequent(feats, groups)
    vec = DictVectorizer()
    model = _fit(vec.fit_transform(kept_feats), y, c)
    weights = {
        name: round(float(w), 5)
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= 1e-5
    }
    # Words in more than 4 % of requests ("the", "and", "dass") carry weight but explain nothing:
    # the reason never shows them.
    df: dict[str, int] = {}
    for f in feats:
        for name in f:
            if name.startswith("w:"):
                df[name[2:]] = df.get(name[2:], 0) + 1
    common = sorted(w for w, n in df.items() if n > 0.04 * len(rows))
    return {
        "version": 1,
        "common_words": common,
        "kind": "logistic regression over hybrid_desktop.core.route_features",
        "intercept": round(float(model.intercept_[0]), 5),
        "threshold_logit": round(cut, 5),
        "weights": dict(sorted(weights.items())),
        "fit": {
            "C": c,
            "folds": folds,
            "min_df_groups": MIN_DF,
            "requests": len(rows),
            "groups": len(set(groups)),
            "cloud": sum(y),
            "cv_agreement": round(agree, 4),
            "cv_hard_kept_local": round(kept, 4),
            "scikit_learn": sklearn_version,
            "corpus_sha256": corpus_digest(),
            "features_sha256": features_digest(),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the packaged model is stale")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    data = fit(args.folds)
    text = json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"
    if args.check:
        same = MODEL_PATH.exists() and json.loads(MODEL_PATH.read_text()) == data
        print("router model is up to date" if same else "router model is stale: fit it again")
        return 0 if same else 1
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(text, encoding="utf-8")
    size = MODEL_PATH.stat().st_size
    print(f"wrote {MODEL_PATH} ({len(data['weights'])} weights, {size / 1024:.0f} KiB)")
    print(
        f"logit threshold {data['threshold_logit']}, odds {math.exp(data['threshold_logit']):.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
