"""Router v2: the edge server as the middle tier (pure decisions, no network)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hybrid_desktop.config.edge import EdgeServer
from hybrid_desktop.core.capability import Tier
from hybrid_desktop.core.complexity import Complexity
from hybrid_desktop.core.costs import Budget
from hybrid_desktop.core.edge_tier import edge_tier_of
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.core.router import EdgeOption, RouteInputs, decide
from hybrid_desktop.errors import RouteUnavailableError

LARGE = Tier("large", 3, 2.4)
MIDDLE = Complexity(0.7, True, "code review", (), 60, 400)
EASY = Complexity(0.1, False, "quick everyday task", (), 10, 50)
ONLINE = NetworkState("online", 20.0)
EDGE = EdgeOption("office-gpu", LARGE, within_tier=True, model="qwen-32b", tokens_per_s=40.0)


def inputs(c: Complexity = MIDDLE, **kw: object) -> RouteInputs:
    values: dict[str, object] = {"network": ONLINE, "has_key": True, "edge": EDGE}
    values.update(kw)
    requested = str(values.pop("requested", "auto"))
    return RouteInputs(requested, c, **values)  # type: ignore[arg-type]


def test_within_the_edge_tier_goes_to_the_edge_before_the_cloud_and_names_it() -> None:
    decision = decide(inputs())
    assert decision.route == "edge"
    assert decision.reason == "Edge (office-gpu): code review (large tier); $0."
    assert decision.signals["edge_server"] == "office-gpu"


def test_easy_work_stays_local_and_hard_work_beyond_the_edge_goes_to_the_cloud() -> None:
    assert decide(inputs(EASY)).route == "local"
    beyond = replace(EDGE, within_tier=False)
    assert decide(inputs(edge=beyond)).route == "cloud"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"has_key": False}, "no cloud API key is set"),
        ({"network": NetworkState("offline", None, "refused")}, "offline"),
        ({"privacy": "block", "privacy_reason": "Kept on this device: x."}, "x"),
        ({"budget": Budget(spent_today=5.0, daily_cap=1.0)}, "budget is used up"),
    ],
)
def test_beyond_the_edge_tier_and_no_cloud_the_edge_still_answers(
    change: dict[str, object], why: str
) -> None:
    beyond = replace(EDGE, within_tier=False)
    decision = decide(inputs(edge=beyond, **change))
    assert decision.route == "edge"
    assert "the cloud is not used" in decision.reason and why in decision.reason


def test_an_unavailable_or_blocked_edge_is_passed_over_and_said() -> None:
    cooled = replace(EDGE, unavailable="the edge server office-gpu failed (refused)")
    decision = decide(inputs(edge=cooled))
    assert decision.route == "cloud"
    decision = decide(inputs(edge=cooled, has_key=False))
    assert decision.route == "local" and "office-gpu failed" in decision.reason
    blocked = replace(EDGE, privacy="block", privacy_reason="Kept on this device: secret.")
    assert decide(inputs(edge=blocked)).route == "cloud"


def test_a_priced_edge_counts_against_the_budget() -> None:
    priced = replace(EDGE, price_in_per_mtok=1000.0, price_out_per_mtok=1000.0)
    decision = decide(inputs(edge=priced, budget=Budget(daily_cap=5.0)))
    assert decision.route == "edge" and decision.est_cost_usd > 0
    assert "$0.66" in decision.reason
    over = decide(inputs(edge=priced, budget=Budget(spent_today=4.9, daily_cap=5.0)))
    assert over.route != "edge"


def test_a_slow_edge_keeps_borderline_work_local() -> None:
    slow = replace(EDGE, tokens_per_s=2.0, ttft_ms=3000.0)
    decision = decide(inputs(edge=slow, local_tokens_per_s=40.0))
    assert decision.route == "local" and "slow" in decision.reason


def test_forced_edge_and_its_refusals() -> None:
    assert decide(inputs(EASY, requested="edge")).route == "edge"
    with pytest.raises(RouteUnavailableError, match="no edge server is set up"):
        decide(inputs(requested="edge", edge=None))
    with pytest.raises(RouteUnavailableError, match="Offline mode"):
        decide(inputs(requested="edge", offline_mode=True))
    with pytest.raises(RouteUnavailableError, match="refused"):
        decide(inputs(requested="edge", edge=replace(EDGE, unavailable="refused")))
    assert decide(inputs(requested="local")).route == "local"
    assert decide(inputs(requested="cloud")).route == "cloud"


def test_the_edge_tier_comes_from_the_setting_or_the_models_name() -> None:
    server = EdgeServer("box", "http://box:8080")
    assert edge_tier_of(server, "llama-3.1-70b-instruct").name == "large"
    assert edge_tier_of(server, "qwen2.5-1.5b-instruct").name == "small"
    assert edge_tier_of(server, "SmolLM2-135M").name == "large"  # no size in billions: assumed
    assert edge_tier_of(server, "phi-3-mini").name == "large"
    assert edge_tier_of(replace(server, tier="small"), "llama-70b").name == "small"
