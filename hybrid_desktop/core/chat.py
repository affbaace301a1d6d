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

A full disk: a new conversation is created with its first message in one write, so a turn that
cannot be stored leaves nothing behind (and is refused before any model runs). An answer that
streamed but cannot be stored is kept in memory by the history (written once there is space)
and the result says so: ``saved`` False, with a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.capability import Tier, tier_of
from hybrid_desktop.core.cloud_tier import CloudTier, ask_cloud, cloud_tier_from, load_vault
from hybrid_desktop.core.context import ChatMessage, fit_to_context
from hybrid_desktop.core.costs import current_budget
from hybrid_desktop.core.edge_tier import EdgePlan, EdgeTier
from hybrid_desktop.core.edge_turns import edge_fallback, edge_turn
from hybrid_desktop.core.engines.base import Engine, GenerationStats
from hybrid_desktop.core.gguf import GGUFInfo, inspect_gguf
from hybrid_desktop.core.models import resolve_model_path
from hybrid_desktop.core.private import PrivateConversations, private_record
from hybrid_desktop.core.request_record import CLOUD_SERVER, TurnTrace, write_record
from hybrid_desktop.core.router import RouteDecision, RouteInputs, check_requested, decide
from hybrid_desktop.core.tokens import estimate_tokens
from hybrid_desktop.core.turns import (
    CLOUD_HISTORY_MESSAGES,
    LOW_CONFIDENCE,
    TurnFailed,
    TurnPlan,
    TurnRequest,
    TurnResult,
    dropped_notice,
    params_from,
)
from hybrid_desktop.errors import (
    CloudError,
    EmptyPromptError,
    HybridDesktopError,
    RouteUnavailableError,
)
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.privacy import PrivacyStore

if TYPE_CHECKING:
    from hybrid_desktop.core.engines.cloud import CloudEngine
    from hybrid_desktop.core.privacy.gate import GateVerdict
    from hybrid_desktop.core.privacy.pseudonymize import Vault

__all__ = [
    "LOW_CONFIDENCE",
    "ChatService",
    "CloudTier",
    "TurnFailed",
    "TurnPlan",
    "TurnRequest",
    "TurnResult",
    "cloud_tier_from",
    "params_from",
]

log = logging.getLogger(__name__)

#: Said with an answer that streamed but could not be stored.
UNSAVED_NOTICE = (
    "This answer could not be saved: the disk is full. Free some space on the disk that holds "
    "the data folder."
)

NoticeCallback = Callable[[str], None]


