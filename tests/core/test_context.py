"""Context fitting, with a precise fake token counter (the real model path is in test_local_engine)."""

from __future__ import annotations

import pytest

from hybrid_desktop.core.context import fit_to_context, merge_consecutive
from hybrid_desktop.errors import ContextOverflowError


def count_words(messages: list[dict[str, str]]) -> int:
    """One token per word plus 4 per message of template overhead."""
    return sum(len(m["content"].split()) + 4 for m in messages)


def turn(i: int, words: int = 10) -> list[dict[str, str]]:
    return [
        {"role": "user", "content": " ".join([f"q{i}"] * words)},
        {"role": "assistant", "content": " ".join([f"a{i}"] * words)},
    ]


def test_everything_fits_nothing_dropped() -> None:
    history = turn(1) + turn(2)
    fitted = fit_to_context([], history, {"role": "user", "content": "hi"}, count_words, 1000, 100)
    assert fitted.dropped_messages == 0
    assert fitted.messages[-1] == {"role": "user", "content": "hi"}
    assert len(fitted.messages) == 5
    assert fitted.max_new_tokens == 100


def test_oldest_whole_turns_dropped_first_and_new_message_intact() -> None:
    history = turn(1) + turn(2) + turn(3)  # 3 turns x 28 tokens
    new = {"role": "user", "content": " ".join(["new"] * 20)}
    # n_ctx 100, reserve min(40, 25) = 25 -> prompt must be <= 75: new (24) + 1 turn (28) + ... 2 turns = 80
    fitted = fit_to_context([], history, new, count_words, 100, 40)
    assert fitted.dropped_messages == 4
    assert fitted.messages[0]["content"].startswith("q3")
    assert fitted.messages[-1] == new
    assert fitted.prompt_tokens <= 75
    assert fitted.max_new_tokens == 40


def test_system_message_is_kept_when_turns_are_dropped() -> None:
    system = [{"role": "system", "content": "be brief"}]
    fitted = fit_to_context(
        system, turn(1, 30) + turn(2, 30), {"role": "user", "content": "x"}, count_words, 100, 10
    )
    assert fitted.messages[0] == system[0]
    assert fitted.dropped_messages >= 2


def test_new_message_alone_too_long_is_an_error_with_numbers() -> None:
    new = {"role": "user", "content": " ".join(["w"] * 500)}
    with pytest.raises(ContextOverflowError) as info:
        fit_to_context([], turn(1), new, count_words, 256, 64)
    assert "256" in info.value.message and "504" in info.value.message
    assert "context size" in info.value.hint


def test_answer_room_shrinks_rather_than_failing() -> None:
    new = {"role": "user", "content": " ".join(["w"] * 200)}  # 204 tokens of 256
    fitted = fit_to_context([], [], new, count_words, 256, 200)
    assert fitted.max_new_tokens == 52


def test_consecutive_roles_are_merged() -> None:
    merged = merge_consecutive(
        [
            {"role": "user", "content": "a"},
            {"role": "user", "content": "b"},
            {"role": "assistant", "content": "c"},
        ]
    )
    assert merged == [{"role": "user", "content": "a\n\nb"}, {"role": "assistant", "content": "c"}]
