"""The held-out evaluation files are frozen: their bytes are pinned here.

``tests/data/pii/heldout/clean_prompts.jsonl`` (prompts with no personal data, written before
the gate was ever run on them) and ``tests/data/pii/generated/seed_*.json`` (presidio-evaluator
samples for seeds fixed before any result was looked at) are reported by
``tests/benchmarks/bench_privacy.py --heldout`` and never tuned on.

Changing one of these files means its figure is no longer held out. Do not edit them and
update the hash to make a figure look better: write a new file (with its own hash here) and
say in its README when and how it was written. The generated files can be rebuilt byte for
byte with ``tests/data/pii/make_generated.py --check``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "pii"
CLEAN = DATA / "heldout" / "clean_prompts.jsonl"

FROZEN = {
    "heldout/clean_prompts.jsonl": (
        "b9fb821b73323dc4a277144a3592584293ad7c91957cf63097acc11e0f157361"
    ),
    "generated/seed_101.json": "66731243ce037d97007cccc19071e47a179b26df6998d5d6f99b5f66c6b3baed",
    "generated/seed_202.json": "acf17ebbb87ea4b58364e531215f8ece435c13c91dee75934e2bd2898869889e",
    "generated/seed_303.json": "9dc901d5a02906d70718186b990b852889fb6988a6ae2055f68793c01ec91871",
}
LANGS = {"en", "fr", "de", "es", "it", "nl", "pl", "pt"}
SHAPES = {"code", "sql", "shell", "stacktrace", "config", "famous", "sentence_start", "general"}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_held_out_file_is_unchanged(name: str) -> None:
    digest = hashlib.sha256((DATA / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], f"{name} changed: its figure is no longer held out"


def test_clean_prompts_format() -> None:
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) >= 200
    assert [r["id"] for r in rows] == [f"c{i:03d}" for i in range(1, len(rows) + 1)]
    for row in rows:
        assert set(row) == {"id", "lang", "shape", "text"}, row
        assert row["lang"] in LANGS, row["id"]
        assert row["shape"] in SHAPES, row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
    langs = [r["lang"] for r in rows]
    assert sum(lang != "en" for lang in langs) >= 0.45 * len(rows)
    assert all(langs.count(lang) >= 14 for lang in LANGS - {"en"})
    shapes = [r["shape"] for r in rows]
    assert all(shapes.count(shape) >= 15 for shape in SHAPES)


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_generated_format(seed: int) -> None:
    samples = json.loads((DATA / "generated" / f"seed_{seed}.json").read_text(encoding="utf-8"))
    assert len(samples) == 300
    for sample in samples:
        assert set(sample) == {"full_text", "spans", "template_id"}
        text = sample["full_text"]
        for span in sample["spans"]:
            start, end = span["start_position"], span["end_position"]
            assert 0 <= start < end <= len(text)
            assert text[start:end] == span["entity_value"]
            assert span["entity_type"].isupper()
