"""The policy simulator: the real router re-run over the recorded workload with other settings.

``hybrid-desktop audit simulate`` asks "which of my tasks really need the cloud?" with the
user's own data. For each request record (``storage.requests``), in time order, the router's
inputs are rebuilt from what the record kept and :func:`core.router.decide` is asked again,
under the settings to try (:class:`SimSettings`). Nothing is generated and nobody is contacted:
the simulation reads the history and computes.

How a record becomes :class:`RouteInputs`:

- ``requested``, ``has_key``, ``offline_mode``, the network (``signals["network"]``), the
  privacy verdict (``signals["privacy"]``) and the edge option (``signals["edge"]``) are the
  recorded ones; ``--offline-hours`` turns Offline mode on for requests in those local hours.
- The complexity is the recorded score, unless another local tier is asked (``--local-tier``):
  then it is re-estimated from the prompt text (``user_message_id`` → ``messages.content``) by
  :func:`core.complexity.estimate` for that tier. A record with no prompt text (a private one)
  has its score moved by the tiers' logit shifts instead: the score is the sigmoid of the
  margin, and a tier moves the margin by its shift (``complexity_source`` counts each kind).
- A request needs the cloud when its score is at least the threshold (the default,
  :data:`core.complexity.CLOUD_THRESHOLD`, keeps the recorded verdict, which was made on the
  unrounded margin). The edge option's "within its tier" follows the threshold the same way.
- The budget: spend is re-accumulated per local day and month, in time order, from the
  projected costs (the spend the router saw, moved by how far the day's projected costs are
  from the actual ones), so a cap turns later requests local as it would have; the caps are
  the recorded ones unless others are asked.

What the record's planned route was: the first route of its fallbacks (the one that failed),
else its route. A request whose simulated route is the planned one keeps what actually happened
(route, cost, latency, fallbacks included); one that moves gets projected figures: on the cloud
its recorded tokens priced at the cloud model's rates (:func:`core.costs.cost_usd`), on an edge
server that server's price, locally 0; its expected latency is the median measured latency of
its new route for a similar output length (``route_median``), else the router's own estimate
(``router_eta``). A request the router would refuse (Cloud asked with Offline mode on) is
counted as ``refused``. Cascade records (a weak local answer also asked of the cloud) depend on
the answer's confidence, which no setting here changes: they are kept as recorded.

Records without the router's signals (migrated from before records existed) are skipped, and
left out of both sides so the figures compare like with like (``skipped_why`` says why).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.capability import TIERS, Tier
from hybrid_desktop.core.complexity import CLOUD_THRESHOLD, Complexity, estimate
from hybrid_desktop.core.costs import Budget, cost_usd
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.core.router import EdgeOption, RouteInputs, decide
from hybrid_desktop.errors import RouteUnavailableError

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["SimResult", "SimSettings", "load_rows", "simulate", "tier_named"]

ROUTES = ("local", "edge", "cloud")
TIER_NAMES = tuple(t[0] for t in TIERS)
#: Output lengths of "similar" answers: completion tokens below 64, then doublings.
_BUCKET_BASE = 64
_MAX_BUCKET = 8
#: The signals a record needs for its route to be reproducible (the agreement figure).
_COMPLETE_KEYS = ("requested", "complexity", "needs_cloud", "network", "offline_mode", "has_key")


def tier_named(name: str) -> Tier:
    """The tier ``name`` (one of :data:`TIER_NAMES`), as :func:`capability.tier_of` builds it."""
    for level, (tier, _smallest, shift) in enumerate(TIERS):
        if tier == name:
            return Tier(tier, level, shift)
    raise ValueError(f"unknown tier {name!r}: use one of {', '.join(TIER_NAMES)}")


@dataclass(frozen=True)
class SimSettings:
    """The settings to try; ``None`` keeps what each record says."""

    threshold: float = CLOUD_THRESHOLD
    budget_daily: float | None = None
    budget_monthly: float | None = None
    local_tier: str | None = None
    #: Local hours (start, end) planned with Offline mode on: (22, 7) is 22:00 to 06:59.
    offline_hours: tuple[int, int] | None = None
    #: A hypothetical free edge server: (name, tier name).
    add_edge: tuple[str, str] | None = None
    #: The cloud model whose rates price a request moved to the cloud.
    cloud_model: str = "claude-sonnet-5-5"

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("the threshold must be above 0 and at most 1")
        if self.local_tier is not None:
            tier_named(self.local_tier)
        if self.add_edge is not None:
            tier_named(self.add_edge[1])
        if self.offline_hours is not None:
            start, end = self.offline_hours
            if not (0 <= start <= 23 and 0 <= end <= 24) or start == end:
                raise ValueError("offline hours are two different hours, 0 to 24")

    def offline_at(self, hour: int) -> bool:
        if self.offline_hours is None:
            return False
        start, end = self.offline_hours
        return start <= hour < end if start < end else (hour >= start or hour < end)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "budget_daily_usd": self.budget_daily,
            "budget_monthly_usd": self.budget_monthly,
            "local_tier": self.local_tier,
            "offline_hours": list(self.offline_hours) if self.offline_hours else None,
            "add_edge": (
                {"name": self.add_edge[0], "tier": self.add_edge[1]} if self.add_edge else None
            ),
            "cloud_model": self.cloud_model,
        }


@dataclass
class SimResult:
    actual: dict[str, Any]
    projected: dict[str, Any]
    changed: int
    changes: dict[str, int]
    settings: dict[str, Any]
    skipped: int
    skipped_why: dict[str, int]
    latency_source: dict[str, int]
    complexity_source: dict[str, int]
    agreement: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "actual": self.actual,
            "projected": self.projected,
            "changed": self.changed,
            "changes": self.changes,
            "settings": self.settings,
            "skipped": self.skipped,
            "skipped_why": self.skipped_why,
            "latency_source": self.latency_source,
            "complexity_source": self.complexity_source,
            "agreement": self.agreement,
            "notes": self.notes,
        }


# reading the records -----------------------------------------------------------------------------

_COLUMNS = (
    "r.id, r.created_at, r.route, r.requested, r.model, r.signals, r.fallbacks, r.escalated, "
    "r.prompt_tokens, r.completion_tokens, r.latency_ms, r.cost_usd, r.complexity, r.category, "
    "r.status"
)


def load_rows(
    db: sqlite_utils.Database,
    since: str | None = None,
    until: str | None = None,
    *,
    with_prompts: bool = False,
) -> Iterator[dict[str, Any]]:
    """The request records from ``since`` (inclusive) to ``until`` (exclusive), stored UTC
    timestamps, oldest first, streamed; with ``with_prompts`` each carries its prompt's text
    (``prompt``, None when the record has no prompt message). Plain SQL (works encrypted too)."""
    where, params = [], []
    if since:
        where.append("r.created_at >= ?")
        params.append(since)
    if until:
        where.append("r.created_at < ?")
        params.append(until)
    sql = f"SELECT {_COLUMNS}"
    if with_prompts:
        sql += ", m.content FROM requests r LEFT JOIN messages m ON m.id = r.user_message_id"
    else:
        sql += ", NULL FROM requests r"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY r.created_at, r.id"
    names = [c.strip().removeprefix("r.") for c in _COLUMNS.split(",")] + ["prompt"]
    for row in db.execute(sql, params):
        yield dict(zip(names, row, strict=True))


def _json(value: Any, default: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return default if value is None else value


def _local_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()


# rebuilding the router's inputs ------------------------------------------------------------------


def _logit(score: float) -> float | None:
    if score <= 0.0 or score >= 1.0:
        return None
    return math.log(score / (1.0 - score))


def _shifted(score: float, from_shift: float, to_shift: float) -> float:
    """The score under another tier: a tier moves the margin by its logit shift."""
    z = _logit(score)
    if z is None:  # 0 or 1: an empty prompt, the context rule; no tier moves it
        return score
    return 1.0 / (1.0 + math.exp(-(z + from_shift - to_shift)))


def _recorded_tier(signals: dict[str, Any]) -> Tier:
    data = signals.get("tier")
    if not isinstance(data, dict) or data.get("name") not in TIER_NAMES:
        return tier_named("tiny")
    base = tier_named(str(data["name"]))
    return Tier(
        base.name,
        base.level,
        base.logit_shift,
        data.get("size_b"),
        data.get("quantization"),
        data.get("context"),
    )


def _network(data: Any) -> NetworkState | None:
    if not isinstance(data, dict) or not data.get("status"):
        return None
    return NetworkState(
        status=str(data["status"]),
        latency_ms=data.get("latency_ms"),
        detail=str(data.get("detail") or ""),
        cloud_ttft_ms=data.get("cloud_ttft_ms"),
        cloud_tokens_per_s=data.get("cloud_tokens_per_s"),
    )


@dataclass
class _Context:
    settings: SimSettings
    sources: Counter[str] = field(default_factory=Counter)


def _complexity(
    row: dict[str, Any], signals: dict[str, Any], tier: Tier, recorded: Tier, ctx: _Context
) -> Complexity | None:
    settings = ctx.settings
    raw = signals.get("complexity", row.get("complexity"))
    prompt = row.get("prompt")
    default_threshold = settings.threshold == CLOUD_THRESHOLD
    category = str(signals.get("category") or row.get("category") or "")
    estimated: Complexity | None = None
    if settings.local_tier is not None and isinstance(prompt, str):
        estimated = estimate(prompt, 0, tier)
        score = estimated.score
        needs = estimated.needs_cloud if default_threshold else score >= settings.threshold
        recorded_needs = signals.get("needs_cloud")
        if default_threshold and isinstance(recorded_needs, bool):
            # The re-estimate sees the prompt alone, the recorded one saw its conversation too:
            # a local model at least as strong keeps what was answered locally local, and one
            # at most as strong keeps what needed the cloud there.
            if tier.level >= recorded.level and not recorded_needs:
                needs = False
            elif tier.level <= recorded.level and recorded_needs:
                needs = True
        category = estimated.category
        ctx.sources["re-estimated"] += 1
    elif raw is None:
        return None
    elif settings.local_tier is not None and tier.name != recorded.name:
        score = _shifted(float(raw), recorded.logit_shift, tier.logit_shift)
        needs = score >= settings.threshold
        ctx.sources["shifted"] += 1
    else:
        score = float(raw)
        recorded_needs = signals.get("needs_cloud")
        if default_threshold and isinstance(recorded_needs, bool):
            needs = recorded_needs
        else:
            needs = score >= settings.threshold
        ctx.sources["recorded"] += 1
    prompt_tokens = int(row.get("prompt_tokens") or 0)
    out = int(row.get("completion_tokens") or 0)
    if estimated is not None:
        prompt_tokens = prompt_tokens or estimated.prompt_tokens
        out = out or estimated.est_output_tokens
    out = out or (600 if needs else 150)
    return Complexity(score, needs, category or "a request", (), prompt_tokens, out, tier.name)


def _edge(
    signals: dict[str, Any], c: Complexity, local: Tier, settings: SimSettings
) -> EdgeOption | None:
    """The recorded edge option (its within-tier verdict under the threshold), or the added one."""
    data = signals.get("edge")
    option: EdgeOption | None = None
    if isinstance(data, dict) and data.get("name"):
        tier = _recorded_tier({"tier": data.get("tier")})
        within = bool(data.get("within_tier"))
        if settings.threshold != CLOUD_THRESHOLD:  # the local tier does not change it
            within = _shifted(c.score, local.logit_shift, tier.logit_shift) < settings.threshold
        option = EdgeOption(
            name=str(data["name"]),
            tier=tier,
            within_tier=within,
            model=str(data.get("model") or ""),
            trust=str(data.get("trust") or "organisation"),
            price_in_per_mtok=float(data.get("price_in_per_mtok") or 0.0),
            price_out_per_mtok=float(data.get("price_out_per_mtok") or 0.0),
            latency_ms=data.get("latency_ms"),
            ttft_ms=data.get("ttft_ms"),
            tokens_per_s=data.get("tokens_per_s"),
            unavailable=data.get("unavailable"),
            privacy=data.get("privacy"),
        )
    if settings.add_edge is not None and (option is None or option.unavailable):
        name, tier_name = settings.add_edge
        tier = tier_named(tier_name)
        within = _shifted(c.score, local.logit_shift, tier.logit_shift) < settings.threshold
        option = EdgeOption(name=name, tier=tier, within_tier=within, trust="private")
    return option


def _bucket(tokens: int) -> int:
    if tokens < _BUCKET_BASE:
        return 0
    return min(_MAX_BUCKET, int(math.log2(tokens / _BUCKET_BASE)) + 1)


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"mean": None, "p50": None, "p95": None, "n": 0}
    ordered = sorted(values)

    def pct(p: float) -> float:  # nearest rank
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]

    return {
        "mean": round(sum(ordered) / len(ordered), 1),
        "p50": round(pct(0.5), 1),
        "p95": round(pct(0.95), 1),
        "n": len(ordered),
    }


@dataclass
class _Side:
    """One side of the comparison: routes, cost and latencies."""

    routes: Counter[str] = field(default_factory=Counter)
    cost: float = 0.0
    latencies: list[float] = field(default_factory=list)
    refused: int = 0

    def to_json(self) -> dict[str, Any]:
        n = sum(self.routes.values()) + self.refused
        routed = sum(self.routes.values())
        share = {r: round(self.routes[r] / routed, 4) if routed else 0.0 for r in ROUTES}
        out = {
            "requests": n,
            "routes": {r: self.routes[r] for r in ROUTES},
            "route_share": share,
            "cloud_share": share["cloud"],
            "cost_usd": round(self.cost, 6),
            "expected_latency_ms": _stats(self.latencies),
        }
        if self.refused:
            out["refused"] = self.refused
        return out


@dataclass
class _Ledger:
    """Spend per local day and month, as recorded and as projected.

    The router saw the spend of the day so far (``signals["spent_today_usd"]``, from the usage
    table, so also spend before ``--since``); the projection's spend is that plus how far the
    projected costs of the day's earlier requests are from the actual ones. Unchanged, the
    budget is the one the router saw; a request moved to the cloud adds its price."""

    actual_day: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    actual_month: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    delta_day: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    delta_month: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, day: str, month: str, actual: float, projected: float) -> None:
        self.actual_day[day] += actual
        self.actual_month[month] += actual
        self.delta_day[day] += projected - actual
        self.delta_month[month] += projected - actual

    def budget(
        self, day: str, month: str, signals: dict[str, Any], settings: SimSettings
    ) -> Budget:
        seen = signals.get("spent_today_usd")
        today = float(seen) if isinstance(seen, int | float) else self.actual_day[day]
        this_month = max(self.actual_month[month], today)
        daily, monthly = settings.budget_daily, settings.budget_monthly
        return Budget(
            spent_today=max(0.0, today + self.delta_day[day]),
            spent_month=max(0.0, this_month + self.delta_month[month]),
            daily_cap=float(signals.get("daily_cap_usd") or 0.0) if daily is None else daily,
            monthly_cap=float(signals.get("monthly_cap_usd") or 0.0)
            if monthly is None
            else monthly,
        )


def _planned_route(row: dict[str, Any], fallbacks: Any) -> str:
    if isinstance(fallbacks, list) and fallbacks and isinstance(fallbacks[0], dict):
        first = fallbacks[0].get("route")
        if first in ROUTES:
            return str(first)
    return str(row["route"])


def _moved_cost(route: str, c: Complexity, edge: EdgeOption | None, settings: SimSettings) -> float:
    if route == "cloud":
        return cost_usd(settings.cloud_model, c.prompt_tokens, c.est_output_tokens)
    if route == "edge" and edge is not None:
        return edge.cost(c.prompt_tokens, c.est_output_tokens)
    return 0.0


def simulate(rows: Iterable[dict[str, Any]], settings: SimSettings) -> SimResult:
    """Re-run the router over ``rows`` (as :func:`load_rows` gives them, oldest first)."""
    ctx = _Context(settings)
    actual, projected = _Side(), _Side()
    skipped: Counter[str] = Counter()
    changes: Counter[str] = Counter()
    latency_source: Counter[str] = Counter()
    measured: dict[tuple[str, int], list[float]] = defaultdict(list)
    #: Moved requests whose latency is resolved once all measurements are in.
    pending: list[tuple[str, int, float | None]] = []
    ledger = _Ledger()
    compared = agreed = cascade = privacy_assumed = 0

    def keep(route: str, cost: float, latency: Any, day: str, month: str) -> None:
        """The projection keeps what happened; a missing latency is resolved later."""
        projected.routes[route] += 1
        projected.cost += cost
        ledger.add(day, month, cost, cost)
        if latency is not None:
            projected.latencies.append(float(latency))
            latency_source["recorded"] += 1

    for row in rows:
        signals = _json(row.get("signals"), {})
        if not isinstance(signals, dict):
            signals = {}
        fallbacks = _json(row.get("fallbacks"), [])
        route = row.get("route")
        if route not in ROUTES:
            skipped["unknown route"] += 1
            continue
        latency = row.get("latency_ms")
        tokens = int(row.get("completion_tokens") or 0)
        if latency is not None and row.get("status") == "complete":
            measured[(route, _bucket(tokens))].append(float(latency))
        requested = row.get("requested") or signals.get("requested")
        if not signals or requested is None:
            skipped["no router signals (recorded before request records)"] += 1
            continue
        recorded_tier = _recorded_tier(signals)
        tier = tier_named(settings.local_tier) if settings.local_tier else recorded_tier
        c = _complexity(row, signals, tier, recorded_tier, ctx)
        if c is None:
            skipped["no recorded complexity"] += 1
            continue
        cost = float(row.get("cost_usd") or 0.0)
        try:
            when = _local_time(str(row["created_at"]))
        except ValueError:
            skipped["unreadable time"] += 1
            continue
        day, month = when.strftime("%Y-%m-%d"), when.strftime("%Y-%m")
        actual.routes[route] += 1
        actual.cost += cost
        if latency is not None:
            actual.latencies.append(float(latency))
        if row.get("escalated"):
            cascade += 1
            keep(route, cost, latency, day, month)
            continue
        edge = _edge(signals, c, tier, settings)
        offline = bool(signals.get("offline_mode")) or settings.offline_at(when.hour)
        budget = ledger.budget(day, month, signals, settings)
        inputs = RouteInputs(
            requested=str(requested),
            complexity=c,
            network=_network(signals.get("network")),
            offline_mode=offline,
            has_key=bool(signals.get("has_key")),
            cloud_model=settings.cloud_model,
            budget=budget,
            privacy=signals.get("privacy"),
            tier=tier,
            edge=edge,
        )
        planned = _planned_route(row, fallbacks)
        complete = all(k in signals for k in _COMPLETE_KEYS)
        try:
            decision = decide(inputs)
        except RouteUnavailableError:
            projected.refused += 1
            ledger.add(day, month, cost, 0.0)
            changes[f"{route}->refused"] += 1
            compared += complete
            continue
        compared += complete
        agreed += complete and decision.route == planned
        if decision.route in (planned, route):  # the plan, or what the fallback reached
            keep(route, cost, latency, day, month)
            if latency is None:
                eta = (decision.signals.get("eta_s") or {}).get(route)
                pending.append((route, _bucket(c.est_output_tokens), eta))
            continue
        new = decision.route
        changes[f"{route}->{new}"] += 1
        if new == "cloud" and inputs.privacy is None:
            privacy_assumed += 1
        moved = _moved_cost(new, c, edge, settings)
        projected.routes[new] += 1
        projected.cost += moved
        ledger.add(day, month, cost, moved)
        eta = (decision.signals.get("eta_s") or {}).get(new)
        pending.append((new, _bucket(c.est_output_tokens), eta))
    medians = {key: _stats(values)["p50"] for key, values in measured.items()}
    for new, bucket, eta in pending:
        near = sorted(
            (abs(b - bucket), b) for (r, b) in medians if r == new and medians[(r, b)] is not None
        )
        if near:
            projected.latencies.append(float(medians[(new, near[0][1])]))
            latency_source["route_median"] += 1
        elif eta is not None:
            projected.latencies.append(float(eta) * 1000.0)
            latency_source["router_eta"] += 1
        else:
            latency_source["none"] += 1
    notes = []
    if cascade:
        notes.append(f"{cascade} cascade record(s) (also asked of the cloud) kept as recorded")
    if privacy_assumed:
        notes.append(
            f"{privacy_assumed} request(s) moved to the cloud had no gate verdict on record: "
            "assumed sent (the gate may have kept some on the device)"
        )
    return SimResult(
        actual=actual.to_json(),
        projected=projected.to_json(),
        changed=sum(changes.values()),
        changes=dict(sorted(changes.items())),
        settings=settings.to_json(),
        skipped=sum(skipped.values()),
        skipped_why=dict(skipped),
        latency_source=dict(latency_source),
        complexity_source=dict(ctx.sources),
        agreement={
            "compared": compared,
            "same_route": agreed,
            "share": round(agreed / compared, 4) if compared else None,
        },
        notes=notes,
    )
