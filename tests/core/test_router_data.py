"""The router's locked held-out set: unchanged since it was written, and in no training file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "routing"
#: Written on 2026-12-02 before the fitted router existed (see HELDOUT_V2.md). If this fails, the
#: file changed and a figure measured on it is no longer a held-out figure.
HELDOUT_V2_SHA256 = "d9d4cf5549b716e6b36287a6fead2171be48a341e17a7d79c6c5b620e1a44de8"


def _prompts(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {" ".join(json.loads(x)["prompt"].lower().split()) for x in lines if x.strip()}


def test_heldout_v2_is_frozen() -> None:
    digest = hashlib.sha256((DATA / "heldout_v2.jsonl").read_bytes()).hexdigest()
    assert digest == HELDOUT_V2_SHA256


def test_heldout_v2_is_balanced_and_large_enough() -> None:
    rows = [json.loads(x) for x in (DATA / "heldout_v2.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) >= 300
    assert 0.45 <= sum(r["label"] == "cloud" for r in rows) / len(rows) <= 0.55
    assert sum(r["lang"] != "en" for r in rows) / len(rows) >= 0.25


def test_heldout_v2_is_in_no_training_file() -> None:
    held = _prompts("heldout_v2.jsonl")
    for name in (
        "labelled.jsonl",
        "heldout.jsonl",
        "train_v2.jsonl",
        "train_v3.jsonl",
        "train_v4.jsonl",
    ):
        if (DATA / name).exists():
            assert not held & _prompts(name), name


def test_no_training_request_is_a_near_copy_of_a_heldout_one() -> None:
    """Word 3-shingles, Jaccard ≥ 0.5 (the fit script's near-duplicate rule): a request around the
    same pasted text counts as a copy."""
    import re

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())[:400]
        return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}

    lines = (DATA / "heldout_v2.jsonl").read_text("utf-8").splitlines()
    held = [shingles(json.loads(x)["prompt"]) for x in lines if x.strip()]
    for name in (
        "labelled.jsonl",
        "heldout.jsonl",
        "train_v2.jsonl",
        "train_v3.jsonl",
        "train_v4.jsonl",
    ):
        for line in (DATA / name).read_text("utf-8").splitlines():
            if not line.strip():
                continue
            s = shingles(json.loads(line)["prompt"])
            assert all(len(s & h) / len(s | h) < 0.5 for h in held), (name, line[:80])
