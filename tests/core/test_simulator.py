"""The policy simulator over a workload recorded the way the chat service records it.

The workload: labelled requests from ``tests/data/routing/labelled.jsonl``, each decided by the
real router (with the gate's verdict asked for on a cloud decision, as ``core.chat`` does),
recorded with ``TurnTrace.record`` and stored with its answer by ``HistoryStore.add_message``
in a real SQLite file. Some have an edge server, some no key or no network, some fell back.
"""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.core.capability import tier_of
from hybrid_desktop.core.complexity import estimate
from hybrid_desktop.core.costs import Budget, cost_usd
from hybrid_desktop.core.engines.base import GenerationStats
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.core.request_record import TurnTrace
from hybrid_desktop.core.router import EdgeOption, RouteInputs, decide
from hybrid_desktop.core.simulator import (
    SimSettings,
    _shifted,
    load_rows,
    simulate,
    tier_named,
)
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.requests import RequestStore

LABELLED = Path(__file__).parents[1] / "data" / "routing" / "labelled.jsonl"
CLOUD_MODEL = "claude-sonnet-5-5"


def _prompts(n: int) -> list[str]:
    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    prompts = [json.loads(line)["prompt"] for line in lines if line.strip()]
    step = max(1, len(prompts) // n)
    return prompts[::step][:n]


def record_workload(history: HistoryStore, n: int = 150) -> None:
    """``n`` requests decided by the real router and stored with their answers and records."""
    tier = tier_of(None)
    spent = 0.0
    for i, prompt in enumerate(_prompts(n)):
        c = estimate(prompt, 0, tier)
        network = (
            NetworkState("offline", detail="no route")
            if i % 17 == 3
            else NetworkState("online", latency_ms=40.0)
        )
        edge = None
        if i % 5 == 0:
            medium = tier_named("medium")
            edge = EdgeOption(
                "office-gpu",
                medium,
                within_tier=not estimate(prompt, 0, medium).needs_cloud,
                model="qwen @ office-gpu",
            )
        requested = "local" if i % 19 == 7 else "auto"
        inputs = RouteInputs(
            requested=requested,
            complexity=c,
            network=network,
            has_key=i % 23 != 11,
            cloud_model=CLOUD_MODEL,
            budget=Budget(spent_today=spent, spent_month=spent, daily_cap=1.0, monthly_cap=20.0),
            tier=tier,
            edge=edge,
        )
        decision = decide(inputs)
        if decision.route == "cloud":  # the gate runs, then the router decides again
            blocked = i % 13 == 0
            inputs = replace(
                inputs,
                privacy="block" if blocked else "send",
                privacy_reason="Kept on this device: a name" if blocked else "",
            )
            decision = decide(inputs)
        conversation = history.create_conversation()
        user = history.add_message(conversation.id, "user", prompt)
        trace = TurnTrace(requested, user_message_id=user.id)
        out = c.est_output_tokens
        stats = GenerationStats(prompt_tokens=c.prompt_tokens + 30, completion_tokens=out)
        cost = 0.0
        route = decision.route
        if route == "cloud" and i % 11 == 0:  # the cloud failed: answered locally
            trace.fell_back("cloud", "anthropic", "The cloud service timed out.")
            decision = replace(
                decision, route="local", reason="Local: the cloud failed; answered here."
            )
            route = "local"
        if route == "cloud":
            cost = cost_usd(CLOUD_MODEL, stats.prompt_tokens, out)
            spent += cost
            total = 1500.0 + 15.0 * out
        elif route == "edge":
            total = 500.0 + 30.0 * out
        else:
            total = 50.0 * out
        stats = replace(stats, total_ms=total, ttft_ms=200.0, tokens_per_s=20.0)
        record = trace.record(
            decision, CLOUD_MODEL if route == "cloud" else "smol", stats, "complete", cost
        )
        history.add_message(
            conversation.id,
            "assistant",
            f"answer {i}",
            route=route,
            reason=decision.reason,
            request=record,
        )


@pytest.fixture
def workload(history: HistoryStore) -> HistoryStore:
    record_workload(history)
    return history


def run(history: HistoryStore, settings: SimSettings, prompts: bool = False) -> dict[str, Any]:
    return simulate(load_rows(history.db, with_prompts=prompts), settings).to_json()


def test_the_workload_is_a_mix(workload: HistoryStore) -> None:
    routes = dict(workload.db.execute("SELECT route, count(*) FROM requests GROUP BY route"))
    assert routes.get("local", 0) > 50 and routes.get("cloud", 0) > 10 and routes.get("edge", 0)
    assert workload.db.execute("SELECT count(*) FROM requests WHERE fallback_count > 0").fetchone()[
        0
    ]


def test_unchanged_settings_agree_with_the_recorded_routes(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(cloud_model=CLOUD_MODEL))
    agreement = result["agreement"]
    assert agreement["compared"] == 150
    assert agreement["share"] >= 0.95, result["changes"]
    assert result["skipped"] == 0
    assert result["actual"]["requests"] == result["projected"]["requests"] == 150
    # Unchanged routes keep what happened: the same cost to the cent.
    assert result["projected"]["cost_usd"] == pytest.approx(result["actual"]["cost_usd"], abs=0.01)


def test_a_stricter_threshold_projects_a_higher_cloud_share(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(threshold=0.2, cloud_model=CLOUD_MODEL))
    assert result["projected"]["cloud_share"] > result["actual"]["cloud_share"]
    assert result["changes"].get("local->cloud", 0) > 0
    assert result["projected"]["cost_usd"] > result["actual"]["cost_usd"]
    # Moved requests have a latency from the recorded cloud answers of similar length.
    assert result["latency_source"].get("route_median", 0) > 0
    looser = run(workload, SimSettings(threshold=0.8, cloud_model=CLOUD_MODEL))
    assert looser["projected"]["cloud_share"] < result["actual"]["cloud_share"]


def test_a_tiny_budget_projects_a_lower_cloud_cost(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(budget_daily=0.001, cloud_model=CLOUD_MODEL))
    assert result["actual"]["cost_usd"] > 0
    assert result["projected"]["cost_usd"] < result["actual"]["cost_usd"]
    assert result["changes"].get("cloud->local", 0) + result["changes"].get("cloud->edge", 0) > 0
    # A cap just above one request's price lets the first ones through, then turns the rest.
    capped = run(workload, SimSettings(budget_daily=0.02, cloud_model=CLOUD_MODEL))
    assert 0 < capped["projected"]["cost_usd"] <= 0.02 + 1e-9
    assert capped["projected"]["routes"]["cloud"] > 0


def test_a_bigger_local_tier_projects_a_lower_cloud_share(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(local_tier="large", cloud_model=CLOUD_MODEL), prompts=True)
    assert result["complexity_source"] == {"re-estimated": 150}
    assert result["projected"]["cloud_share"] < result["actual"]["cloud_share"]
    assert result["changes"].get("cloud->local", 0) > 0
    # A stronger local model never sends to the cloud what was answered locally.
    assert result["changes"].get("local->cloud", 0) == 0
    # The same tier as recorded re-estimates to the recorded routes.
    same = run(workload, SimSettings(local_tier="tiny", cloud_model=CLOUD_MODEL), prompts=True)
    assert same["agreement"]["share"] >= 0.95


def test_a_tier_moves_the_score_by_its_logit_shift() -> None:
    """Without the prompt (a private record) the score is moved by the shifts: the same as a
    re-estimate, up to the stored rounding."""
    large = tier_named("large")
    for prompt in _prompts(40):
        tiny = estimate(prompt)
        if tiny.score in (0.0, 1.0):
            continue
        moved = _shifted(tiny.score, 0.0, large.logit_shift)
        assert moved == pytest.approx(estimate(prompt, 0, large).score, abs=0.01)


def test_offline_hours_keep_everything_on_the_device(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(offline_hours=(0, 24), cloud_model=CLOUD_MODEL))
    projected = result["projected"]
    assert projected["routes"]["cloud"] == projected["routes"]["edge"] == 0
    assert projected["cost_usd"] == 0
    assert result["changes"].get("cloud->local", 0) > 0


def test_an_added_edge_server_takes_work_the_local_model_cannot(workload: HistoryStore) -> None:
    result = run(workload, SimSettings(add_edge=("lab", "large"), cloud_model=CLOUD_MODEL))
    assert result["projected"]["routes"]["edge"] > result["actual"]["routes"]["edge"]
    assert result["projected"]["cost_usd"] < result["actual"]["cost_usd"]


def test_records_without_signals_are_skipped_on_both_sides(history: HistoryStore) -> None:
    RequestStore(history).record(
        {"route": "cloud", "cost_source": "priced", "gate_action": "sent", "status": "complete"}
    )
    result = run(history, SimSettings())
    assert result["skipped"] == 1
    assert list(result["skipped_why"].values()) == [1]
    assert result["actual"]["requests"] == result["projected"]["requests"] == 0


def test_an_empty_history_gives_zeros(history: HistoryStore) -> None:
    result = run(history, SimSettings(threshold=0.3))
    assert result["actual"]["requests"] == 0
    assert result["projected"]["cloud_share"] == 0.0
    assert result["changed"] == 0
    assert result["agreement"]["share"] is None


def test_the_period_is_respected(workload: HistoryStore) -> None:
    stamps = [r[0] for r in workload.db.execute("SELECT created_at FROM requests ORDER BY id")]
    middle = stamps[75]
    first = simulate(load_rows(workload.db, until=middle), SimSettings()).to_json()
    rest = simulate(load_rows(workload.db, since=middle), SimSettings()).to_json()
    assert first["actual"]["requests"] + rest["actual"]["requests"] == 150
    assert first["actual"]["requests"] == sum(1 for s in stamps if s < middle)


def test_nothing_opens_a_socket(workload: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"the simulator opened a connection to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for settings in (
        SimSettings(threshold=0.1),
        SimSettings(budget_daily=0.0001),
        SimSettings(add_edge=("lab", "medium"), offline_hours=(22, 7)),
    ):
        assert run(workload, settings)["actual"]["requests"] == 150
    assert run(workload, SimSettings(local_tier="medium"), prompts=True)["changed"] >= 0


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        SimSettings(threshold=0)
    with pytest.raises(ValueError):
        SimSettings(local_tier="huge")
    assert SimSettings(offline_hours=(22, 7)).offline_at(23)
    assert SimSettings(offline_hours=(22, 7)).offline_at(3)
    assert not SimSettings(offline_hours=(22, 7)).offline_at(7)
    assert not SimSettings(offline_hours=(22, 7)).offline_at(12)


def test_unreadable_records_are_skipped_not_fatal(workload: HistoryStore) -> None:
    rows = list(load_rows(workload.db))[:3]
    rows[0] = {**rows[0], "signals": "[not json"}
    rows[1] = {**rows[1], "signals": "[1, 2]"}
    rows[2] = {**rows[2], "created_at": "yesterday"}
    result = simulate(rows, SimSettings(threshold=0.3)).to_json()
    assert result["skipped"] == 3 and result["actual"]["requests"] == 0


def test_the_synthetic_audit_fill(tmp_path: Path) -> None:
    """Over the shared synthetic fill (tests/support/audit_data.py): every row is counted or
    skipped, and with the caps off a lower threshold never projects a lower cloud share."""
    audit_data = pytest.importorskip("tests.support.audit_data")
    store = HistoryStore(tmp_path / "fill.db")
    try:
        audit_data.fill_requests(store.db, 2000, seed=3)
        n = store.db.execute("SELECT count(*) FROM requests").fetchone()[0]

        def cloud_share(threshold: float) -> float:
            settings = SimSettings(threshold=threshold, budget_daily=0.0, budget_monthly=0.0)
            result = run(store, settings)
            json.dumps(result)
            assert result["actual"]["requests"] + result["skipped"] == n
            return float(result["projected"]["cloud_share"])

        assert cloud_share(0.2) >= cloud_share(0.8)
    finally:
        store.close()
