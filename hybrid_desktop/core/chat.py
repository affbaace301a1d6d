"""The chat service: one turn of a conversation, from the user's text to a stored answer.

Both faces of the app use it: the CLI calls it directly, the GUI from its worker thread.
The order of a turn is what makes history and privacy safe:

1. check the request (empty text, route) and **plan** it: estimate complexity, probe the network
   if the cloud is in question, check the budget, and run the **privacy gate** over what would be
   sent. Nothing is stored for a rejected request, and the caller keeps the text;
2. store the user's message (committed before any model starts);
3. answer: locally (the context fitted to the window), or in the cloud with only the gate's
   :class:`RedactedPrompt`, written to the audit log *before* it leaves, placeholders restored
   on the device as the reply streams in;
4. on Auto, any cloud failure falls back to the local model at once and says why; the partial
   cloud answer is kept, marked ``partial``. With Cloud forced, the failure is the turn's error;
5. store the answer when it completes (``stopped``/``error`` when it did not, if any text came).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.context import ChatMessage, fit_to_context
from hybrid_desktop.core.engines.base import Engine, GenerationParams, GenerationStats
from hybrid_desktop.core.errors import (
    CloudError,
    EmptyPromptError,
    HybridDesktopError,
    RouteUnavailableError,
)
from hybrid_desktop.core.router import RouteDecision, RouteInputs, check_requested, decide

if TYPE_CHECKING:
    from hybrid_desktop.core.engines.cloud import CloudEngine
    from hybrid_desktop.core.network import NetworkMonitor
    from hybrid_desktop.core.privacy.gate import GateVerdict, PrivacyGate
    from hybrid_desktop.core.privacy.pseudonymize import Vault
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)

NoticeCallback = Callable[[str], None]
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
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass
class TurnPlan:
    """Where a turn will run and, for the cloud, exactly what will be sent."""

    decision: RouteDecision
    verdict: GateVerdict | None = None
    vault: Vault | None = None
    complexity: dict[str, Any] = field(default_factory=dict)
    #: The conversation as read when planning (the answer is fitted to this, not re-read).
    history: list[ChatMessage] = field(default_factory=list)

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
            "dropped_messages": self.dropped_messages,
            "notices": self.notices,
        }


class TurnFailed(HybridDesktopError):
    """A turn failed after the user's message was stored (the caller need not keep the text)."""

    def __init__(self, cause: HybridDesktopError, conversation_id: int) -> None:
        super().__init__(cause.message, cause.hint)
        self.cause = cause
        self.conversation_id = conversation_id


