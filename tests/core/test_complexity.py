"""The fitted complexity model: the packaged weights match the corpus, clear cases each way, the
task read apart from the paste, tiers, reasons, robustness and a light import. Quality figures
are measured by tests/benchmarks/bench_router.py; here only floors that catch a regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hybrid_desktop.core.capability import Tier, tier_of
from hybrid_desktop.core.complexity import CLOUD_THRESHOLD, MODEL_PATH, Complexity, estimate
from hybrid_desktop.core.task_text import split_task

DATA = Path(__file__).resolve().parents[1] / "data" / "routing"
sys.path.insert(0, str(DATA))

import fit_router  # noqa: E402

PASTE = (
    "Our quarterly newsletter went out late this time becuase the printer broke down twice, and "
    "the new volunteer schedule was posted on the board in the hall. Thanks to everyone who "
    "helped at the spring fair; we raised enough for the new benches in the garden and a spare "
    "set of keys for the shed. The next meeting is on the first Tuesday of the month at seven. "
) * 4


def _rows(name: str) -> list[dict[str, str]]:
    return [json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x]


def test_packaged_model_was_fitted_on_the_current_corpus() -> None:
    """A corpus change without a refit (``fit_router.py``) leaves a stale model: caught here."""
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert model["fit"]["corpus_sha256"] == fit_router.corpus_digest()
    assert model["fit"]["features_sha256"] == fit_router.features_digest()
    assert model["fit"]["requests"] == len(fit_router.load_rows())
    assert "heldout_v2.jsonl" not in fit_router.TRAINING


def test_no_weight_rests_on_one_prompt() -> None:
    """Every word, pair and n-gram weight occurs in at least two groups of training requests."""
    rows = fit_router.load_rows()
    groups = fit_router.near_duplicate_groups(rows)
    seen: dict[str, set[int]] = {}
    for feats, group in zip(fit_router.featurise(rows), groups, strict=True):
        for name in feats:
            seen.setdefault(name, set()).add(group)
    weights = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["weights"]
    lonely = [n for n in weights if not n.startswith("f:") and len(seen.get(n, ())) < 2]
    assert lonely == []


def test_training_sets_are_well_formed() -> None:
    for name in fit_router.TRAINING:
        if not (DATA / name).exists():
            continue
        rows = _rows(name)
        assert {r["label"] for r in rows} == {"local", "cloud"}
        assert all(r["prompt"].strip() and r.get("kind") for r in rows)
        assert 0.4 < sum(r["label"] == "cloud" for r in rows) / len(rows) < 0.6


@pytest.mark.parametrize(
    "prompt",
    [
        "hi!",
        "thanks, that's great",
        "What is the capital of France?",
        "translate 'good morning' into italian",
        "convert 3 miles to km",
        "write a haiku about snow",
        "Fix the typos in this:\n" + PASTE,
        "Give this a title:\n\n" + PASTE,
    ],
)
def test_clear_local_cases(prompt: str) -> None:
    result = estimate(prompt)
    assert not result.needs_cloud, result
    assert result.score < CLOUD_THRESHOLD


@pytest.mark.parametrize(
    "prompt",
    [
        "prove that there are infinitely many primes",
        "what is 48213 × 9071 exactly?",
        "write a python script that merges all csv files in a folder and removes duplicate rows",
        "can my landlord keep my deposit for normal wear and tear?",
    ],
)
def test_clear_cloud_cases(prompt: str) -> None:
    result = estimate(prompt)
    assert result.needs_cloud, result
    assert result.score >= CLOUD_THRESHOLD


def test_the_paste_is_read_apart_from_the_task() -> None:
    task = split_task("Fix the typos in this:\n" + PASTE)
    assert task.instruction == "Fix the typos in this:"
    assert task.paste.startswith("Our quarterly newsletter")
    after = split_task(PASTE + "\n\nSummarise this in one sentence.")
    assert after.instruction == "Summarise this in one sentence."
    code = split_task("What does this do?\n```python\n" + "x = 1\n" * 60 + "```")
    assert (code.instruction, code.paste_kind) == ("What does this do?", "code")
    assert split_task("What is the capital of France?").paste == ""


def test_reason_names_a_shape_or_words() -> None:
    arith = estimate("what is 48213 × 9071 exactly?")
    assert arith.category == "exact arithmetic on large numbers"
    assert "big_arith" in arith.signals
    assert estimate("Give this a title:\n\n" + PASTE).category == "simple task on a pasted text"
    worded = estimate("can my landlord keep my deposit for normal wear and tear?")
    assert worded.category.startswith(("wording like", "a ")), worded


def test_a_bigger_local_model_keeps_more_local() -> None:
    prompt = "explain the difference between TCP and UDP with examples"
    tiny, large = estimate(prompt), estimate(prompt, tier=Tier("large", 3, 2.4, 7.0))
    assert large.score < tiny.score
    assert large.tier == "large" and tiny.tier == "tiny"


def test_too_long_for_the_local_context_goes_to_the_cloud() -> None:
    tier = Tier("tiny", 0, 0.0, 0.135, "Q4_1", 2048)
    result = estimate("Fix the typos in this:\n" + PASTE * 10, tier=tier)
    assert result.needs_cloud and result.category == "too long for the local model's context"


def test_tier_of_the_embedded_model() -> None:
    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.models import embedded_model_path

    tier = tier_of(inspect_gguf(embedded_model_path()))
    assert (tier.name, tier.quantization, tier.context) == ("tiny", "Q4_1", 8192)
    assert tier.label() == "local model 135M, tiny tier"
    assert tier_of(None).name == "tiny"


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   \n\t ",
        "\x00\x01",
        "🙂🙂🙂",
        "?",
        "日本語のテキスト" * 5000,
        "def f(x):\n    return x * 2\n" * 50,
        "x" * 200_000,
        "1," * 100_000,
        "(" * 100_000,
        "```" * 10_000,
        "> quoted\n" * 10_000,
        "in " + "9" * 5000 + " words",
    ],
)
def test_robust_inputs(prompt: str) -> None:
    result = estimate(prompt)
    assert isinstance(result, Complexity)
    assert 0.0 <= result.score <= 1.0
    assert result.prompt_tokens >= 0 and result.est_output_tokens >= 0
    json.dumps(result.to_json())


def test_output_length_asked() -> None:
    assert 1800 <= estimate("write an essay on tides in 1500 words").est_output_tokens <= 2200
    assert estimate("hi").est_output_tokens <= 200


def test_to_json_has_every_field() -> None:
    data = estimate("write a python function to sum a list").to_json()
    assert set(data) == {
        "score",
        "needs_cloud",
        "category",
        "signals",
        "prompt_tokens",
        "est_output_tokens",
        "tier",
    }


def test_import_is_light() -> None:
    script = """
import sys
before = set(sys.modules)
import hybrid_desktop.core.complexity
from hybrid_desktop.core.complexity import estimate
estimate("warm up the model file")
new = {m.split(".")[0] for m in set(sys.modules) - before}
outside = sorted(m for m in new if m not in sys.stdlib_module_names and m != "hybrid_desktop")
print(outside)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
