"""The cloud route: the tier built once per app (gate, network monitor, client) and one cloud
answer, from the gate's redacted prompt to the restored, stored reply.

The client (an HTTP pool) and the API key are kept between turns. :meth:`CloudTier.configure`
rebuilds the client when the model, endpoint or deadlines change; :meth:`CloudTier.forget_key`
drops the key when it was changed or rejected, so the next turn reads the keyring again. With no
key, every plan asks the keyring once more (the user may have just set it from the CLI).

A 429 or 529 that says when to come back (``Retry-After``) is remembered: until then Auto does
not try the cloud (:meth:`CloudTier.busy_reason`), and says until when.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.costs import cost_usd
from hybrid_desktop.core.engines.base import GenerationStats
from hybrid_desktop.core.engines.cloud import CloudEngine, clock_time
from hybrid_desktop.core.network import NetworkMonitor, endpoint_url
from hybrid_desktop.core.router import RouteDecision
from hybrid_desktop.core.turns import TurnPlan, TurnRequest, TurnResult, params_from
from hybrid_desktop.errors import (
    CloudAuthError,
    CloudBusyError,
    CloudError,
    CloudPortalError,
    DiskFullError,
    RouteUnavailableError,
    StorageError,
)

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.gate import PrivacyGate
    from hybrid_desktop.core.privacy.pseudonymize import Vault
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.storage.privacy import PrivacyStore

log = logging.getLogger(__name__)

KeyReader = Callable[[], tuple[str | None, str]]
#: A connectivity probe gives up after this long at most (less when the cloud timeout is shorter).
PROBE_TIMEOUT_S = 3.0
#: Stores an answer: (conversation, text, status, decision, model, stats, cost) -> message id.
StoreAnswer = Callable[[int, str, str, RouteDecision, str, GenerationStats, float], int | None]


def _read_key() -> tuple[str | None, str]:
    from hybrid_desktop.config.secrets import get_api_key

    return get_api_key()


class CloudTier:
    """What the cloud route needs, built once and shared by the threads that answer."""

    def __init__(
        self,
        settings: Settings,
        gate: PrivacyGate,
        network: NetworkMonitor,
        read_key: KeyReader = _read_key,
    ) -> None:
        self.gate = gate
        self.network = network
        self._read_key = read_key
        self._lock = threading.Lock()
        self._key: str | None = None
        self._engine: CloudEngine | None = None
        #: Until when (``time.time()``) the service asked not to be sent requests, and why.
        self._busy_until = 0.0
        self._busy_why = ""
        self.settings = settings
        self.configure(settings)

    @property
    def destination(self) -> str:
        url = self.network.url
        return urlsplit(url).netloc or url

    def configure(self, settings: Settings) -> None:
        """New settings: point the monitor at the endpoint, rebuild the client if it changed."""
        old = self.settings
        with self._lock:
            self.settings = settings
            self.network.url = endpoint_url(settings.cloud_base_url or None)
            self.network.timeout_s = min(PROBE_TIMEOUT_S, settings.cloud_timeout_s)
            self.network.offline_mode = settings.offline_mode
            if _client_settings(old) != _client_settings(settings):
                self._engine = None
                self._busy_until = 0.0

    def forget_key(self) -> None:
        """The key was set, deleted or rejected: read it again before the next request."""
        with self._lock:
            self._key = None
            self._engine = None
            self._busy_until = 0.0

    def mark_busy(self, moment: float, why: str) -> None:
        """The service asked for no requests before ``moment`` (``time.time()``)."""
        with self._lock:
            self._busy_until, self._busy_why = moment, why

    def busy_reason(self) -> str | None:
        """Why Auto does not try the cloud now (the service asked to wait), or None."""
        with self._lock:
            until, why = self._busy_until, self._busy_why
        if time.time() >= until:
            return None
        return f"Local: the cloud is busy until {clock_time(until)} ({why})."

    def engine(self) -> CloudEngine | None:
        """The client, or None when no API key is set."""
        with self._lock:
            if self._engine is not None:
                return self._engine
            if self._key is None:
                self._key, _source = self._read_key()
            if not self._key:
                self._key = None
                return None
            settings = self.settings
            self._engine = CloudEngine(
                self._key,
                settings.cloud_model,
                base_url=settings.cloud_base_url or None,
                read_timeout_s=settings.cloud_timeout_s,
                first_token_s=settings.cloud_first_token_s or None,
                stall_s=settings.cloud_stall_s or None,
            )
            return self._engine


def _client_settings(settings: Settings) -> tuple[object, ...]:
    """The settings the client is built from: a change means a new client."""
    return (
        settings.cloud_model,
        settings.cloud_base_url,
        settings.cloud_timeout_s,
        settings.cloud_first_token_s,
        settings.cloud_stall_s,
    )


def load_vault(store: PrivacyStore, conversation_id: int) -> Vault:
    """A conversation's vault, built from its stored rows (empty if nothing was replaced yet)."""
    from hybrid_desktop.core.privacy.pseudonymize import Vault

    try:
        return Vault(store.vault_rows(conversation_id))
    except ValueError as exc:
        raise StorageError(
            f"The stored placeholders of conversation {conversation_id} are inconsistent: {exc}"
        ) from exc


