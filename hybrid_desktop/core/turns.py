"""The values one turn is made of: the request, its plan, its result, and how it failed.

Plain data shared by the chat service (core), the model worker and the window; nothing here does
any work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.cancel import Cancellation
from hybrid_desktop.core.context import ChatMessage
from hybrid_desktop.core.engines.base import GenerationParams, GenerationStats
from hybrid_desktop.core.router import RouteDecision
from hybrid_desktop.errors import HybridDesktopError

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.gate import GateVerdict
    from hybrid_desktop.core.privacy.pseudonymize import Vault

#: Messages of history sent to the cloud at most (its context is large; privacy and cost are not).
CLOUD_HISTORY_MESSAGES = 40
#: Below this confidence (geometric-mean token probability) a local answer suggests the cloud
#: model prominently; chosen from tests/benchmarks/bench_confidence.py (see README).
LOW_CONFIDENCE = 0.4


@dataclass
class TurnRequest:
    prompt: str
    conversation_id: int | None = None
    route: str = "auto"
    max_tokens: int | None = None
    #: Setting it stops the turn, and closes a cloud request's socket at once (see cancel.py).
    cancel: threading.Event = field(default_factory=Cancellation)
    #: A "don't keep" conversation: it lives in memory only (``ChatService.private_history``,
    #: whose ids ``conversation_id`` then names); only the audit record of what left the device,
    #: the usage row and a request record without ids or text are written to disk.
    private: bool = False


@dataclass
class TurnPlan:
    """Where a turn will run and, for the cloud, exactly what will be sent."""

    decision: RouteDecision
    verdict: GateVerdict | None = None
    vault: Vault | None = None
    complexity: dict[str, Any] = field(default_factory=dict)
    #: The conversation as read when planning (the answer is fitted to this, not re-read).
    history: list[ChatMessage] = field(default_factory=list)
    #: For the edge (``core.edge_tier.EdgePlan``): the server and what would be sent to it.
    edge: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "route": self.decision.route,
            "reason": self.decision.reason,
            "complexity": self.complexity,
            "est_cost_usd": round(self.decision.est_cost_usd, 6),
            "signals": self.decision.signals,
        }


@dataclass
class TurnResult:
    conversation_id: int
    user_message_id: int
    assistant_message_id: int | None
    text: str
    route: str
    reason: str
    model: str
    status: str
    stats: GenerationStats
    dropped_messages: int = 0
    notices: list[str] = field(default_factory=list)
    cost_usd: float = 0.0
    #: When the cloud failed and the local model answered: the failure, in one sentence.
    fallback: str | None = None
    #: When a weak local answer was asked of the cloud too: the kept local answer's message id.
    escalated_from: int | None = None
    #: False when the answer could not be stored (a full disk): it is only in memory.
    saved: bool = True
    #: The edge server that answered (route ``edge``).
    edge_server: str | None = None

    def to_json(self) -> dict[str, Any]:
        stats = self.stats
        return {
            "route": self.route,
            "reason": self.reason,
            "text": self.text,
            "conversation_id": self.conversation_id,
            "message_id": self.assistant_message_id,
            "model": self.model,
            "status": self.status,
            "ttft_ms": round(stats.ttft_ms, 1),
            "prompt_tokens": stats.prompt_tokens,
            "cached_tokens": stats.cached_tokens,
            "completion_tokens": stats.completion_tokens,
            "tokens_per_s": round(stats.tokens_per_s, 2),
            "total_ms": round(stats.total_ms, 1),
            "stop_reason": stats.stop_reason,
            "confidence": None if stats.confidence is None else round(stats.confidence, 3),
            "cost_usd": round(self.cost_usd, 6),
            "fallback": self.fallback,
            "edge_server": self.edge_server,
            "escalated_from": self.escalated_from,
            "saved": self.saved,
            "dropped_messages": self.dropped_messages,
            "notices": self.notices,
        }


class TurnFailed(HybridDesktopError):
    """A turn failed after the user's message was stored (the caller need not keep the text)."""

    def __init__(self, cause: HybridDesktopError, conversation_id: int) -> None:
        super().__init__(cause.message, cause.hint)
        self.cause = cause
        self.conversation_id = conversation_id


def params_from(settings: Settings, max_tokens: int | None) -> GenerationParams:
    return GenerationParams(
        max_tokens=max_tokens or settings.max_tokens,
        temperature=settings.temperature,
        top_p=settings.top_p,
        top_k=settings.top_k,
        min_p=settings.min_p,
        repeat_penalty=settings.repeat_penalty,
    )


def dropped_notice(count: int, n_ctx: int) -> str:
    noun = "message" if count == 1 else "messages"
    return (
        f"The {count} oldest {noun} of this conversation no longer fit the model's "
        f"{n_ctx:,}-token context, so the model did not see them for this answer."
    )
