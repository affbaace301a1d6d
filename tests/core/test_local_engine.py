"""The local engine on the real embedded model: streaming, stop, KV-cache reuse, context limits."""

from __future__ import annotations

import threading

from hybrid_desktop.core.engines.base import GenerationParams
from hybrid_desktop.core.engines.local import LocalEngine

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]


def test_answer_streams_in_pieces(engine: LocalEngine) -> None:
    pieces: list[str] = []
    result = engine.generate(QUESTION, GenerationParams(max_tokens=40), on_text=pieces.append)
    assert result.text.strip()
    assert len(pieces) >= 3, "text should arrive token by token"
    assert "".join(pieces) == result.text
    stats = result.stats
    assert 0 < stats.completion_tokens <= 40
    assert stats.prompt_tokens > 10
    assert stats.ttft_ms > 0 and stats.tokens_per_s > 0
    assert stats.stop_reason in ("stop", "length")
    assert stats.confidence is not None and 0.0 < stats.confidence <= 1.0


def test_chat_template_comes_from_the_model(engine: LocalEngine) -> None:
    tokens = engine.tokenize_chat(QUESTION)
    text = engine._llama.detokenize(tokens, special=True).decode()
    assert text.startswith("<|im_start|>system")
    assert text.endswith("<|im_start|>assistant\n")
    assert "What is the capital of France?" in text


def test_max_tokens_limits_the_answer(engine: LocalEngine) -> None:
    result = engine.generate(
        [{"role": "user", "content": "Count from one to one hundred in words."}],
        GenerationParams(max_tokens=5, temperature=0.0),  # greedy: the same answer every run
    )
    assert result.stats.completion_tokens == 5
    assert result.stats.stop_reason == "length"


def test_stop_flag_ends_generation_at_the_next_token(engine: LocalEngine) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def on_text(text: str) -> None:
        seen.append(text)
        if len(seen) == 3:
            cancel.set()

    result = engine.generate(
        [{"role": "user", "content": "Write a long story about a dragon and a knight."}],
        GenerationParams(max_tokens=300, temperature=0.7),
        on_text=on_text,
        cancel=cancel,
    )
    assert result.stats.stop_reason == "cancelled"
    assert result.stats.completion_tokens <= 4
    assert result.text == "".join(seen)


def test_cancel_before_start_generates_nothing(engine: LocalEngine) -> None:
    cancel = threading.Event()
    cancel.set()
    result = engine.generate(QUESTION, GenerationParams(max_tokens=50), cancel=cancel)
    assert result.stats.stop_reason == "cancelled"
    assert result.stats.completion_tokens == 0


def test_stop_from_another_thread(engine: LocalEngine) -> None:
    cancel = threading.Event()
    started = threading.Event()
    result_box: list[object] = []

    def run() -> None:
        result_box.append(
            engine.generate(
                [{"role": "user", "content": "Write a very long essay about the sea."}],
                GenerationParams(max_tokens=1000, temperature=0.8),
                on_text=lambda _t: started.set(),
                cancel=cancel,
            )
        )

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(30)
    cancel.set()
    worker.join(30)
    assert not worker.is_alive()
    result = result_box[0]
    assert result.stats.stop_reason == "cancelled"  # type: ignore[attr-defined]
    assert result.stats.completion_tokens < 1000  # type: ignore[attr-defined]


def test_later_turns_reuse_the_kv_cache(engine: LocalEngine) -> None:
    params = GenerationParams(max_tokens=20)
    first = engine.generate(QUESTION, params)
    history = [
        *QUESTION,
        {"role": "assistant", "content": first.text},
        {"role": "user", "content": "And of Italy?"},
    ]
    second = engine.generate(history, params)
    # Everything up to the first answer is already in the cache.
    assert second.stats.cached_tokens >= first.stats.prompt_tokens
    assert second.stats.cached_tokens < second.stats.prompt_tokens


def test_a_different_conversation_reprocesses_from_the_shared_prefix(engine: LocalEngine) -> None:
    engine.generate(QUESTION, GenerationParams(max_tokens=5))
    other = engine.generate(
        [{"role": "user", "content": "Name a colour."}], GenerationParams(max_tokens=5)
    )
    # Only the template's system preamble is shared.
    assert 0 < other.stats.cached_tokens < other.stats.prompt_tokens


def test_answer_stops_at_the_end_of_the_context(embedded_model: object) -> None:
    small = LocalEngine.load(embedded_model, n_ctx=256, n_threads=2)  # type: ignore[arg-type]
    try:
        prompt_tokens = small.count_tokens(QUESTION)
        result = small.generate(
            [{"role": "user", "content": "Write a very long story about a dragon."}],
            GenerationParams(max_tokens=5000, temperature=0.9),
        )
        assert result.stats.prompt_tokens + result.stats.completion_tokens <= 256
        assert prompt_tokens < 256
    finally:
        small.close()


def test_characters_cut_by_the_token_limit_are_not_garbled(engine: LocalEngine) -> None:
    """Multi-byte characters span several tokens; a limit that falls inside one drops it cleanly."""
    prompt = [{"role": "user", "content": "Translate to Japanese: good morning, dragon 🐉"}]
    streamed_total = 0
    for limit in range(1, 16):
        pieces: list[str] = []
        result = engine.generate(
            prompt, GenerationParams(max_tokens=limit, temperature=0.0), on_text=pieces.append
        )
        assert "\ufffd" not in result.text, (limit, result.text)
        assert "".join(pieces) == result.text
        streamed_total += len(result.text)
    assert streamed_total > 0
