"""The chat service: one turn of a conversation, from the user's text to a stored answer.

Both faces of the app use it: the CLI calls it directly, the GUI calls it from its worker thread.
The order of a turn is what makes history safe:

1. check the request (empty text, route, context fit) — nothing is stored for a rejected request,
   and the caller keeps the text;
2. store the user's message (committed before the model starts);
3. stream the answer;
4. store the answer when it completes. A stopped or failed answer is stored with its status
   (``stopped`` / ``error``) when any text came, so nothing the user saw is lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.context import ChatMessage, fit_to_context
from hybrid_desktop.core.engines.base import Engine, GenerationParams, GenerationStats
from hybrid_desktop.core.errors import EmptyPromptError, HybridDesktopError
from hybrid_desktop.core.router import RouteDecision, decide_route

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)

NoticeCallback = Callable[[str], None]


@dataclass
class TurnRequest:
    prompt: str
    conversation_id: int | None = None
    route: str = "auto"
    max_tokens: int | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


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


class ChatService:
    def __init__(self, engine: Engine, history: HistoryStore, settings: Settings) -> None:
        self.engine = engine
        self.history = history
        self.settings = settings

    def ask(
        self,
        request: TurnRequest,
        on_text: Callable[[str], None] | None = None,
        on_notice: NoticeCallback | None = None,
        on_stored: Callable[[int], None] | None = None,
    ) -> TurnResult:
        """Run one turn. Raises :class:`HybridDesktopError` before storing anything when the
        request is rejected, and :class:`TurnFailed` when it fails after the user's message was
        stored. ``on_stored`` gets the conversation id once the user's message is on disk."""
        prompt = request.prompt
        if not prompt.strip():
            raise EmptyPromptError("The message is empty.")
        decision: RouteDecision = decide_route(request.route)
        params = params_from(self.settings, request.max_tokens)

        conversation_id = request.conversation_id
        history: list[ChatMessage] = []
        if conversation_id is not None:
            self.history.get_conversation(conversation_id)  # NotFoundError before anything else
            history = [
                {"role": m.role, "content": m.content}
                for m in self.history.messages(conversation_id)
                if m.role in ("user", "assistant") and m.content and m.status != "error"
            ]
        system = (
            [{"role": "system", "content": self.settings.system_prompt}]
            if self.settings.system_prompt.strip()
            else []
        )
        fitted = fit_to_context(
            system,
            history,
            {"role": "user", "content": prompt},
            self.engine.count_tokens,
            self.engine.n_ctx,
            params.max_tokens,
        )
        notices: list[str] = []
        if fitted.dropped_messages:
            notices.append(dropped_notice(fitted.dropped_messages, self.engine.n_ctx))
            log.info("dropped %d old messages to fit the context", fitted.dropped_messages)
            if on_notice is not None:
                on_notice(notices[-1])

        if conversation_id is None:
            conversation_id = self.history.create_conversation().id
        user_message = self.history.add_message(conversation_id, "user", prompt)
        if on_stored is not None:
            on_stored(conversation_id)

        streamed: list[str] = []

        def collect(text: str) -> None:
            streamed.append(text)
            if on_text is not None:
                on_text(text)

        try:
            result = self.engine.generate(
                fitted.messages,
                GenerationParams(**{**params.__dict__, "max_tokens": fitted.max_new_tokens}),
                on_text=collect,
                cancel=request.cancel,
            )
        except HybridDesktopError as exc:
            partial = "".join(streamed)
            if partial:
                self._store_answer(conversation_id, partial, "error", decision, GenerationStats())
            raise TurnFailed(exc, conversation_id) from exc

        stats = result.stats
        status = "stopped" if stats.stop_reason == "cancelled" else "complete"
        if stats.stop_reason == "length" and fitted.max_new_tokens < params.max_tokens:
            notices.append("The answer stopped because the context window is full.")
        message_id = None
        if result.text or status == "complete":
            try:
                message_id = self._store_answer(
                    conversation_id, result.text, status, decision, stats
                )
            except HybridDesktopError as exc:
                raise TurnFailed(exc, conversation_id) from exc
        return TurnResult(
            conversation_id=conversation_id,
            user_message_id=user_message.id,
            assistant_message_id=message_id,
            text=result.text,
            route=decision.route,
            reason=decision.reason,
            model=self.engine.name,
            status=status,
            stats=stats,
            dropped_messages=fitted.dropped_messages,
            notices=notices,
        )

    def _store_answer(
        self,
        conversation_id: int,
        text: str,
        status: str,
        decision: RouteDecision,
        stats: GenerationStats,
    ) -> int:
        message = self.history.add_message(
            conversation_id,
            "assistant",
            text,
            status=status,
            route=decision.route,
            reason=decision.reason,
            model=self.engine.name,
            meta=stats.to_json(),
        )
        return message.id
