"""``hybrid-desktop audit`` and ``audit export``: the real command in a subprocess over a real
history file (the hand-worked small fill of tests/storage/test_audit.py), and an empty history."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.core.costs import price_of
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.requests import REQUEST_COLUMNS
from tests.cli.helpers import assert_no_traceback
from tests.conftest import run_cli
from tests.storage.test_audit import PROMPT, small_fill
from tests.support.secret_service import secret_service


def _fill(app_home: Path) -> None:
    store = HistoryStore(app_home / "data" / "history.db")
    try:
        small_fill(store)
    finally:
        store.close()


def _audit_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = run_cli("audit", *args, "--json", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stdout
    body = json.loads(lines[0])
    assert isinstance(body, dict)
    return body


def test_audit_json_counts_and_cost_avoided(app_home: Path) -> None:
    _fill(app_home)
    body = _audit_json()
    assert body["requests"] == 9
    assert body["routes"] == {"local": 5, "edge": 1, "cloud": 3}
    price_in, price_out = price_of(body["cloud_model"])  # the default settings' cloud model
    assert body["estimated_cost_avoided_usd"] == pytest.approx(
        (730 * price_in + 315 * price_out) / 1e6
    )
    assert body["cost_usd"] == pytest.approx(0.03)
    assert body["latency_ms"]["cloud"] == {"p50": 1500.0, "p95": 2000.0, "n": 3}
    assert body["pii"] == {"PERSON": 3, "EMAIL_ADDRESS": 2}
    assert body["top_reasons"]["escalation"][0] == {
        "reason": "Cloud: multi-step maths",
        "count": 2,
    }
    assert body["budget"]["daily_cap_usd"] == 1.0  # the settings' default
    assert _audit_json("--since", "2026-11-05")["routes"] == {"local": 1, "edge": 1, "cloud": 3}
    assert _audit_json("--since", "7d")["requests"] == 0


def test_audit_text_is_a_short_table(app_home: Path) -> None:
    _fill(app_home)
    proc = run_cli("audit", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert "9 requests" in proc.stdout
    assert "Estimated cloud cost avoided" in proc.stdout and "estimate" in proc.stdout
    assert "Cloud: multi-step maths" in proc.stdout
    assert len(proc.stdout.splitlines()) < 30


def test_empty_history_exits_0_with_zeros(app_home: Path) -> None:
    body = _audit_json()
    assert body["requests"] == 0 and body["routes"] == {"local": 0, "edge": 0, "cloud": 0}
    assert body["estimated_cost_avoided_usd"] == 0.0
    target = app_home.parent / "empty.jsonl"
    proc = run_cli("audit", "export", "--jsonl", str(target), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8") == ""


def test_export_round_trips_csv_and_jsonl(app_home: Path) -> None:
    _fill(app_home)
    jsonl, table = app_home.parent / "audit.jsonl", app_home.parent / "audit.csv"
    for flag, target in (("--jsonl", jsonl), ("--csv", table)):
        proc = run_cli("audit", "export", flag, str(target), timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert_no_traceback(proc)
        assert "Exported 9 request records" in proc.stdout
        assert PROMPT not in target.read_text(encoding="utf-8")  # no prompt text
        assert not list(target.parent.glob(f".{target.name}.*"))  # no temporary file left
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(records) == len(rows) == 9
    assert set(rows[0]) == {"id", *REQUEST_COLUMNS, "sent"}
    for record, row in zip(records, rows, strict=True):
        assert str(record["id"]) == row["id"] and record["route"] == row["route"]
        for cell in ("signals", "pii", "fallbacks", "sent"):
            assert json.loads(row[cell]) == record[cell]
    private = next(r for r in records if r["private"])
    assert private["conversation_id"] is None
    assert [json.loads(s["text"])["messages"][0]["content"] for s in private["sent"]] == ["c2"]
    assert sum(len(r["sent"]) for r in records) == 2
    later = app_home.parent / "later.jsonl"
    proc = run_cli("audit", "export", "--jsonl", str(later), "--since", "2026-11-05")
    assert proc.returncode == 0, proc.stderr
    assert len(later.read_text(encoding="utf-8").splitlines()) == 5


def test_export_to_a_missing_folder_is_a_readable_error(app_home: Path) -> None:
    proc = run_cli("audit", "export", "--csv", str(app_home.parent / "nope" / "a.csv"))
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "does not exist" in proc.stderr


def test_bad_date_is_a_usage_error(app_home: Path) -> None:
    proc = run_cli("audit", "--since", "someday")
    assert proc.returncode == 2
    assert "not a date" in proc.stderr


def test_after_real_local_cloud_and_fallback_turns(app_home: Path) -> None:
    """The issue's check: real turns (the embedded model, the suite's Messages server), then
    ``audit --json`` counts each route and prices the local tokens at the cloud model's rates,
    and the export's ``sent`` is exactly what the server received."""
    from tests.cli.test_cli_cloud import HARD, PERSONAL
    from tests.conftest import TEST_KEY
    from tests.support.anthropic_server import running_server

    with running_server() as server:
        env = {"ANTHROPIC_BASE_URL": server.base_url, "ANTHROPIC_API_KEY": TEST_KEY}
        turns = [
            ("--route", "local", "--max-tokens", "12", "What is the capital of France?"),
            ("--route", "cloud", PERSONAL),
        ]
        server.set(reply="Hello <PERSON_1>!")
        for turn in turns:
            proc = run_cli("ask", "--json", *turn, env=env)
            assert proc.returncode == 0, proc.stderr
        server.set(mode="429")
        proc = run_cli("ask", "--json", "--max-tokens", "12", HARD, env=env)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout.splitlines()[-1])["route"] == "local"
        received = [json.dumps(r.body) for r in server.message_requests()]
    body = _audit_json()
    assert body["routes"] == {"local": 2, "edge": 0, "cloud": 1}
    assert body["fallbacks"] == 1 and body["fallback_requests"] == 1
    assert body["cost_usd"] > 0 and body["cost_by_source"]["priced"] == body["cost_usd"]
    assert body["pii"].get("PERSON", 0) >= 1 and body["pii"].get("EMAIL_ADDRESS", 0) >= 1
    target = app_home.parent / "real.jsonl"
    proc = run_cli("audit", "export", "--jsonl", str(target))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    local = [r for r in records if r["route"] == "local"]
    price_in, price_out = price_of(body["cloud_model"])
    tokens_in = sum(r["prompt_tokens"] for r in local)
    tokens_out = sum(r["completion_tokens"] for r in local)
    assert tokens_in > 0 and tokens_out > 0
    assert body["estimated_cost_avoided_usd"] == pytest.approx(
        (tokens_in * price_in + tokens_out * price_out) / 1e6
    )
    cloud = next(r for r in records if r["route"] == "cloud")
    assert len(cloud["sent"]) == 1
    sent = json.loads(cloud["sent"][0]["text"])
    assert "Maria" not in cloud["sent"][0]["text"] and "<PERSON_1>" in cloud["sent"][0]["text"]
    assert any(json.dumps(sent["messages"])[1:-1] in r for r in received)
    fallback = next(r for r in records if r["fallback_count"])
    assert len(fallback["sent"]) >= 1  # the attempt that left before the 429
    assert local[0]["sent"] == []  # the first local turn sent nothing


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def test_audit_and_export_on_an_encrypted_history(
    keyring_env: dict[str, str], app_home: Path
) -> None:
    """The same plain SQL (window and JSON functions, INDEXED BY) runs on SQLCipher's SQLite."""
    _fill(app_home)
    done = run_cli("history", "encrypt", env=keyring_env, timeout=120)
    assert done.returncode == 0, done.stderr
    body = _audit_json(env=keyring_env)
    assert body["routes"] == {"local": 5, "edge": 1, "cloud": 3}
    assert body["latency_ms"]["local"] == {"p50": 200.0, "p95": 700.0, "n": 4}
    assert body["pii"] == {"PERSON": 3, "EMAIL_ADDRESS": 2}
    target = app_home.parent / "encrypted.jsonl"
    proc = run_cli("audit", "export", "--jsonl", str(target), env=keyring_env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 9 and sum(len(r["sent"]) for r in records) == 2
