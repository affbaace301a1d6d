"""What every engine (local now; cloud and edge later) offers the chat service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from hybrid_desktop.core.context import ChatMessage

TextCallback = Callable[[str], None]


@dataclass(frozen=True)
class GenerationParams:
    max_tokens: int = 1024
    temperature: float = 0.2
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    #: Prompt tokens whose KV cache was reused from the previous turn.
    cached_tokens: int = 0
    completion_tokens: int = 0
    #: From the start of the request to the first token of text.
    ttft_ms: float = 0.0
    #: Decode speed: tokens after the first, over the time since the first.
    tokens_per_s: float = 0.0
    total_ms: float = 0.0
    #: ``stop`` (the model finished), ``length`` (token limit), or ``cancelled``.
    stop_reason: str = "stop"
    #: The answer's own confidence: the geometric mean of its tokens' probabilities (0..1),
    #: or None when the engine does not report token probabilities (the cloud tier).
    confidence: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass
class GenerationResult:
    text: str
    stats: GenerationStats


class Engine(Protocol):
    name: str
    n_ctx: int

    def count_tokens(self, messages: list[ChatMessage]) -> int: ...

    def generate(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        on_text: TextCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult: ...
