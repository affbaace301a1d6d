"""The request table (migration m006): written with the answer in one transaction, and filled
from an older history's answers and usage rows when it is first made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from hybrid_desktop.errors import StorageError
from hybrid_desktop.storage import migrations
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.requests import RequestStore, decode, row_of


def _rows(db: sqlite_utils.Database) -> list[dict]:
    return [decode(r) for r in db.query("SELECT * FROM requests ORDER BY id")]


def _old_history(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A history made by the release before the request table, with answers and usage rows."""
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:5])
        store = HistoryStore(path)
        first = store.start_conversation("What is the capital of France?")
        store.add_message(
            first.conversation_id,
            "assistant",
            "Paris.",
            route="local",
            reason="Local: quick everyday task.",
            model="embedded.gguf",
            meta={
                "prompt_tokens": 12,
                "completion_tokens": 3,
                "ttft_ms": 80.5,
                "tokens_per_s": 40.0,
                "total_ms": 150.0,
            },
        )
        second = store.start_conversation("Prove it step by step")
        answer = store.add_message(
            second.conversation_id,
            "assistant",
            "Step one...",
            route="cloud",
            reason="Cloud: multi-step maths; est. $0.004.",
            model="claude-haiku-5-5",
            meta={"prompt_tokens": 40, "completion_tokens": 90, "cost_usd": 0.0005},
        )
        usage = store.db.table("usage")
        # Paid for the cloud answer above (written just before it) ...
        usage.insert(
            {
                "created_at": answer.created_at,
                "model": "claude-haiku-5-5",
                "input_tokens": 41,
                "output_tokens": 91,
                "cost_usd": 0.00061,
                "latency_ms": 900.0,
                "status": "ok",
                "conversation_id": second.conversation_id,
            }
        )
        # ... and a failed request that left no answer.
        usage.insert(
            {
                "created_at": "2026-01-01T00:00:00.000+00:00",
                "model": "claude-haiku-5-5",
                "input_tokens": 0,
                "output_tokens": 0,
                "cost_usd": 0.0,
                "latency_ms": None,
                "status": "failed",
                "conversation_id": None,
            }
        )
        assert "requests" not in store.db.table_names()
        store.close()


def test_an_older_history_gets_a_record_for_each_answer_and_usage_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    _old_history(path, monkeypatch)
    store = HistoryStore(path)  # migrates
    local, cloud, failed = _rows(store.db)
    assert local["route"] == "local" and local["cost_source"] == "local_zero_cost"
    assert (local["prompt_tokens"], local["completion_tokens"]) == (12, 3)
    assert local["ttft_ms"] == 80.5 and local["latency_ms"] == 150.0
    assert local["user_message_id"] == local["message_id"] - 1
    assert local["gate_action"] == "none" and local["status"] == "complete"
    # The usage row's figures win: it is what was billed.
    assert cloud["route"] == "cloud" and cloud["cost_source"] == "priced"
    assert (cloud["prompt_tokens"], cloud["completion_tokens"]) == (41, 91)
    assert cloud["cost_usd"] == pytest.approx(0.00061)
    assert failed["message_id"] is None and failed["status"] == "error"
    assert failed["route"] == "cloud"
    store.close()


@pytest.mark.expected_error_log
def test_the_record_and_its_answer_are_one_write(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.db")
    first = store.start_conversation("hello")
    bad = {"route": "mars", "cost_source": "priced", "gate_action": "none", "status": "complete"}
    with pytest.raises(StorageError):
        store.add_message(first.conversation_id, "assistant", "hi", route="local", request=bad)
    assert [m.role for m in store.messages(first.conversation_id)] == ["user"]
    assert _rows(store.db) == []
    good = {**bad, "route": "local", "pii": {"PERSON": 2}, "fallbacks": [{"route": "cloud"}]}
    message = store.add_message(first.conversation_id, "assistant", "hi", request=good)
    (row,) = _rows(store.db)
    assert row["message_id"] == message.id and row["conversation_id"] == first.conversation_id
    assert row["created_at"] == message.created_at
    assert row["pii_count"] == 2 and row["fallback_count"] == 1
    # Deleting the conversation keeps its records, without their ids (like the audit log).
    store.delete_conversation(first.conversation_id)
    (row,) = _rows(store.db)
    assert row["conversation_id"] is None and row["message_id"] is None
    store.close()


def test_a_record_written_on_its_own(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.db")
    RequestStore(store).record(
        {
            "route": "edge",
            "server": "box",
            "cost_source": "local_zero_cost",
            "gate_action": "private",
            "status": "error",
            "signals": {"edge_server": "box"},
        }
    )
    (row,) = _rows(store.db)
    assert row["signals"] == {"edge_server": "box"} and row["pii"] == {}
    with pytest.raises(ValueError, match="prompt"):
        row_of({"prompt": "no text here"})
    assert json.loads(row_of({"pii": {"A": 1}})["pii"]) == {"A": 1}
    store.close()
