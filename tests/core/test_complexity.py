"""The complexity estimator: agreement floors on both labelled sets, clear cases each way,
category phrases, output-length parsing, robustness, speed (generously) and a light import."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hybrid_desktop.core.complexity import CLOUD_THRESHOLD, Complexity, estimate

DATA = Path(__file__).resolve().parents[1] / "data" / "routing"

# Measured minus about 0.03 (tests/benchmarks/bench_router.py): labelled 1.000, held-out 0.970.
FLOOR_LABELLED = 0.97
FLOOR_HELDOUT = 0.94


def _agreement(name: str) -> float:
    rows: list[dict[str, str]] = [
        json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    ]
    good = sum(
        ("cloud" if estimate(r["prompt"]).needs_cloud else "local") == r["label"] for r in rows
    )
    return good / len(rows)


def test_labelled_sets_are_well_formed() -> None:
    for name, least in (("labelled.jsonl", 400), ("heldout.jsonl", 120)):
        rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
        assert len(rows) >= least
        assert {r["label"] for r in rows} == {"local", "cloud"}
        assert all(r["prompt"] and r["kind"] for r in rows)
        share_cloud = sum(r["label"] == "cloud" for r in rows) / len(rows)
        assert 0.4 < share_cloud < 0.6


def test_held_out_prompts_are_not_in_the_tuning_set() -> None:
    def prompts(name: str) -> set[str]:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        return {json.loads(line)["prompt"] for line in lines}

    assert not prompts("labelled.jsonl") & prompts("heldout.jsonl")


def test_agreement_floor_labelled() -> None:
    assert _agreement("labelled.jsonl") >= FLOOR_LABELLED


def test_agreement_floor_heldout() -> None:
    assert _agreement("heldout.jsonl") >= FLOOR_HELDOUT


@pytest.mark.parametrize(
    "prompt",
    [
        "hi!",
        "thanks, that's great",
        "What is the capital of France?",
        "define entropy",  # a short definition, even of an expert word
        "fix the spelling: I recieved you're leter",
        "translate 'good morning' into italian",
        "convert 3 miles to km",
        "give me three ideas for a birthday gift",
        "write a haiku about snow",
        "is it ok to eat eggs past the date",
        "what's python the snake's diet?",
        "how do I make a cup of tea",
    ],
)
def test_clear_local_cases(prompt: str) -> None:
    result = estimate(prompt)
    assert not result.needs_cloud, result
    assert result.score < CLOUD_THRESHOLD


@pytest.mark.parametrize(
    "prompt",
    [
        "prove sqrt 2 is irrational",
        "is 2^31-1 prime?",
        "fix: TypeError: 'NoneType' object is not subscriptable in my flask app",
        "Tom has 3 times as many apples as Ann. Together they have 48. Ann eats 4. "
        "How many apples do they have left?",
        "write a python script that merges all csv files in a folder",
        "Write a 2000 word essay on the French revolution",
        "can my landlord keep my deposit for normal wear and tear?",
        "compare postgres and mysql for a write-heavy app, pros and cons",
        "plan a 2 week trip to peru for 3 people, budget 6000, no flights over 8 hours",
        "summarise this contract:\n\n" + "The Licensee shall indemnify the Licensor. " * 200,
    ],
)
def test_clear_cloud_cases(prompt: str) -> None:
    result = estimate(prompt)
    assert result.needs_cloud, result
    assert result.score >= CLOUD_THRESHOLD


@pytest.mark.parametrize(
    ("prompt", "category"),
    [
        (
            "A shop sells pens at 3 for $2. Sam buys 12 pens and pays with a $20 note. "
            "How much change does he get?",
            "multi-step maths",
        ),
        ("write a javascript function that debounces another function", "code"),
        ("```python\nfor i in range(3):\n    print(i)\n```\nwhy does this print 0", "code"),
        (
            "What does this say?\n\n" + "The committee met and discussed budgets. " * 300,
            "long document",
        ),
        ("write a 1500 word story about a dragon", "long answer"),
        ("my tenant hasn't paid rent for 3 months, how do I evict lawfully?", "expert domain: law"),
        ("hello there", "greeting"),
        ("who painted the mona lisa", "short factual question"),
    ],
)
def test_category_phrases(prompt: str, category: str) -> None:
    assert estimate(prompt).category == category


def test_signals_name_what_fired() -> None:
    signals = estimate("Traceback (most recent call last):\n  KeyError: 'id'").signals
    assert "error_message" in signals
    assert all(s.replace("_", "").isalnum() and s == s.lower() for s in signals)
    assert "proof" in estimate("prove that there are infinitely many primes").signals


@pytest.mark.parametrize(
    ("prompt", "low", "high"),
    [
        ("write an essay on tides in 1500 words", 1800, 2200),
        ("a 2,000-word report on solar power", 2400, 2900),
        ("write 3 pages about volcanoes", 1800, 2200),
        ("hi", 1, 60),
        ("what is the capital of Spain", 10, 120),
    ],
)
def test_output_length(prompt: str, low: int, high: int) -> None:
    assert low <= estimate(prompt).est_output_tokens <= high


def test_long_answer_costs_more_than_a_quick_one() -> None:
    essay = estimate("write a detailed essay on the history of jazz")
    quick = estimate("what is jazz")
    assert essay.est_output_tokens >= 5 * quick.est_output_tokens


def test_prompt_tokens_are_roughly_right() -> None:
    assert estimate("").prompt_tokens == 0
    assert 8 <= estimate("What is the capital of France and why?").prompt_tokens <= 14
    assert 20_000 <= estimate("word " * 20_000).prompt_tokens <= 30_000


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   \n\t ",
        "\x00\x01",
        "🙂🙂🙂",
        "?",
        "日本語のテキスト" * 5000,
        "Bonjour, pouvez-vous m'aider à résoudre 2x + 3 = 11 ?",
        "def f(x):\n    return x * 2\n" * 50,
        "x" * 200_000,
        "1," * 100_000,
        "(" * 100_000,
        "in " + "9" * 5000 + " words",
    ],
)
def test_robust_inputs(prompt: str) -> None:
    result = estimate(prompt)
    assert isinstance(result, Complexity)
    assert 0.0 <= result.score <= 1.0
    assert result.needs_cloud == (result.score >= CLOUD_THRESHOLD)
    assert result.prompt_tokens >= 0 and result.est_output_tokens >= 0
    json.dumps(result.to_json())


def test_multilingual_cues() -> None:
    assert estimate("用python写一个快速排序").needs_cloud
    assert estimate("Beweise, dass es unendlich viele Primzahlen gibt.").needs_cloud
    assert not estimate("¿Cuál es la capital de Francia?").needs_cloud


def test_history_is_a_signal_not_prompt_tokens() -> None:
    plain = estimate("and what about the second point?")
    with_history = estimate("and what about the second point?", history_tokens=6000)
    assert with_history.prompt_tokens == plain.prompt_tokens
    assert "long_history" in with_history.signals
    assert with_history.score > plain.score


def test_to_json_has_every_field() -> None:
    data = estimate("write a python function to sum a list").to_json()
    assert set(data) == {
        "score",
        "needs_cloud",
        "category",
        "signals",
        "prompt_tokens",
        "est_output_tokens",
    }
    assert isinstance(data["signals"], list)


def test_decision_time_generous_bound() -> None:
    """The real figure is in tests/benchmarks/bench_router.py; this only catches a blow-up."""
    prompts = [
        "hi",
        "what is the capital of France?",
        "write a python function that parses ISO dates and handles time zones",
        "A farmer has 30 animals, chickens and cows, with 74 legs. How many cows?",
        "Summarise:\n" + "The quarterly report shows growth in all regions. " * 400,
    ]
    start = time.perf_counter()
    for _ in range(100):
        for prompt in prompts:
            estimate(prompt)
    mean_ms = (time.perf_counter() - start) * 1000 / 500
    assert mean_ms < 50


def test_import_is_light() -> None:
    script = """
import sys
before = set(sys.modules)
import hybrid_desktop.core.complexity
new = {m.split(".")[0] for m in set(sys.modules) - before}
outside = sorted(m for m in new if m not in sys.stdlib_module_names and m != "hybrid_desktop")
print(outside)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
