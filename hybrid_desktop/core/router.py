"""Where a request runs, local or cloud, and why: one sentence the user sees on the answer.

The router weighs, in this order:

1. **the user's choice** for the message: Local, Cloud or Auto;
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
    """Decide for one request. Raises RouteUnavailableError when Cloud is forced but impossible."""
    check_requested(inputs.requested)
    c = inputs.complexity
    est = estimate_cost(inputs)
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
    }
    local_eta, cloud_eta = eta_seconds(inputs)
    signals["eta_s"] = {"local": round(local_eta, 1), "cloud": round(cloud_eta, 1)}
    tier = f" ({inputs.tier.label()})" if inputs.tier and inputs.tier.size_b else ""

    def local(reason: str) -> RouteDecision:
        return RouteDecision("local", f"Local: {reason}.", 0.0, signals)

    def refuse(message: str, hint: str) -> RouteDecision:
        raise RouteUnavailableError(message, hint)

    forced = inputs.requested == "cloud"
    if inputs.requested == "local":
        return local("you chose Local")
    if inputs.offline_mode:
        if forced:
            return refuse(
                "Offline mode is on, so nothing is sent to the cloud.",
                "Turn Offline mode off, or ask with the route local or auto.",
            )
        return local("Offline mode is on")
    if not inputs.has_key:
        if forced:
            return refuse(
                "No cloud API key is set.", "Run `hybrid-desktop key set` or open Settings → Cloud."
            )
        return local("no cloud API key is set")
    if not forced and not c.needs_cloud:
        return local(c.category + tier)
    network = inputs.network
    if network is not None and network.status == "offline":
        if forced:
            return refuse(
                f"The cloud service cannot be reached ({network.detail}).",
                "Check the network connection, or ask with the route local.",
            )
        return local("offline")
    if network is not None and network.status == "captive_portal":
        if forced:
            return refuse(
                "The network shows a sign-in page (a captive portal) where the cloud service "
                f"should answer ({network.detail}).",
                "Open a web page in a browser and sign in to the network, or ask with the route "
                "local.",
            )
        return local("the network shows a sign-in page (captive portal)")
    slow = _slow_link(network)
    if not forced and slow and c.score < BORDERLINE_SCORE and local_eta <= cloud_eta:
        return local(f"slow network ({slow}), answer here in ~{max(1, round(local_eta))} s")
    allowed, why = inputs.budget.allows(est)
    if not allowed:
        if forced:
            return refuse(
                f"The request would go over budget: {why}.",
                "Raise the cap in Settings → Cloud, or ask with the route local.",
            )
        return local(why)
    if inputs.privacy == "block":
        if forced:
            return refuse(
                inputs.privacy_reason or "Your privacy policy keeps this on the device.",
                "Change the policy in Settings → Privacy, or ask with the route local.",
            )
        reason = inputs.privacy_reason.removeprefix("Kept on this device: ").rstrip(".")
        return local(reason or "your privacy policy keeps this on the device")
    what = "you chose Cloud" if forced else c.category + tier
    return RouteDecision("cloud", f"Cloud: {what}; est. {format_cost(est)}.", est, signals)
