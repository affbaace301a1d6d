"""Fitting a conversation into the model's context window.

The newest message is never cut. When the history does not fit, the oldest turns are dropped
whole (a user message with the answers that followed it), and the caller is told how many, so the
user sees a notice instead of a silent truncation. When the new message alone cannot fit, that is
a :class:`ContextOverflowError` with the numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hybrid_desktop.errors import ContextOverflowError

ChatMessage = dict[str, str]

#: The least room for an answer worth starting.
MIN_ANSWER_TOKENS = 16


@dataclass(frozen=True)
class FittedPrompt:
    messages: list[ChatMessage]
    prompt_tokens: int
    max_new_tokens: int
    dropped_messages: int


def merge_consecutive(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Join runs of same-role messages: many chat templates reject non-alternating roles."""
    merged: list[ChatMessage] = []
    for message in messages:
        if merged and merged[-1]["role"] == message["role"]:
            merged[-1] = {
                "role": message["role"],
                "content": merged[-1]["content"] + "\n\n" + message["content"],
            }
        else:
            merged.append(dict(message))
    return merged


def fit_to_context(
    system: Sequence[ChatMessage],
    history: Sequence[ChatMessage],
    new_message: ChatMessage,
    count_tokens: Callable[[list[ChatMessage]], int],
    n_ctx: int,
    max_tokens: int,
) -> FittedPrompt:
    """Choose the messages to send and how many tokens the answer may use.

    ``count_tokens`` renders messages with the model's chat template and counts the tokens.
    Room for ``min(max_tokens, n_ctx // 4)`` answer tokens is kept when old turns must go.
    """
    reserve = max(min(max_tokens, n_ctx // 4), 1)
    history = list(history)
    dropped = 0

    def build(hist: list[ChatMessage]) -> list[ChatMessage]:
        return merge_consecutive([*system, *hist, new_message])

    messages = build(history)
    tokens = count_tokens(messages)
    while tokens > n_ctx - reserve and history:
        # Drop the oldest turn: its user message and every reply up to the next user message.
        cut = 1
        while cut < len(history) and history[cut]["role"] != "user":
            cut += 1
        dropped += cut
        history = history[cut:]
        messages = build(history)
        tokens = count_tokens(messages)

    room = n_ctx - tokens
    if room < min(max_tokens, MIN_ANSWER_TOKENS):
        raise ContextOverflowError(
            f"The message is too long for the model's context window: it needs about "
            f"{tokens:,} tokens, and the window holds {n_ctx:,} tokens including room "
            f"for the answer."
        )
    return FittedPrompt(messages, tokens, min(max_tokens, room), dropped)
