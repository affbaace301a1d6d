"""Where a request runs, local, edge or cloud, and why: one sentence the user sees on the answer.

The router weighs, in this order:

1. **the user's choice** for the message: Local, Edge, Cloud or Auto;
2. **Offline mode** (a hard switch) and whether a cloud API key is set;
3. **complexity**, estimated on the device in about a millisecond by a fitted model
   (:mod:`hybrid_desktop.core.complexity`), for the loaded local model's capability tier
   (:mod:`hybrid_desktop.core.capability`): what that model does well stays local;
4. **the network**: offline or unreachable means local, and so does a captive portal (the probe
   found a sign-in page where the API should answer: the cloud is not tried); on a slow link (a long round trip, a
   slow first token or slow tokens seen on real answers) borderline work stays local when the
   local answer is expected sooner;
5. **cost**: the request's estimated price against the daily and monthly caps;
6. **privacy**: when the gate's verdict is "block", the request stays local.

The middle tier (router v2): an **edge server** on the user's network (:class:`EdgeOption`). A
task too hard for the local model but within the edge model's tier goes to the edge before the
cloud; a task beyond both goes to the cloud, and to the edge when the cloud cannot take it. The
edge is free or has the price per token the user entered (budgets count it), its measured speed
counts as the cloud's does, and its own privacy verdict (the server's trust level) applies.
Reasons name the server: ``Edge (office-gpu): code review; $0``.

Every decision carries its reason, e.g. ``Cloud: multi-step maths; est. $0.004`` or
``Local: offline``. With Cloud forced, a condition that prevents the cloud is an error the caller
reports (non-zero exit in the CLI), never a silent local answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.costs import Budget, cost_usd, format_cost
from hybrid_desktop.domain import ROUTES
from hybrid_desktop.errors import RouteUnavailableError

if TYPE_CHECKING:
    from hybrid_desktop.core.capability import Tier
    from hybrid_desktop.core.complexity import Complexity
    from hybrid_desktop.core.network import NetworkState

#: A cloud verdict with a score below this is borderline: a slow link may keep it local.
BORDERLINE_SCORE = 0.75
#: A round trip this long, or a first token this late, makes a link slow.
SLOW_RTT_MS = 600.0
SLOW_TTFT_MS = 4000.0
#: Assumed until real answers were seen: the cloud's first token and speed, the local speed.
DEFAULT_CLOUD_TTFT_MS = 1500.0
DEFAULT_CLOUD_TOKENS_PER_S = 60.0
DEFAULT_LOCAL_TOKENS_PER_S = 20.0
#: Assumed for an edge server until its answers were seen.
DEFAULT_EDGE_TTFT_MS = 500.0
DEFAULT_EDGE_TOKENS_PER_S = 30.0


@dataclass(frozen=True)
class EdgeOption:
    """The edge server the router may choose, as the chat service found it for this request."""

    name: str
    #: The server model's capability tier, and whether this task is within it (the complexity
    #: estimate for that tier says it needs nothing bigger).
    tier: Tier
    within_tier: bool
    model: str = ""
    trust: str = "organisation"
    #: US dollars per million tokens (0: free).
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    #: Measured: the round trip of its health check, first token and decode speed of answers.
    latency_ms: float | None = None
    ttft_ms: float | None = None
    tokens_per_s: float | None = None
    #: Why it cannot be used now (cooling down after a failure, loading, unreachable), or None.
    unavailable: str | None = None
    #: The gate's verdict under the server's trust level: send, block, or None (not checked yet).
    privacy: str | None = None
    privacy_reason: str = ""

    def cost(self, prompt_tokens: int, output_tokens: int) -> float:
        return (
            prompt_tokens * self.price_in_per_mtok + output_tokens * self.price_out_per_mtok
        ) / 1e6

    def eta_seconds(self, output_tokens: int) -> float:
        rtt = (self.latency_ms or 0.0) / 1000
        ttft = (self.ttft_ms or DEFAULT_EDGE_TTFT_MS) / 1000
        return rtt + ttft + max(1, output_tokens) / (self.tokens_per_s or DEFAULT_EDGE_TOKENS_PER_S)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "model": self.model,
            "trust": self.trust,
            "tier": self.tier.to_json(),
            "within_tier": self.within_tier,
            "price_in_per_mtok": self.price_in_per_mtok,
            "price_out_per_mtok": self.price_out_per_mtok,
            "latency_ms": self.latency_ms,
            "ttft_ms": self.ttft_ms,
            "tokens_per_s": self.tokens_per_s,
            "unavailable": self.unavailable,
            "privacy": self.privacy,
        }


@dataclass(frozen=True)
class RouteDecision:
    route: str
    reason: str
    #: Estimated cloud cost of this request in USD (0 for local).
    est_cost_usd: float = 0.0
    #: The inputs the decision used, for ``route --json`` and the badge tooltip.
    signals: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RouteInputs:
    requested: str
    complexity: Complexity
    network: NetworkState | None = None
    offline_mode: bool = False
    has_key: bool = False
    cloud_model: str = "claude-sonnet-5-5"
    budget: Budget = field(default_factory=Budget)
    #: The privacy gate's verdict when known: ``send``, ``block``, or None (not checked yet).
    privacy: str | None = None
    privacy_reason: str = ""
    #: The loaded local model's capability tier (None: unknown).
    tier: Tier | None = None
    #: The local model's decode speed measured on this machine (None: not measured yet).
    local_tokens_per_s: float | None = None
    #: The edge server in question (None: none configured, or all disabled).
    edge: EdgeOption | None = None
    #: Why the cloud asked not to be sent requests now (Retry-After), or "".
    cloud_busy: str = ""


def eta_seconds(inputs: RouteInputs) -> tuple[float, float]:
    """Expected seconds to a complete answer: (local, cloud).

    Local: the expected tokens at the speed measured on this machine. Cloud: the round trip, the
    time to first token and the tokens at the speed seen on real answers (defaults until then).
    """
    out = max(1, inputs.complexity.est_output_tokens)
    local_tps = inputs.local_tokens_per_s or DEFAULT_LOCAL_TOKENS_PER_S
    net = inputs.network
    rtt = (net.latency_ms or 0.0) if net else 0.0
    ttft = (net.cloud_ttft_ms if net and net.cloud_ttft_ms else None) or DEFAULT_CLOUD_TTFT_MS
    cloud_tps = (
        net.cloud_tokens_per_s if net and net.cloud_tokens_per_s else None
    ) or DEFAULT_CLOUD_TOKENS_PER_S
    return out / local_tps, (rtt + max(ttft, rtt)) / 1000 + out / cloud_tps


def _slow_link(network: NetworkState | None) -> str | None:
    """Why the link is slow, or None."""
    if network is None:
        return None
    if network.latency_ms is not None and network.latency_ms >= SLOW_RTT_MS:
        return f"{network.latency_ms:.0f} ms round trip"
    if network.cloud_ttft_ms is not None and network.cloud_ttft_ms >= SLOW_TTFT_MS:
        return f"first token after {network.cloud_ttft_ms / 1000:.0f} s"
    return None


def check_requested(requested: str) -> None:
    if requested not in ROUTES:
        raise RouteUnavailableError(
            f"Unknown route {requested!r}.", f"Use one of: {', '.join(ROUTES)}."
        )


def estimate_cost(inputs: RouteInputs) -> float:
    c = inputs.complexity
    return cost_usd(inputs.cloud_model, c.prompt_tokens + 200, c.est_output_tokens)


def decide(inputs: RouteInputs) -> RouteDecision:
    """Decide for one request. Raises RouteUnavailableError when Cloud or Edge is forced but
    impossible."""
    check_requested(inputs.requested)
    c = inputs.complexity
    est = estimate_cost(inputs)
    edge = inputs.edge
    signals: dict[str, Any] = {
        "requested": inputs.requested,
        "complexity": round(c.score, 3),
        "category": c.category,
        "complexity_signals": list(c.signals),
        "needs_cloud": c.needs_cloud,
        "network": inputs.network.to_json() if inputs.network else None,
        "offline_mode": inputs.offline_mode,
        "has_key": inputs.has_key,
        "est_cost_usd": round(est, 6),
        "spent_today_usd": round(inputs.budget.spent_today, 6),
        "daily_cap_usd": inputs.budget.daily_cap,
        "monthly_cap_usd": inputs.budget.monthly_cap,
        "privacy": inputs.privacy,
        "tier": inputs.tier.to_json() if inputs.tier else None,
        "edge": edge.to_json() if edge else None,
    }
    local_eta, cloud_eta = eta_seconds(inputs)
    out_tokens = c.est_output_tokens
    edge_cost = edge.cost(c.prompt_tokens + 200, out_tokens) if edge else 0.0
    edge_eta = edge.eta_seconds(out_tokens) if edge else None
    signals["eta_s"] = {"local": round(local_eta, 1), "cloud": round(cloud_eta, 1)}
    if edge_eta is not None:
        signals["eta_s"]["edge"] = round(edge_eta, 1)
    tier = f" ({inputs.tier.label()})" if inputs.tier and inputs.tier.size_b else ""

    def local(reason: str) -> RouteDecision:
        return RouteDecision("local", f"Local: {reason}.", 0.0, signals)

    def refuse(message: str, hint: str) -> RouteDecision:
        raise RouteUnavailableError(message, hint)

    def on_edge(what: str) -> RouteDecision:
        assert edge is not None
        return RouteDecision(
            "edge",
            f"Edge ({edge.name}): {what}; {format_cost(edge_cost)}.",
            edge_cost,
            {**signals, "edge_server": edge.name, "tier_chosen": "edge"},
        )

    def edge_blocker() -> str | None:
        """Why the edge cannot take this request, or None."""
        if edge is None:
            return "no edge server is set up"
        if edge.unavailable:
            return edge.unavailable
        if edge.privacy == "block":
            reason = edge.privacy_reason.removeprefix("Kept on this device: ").rstrip(".")
            return reason or "your privacy policy keeps this on the device"
        if edge_cost:
            allowed, why = inputs.budget.allows(edge_cost)
            if not allowed:
                return why
        return None

    forced = inputs.requested == "cloud"
    if inputs.requested == "local":
        return local("you chose Local")
    if inputs.offline_mode:
        if forced or inputs.requested == "edge":
            return refuse(
                "Offline mode is on, so nothing leaves this device.",
                "Turn Offline mode off, or ask with the route local or auto.",
            )
        return local("Offline mode is on")
    if inputs.requested == "edge":
        blocker = edge_blocker()
        if blocker is not None:
            hint = "Add one with `hybrid-desktop edge add` or in Settings → Edge."
            if edge is not None:
                hint = "Check the server in Settings → Edge, or ask with the route local or auto."
            return refuse(f"The edge tier cannot take this request: {blocker}.", hint)
        return on_edge("you chose Edge")
    if not forced and not c.needs_cloud:
        return local(c.category + tier)
    edge_why_not = edge_blocker()
    edge_ok = edge_why_not is None
    if not forced and edge_ok and edge is not None and edge.within_tier:
        # Only a speed seen on the server's own answers counts: the defaults are a guess, and
        # a bigger model's answer is worth waiting somewhat longer for.
        measured = edge.tokens_per_s is not None or edge.ttft_ms is not None
        slow_edge = measured and edge_eta is not None and edge_eta > local_eta * 2
        if slow_edge and c.score < BORDERLINE_SCORE:
            return local(
                f"the edge server {edge.name} is slow, answer here in ~{max(1, round(local_eta))} s"
            )
        return on_edge(f"{c.category} ({edge.tier.name} tier)")

    def not_cloud(reason: str) -> RouteDecision:
        """Auto, and the cloud cannot take it: the edge if it can, else local."""
        if edge_ok and edge is not None:
            return on_edge(f"{c.category}; the cloud is not used ({reason})")
        if edge is not None and edge_why_not:
            return local(f"{reason}; and {edge_why_not}")
        return local(reason)

    if not forced and inputs.cloud_busy:
        return not_cloud(inputs.cloud_busy)
    if not inputs.has_key:
        if forced:
            return refuse(
                "No cloud API key is set.", "Run `hybrid-desktop key set` or open Settings → Cloud."
            )
        return not_cloud("no cloud API key is set")
    network = inputs.network
    if network is not None and network.status == "offline":
        if forced:
            return refuse(
                f"The cloud service cannot be reached ({network.detail}).",
                "Check the network connection, or ask with the route local.",
            )
        return not_cloud("offline")
    if network is not None and network.status == "captive_portal":
        if forced:
            return refuse(
                "The network shows a sign-in page (a captive portal) where the cloud service "
                f"should answer ({network.detail}).",
                "Open a web page in a browser and sign in to the network, or ask with the route "
                "local.",
            )
        return not_cloud("the network shows a sign-in page (captive portal)")
    slow = _slow_link(network)
    if not forced and slow and c.score < BORDERLINE_SCORE and local_eta <= cloud_eta:
        return not_cloud(f"slow network ({slow}), answer here in ~{max(1, round(local_eta))} s")
    allowed, why = inputs.budget.allows(est)
    if not allowed:
        if forced:
            return refuse(
                f"The request would go over budget: {why}.",
                "Raise the cap in Settings → Cloud, or ask with the route local.",
            )
        return not_cloud(why)
    if inputs.privacy == "block":
        if forced:
            return refuse(
                inputs.privacy_reason or "Your privacy policy keeps this on the device.",
                "Change the policy in Settings → Privacy, or ask with the route local.",
            )
        reason = inputs.privacy_reason.removeprefix("Kept on this device: ").rstrip(".")
        return not_cloud(reason or "your privacy policy keeps this on the device")
    what = "you chose Cloud" if forced else c.category + tier
    return RouteDecision(
        "cloud",
        f"Cloud: {what}; est. {format_cost(est)}.",
        est,
        {**signals, "tier_chosen": "cloud"},
    )
