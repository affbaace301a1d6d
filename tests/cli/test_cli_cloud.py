"""CLI contracts of the privacy gate and the cloud tier: redact, route, ask --route cloud|auto,
with the real SDK talking to our Messages API server on 127.0.0.1."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.cli.helpers import (
    UNSHARE_PREFIX,
    assert_no_traceback,
    guard_events,
    install_network_guard,
    unshare_available,
)
from tests.conftest import TEST_KEY, run_cli
from tests.support.anthropic_server import running_server

PERSONAL = (
    "Hi, I'm Maria Gonzalez, my email is maria.g@example.org and my phone is +34 612 345 678."
)
HARD = (
    "Prove that there are infinitely many primes, then derive the prime number theorem's "
    "leading term step by step, with a rigorous argument for each step."
)
EASY = "hi, how are you today?"


def write_settings(home: Path, **values: object) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text(json.dumps({"schema_version": 1, **values}))


def test_redact_prints_exactly_what_would_be_sent() -> None:
    proc = run_cli("redact", input=PERSONAL)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Hi, I'm <PERSON_1>")
    for value in ("Maria Gonzalez", "maria.g@example.org", "612 345 678"):
        assert value not in proc.stdout
    assert "<EMAIL_ADDRESS_1>" in proc.stdout and "<PHONE_NUMBER_1>" in proc.stdout


def test_redact_json_offsets_refer_to_the_original() -> None:
    proc = run_cli("redact", "--json", input=PERSONAL)
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["action"] == "send"
    found = {PERSONAL[e["start"] : e["end"]]: e["type"] for e in data["entities"]}
    assert found["maria.g@example.org"] == "EMAIL_ADDRESS"
    assert found["Maria Gonzalez"] == "PERSON"
    assert all(0 < e["score"] <= 1 for e in data["entities"])


def test_redact_jsonl_serves_many_lines_from_one_process() -> None:
    lines = [
        {"text": PERSONAL},
        {"text": "What is the capital of France?"},
        {"text": "my AWS key is AKIAIOSFODNN7EXAMPLE"},
    ]
    payload = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    started = time.perf_counter()
    proc = run_cli("redact", "--jsonl", input=payload)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert out[1] == {"text": "What is the capital of France?", "entities": [], "action": "send"}
    assert "AKIAIOSFODNN7EXAMPLE" not in out[2]["text"]
    assert [e["type"] for e in out[2]["entities"]] == ["SECRET"]
    for item, result in zip(lines, out, strict=False):
        for e in result["entities"]:
            assert set(e) == {"type", "start", "end", "score"}
            assert 0 <= e["start"] < e["end"] <= len(item["text"])
    assert "error" in out[3]
    assert time.perf_counter() - started < 120


def test_redact_block_policy_and_never_send(app_home: Path) -> None:
    write_settings(app_home, privacy_actions={"SECRET": "block"})
    proc = run_cli("redact", input="token=ghp_abcdefghijklmnopqrstuvwxyz0123456789")
    assert proc.returncode == 1 and proc.stdout == ""
    assert "blocked" in proc.stderr and "secret" in proc.stderr
    write_settings(app_home, never_send=True)
    data = json.loads(run_cli("redact", "--json", input="hello").stdout)
    assert data["action"] == "block" and "never send" in data["reason"]


def test_deny_and_allow_lists_from_settings(app_home: Path) -> None:
    write_settings(app_home, deny_terms=["Project Nightjar"], allow_terms=["Maria Gonzalez"])
    out = run_cli("redact", input="Maria Gonzalez leads project nightjar.").stdout
    assert out == "Maria Gonzalez leads <CUSTOM_1>."


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with running_server() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        yield server


def test_route_json_explains_without_answering(api) -> None:  # type: ignore[no-untyped-def]
    hard = json.loads(run_cli("route", "--json", HARD).stdout)
    assert hard["route"] == "cloud"
    assert hard["reason"].startswith("Cloud: ") and "est. $" in hard["reason"]
    assert isinstance(hard["complexity"], float) and hard["complexity"] >= 0.5
    assert hard["signals"]["network"]["status"] == "online"
    assert hard["signals"]["has_key"] is True
    easy = json.loads(run_cli("route", "--json", EASY).stdout)
    assert easy["route"] == "local" and easy["reason"].startswith("Local: ")
    assert api.message_requests() == []  # deciding sends nothing


def test_route_jsonl_many_prompts_one_process(api) -> None:  # type: ignore[no-untyped-def]
    prompts = [HARD, EASY, "Translate 'good morning' into Spanish."]
    proc = run_cli("route", "--jsonl", input="\n".join(json.dumps({"prompt": p}) for p in prompts))
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["route"] for o in out] == ["cloud", "local", "local"]
    assert all(o["reason"] for o in out)


def test_ask_cloud_json_and_auto_fallback(api) -> None:  # type: ignore[no-untyped-def]
    api.set(reply="Hello <PERSON_1>! Noted your email <EMAIL_ADDRESS_1>.")
    proc = run_cli("ask", "--route", "cloud", "--json", PERSONAL)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["route"] == "cloud" and data["cost_usd"] > 0
    assert data["text"] == "Hello Maria Gonzalez! Noted your email maria.g@example.org."
    assert "Maria" not in json.dumps(api.message_requests()[0].body)

    api.set(mode="429")
    proc = run_cli("ask", "--json", "--max-tokens", "24", HARD)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["route"] == "local" and "rate limit" in data["reason"]
    assert data["fallback"]

    api.set(mode="401")
    proc = run_cli("ask", "--route", "cloud", HARD)
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "rejected" in proc.stderr and "key set" in proc.stderr


def test_offline_mode_makes_zero_connections(app_home: Path, tmp_path: Path, api) -> None:  # type: ignore[no-untyped-def]
    write_settings(app_home, offline_mode=True)
    log = tmp_path / "net.log"
    env = install_network_guard(tmp_path / "guard", log)
    proc = run_cli("ask", "--json", "--max-tokens", "16", HARD, env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["route"] == "local" and data["reason"] == "Local: Offline mode is on."
    loaded, events = guard_events(log)
    assert loaded >= 1 and events == []
    assert api.requests == []


@pytest.mark.skipif(not unshare_available(), reason="needs unshare -n (root or user namespaces)")
def test_auto_answers_locally_within_seconds_with_no_network() -> None:
    started = time.perf_counter()
    proc = run_cli(
        "ask",
        "--json",
        "--max-tokens",
        "16",
        HARD,
        env={"ANTHROPIC_API_KEY": TEST_KEY, "ANTHROPIC_BASE_URL": ""},
        prefix=UNSHARE_PREFIX,
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["route"] == "local" and data["reason"] == "Local: offline."
    assert elapsed < 30, elapsed