class ChatService:
    def __init__(
        self,
        engine: Engine | None,
        history: HistoryStore,
        settings: Settings,
        cloud: CloudTier | None = None,
        engine_factory: Callable[[], Engine] | None = None,
        edge: EdgeTier | None = None,
    ) -> None:
        """Pass ``engine``, or ``engine_factory`` to load the local model only when a turn needs it."""
        if engine is None and engine_factory is None:
            raise ValueError("a local engine or a factory for one is needed")
        self._engine = engine
        self._engine_factory = engine_factory
        self.history = history
        self.settings = settings
        self.cloud = cloud
        self.edge = edge
        self._tier_cache: tuple[tuple[Path, int], GGUFInfo | None] | None = None
        #: Answers of the current turn kept in memory because the disk was full.
        self._kept_unsaved = 0
        self._trace = TurnTrace("auto")
        #: "Don't keep" conversations (core.private); during one of their turns ``history`` is
        #: theirs, in memory, and ``ledger`` the history on disk.
        self.private = PrivateConversations()
        self.ledger: HistoryStore | None = None

    def update_settings(self, settings: Settings) -> None:
        """Settings that need no model reload (sampling, system prompt, budgets). The shared
        cloud tier is reconfigured once, by ``Services.update_settings``, not by each service."""
        self.settings = settings

    def set_engine(self, engine: Engine | None, unavailable: Callable[[], Engine] | None) -> None:
        """A newly loaded local model, or None and what to do when a turn needs one."""
        self._engine = engine
        self._engine_factory = unavailable if engine is None else None

    def close(self) -> None:
        """Release the local model if this service loaded it, and the private conversations."""
        self.private.close()
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

    def plan(self, request: TurnRequest, history: list[ChatMessage] | None = None) -> TurnPlan:
        with self.private.scope(self, request):
            return self._plan(request, history)

    def _plan(self, request: TurnRequest, history: list[ChatMessage] | None = None) -> TurnPlan:
        """Decide where the turn runs and, for the cloud, what exactly would leave the device.

        Raises before anything is stored: EmptyPromptError, NotFoundError, and with Cloud forced,
        RouteUnavailableError when the cloud is impossible (offline, no key, budget, policy).
        """
        from hybrid_desktop.core.complexity import estimate

        if not request.prompt.strip():
            raise EmptyPromptError("The message is empty.")
        check_requested(request.route)
        if history is None:
            history = self._history_messages(request.conversation_id)
        history_tokens = sum(estimate_tokens(m["content"]) for m in history)
        tier = self.tier()
        complexity = estimate(request.prompt, history_tokens, tier)
        settings = self.settings

        def planned(
            decision: RouteDecision,
            verdict: GateVerdict | None = None,
            vault: Vault | None = None,
            edge: EdgePlan | None = None,
        ) -> TurnPlan:
            return TurnPlan(decision, verdict, vault, complexity.to_json(), history, edge)

        edge_server, edge_option = None, None
        if (
            self.edge is not None
            and request.route in ("auto", "edge")
            and not settings.offline_mode
        ):
            edge_server, edge_option = self.edge.option(
                lambda t: not estimate(request.prompt, history_tokens, t).needs_cloud
            )
        cloud = self.cloud
        if cloud is None:
            if request.route == "cloud":
                raise RouteUnavailableError(
                    "The cloud tier is not available here.", "Ask with the route auto or local."
                )
            inputs = RouteInputs(
                request.route,
                complexity,
                offline_mode=settings.offline_mode,
                tier=tier,
                edge=edge_option,
            )
        else:
            cloud.network.offline_mode = settings.offline_mode
            engine = self._engine_for_cloud()
            busy = cloud.busy_reason() if request.route == "auto" else None
            inputs = RouteInputs(
                requested=request.route,
                complexity=complexity,
                network=cloud.network.state(),
                offline_mode=settings.offline_mode,
                has_key=engine is not None,
                cloud_model=settings.cloud_model,
                budget=self._budget(),
                tier=tier,
                local_tokens_per_s=cloud.network.local_tokens_per_s,
                edge=edge_option,
                cloud_busy=(busy or "").removeprefix("Local: ").rstrip("."),
            )
        decision = decide(inputs)
        outgoing = [*self._system(), *history[-CLOUD_HISTORY_MESSAGES:]]
        outgoing.append({"role": "user", "content": request.prompt})
        verdict: GateVerdict | None = None
        vault: Vault | None = None
        edge_plan: EdgePlan | None = None
        network_checked = cloud_checked = edge_checked = False
        # Each tier's facts are looked up only when the decision lands on it: the network probe
        # and the gate for the cloud, the gate under the server's trust for the edge.
        while True:
            if decision.route == "edge" and not edge_checked:
                assert self.edge is not None and edge_server is not None and edge_option
                edge_checked = True
                vault = vault or self._vault(request.conversation_id)
                edge_plan = self.edge.plan(edge_server, outgoing, vault, request.conversation_id)
                blocked = edge_plan.verdict is not None and edge_plan.verdict.blocked
                edge_option = replace(
                    edge_option,
                    privacy="block" if blocked else "send",
                    privacy_reason=edge_plan.verdict.reason if edge_plan.verdict else "",
                )
                if blocked:
                    edge_plan = None
                inputs = replace(inputs, edge=edge_option)
            elif decision.route == "cloud" and cloud is not None and not network_checked:
                network_checked = True
                inputs = replace(inputs, network=cloud.network.check())
            elif decision.route == "cloud" and cloud is not None and not cloud_checked:
                cloud_checked = True
                vault = vault or self._vault(request.conversation_id)
                verdict = cloud.gate.check(outgoing, vault, request.conversation_id)
                privacy = "block" if verdict.blocked else "send"
                inputs = replace(inputs, privacy=privacy, privacy_reason=verdict.reason)
            else:
                break
            decision = decide(inputs)
        if decision.route == "cloud" and verdict is not None:
            decision = replace(
                decision, signals={**decision.signals, "privacy_reason": verdict.reason}
            )
        return planned(decision, verdict, vault, edge_plan if decision.route == "edge" else None)

    def tier(self) -> Tier:
        """The capability tier of the local model: the loaded one, else the configured file's
        (its header only, read once per file); the smallest tier when neither can be read."""
        override = self.settings.local_tier or None
        info = getattr(self._engine, "info", None)
        if isinstance(info, GGUFInfo):
            return tier_of(info, override)
        try:
            path = resolve_model_path(self.settings.model_path)
            stamp = path.stat().st_mtime_ns
        except (HybridDesktopError, OSError):
            return tier_of(None, override)
        if self._tier_cache is None or self._tier_cache[0] != (path, stamp):
            try:
                info = inspect_gguf(path)
            except HybridDesktopError:
                info = None
            self._tier_cache = ((path, stamp), info)
        return tier_of(self._tier_cache[1], override)

    def _engine_for_cloud(self) -> CloudEngine | None:
        return self.cloud.engine() if self.cloud is not None else None

    def _budget(self) -> Any:
        return current_budget(
            self.ledger or self.history,
            self.settings.daily_budget_usd,
            self.settings.monthly_budget_usd,
        )

    def _vault(self, conversation_id: int | None) -> Vault:
        from hybrid_desktop.core.privacy.pseudonymize import Vault

        if conversation_id is None:
            return Vault()
        return load_vault(PrivacyStore(self.history), conversation_id)

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
        """Run one turn (see :meth:`_turn`); an answer the full disk kept from being stored is
        still returned, with ``saved`` False and a notice saying so."""
        self._kept_unsaved = 0
        self._trace = TurnTrace(request.route, private=request.private)
        with self.private.scope(self, request):
            try:
                result = self._turn(
                    request, on_text, on_notice, on_stored, plan, on_fallback, on_route
                )
            except TurnFailed as failed:
                self._record_failure(failed)
                raise
        if self._kept_unsaved:
            result.saved = False
            result.notices.append(UNSAVED_NOTICE)
        return result

    def _turn(
        self,
        request: TurnRequest,
        on_text: Callable[[str], None] | None,
        on_notice: NoticeCallback | None,
        on_stored: Callable[[int], None] | None,
        plan: TurnPlan | None,
        on_fallback: Callable[[str], None] | None,
        on_route: Callable[[RouteDecision], None] | None,
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

        if request.conversation_id is None:  # one write: no empty conversation if it fails
            user_message = self.history.start_conversation(request.prompt)
        else:
            user_message = self.history.add_message(request.conversation_id, "user", request.prompt)
        conversation_id = user_message.conversation_id
        trace = self._trace
        trace.user_message_id, trace.decision = user_message.id, plan.decision
        edge_verdict = plan.edge.verdict if plan.edge is not None else None
        trace.sent_to(plan.verdict or edge_verdict, private_trust=plan.edge is not None)
        if on_stored is not None:
            on_stored(conversation_id)

        planned = plan

        def local_instead(why: str, failure: str) -> TurnResult:
            notice(failure)
            if on_fallback is not None:
                on_fallback(why)
            decision = RouteDecision("local", why, 0.0, planned.decision.signals)
            trace.decision = decision
            result = self._ask_local(
                request,
                decision,
                self._fit_local(request, planned),
                conversation_id,
                user_message.id,
                on_text,
                notices,
            )
            return result

        if plan.decision.route == "cloud":
            try:
                assert self.cloud is not None
                return ask_cloud(
                    self.cloud,
                    self.history,
                    self.settings,
                    request,
                    plan,
                    conversation_id,
                    user_message.id,
                    on_text,
                    notices,
                    self._store_answer,
                    ledger=self.ledger,
                )
            except CloudError as exc:
                if request.route == "cloud":
                    raise TurnFailed(exc, conversation_id) from exc
                trace.fell_back("cloud", CLOUD_SERVER, exc.message)
                why = exc.message.rstrip(".")
                edge_plan = edge_fallback(self, request, plan)
                if edge_plan is not None:
                    name = edge_plan.server.name
                    reason = f"Edge ({name}): the cloud failed ({why}); answered by {name}."
                    notice(
                        f"The cloud model failed: {exc.message} The edge server {name} "
                        "answered instead."
                    )
                    if on_fallback is not None:
                        on_fallback(reason)
                    decision = RouteDecision(
                        "edge", reason, 0.0, {**plan.decision.signals, "edge_server": name}
                    )
                    plan = replace(plan, decision=decision, edge=edge_plan)
                    trace.decision = decision
                    trace.sent_to(edge_plan.verdict, private_trust=True)
                    result = edge_turn(
                        self,
                        request,
                        plan,
                        conversation_id,
                        user_message.id,
                        on_text,
                        notices,
                        local_instead,
                    )
                    result.fallback = result.fallback or exc.message
                    return result
                result = local_instead(
                    f"Local: the cloud failed ({why}); answered on this device.",
                    f"The cloud model failed: {exc.message} The local model answered instead.",
                )
                result.fallback = exc.message
                return result
        if plan.decision.route == "edge":
            return edge_turn(
                self,
                request,
                plan,
                conversation_id,
                user_message.id,
                on_text,
                notices,
                local_instead,
            )
        assert fitted is not None
        result = self._ask_local(
            request, plan.decision, fitted, conversation_id, user_message.id, on_text, notices
        )
        from hybrid_desktop.core.cascade import escalated

        return escalated(self, request, plan, result, on_text, notice) or result

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
        if self.cloud is not None and status == "complete":
            self.cloud.network.observe("local", stats.ttft_ms, stats.tokens_per_s)
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

    def _store_answer(
        self,
        conversation_id: int,
        text: str,
        status: str,
        decision: RouteDecision,
        model: str,
        stats: GenerationStats,
        cost: float = 0.0,
    ) -> int | None:
        """Store an answer; on a full disk it is kept in memory instead (None: no id yet)."""
        meta = stats.to_json()
        quantization = self.tier().quantization if decision.route == "local" else None
        record = self._trace.record(decision, model, stats, status, cost, quantization)
        if decision.route == "edge" and decision.signals.get("edge_server"):
            meta["edge_server"] = decision.signals["edge_server"]
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
            keep_if_full=True,
            request=record if self.ledger is None else None,
        )
        if self.ledger is not None:
            write_record(self.ledger, private_record(record))
        self._trace.stored = True
        if not message.saved:
            self._kept_unsaved += 1
            return None
        return message.id

    def _record_failure(self, failed: TurnFailed) -> None:
        """The record of a turn that failed with no answer kept (one with a partial answer has
        its record already)."""
        trace = self._trace
        if not trace.stored and trace.decision is not None:
            record = trace.record(trace.decision, "", GenerationStats(), "error", 0.0)
            record.update(model=None, conversation_id=failed.conversation_id)
            record = private_record(record) if trace.private else record
            write_record(self.ledger or self.history, record)
