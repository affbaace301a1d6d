"""The edge route: the configured servers, which one a request may use now, and one answer from
it, from what the server's trust level lets out to the restored, stored reply.

Kept between turns (one per app, shared by the threads that answer): a client per server, the
model each one serves, what its answers measured (first token, decode speed), and a **cool-down**
per server. A server that failed is not asked again for ``edge_cooldown_s``; after that it is
asked only when its health check says it is ready (health-aware retry), and a server still
loading its model stays cooled down.

Trust (config/edge.py): ``private`` sends the conversation as it is, ``organisation`` applies the
gate with ``edge_org_actions``, ``external`` applies the user's own (cloud) policy. Whatever it
is, every request is written to the audit log before it leaves: destination, model and exactly
what was sent.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from hybrid_desktop.config.edge import EdgeServer
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.capability import TIERS, Tier
from hybrid_desktop.core.engines.base import GenerationStats
from hybrid_desktop.core.router import EdgeOption, RouteDecision
from hybrid_desktop.core.turns import TurnPlan, TurnRequest, TurnResult, params_from
from hybrid_desktop.errors import CloudError, DiskFullError, EdgeError

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.gate import GateVerdict, PrivacyGate, PrivacyPolicy
    from hybrid_desktop.core.privacy.pseudonymize import Vault
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)

KeyReader = Callable[[str], "str | None"]
#: Stores an answer: (conversation, text, status, decision, model, stats, cost, meta) -> id.
StoreAnswer = Callable[..., "int | None"]
#: A health check on the request path gives up after this long.
HEALTH_TIMEOUT_S = 1.5
_SIZE_IN_NAME = re.compile(r"(?i)(?<![a-z0-9.])(\d+(?:\.\d+)?)\s*b(?![a-z])")


def _read_key(name: str) -> str | None:
    from hybrid_desktop.config.secrets import get_edge_key

    return get_edge_key(name)


def edge_tier_of(server: EdgeServer, model: str) -> Tier:
    """The server model's tier: as set, else from a size in its name ("llama-3.1-70b"), else large
    (an edge server is there to run a bigger model than the laptop's)."""
    names = [t[0] for t in TIERS]
    size = None
    match = _SIZE_IN_NAME.search(model.replace("_", "-"))
    if match:
        size = float(match.group(1))
    if server.tier:
        level = names.index(server.tier)
    elif size is not None:
        level = max(i for i, (_n, smallest, _s) in enumerate(TIERS) if size >= smallest)
    else:
        level = len(TIERS) - 1
    name, _smallest, shift = TIERS[level]
    return Tier(name, level, shift, size)


@dataclass
class _State:
    """What the tier knows of one server between turns."""

    model: str = ""
    cooled_until: float = 0.0
    cooled_why: str = ""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    tokens_per_s: float | None = None
    engine: Any = None


@dataclass(frozen=True)
class EdgePlan:
    """The edge side of a turn's plan: the server, and what the gate made of the request
    (None for a server trusted as private: the conversation goes as it is)."""

    server: EdgeServer
    model: str
    verdict: GateVerdict | None
    messages: tuple[dict[str, str], ...]


class EdgeTier:
    """The configured edge servers, shared by the threads that answer."""

    def __init__(
        self,
        settings: Settings,
        gate: PrivacyGate,
        read_key: KeyReader = _read_key,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gate = gate
        self._read_key = read_key
        self._clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, _State] = {}
        self.settings = settings
        self.configure(settings)

    def configure(self, settings: Settings) -> None:
        """New settings: servers that changed get a new client; removed ones are forgotten."""
        with self._lock:
            old = {s.name: s for s in self.settings.edge()}
            self.settings = settings
            current = {s.name: s for s in settings.edge()}
            for name in list(self._states):
                if name not in current or current[name] != old.get(name):
                    del self._states[name]

    def servers(self) -> list[EdgeServer]:
        """The servers that are switched on, in the order the user listed them."""
        return [s for s in self.settings.edge() if s.enabled]

    def server(self, name: str) -> EdgeServer | None:
        return next((s for s in self.settings.edge() if s.name.lower() == name.lower()), None)

    def _state(self, name: str) -> _State:
        with self._lock:
            return self._states.setdefault(name, _State())

    # health and cool-down --------------------------------------------------------------------

    def cooled(self, server: EdgeServer) -> str | None:
        """Why ``server`` is not to be asked now, or None. Past its cool-down, its health is
        checked once: ready ends the cool-down, anything else starts another."""
        state = self._state(server.name)
        now = self._clock()
        if state.cooled_until == 0.0:
            return None
        if now < state.cooled_until:
            left = max(1, round(state.cooled_until - now))
            return f"the edge server {server.name} failed ({state.cooled_why}); retried in {left} s"
        from hybrid_desktop.core.edge.discovery import health

        checked = health(server, self._key(server), timeout_s=HEALTH_TIMEOUT_S)
        if checked.status == "ok":
            state.cooled_until, state.cooled_why = 0.0, ""
            state.latency_ms = checked.latency_ms
            return None
        self.cool_down(server, checked.detail)
        return f"the edge server {server.name} is not ready ({checked.detail})"

    def cool_down(self, server: EdgeServer, why: str) -> None:
        state = self._state(server.name)
        state.cooled_until = self._clock() + self.settings.edge_cooldown_s
        state.cooled_why = why.rstrip(".")
        state.engine = None  # a fresh connection next time

    def observe(self, server: EdgeServer, stats: GenerationStats) -> None:
        """A complete answer: its first token and speed inform the next decisions."""
        state = self._state(server.name)
        if stats.ttft_ms:
            state.ttft_ms = _average(state.ttft_ms, stats.ttft_ms)
        if stats.tokens_per_s:
            state.tokens_per_s = _average(state.tokens_per_s, stats.tokens_per_s)

    # choosing --------------------------------------------------------------------------------

    def option(
        self, within: Callable[[Tier], bool], wanted: str | None = None
    ) -> tuple[EdgeServer | None, EdgeOption | None]:
        """The server a request would use (the first one switched on that is not cooling down;
        ``wanted`` names one) and what the router needs to know of it. ``within`` says whether
        the task is within a tier."""
        servers = self.servers()
        if wanted:
            servers = [s for s in servers if s.name.lower() == wanted.lower()]
        if not servers:
            return None, None
        first_why = None
        for server in servers:
            why = self.cooled(server)
            if why is None:
                return server, self._option(server, within)
            first_why = first_why or why
        server = servers[0]
        return server, replace(self._option(server, within), unavailable=first_why)

    def _option(self, server: EdgeServer, within: Callable[[Tier], bool]) -> EdgeOption:
        state = self._state(server.name)
        model = server.model or state.model
        tier = edge_tier_of(server, model)
        return EdgeOption(
            name=server.name,
            tier=tier,
            within_tier=within(tier),
            model=model,
            trust=server.trust,
            price_in_per_mtok=server.price_in_per_mtok,
            price_out_per_mtok=server.price_out_per_mtok,
            latency_ms=state.latency_ms,
            ttft_ms=state.ttft_ms,
            tokens_per_s=state.tokens_per_s,
        )

    def policy(self, server: EdgeServer) -> PrivacyPolicy | None:
        """The gate's policy for ``server`` (None: trusted as private, no gate)."""
        from hybrid_desktop.core.privacy.gate import PrivacyPolicy

        if server.trust == "private":
            return None
        own = PrivacyPolicy.from_settings(self.settings)
        if server.trust == "organisation":
            return replace(own, actions=dict(self.settings.edge_org_actions))
        return own  # external: the user's own policy, as for the cloud

    def plan(
        self,
        server: EdgeServer,
        outgoing: list[dict[str, str]],
        vault: Vault,
        conversation_id: int | None,
    ) -> EdgePlan:
        """What would leave for ``server``: the gate's verdict under its trust level."""
        from hybrid_desktop.core.privacy.gate import PrivacyPolicy

        model = server.model or self._state(server.name).model
        if server.trust == "private":
            if self.settings.never_send:  # the switch holds for every destination
                own = PrivacyPolicy.from_settings(self.settings)
                verdict = self.gate.check(outgoing, vault, conversation_id, policy=own)
                return EdgePlan(server, model, verdict, ())
            return EdgePlan(server, model, None, tuple(outgoing))
        verdict = self.gate.check(outgoing, vault, conversation_id, policy=self.policy(server))
        sent = tuple(verdict.redacted.messages) if verdict.redacted is not None else ()
        return EdgePlan(server, model, verdict, sent)

    # answering -------------------------------------------------------------------------------

    def _key(self, server: EdgeServer) -> str | None:
        return self._read_key(server.name) if server.has_key else None

    def engine(self, server: EdgeServer) -> Any:
        """The client for ``server`` (built once; again after a failure)."""
        state = self._state(server.name)
        if state.engine is not None:
            return state.engine
        timeout = self.settings.edge_timeout_s
        key = self._key(server)
        model = server.model or state.model
        if server.protocol == "anthropic":
            from hybrid_desktop.core.engines.cloud import CloudEngine

            engine: Any = CloudEngine(
                key or "no-key",
                model or "default",
                base_url=server.base_url,
                read_timeout_s=timeout,
            )
        else:
            from hybrid_desktop.core.engines.edge_openai import OpenAIEdgeEngine

            engine = OpenAIEdgeEngine(server, key, model, timeout, timeout)
            if not model:  # the first model the server lists
                state.model = model = _first_model(engine, server)
                engine.model = model
        state.engine = engine
        return engine


def _first_model(engine: Any, server: EdgeServer) -> str:
    models = engine.list_models()
    if not models:
        raise EdgeError(
            f"The edge server {server.name} lists no models.",
            "Load a model on the server, or choose one in Settings → Edge.",
            kind="request",
            server=server.name,
        )
    return str(models[0])


def _average(old: float | None, new: float, weight: float = 0.5) -> float:
    return new if old is None else old * (1 - weight) + new * weight


def _as_edge_error(exc: CloudError, server: EdgeServer) -> EdgeError:
    """A failure of the Messages client (the anthropic protocol) told as the edge server's."""
    if isinstance(exc, EdgeError):
        return exc
    who = f"the edge server {server.name}"
    message = exc.message.replace("The cloud service", who[0].upper() + who[1:])
    message = message.replace("the cloud service", who).replace("The cloud", who.capitalize())
    kinds = {
        "CloudTimeoutError": "timeout",
        "CloudStreamCutError": "cut",
        "CloudServerError": "server",
        "CloudAuthError": "auth",
        "CloudBusyError": "busy",
        "CloudRequestError": "request",
    }
    kind = kinds.get(type(exc).__name__, "connection")
    if kind == "busy" and getattr(exc, "status", None) == 503:
        kind = "loading"
    return EdgeError(message, None, partial=exc.partial, kind=kind, server=server.name)


def ask_edge(
    tier: EdgeTier,
    history: HistoryStore,
    settings: Settings,
    request: TurnRequest,
    plan: TurnPlan,
    edge: EdgePlan,
    decision: RouteDecision,
    conversation_id: int,
    user_message_id: int,
    on_text: Callable[[str], None] | None,
    notices: list[str],
    store_answer: StoreAnswer,
    ledger: HistoryStore | None = None,
) -> TurnResult:
    """One edge answer: the vault and the audit record first, then the request, the reply
    restored on the device as it streams, the answer stored at the end. Raises EdgeError (the
    server is cooled down, any partial answer kept). ``ledger``: as for ``ask_cloud``."""
    from hybrid_desktop.core.privacy.pseudonymize import StreamRestorer, Vault
    from hybrid_desktop.storage.privacy import PrivacyStore

    server = edge.server
    privacy = PrivacyStore(history)
    audit = PrivacyStore(ledger) if ledger is not None else privacy
    kept_id: int | None = conversation_id if ledger is None else None
    try:
        engine = tier.engine(server)
    except EdgeError as exc:
        tier.cool_down(server, exc.message)
        raise
    verdict = edge.verdict
    redacted = verdict.redacted if verdict is not None else None
    if redacted is not None and plan.vault is not None:
        privacy.save_vault(conversation_id, plan.vault)
        vault = plan.vault
    else:
        vault = Vault()
    messages = [dict(m) for m in edge.messages]
    if redacted is not None and redacted.replacements and server.protocol == "openai":
        messages = _with_placeholder_note(messages)
    audit_id = audit.add_audit(
        server.host,
        json.dumps(
            {
                "server": server.name,
                "trust": server.trust,
                "model": engine.model,
                "messages": messages,
            },
            ensure_ascii=False,
            indent=1,
        ),
        model=engine.model,
        conversation_id=kept_id,
        entities=list(redacted.replacements) if redacted is not None else [],
    )
    restorer = StreamRestorer(vault)
    shown: list[str] = []

    def show(text: str) -> None:
        if text:
            shown.append(text)
            if on_text is not None:
                on_text(text)

    params = params_from(settings, request.max_tokens)
    try:
        if server.protocol == "anthropic":
            prompt = redacted if redacted is not None else tier.gate.pass_through(messages)
            try:
                result = engine.generate(
                    prompt, params, on_text=lambda c: show(restorer.feed(c)), cancel=request.cancel
                )
            except CloudError as exc:
                raise _as_edge_error(exc, server) from exc
        else:
            result = engine.generate(
                messages, params, on_text=lambda c: show(restorer.feed(c)), cancel=request.cancel
            )
    except EdgeError as exc:
        tier.cool_down(server, exc.message)
        show(restorer.flush())
        partial = "".join(shown)
        audit.set_audit_status(audit_id, "failed", exc.message)
        if partial:
            status = "partial" if request.route != "edge" else "error"
            store_answer(
                conversation_id,
                partial,
                status,
                replace(decision, reason=f"Edge ({server.name}): {exc.message}"),
                engine.model,
                GenerationStats(stop_reason="error"),
                0.0,
            )
        raise
    show(restorer.flush())
    text = "".join(shown)
    stats = result.stats
    status = "stopped" if stats.stop_reason == "cancelled" else "complete"
    if status == "complete":
        tier.observe(server, stats)
    cost = (
        result.input_tokens * server.price_in_per_mtok
        + result.output_tokens * server.price_out_per_mtok
    ) / 1e6
    message_id = None
    if text or status == "complete":
        message_id = store_answer(
            conversation_id, text, status, decision, engine.model, stats, cost
        )
    if cost:
        _record_usage(
            ledger or history, notices, engine.model, server, result, cost, stats, kept_id
        )
    return TurnResult(
        conversation_id=conversation_id,
        user_message_id=user_message_id,
        assistant_message_id=message_id,
        text=text,
        route="edge",
        reason=decision.reason,
        model=engine.model,
        status=status,
        stats=stats,
        notices=notices,
        cost_usd=cost,
        edge_server=server.name,
    )


def _with_placeholder_note(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The note the cloud gets too (keep placeholders as written), in the system message. The
    Messages client adds it itself."""
    from hybrid_desktop.core.engines.cloud import PLACEHOLDER_NOTE

    if messages and messages[0]["role"] == "system":
        first = {"role": "system", "content": f"{messages[0]['content']}\n\n{PLACEHOLDER_NOTE}"}
        return [first, *messages[1:]]
    return [{"role": "system", "content": PLACEHOLDER_NOTE}, *messages]


def _record_usage(
    history: HistoryStore,
    notices: list[str],
    model: str,
    server: EdgeServer,
    result: Any,
    cost: float,
    stats: GenerationStats,
    conversation_id: int | None,
) -> None:
    """A priced edge request counts against the budget like a cloud one."""
    from hybrid_desktop.storage.usage import UsageStore

    try:
        UsageStore(history).record(
            f"{model} @ {server.name}",
            result.input_tokens,
            result.output_tokens,
            cost,
            stats.total_ms,
            "ok",
            conversation_id,
        )
    except DiskFullError:
        log.warning("usage of an edge request not recorded: the disk is full")
        notices.append("The cost of this answer was not recorded: the disk is full.")
