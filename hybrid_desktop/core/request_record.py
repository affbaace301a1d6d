"""The request record of a turn (``storage.requests``): what the chat service writes with each answer.

A :class:`TurnTrace` follows one turn: the route the user asked for, the prompt's message, the
privacy gate's verdict for the tier that was sent the request, the fallbacks taken on the way
and whether the cascade asked the cloud too. :meth:`TurnTrace.record` turns it, with the answer's
decision and figures, into the row stored in the same transaction as the answer.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.costs import PRICES
from hybrid_desktop.errors import HybridDesktopError

if TYPE_CHECKING:
    from hybrid_desktop.core.engines.base import GenerationStats
    from hybrid_desktop.core.privacy.gate import GateVerdict
    from hybrid_desktop.core.router import RouteDecision
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)

#: The ``server`` of a local and of a cloud record.
THIS_DEVICE = "this device"
CLOUD_SERVER = "anthropic"


def cost_source(route: str, model: str, signals: dict[str, Any], cost: float) -> str:
    """``priced`` (a price we know was applied), ``local_zero_cost`` (this device, or an edge
    server the user gave no price: their own hardware) or ``unpriced`` (a cloud model missing from
    the price table: its cost is an estimate at the highest price)."""
    if route == "local":
        return "local_zero_cost"
    if route == "edge":
        edge = signals.get("edge") or {}
        priced = bool(edge.get("price_in_per_mtok") or edge.get("price_out_per_mtok") or cost)
        return "priced" if priced else "local_zero_cost"
    known = any(model.startswith(prefix) for prefix in PRICES)
    return "priced" if known else "unpriced"


def _kept_local_by_policy(decision: RouteDecision) -> bool:
    if decision.route != "local":
        return False
    signals = decision.signals
    edge = signals.get("edge") or {}
    return signals.get("privacy") == "block" or edge.get("privacy") == "block"


@dataclass
class TurnTrace:
    """What one turn did on its way to an answer, for its request records."""

    requested: str
    user_message_id: int | None = None
    #: The gate's verdict for the tier the request went to (None: no gate ran).
    verdict: GateVerdict | None = None
    #: True when the request went to an edge server trusted as private (no gate by design).
    private_trust: bool = False
    fallbacks: list[dict[str, Any]] = field(default_factory=list)
    escalated: bool = False
    #: A "don't keep" conversation: its records carry no ids.
    private: bool = False
    #: The decision the turn ran on last (for the record of a turn that failed).
    decision: RouteDecision | None = None
    #: Whether an answer (and so a record) of this turn was stored.
    stored: bool = False

    def sent_to(self, verdict: GateVerdict | None, *, private_trust: bool = False) -> None:
        self.verdict, self.private_trust = verdict, private_trust

    def fell_back(self, route: str, server: str | None, error: str) -> None:
        self.fallbacks.append({"route": route, "server": server, "error": error})

    def _gate(self) -> tuple[dict[str, int], str]:
        verdict = self.verdict
        if verdict is None:
            return {}, ("private" if self.private_trust else "none")
        pii = dict(Counter(f.type for f in verdict.findings))
        if verdict.blocked:
            return pii, "blocked"
        return pii, ("redacted" if verdict.replaced else "sent")

    def record(
        self,
        decision: RouteDecision,
        model: str,
        stats: GenerationStats,
        status: str,
        cost: float,
        quantization: str | None = None,
    ) -> dict[str, Any]:
        signals = decision.signals
        pii, action = self._gate()
        if decision.route == "local" and _kept_local_by_policy(decision):
            action = "blocked"
        server = {"local": THIS_DEVICE, "cloud": CLOUD_SERVER}.get(
            decision.route, signals.get("edge_server")
        )
        return {
            "user_message_id": None if self.private else self.user_message_id,
            "route": decision.route,
            "requested": self.requested,
            "server": server,
            "model": model,
            "quantization": quantization if decision.route == "local" else None,
            "reason": decision.reason,
            "signals": signals,
            "fallbacks": list(self.fallbacks),
            "escalated": self.escalated,
            "prompt_tokens": stats.prompt_tokens,
            "completion_tokens": stats.completion_tokens,
            "cached_tokens": stats.cached_tokens,
            "ttft_ms": round(stats.ttft_ms, 2) if stats.ttft_ms else None,
            "latency_ms": round(stats.total_ms, 2) if stats.total_ms else None,
            "tokens_per_s": round(stats.tokens_per_s, 2) if stats.tokens_per_s else None,
            "cost_usd": round(cost, 8),
            "cost_source": cost_source(decision.route, model, signals, cost),
            "pii": pii,
            "gate_action": action,
            "kept_local_by_policy": _kept_local_by_policy(decision),
            "status": status,
            "complexity": signals.get("complexity"),
            "category": signals.get("category"),
            "private": self.private,
        }


def write_record(history: HistoryStore, record: dict[str, Any]) -> None:
    """A record written on its own (not with an answer); one that cannot be written (a full
    disk) is logged, never in the turn's way."""
    from hybrid_desktop.storage.requests import RequestStore

    try:
        RequestStore(history).record(record)
    except HybridDesktopError:
        log.warning("a request record was not written", exc_info=True)