def cloud_tier_from(
    settings: Settings,
    gate: PrivacyGate | None = None,
    network: NetworkMonitor | None = None,
    read_key: KeyReader = _read_key,
) -> CloudTier:
    """The cloud tier as configured: key from the OS keyring (or ANTHROPIC_API_KEY), endpoint from
    Settings (or ANTHROPIC_BASE_URL). Nothing touches the network or the keyring until used."""
    from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy

    url = endpoint_url(settings.cloud_base_url or None)
    gate = gate or PrivacyGate(PrivacyPolicy.from_settings(settings))
    network = network or NetworkMonitor(
        url, timeout_s=min(PROBE_TIMEOUT_S, settings.cloud_timeout_s)
    )
    return CloudTier(settings, gate, network, read_key)


def ask_cloud(
    tier: CloudTier,
    history: HistoryStore,
    settings: Settings,
    request: TurnRequest,
    plan: TurnPlan,
    conversation_id: int,
    user_message_id: int,
    on_text: Callable[[str], None] | None,
    notices: list[str],
    store_answer: StoreAnswer,
    ledger: HistoryStore | None = None,
) -> TurnResult:
    """One cloud answer: the vault and the audit record first, then the redacted request, the
    reply restored on the device as it streams, usage and the answer stored at the end.

    ``ledger``: for a private conversation (kept in memory, ``history``), the history on disk that
    gets the audit record and the usage row, with no conversation id."""
    from hybrid_desktop.storage.privacy import PrivacyStore
    from hybrid_desktop.storage.usage import UsageStore

    assert plan.verdict is not None and plan.vault is not None
    redacted = plan.verdict.redacted
    assert redacted is not None
    engine = tier.engine()
    if engine is None:
        raise RouteUnavailableError("No cloud API key is set.")
    privacy = PrivacyStore(history)
    privacy.save_vault(conversation_id, plan.vault)
    kept_id: int | None = conversation_id if ledger is None else None
    audit = PrivacyStore(ledger) if ledger is not None else privacy
    # Written before anything leaves: a crash mid-request still leaves its record.
    audit_id = audit.add_audit(
        tier.destination,
        json.dumps(
            {"model": engine.model, "messages": list(redacted.messages)},
            ensure_ascii=False,
            indent=1,
        ),
        model=engine.model,
        conversation_id=kept_id,
        entities=list(redacted.replacements),
    )
    from hybrid_desktop.core.privacy.pseudonymize import StreamRestorer

    restorer = StreamRestorer(plan.vault)
    shown: list[str] = []

    def show(text: str) -> None:
        if text:
            shown.append(text)
            if on_text is not None:
                on_text(text)

    params = params_from(settings, request.max_tokens)
    usage = UsageStore(ledger or history)
    try:
        result = engine.generate(
            redacted,
            params,
            on_text=lambda chunk: show(restorer.feed(chunk)),
            cancel=request.cancel,
        )
    except CloudError as exc:
        if isinstance(exc, CloudAuthError):
            tier.forget_key()
        if isinstance(exc, CloudPortalError):  # the next turns stay local without trying
            tier.network.mark_portal(exc.message)
        if isinstance(exc, CloudBusyError) and exc.retry_after_s:
            why = "rate limit, 429" if exc.status == 429 else f"overloaded, {exc.status}"
            tier.mark_busy(time.time() + exc.retry_after_s, why)
        show(restorer.flush())
        partial = "".join(shown)
        audit.set_audit_status(audit_id, "failed", exc.message)
        _record_usage(usage, notices, engine.model, 0, 0, 0.0, None, "failed", kept_id)
        if partial:
            status = "partial" if request.route != "cloud" else "error"
            store_answer(
                conversation_id,
                partial,
                status,
                replace(plan.decision, reason=f"Cloud: {exc.message}"),
                engine.model,
                GenerationStats(stop_reason="error"),
                0.0,
            )
        raise
    show(restorer.flush())
    text = "".join(shown)
    stats = result.stats
    cost = cost_usd(engine.model, result.input_tokens, result.output_tokens)
    status = "stopped" if stats.stop_reason == "cancelled" else "complete"
    if status == "complete":
        tier.network.observe("cloud", stats.ttft_ms, stats.tokens_per_s)
        tier.mark_busy(0.0, "")  # it answered: whatever it said before no longer holds
    message_id = None
    if text or status == "complete":
        # The answer first: on a full disk it is kept in memory, and a usage row must not fail
        # before it and lose it.
        message_id = store_answer(
            conversation_id, text, status, plan.decision, engine.model, stats, cost
        )
    _record_usage(
        usage,
        notices,
        engine.model,
        result.input_tokens,
        result.output_tokens,
        cost,
        stats.total_ms,
        "ok",
        kept_id,
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


def _record_usage(usage: Any, notices: list[str], model: str, *args: Any) -> None:
    """The usage row of a cloud request; on a full disk it is skipped with a notice (the answer
    is what the user needs kept, and it is kept first)."""
    try:
        usage.record(model, *args)
    except DiskFullError:
        log.warning("usage of a %s request not recorded: the disk is full", model)
        notices.append("The cost of this answer was not recorded: the disk is full.")
