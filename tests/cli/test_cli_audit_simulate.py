"""``hybrid-desktop audit simulate``: the real command in a subprocess over a real history file
holding a workload recorded the way the chat service records it (see tests/core/test_simulator)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.storage.cipher import PLAINTEXT_HEADER
from hybrid_desktop.storage.history import HistoryStore
from tests.cli.helpers import assert_no_traceback, guard_events, install_network_guard
from tests.conftest import TEST_KEY, run_cli
from tests.core.test_simulator import record_workload
from tests.support.anthropic_server import running_server
from tests.support.secret_service import secret_service

FIELDS = {"requests", "routes", "route_share", "cloud_share", "cost_usd", "expected_latency_ms"}


@pytest.fixture
def recorded(app_home: Path) -> Path:
    store = HistoryStore(app_home / "data" / "history.db")
    try:
        record_workload(store, 120)
    finally:
        store.close()
    return app_home


def simulate_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = run_cli("audit", "simulate", *args, "--json", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stdout
    data = json.loads(lines[0])
    for side in ("actual", "projected"):
        assert set(data[side]) >= FIELDS, data[side]
        assert set(data[side]["expected_latency_ms"]) >= {"mean", "p50", "p95"}
    assert {"changed", "changes", "settings", "skipped", "latency_source"} <= set(data)
    return dict(data)


def test_a_stricter_threshold_projects_a_higher_cloud_share(recorded: Path) -> None:
    data = simulate_json("--threshold", "0.2")
    assert data["settings"]["threshold"] == 0.2
    assert data["projected"]["cloud_share"] > data["actual"]["cloud_share"]
    assert data["changed"] == sum(data["changes"].values()) > 0


def test_unchanged_settings_agree_and_the_text_is_a_table(recorded: Path) -> None:
    data = simulate_json()
    assert data["actual"]["requests"] == 120
    assert data["agreement"]["share"] >= 0.95
    proc = run_cli("audit", "simulate", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    header = next(line for line in proc.stdout.splitlines() if "projected" in line)
    assert "actual" in header
    assert "cloud share" in proc.stdout and "latency p95" in proc.stdout
    assert "Same route as recorded: " in proc.stdout


def test_budget_and_tier_move_the_cloud_figures_down(recorded: Path) -> None:
    budget = simulate_json("--budget-daily", "0.001")
    assert budget["projected"]["cost_usd"] < budget["actual"]["cost_usd"]
    tier = simulate_json("--local-tier", "large")
    assert tier["complexity_source"] == {"re-estimated": 120}
    assert tier["projected"]["cloud_share"] < tier["actual"]["cloud_share"]


def test_nothing_is_contacted(recorded: Path, tmp_path: Path) -> None:
    log = tmp_path / "guard.log"
    env = install_network_guard(tmp_path / "guard", log)
    data = simulate_json(
        "--threshold", "0.1", "--offline-hours", "22-7", "--add-edge", "lab:large", env=env
    )
    assert data["settings"]["offline_hours"] == [22, 7]
    assert data["settings"]["add_edge"] == {"name": "lab", "tier": "large"}
    loaded, attempts = guard_events(log)
    assert loaded >= 1 and attempts == []


def test_a_period_given_before_the_action_counts(recorded: Path) -> None:
    assert simulate_json("--since", "2999-01-01")["actual"]["requests"] == 0
    proc = run_cli("audit", "--since", "2999-01-01", "simulate", "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["actual"]["requests"] == 0


def test_an_empty_history_exits_0(app_home: Path) -> None:
    data = simulate_json("--threshold", "0.3")
    assert data["actual"]["requests"] == data["projected"]["requests"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--threshold", "2"],
        ["--threshold", "lots"],
        ["--local-tier", "huge"],
        ["--offline-hours", "25-3"],
        ["--budget-daily", "-1"],
        ["--add-edge", "lab:enormous"],
        ["--since", "yesterday-ish"],
    ],
)
def test_bad_arguments_are_usage_errors(app_home: Path, args: list[str]) -> None:
    proc = run_cli("audit", "simulate", *args, timeout=60)
    assert proc.returncode == 2, proc.stdout
    assert_no_traceback(proc)
    assert "error:" in proc.stderr


HARD = (
    "Prove that there are infinitely many primes, then derive the prime number theorem's "
    "leading term step by step, with a rigorous argument for each step."
)
EASY = (
    "Summarise the plot of Romeo and Juliet in two sentences.",
    "Write a short poem about the sea.",
)


def test_real_turns_local_cloud_and_a_fallback(app_home: Path) -> None:
    """Records written by real turns (the embedded model, the cloud tier against the suite's
    Messages server, and a cloud turn that fell back): unchanged settings give the same routes,
    a stricter threshold a higher cloud share."""
    with running_server() as server:
        env = {"ANTHROPIC_BASE_URL": server.base_url, "ANTHROPIC_API_KEY": TEST_KEY}
        routes = []
        for prompt in (*EASY, HARD):
            proc = run_cli("ask", "--json", "--max-tokens", "16", prompt, env=env)
            assert proc.returncode == 0, proc.stderr
            routes.append(json.loads(proc.stdout.splitlines()[-1])["route"])
        server.set(mode="429")
        proc = run_cli("ask", "--json", "--max-tokens", "16", HARD, env=env)
        assert proc.returncode == 0, proc.stderr
        fell_back = json.loads(proc.stdout.splitlines()[-1])
        assert fell_back["route"] == "local" and fell_back["fallback"]
        assert routes == ["local", "local", "cloud"]
        before = len(server.requests)
        same = simulate_json(env=env)
        stricter = simulate_json("--threshold", "0.05", env=env)
        assert len(server.requests) == before  # the simulator asked nothing
    assert same["actual"]["requests"] == 4 and same["skipped"] == 0
    assert same["actual"]["routes"] == {"local": 3, "edge": 0, "cloud": 1}
    assert same["agreement"] == {"compared": 4, "same_route": 4, "share": 1.0}
    assert same["changed"] == 0
    assert stricter["projected"]["cloud_share"] > stricter["actual"]["cloud_share"]
    assert stricter["changes"] == {"local->cloud": 2}
    assert stricter["projected"]["cost_usd"] > stricter["actual"]["cost_usd"]


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def test_simulate_reads_an_encrypted_history(keyring_env: dict[str, str], recorded: Path) -> None:
    plain = simulate_json("--local-tier", "large")
    done = run_cli("history", "encrypt", env=keyring_env, timeout=120)
    assert done.returncode == 0, done.stderr
    raw = (recorded / "data" / "history.db").read_bytes()
    assert not raw.startswith(PLAINTEXT_HEADER)
    encrypted = simulate_json("--local-tier", "large", env=keyring_env)
    assert encrypted["projected"] == plain["projected"]
    assert encrypted["complexity_source"] == {"re-estimated": 120}