@dataclass
class CloudTier:
    """What the cloud route needs. ``make_engine`` returns None when no API key is set."""

    gate: PrivacyGate
    network: NetworkMonitor
    make_engine: Callable[[], CloudEngine | None]
    destination: str = "api.anthropic.com"


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
    def __init__(
        self,
        engine: Engine | None,
        history: HistoryStore,
        settings: Settings,
        cloud: CloudTier | None = None,
        engine_factory: Callable[[], Engine] | None = None,
    ) -> None:
        """Pass ``engine``, or ``engine_factory`` to load the local model only when a turn needs it."""
        if engine is None and engine_factory is None:
            raise ValueError("a local engine or a factory for one is needed")
        self._engine = engine
        self._engine_factory = engine_factory
        self.history = history
        self.settings = settings
        self.cloud = cloud
        self._cloud_engine: CloudEngine | None = None

    def close(self) -> None:
        """Release the local model if this service loaded it."""
        engine, self._engine = self._engine, None
        if engine is not None and self._engine_factory is not None:
            close = getattr(engine, "close", None)
            if close is not None:
                close()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            assert self._engine_factory is not None
            self._engine = self._engine_factory()
        return self._engine

    # planning ----------------------------------------------------------------------------------

    def _history_messages(self, conversation_id: int | None) -> list[ChatMessage]:
        if conversation_id is None:
            return []
        self.history.get_conversation(conversation_id)  # NotFoundError before anything else
        return [
            {"role": m.role, "content": m.content}
            for m in self.history.messages(conversation_id)
            if m.role in ("user", "assistant") and m.content and m.status != "error"
        ]

    def _system(self) -> list[ChatMessage]:
        prompt = self.settings.system_prompt
        return [{"role": "system", "content": prompt}] if prompt.strip() else []

    def plan(self, request: TurnRequest) -> TurnPlan:
        """Decide where the turn runs and, for the cloud, what exactly would leave the device.

        Raises before anything is stored: EmptyPromptError, NotFoundError, and with Cloud forced,
        RouteUnavailableError when the cloud is impossible (offline, no key, budget, policy).
        """
        from hybrid_desktop.core.complexity import estimate

        if not request.prompt.strip():
            raise EmptyPromptError("The message is empty.")
        check_requested(request.route)
        history = self._history_messages(request.conversation_id)
        history_tokens = sum(len(m["content"]) for m in history) // 4
        complexity = estimate(request.prompt, history_tokens)
        settings = self.settings

        def planned(
            decision: RouteDecision, verdict: GateVerdict | None = None, vault: Vault | None = None
        ) -> TurnPlan:
            return TurnPlan(decision, verdict, vault, complexity.to_json(), history)

        cloud = self.cloud
        if cloud is None:
            if request.route == "cloud":
                raise RouteUnavailableError(
                    "The cloud tier is not available here.", "Ask with the route auto or local."
                )
            inputs = RouteInputs(request.route, complexity, offline_mode=settings.offline_mode)
            return planned(decide(inputs))
        cloud.network.offline_mode = settings.offline_mode
        engine = self._engine_for_cloud()
        inputs = RouteInputs(
            requested=request.route,
            complexity=complexity,
            network=cloud.network.state(),
            offline_mode=settings.offline_mode,
            has_key=engine is not None,
            cloud_model=settings.cloud_model,
            budget=self._budget(),
        )
        decision = decide(inputs)
        if decision.route != "cloud":
            return planned(decision)
        # The cloud is in question: now (and only now) look at the network and the privacy gate.
        inputs = replace(inputs, network=cloud.network.check())
        decision = decide(inputs)
        if decision.route != "cloud":
            return planned(decision)
        vault = self._vault(request.conversation_id)
        outgoing = [*self._system(), *history[-CLOUD_HISTORY_MESSAGES:]]
        outgoing.append({"role": "user", "content": request.prompt})
        verdict = cloud.gate.check(outgoing, vault, request.conversation_id)
        if verdict.blocked:
            inputs = replace(inputs, privacy="block", privacy_reason=verdict.reason)
        else:
            inputs = replace(inputs, privacy="send")
        decision = decide(inputs)
        if decision.route == "cloud":
            decision = replace(
                decision, signals={**decision.signals, "privacy_reason": verdict.reason}
            )
        return planned(decision, verdict, vault)

    def _engine_for_cloud(self) -> CloudEngine | None:
        if self._cloud_engine is None and self.cloud is not None:
            self._cloud_engine = self.cloud.make_engine()
        return self._cloud_engine

    def _budget(self) -> Any:
        from hybrid_desktop.storage.usage import UsageStore

        return UsageStore(self.history).budget(
            self.settings.daily_budget_usd, self.settings.monthly_budget_usd
        )

    def _vault(self, conversation_id: int | None) -> Vault:
        from hybrid_desktop.core.privacy.pseudonymize import Vault
        from hybrid_desktop.storage.privacy import PrivacyStore

        if conversation_id is None:
            return Vault()
        return PrivacyStore(self.history).load_vault(conversation_id)

    # answering ---------------------------------------------------------------------------------

    def ask(
        self,
        request: TurnRequest,
        on_text: Callable[[str], None] | None = None,
        on_notice: NoticeCallback | None = None,
        on_stored: Callable[[int], None] | None = None,
        plan: TurnPlan | None = None,
        on_fallback: Callable[[str], None] | None = None,
        on_route: Callable[[RouteDecision], None] | None = None,
    ) -> TurnResult:
        """Run one turn. Raises :class:`HybridDesktopError` before storing anything when the
        request is rejected, and :class:`TurnFailed` when it fails after the user's message was
        stored. ``on_stored`` gets the conversation id once the user's message is on disk;
        ``on_fallback`` hears when a failed cloud answer is replaced by a local one."""
        plan = plan or self.plan(request)
        if on_route is not None:
            on_route(plan.decision)
        notices: list[str] = []

        def notice(text: str) -> None:
            notices.append(text)
            if on_notice is not None:
                on_notice(text)

        fitted = None
        if plan.decision.route == "local":
            fitted = self._fit_local(
                request, plan
            )  # may raise ContextOverflowError: nothing stored
            if fitted.dropped_messages:
                notice(dropped_notice(fitted.dropped_messages, self.engine.n_ctx))

        conversation_id = request.conversation_id
        if conversation_id is None:
            conversation_id = self.history.create_conversation().id
        user_message = self.history.add_message(conversation_id, "user", request.prompt)
        if on_stored is not None:
            on_stored(conversation_id)

        if plan.decision.route == "cloud":
            try:
                return self._ask_cloud(
                    request, plan, conversation_id, user_message.id, on_text, notices
                )
            except CloudError as exc:
                if request.route == "cloud":
                    raise TurnFailed(exc, conversation_id) from exc
                why = exc.message.rstrip(".")
                fallback = f"Local: the cloud failed ({why}); answered on this device."
                notice(f"The cloud model failed: {exc.message} The local model answered instead.")
                if on_fallback is not None:
                    on_fallback(fallback)
                decision = RouteDecision("local", fallback, 0.0, plan.decision.signals)
                fitted = self._fit_local(request, plan)
                result = self._ask_local(
                    request, decision, fitted, conversation_id, user_message.id, on_text, notices
                )
                result.fallback = exc.message
                return result
        assert fitted is not None
        return self._ask_local(
            request, plan.decision, fitted, conversation_id, user_message.id, on_text, notices
        )

    def _fit_local(self, request: TurnRequest, plan: TurnPlan) -> Any:
        params = params_from(self.settings, request.max_tokens)
        return fit_to_context(
            self._system(),
            plan.history,
            {"role": "user", "content": request.prompt},
            self.engine.count_tokens,
            self.engine.n_ctx,
            params.max_tokens,
        )

    def _ask_local(
        self,
        request: TurnRequest,
        decision: RouteDecision,
        fitted: Any,
        conversation_id: int,
        user_message_id: int,
        on_text: Callable[[str], None] | None,
        notices: list[str],
    ) -> TurnResult:
        params = params_from(self.settings, request.max_tokens)
        streamed: list[str] = []

        def collect(text: str) -> None:
            streamed.append(text)
            if on_text is not None:
                on_text(text)

        try:
            result = self.engine.generate(
                fitted.messages,
                replace(params, max_tokens=fitted.max_new_tokens),
                on_text=collect,
                cancel=request.cancel,
            )
        except HybridDesktopError as exc:
            partial = "".join(streamed)
            if partial:
                self._store_answer(
                    conversation_id, partial, "error", decision, self.engine.name, GenerationStats()
                )
            raise TurnFailed(exc, conversation_id) from exc
        stats = result.stats
        status = "stopped" if stats.stop_reason == "cancelled" else "complete"
        if stats.stop_reason == "length" and fitted.max_new_tokens < params.max_tokens:
            notices.append("The answer stopped because the context window is full.")
        message_id = None
        if result.text or status == "complete":
            try:
                message_id = self._store_answer(
                    conversation_id, result.text, status, decision, self.engine.name, stats
                )
            except HybridDesktopError as exc:
                raise TurnFailed(exc, conversation_id) from exc
        return TurnResult(
            conversation_id=conversation_id,
            user_message_id=user_message_id,
            assistant_message_id=message_id,
            text=result.text,
            route="local",
            reason=decision.reason,
            model=self.engine.name,
            status=status,
            stats=stats,
            dropped_messages=fitted.dropped_messages,
            notices=notices,
        )

    def _ask_cloud(
        self,
        request: TurnRequest,
        plan: TurnPlan,
        conversation_id: int,
        user_message_id: int,
        on_text: Callable[[str], None] | None,
        notices: list[str],
    ) -> TurnResult:
        from hybrid_desktop.core.costs import cost_usd
        from hybrid_desktop.core.privacy.pseudonymize import StreamRestorer
        from hybrid_desktop.storage.privacy import PrivacyStore
        from hybrid_desktop.storage.usage import UsageStore

        assert self.cloud is not None and plan.verdict is not None and plan.vault is not None
        redacted = plan.verdict.redacted
        assert redacted is not None
        engine = self._engine_for_cloud()
        if engine is None:
            raise RouteUnavailableError("No cloud API key is set.")
        privacy = PrivacyStore(self.history)
        privacy.save_vault(conversation_id, plan.vault)
        # Written before anything leaves: a crash mid-request still leaves its record.
        audit_id = privacy.add_audit(
            self.cloud.destination,
            json.dumps(
                {"model": engine.model, "messages": list(redacted.messages)},
                ensure_ascii=False,
                indent=1,
            ),
            model=engine.model,
            conversation_id=conversation_id,
            entities=list(redacted.replacements),
        )
        restorer = StreamRestorer(plan.vault)
        shown: list[str] = []

        def restore(chunk: str) -> None:
            text = restorer.feed(chunk)
            if text:
                shown.append(text)
                if on_text is not None:
                    on_text(text)

        params = params_from(self.settings, request.max_tokens)
        usage = UsageStore(self.history)
        try:
            result = engine.generate(redacted, params, on_text=restore, cancel=request.cancel)
        except CloudError as exc:
            tail = restorer.flush()
            if tail:
                shown.append(tail)
                if on_text is not None:
                    on_text(tail)
            partial = "".join(shown)
            privacy.set_audit_status(audit_id, "failed", exc.message)
            usage.record(engine.model, 0, 0, 0.0, None, "failed", conversation_id)
            if partial:
                status = "partial" if request.route != "cloud" else "error"
                self._store_answer(
                    conversation_id,
                    partial,
                    status,
                    replace(plan.decision, reason=f"Cloud: {exc.message}"),
                    engine.model,
                    GenerationStats(stop_reason="error"),
                )
            raise
        tail = restorer.flush()
        if tail:
            shown.append(tail)
            if on_text is not None:
                on_text(tail)
        text = "".join(shown)
        stats = result.stats
        cost = cost_usd(engine.model, result.input_tokens, result.output_tokens)
        usage.record(
            engine.model,
            result.input_tokens,
            result.output_tokens,
            cost,
            stats.total_ms,
            "ok",
            conversation_id,
        )
        status = "stopped" if stats.stop_reason == "cancelled" else "complete"
        message_id = None
        if text or status == "complete":
            message_id = self._store_answer(
                conversation_id, text, status, plan.decision, engine.model, stats, cost
            )
        return TurnResult(
            conversation_id=conversation_id,
            user_message_id=user_message_id,
            assistant_message_id=message_id,
            text=text,
            route="cloud",
            reason=plan.decision.reason,
            model=engine.model,
            status=status,
            stats=stats,
            notices=notices,
            cost_usd=cost,
        )

    def _store_answer(
        self,
        conversation_id: int,
        text: str,
        status: str,
        decision: RouteDecision,
        model: str,
        stats: GenerationStats,
        cost: float = 0.0,
    ) -> int:
        meta = stats.to_json()
        if cost:
            meta["cost_usd"] = round(cost, 6)
        message = self.history.add_message(
            conversation_id,
            "assistant",
            text,
            status=status,
            route=decision.route,
            reason=decision.reason,
            model=model,
            meta=meta,
        )
        return message.id


def cloud_tier_from(
    settings: Settings,
    gate: PrivacyGate | None = None,
    network: NetworkMonitor | None = None,
) -> CloudTier:
    """The cloud tier as configured: key from the OS keyring (or ANTHROPIC_API_KEY), endpoint from
    Settings (or ANTHROPIC_BASE_URL). Nothing touches the network or the keyring until used."""
    from urllib.parse import urlsplit

    from hybrid_desktop.config.secrets import get_api_key
    from hybrid_desktop.core.engines.cloud import CloudEngine
    from hybrid_desktop.core.network import NetworkMonitor, endpoint_url
    from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy

    url = endpoint_url(settings.cloud_base_url or None)
    gate = gate or PrivacyGate(PrivacyPolicy.from_settings(settings))
    network = network or NetworkMonitor(url, timeout_s=min(3.0, settings.cloud_timeout_s))

    def make_engine() -> CloudEngine | None:
        key, _source = get_api_key()
        if not key:
            return None
        return CloudEngine(
            key,
            settings.cloud_model,
            base_url=settings.cloud_base_url or None,
            read_timeout_s=settings.cloud_timeout_s,
        )

    return CloudTier(gate, network, make_engine, destination=urlsplit(url).netloc or url)
