"""The workload audit's queries (``storage.audit``) over a real history file: exact counts, the
percentiles, the cost avoided at a known price, buckets, pages and the export's ``sent``, all
worked out by hand for a small fill; and an empty history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from hybrid_desktop.storage import audit
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.requests import insert_request

DAY1, DAY2 = "2026-11-01T12:00:00.000+00:00", "2026-11-10T12:00:00.000+00:00"
PROMPT = "Tell me about the Zanzibar walnut contract"  # a prompt that must not be exported


def _at(day: str, minute: int) -> str:
    return day.replace("12:00", f"12:{minute:02d}")


def _record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "route": "local",
        "requested": "auto",
        "server": "this device",
        "model": "embedded.gguf",
        "cost_usd": 0.0,
        "cost_source": "local_zero_cost",
        "gate_action": "none",
        "status": "complete",
    }
    return {**base, **fields}


def small_fill(store: HistoryStore) -> dict[str, int]:
    """Nine records over two days (DAY1: four local; DAY2: the rest), and three audit rows.

    Local latencies that count (not errors): 100, 200, 400, 700 -> p50 200, p95 700.
    Cloud: 1000, 1500, 2000 -> p50 1500, p95 2000. Local+edge tokens: 730 in, 315 out.
    """
    a = store.start_conversation(PROMPT)
    b = store.start_conversation("Another prompt")
    answer = store.add_message(a.conversation_id, "assistant", "An answer", route="cloud")
    conv_a, conv_b = a.conversation_id, b.conversation_id
    cloud_fallback = {"route": "cloud", "server": None, "error": "The cloud timed out."}
    edge_fallback = {"route": "edge", "server": "lab-box", "error": "lab-box is offline."}
    records = [
        _record(
            created_at=_at(DAY1, 0),
            conversation_id=conv_b,
            prompt_tokens=100,
            completion_tokens=50,
            latency_ms=100.0,
            ttft_ms=10.0,
            pii={"PERSON": 1},
        ),
        _record(
            created_at=_at(DAY1, 1),
            prompt_tokens=200,
            completion_tokens=100,
            latency_ms=200.0,
            ttft_ms=20.0,
            kept_local_by_policy=True,
            gate_action="blocked",
            pii={"PERSON": 2, "EMAIL_ADDRESS": 1},
        ),
        _record(created_at=_at(DAY1, 2), latency_ms=5000.0, status="error"),
        _record(
            created_at=_at(DAY1, 3),
            conversation_id=conv_a,
            user_message_id=a.id,
            prompt_tokens=50,
            completion_tokens=25,
            latency_ms=400.0,
        ),
        _record(
            created_at=_at(DAY2, 0),
            conversation_id=conv_a,
            message_id=answer.id,
            route="cloud",
            server="anthropic",
            model="claude-sonnet-5-5",
            reason="Cloud: multi-step maths; est. $0.004.",
            prompt_tokens=1000,
            completion_tokens=500,
            latency_ms=1000.0,
            ttft_ms=300.0,
            cost_usd=0.01,
            cost_source="priced",
            gate_action="redacted",
            pii={"EMAIL_ADDRESS": 1},
            escalated=True,
        ),
        _record(
            created_at=_at(DAY2, 1),
            route="cloud",
            server="anthropic",
            reason="Cloud: multi-step maths; est. $0.002.",
            latency_ms=2000.0,
            cost_usd=0.02,
            cost_source="priced",
            gate_action="sent",
        ),
        _record(
            created_at=_at(DAY2, 2),
            route="edge",
            server="lab-box",
            reason="Edge: code on lab-box; est. $0.000.",
            prompt_tokens=300,
            completion_tokens=100,
            latency_ms=600.0,
            gate_action="private",
            fallbacks=[cloud_fallback],
        ),
        _record(
            created_at=_at(DAY2, 3),
            requested="cloud",
            prompt_tokens=80,
            completion_tokens=40,
            latency_ms=700.0,
            status="partial",
            fallbacks=[cloud_fallback, edge_fallback],
        ),
        _record(
            created_at=_at(DAY2, 5),
            route="cloud",
            requested="cloud",
            server="anthropic",
            model="mystery-model",
            latency_ms=1500.0,
            cost_source="unpriced",
            gate_action="sent",
            private=True,
        ),
    ]
    with store.db.conn:
        for record in records:
            insert_request(store.db, record)
        audit_rows = [
            # conversation a's cloud request (record 5), written just before it
            ("2026-11-10T11:59:00.000+00:00", conv_a, "c1"),
            # the private cloud request (record 9): no conversation, no server in the text
            (_at(DAY2, 4), None, "c2"),
            # an edge row with no conversation in the same window: not record 9's (cloud only)
            ("2026-11-10T12:04:30.000+00:00", None, "e1"),
        ]
        for created_at, conversation_id, tag in audit_rows:
            body: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": tag}]}
            if tag.startswith("e"):
                body["server"] = "lab-box"
            store.db.table("audit_log").insert(
                {
                    "created_at": created_at,
                    "destination": "lab:8080" if tag.startswith("e") else "api.example",
                    "model": "m",
                    "conversation_id": conversation_id,
                    "redacted_text": json.dumps(body),
                    "entity_counts": "{}",
                    "bytes": 1,
                    "status": "sent",
                }
            )
    return {"a": conv_a, "b": conv_b}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    history = HistoryStore(tmp_path / "history.db")
    try:
        yield history
    finally:
        history.close()


@pytest.fixture
def filled(store: HistoryStore) -> sqlite_utils.Database:
    small_fill(store)
    return store.db


def test_summary_counts_by_hand(filled: sqlite_utils.Database) -> None:
    s = audit.summary(filled, None, price_in_per_mtok=3.0, price_out_per_mtok=15.0)
    assert s["requests"] == 9
    assert s["routes"] == {"local": 5, "edge": 1, "cloud": 3}
    assert s["route_share"] == {"local": round(5 / 9, 4), "edge": round(1 / 9, 4), "cloud": 0.3333}
    assert s["cost_usd"] == pytest.approx(0.03)
    assert s["cost_by_source"] == {
        "priced": pytest.approx(0.03),
        "local_zero_cost": 0.0,
        "unpriced": 1,
    }
    assert s["estimated_cost_avoided_usd"] == pytest.approx((730 * 3 + 315 * 15) / 1e6)
    assert s["estimated_cost_avoided_note"].startswith("an estimate")
    assert s["latency_ms"]["local"] == {"p50": 200.0, "p95": 700.0, "n": 4}
    assert s["latency_ms"]["cloud"] == {"p50": 1500.0, "p95": 2000.0, "n": 3}
    assert s["latency_ms"]["edge"] == {"p50": 600.0, "p95": 600.0, "n": 1}
    assert s["ttft_ms"]["local"] == {"p50": 10.0, "p95": 20.0, "n": 2}
    assert s["pii"] == {"PERSON": 3, "EMAIL_ADDRESS": 2}
    assert s["kept_local_by_policy"] == 1
    assert s["gate_actions"] == {"blocked": 1, "none": 4, "private": 1, "redacted": 1, "sent": 2}
    assert s["statuses"] == {"complete": 7, "error": 1, "partial": 1}
    assert (s["fallbacks"], s["fallback_requests"], s["escalations"]) == (3, 2, 1)
    assert s["top_reasons"]["escalation"] == [
        {"reason": "Cloud: multi-step maths", "count": 2},
        {"reason": "Edge: code on lab-box", "count": 1},
    ]
    assert s["top_reasons"]["fallback"] == [
        {"reason": "The cloud timed out.", "count": 2},
        {"reason": "lab-box is offline.", "count": 1},
    ]
    assert set(s["budget"]) == {
        "daily_cap_usd",
        "monthly_cap_usd",
        "spent_today_usd",
        "spent_month_usd",
    }


def test_since_and_until(filled: sqlite_utils.Database) -> None:
    later = audit.summary(filled, "2026-11-05")
    assert later["routes"] == {"local": 1, "edge": 1, "cloud": 3}
    earlier = audit.summary(filled, None, "2026-11-05T00:00:00Z")
    assert earlier["routes"] == {"local": 4, "edge": 0, "cloud": 0}
    assert earlier["until"] == "2026-11-05T00:00:00.000+00:00"
    assert audit.summary(filled, "1d")["requests"] == 0  # the fill is in the past


def test_to_stamp() -> None:
    assert audit.to_stamp("2026-11-05T09:30Z") == "2026-11-05T09:30:00.000+00:00"
    assert audit.to_stamp("2026-11-05T09:30") == "2026-11-05T09:30:00.000+00:00"
    from datetime import datetime, timezone

    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
    assert audit.to_stamp("7d", now) == "2026-11-25T12:00:00.000+00:00"
    assert audit.to_stamp("24h", now) == "2026-12-01T12:00:00.000+00:00"
    with pytest.raises(ValueError):
        audit.to_stamp("last tuesday")


def test_buckets(filled: sqlite_utils.Database) -> None:
    days = audit.route_share_over_time(filled, "day", None)
    assert days == [
        {"bucket": "2026-11-01", "local": 4, "edge": 0, "cloud": 0, "total": 4},
        {"bucket": "2026-11-10", "local": 1, "edge": 1, "cloud": 3, "total": 5},
    ]
    weeks = audit.route_share_over_time(filled, "week", None)
    assert [w["bucket"] for w in weeks] == ["2026-10-26", "2026-11-09"]  # Mondays
    assert audit.route_share_over_time(filled, "month", None) == [
        {"bucket": "2026-11", "local": 5, "edge": 1, "cloud": 3, "total": 9}
    ]
    spend = audit.spend_over_time(filled, "day", None)
    assert spend == [{"bucket": "2026-11-10", "cost_usd": pytest.approx(0.03), "requests": 2}]


def test_pages_and_filters(filled: sqlite_utils.Database) -> None:
    rows, total = audit.page(filled, limit=4)
    assert total == 9 and len(rows) == 4
    assert [r["created_at"] for r in rows] == sorted((r["created_at"] for r in rows), reverse=True)
    rest, _ = audit.page(filled, offset=8, limit=4)
    assert len(rest) == 1 and rest[0]["created_at"] == _at(DAY1, 0)
    assert audit.page(filled, route="local")[1] == 5
    assert audit.page(filled, status="error")[1] == 1
    maths, n = audit.page(filled, reason="MATHS")
    assert n == 2 and all("maths" in r["reason"] for r in maths)
    assert isinstance(maths[0]["pii"], dict) and isinstance(maths[0]["fallbacks"], list)
    assert audit.page(filled, route="cloud", since="2026-11-10T12:01Z")[1] == 2


def test_iter_rows_carries_what_was_sent(store: HistoryStore) -> None:
    convs = small_fill(store)
    rows = list(audit.iter_rows(store.db, None))
    assert len(rows) == 9
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)
    by_time = {r["created_at"]: r for r in rows}
    cloud = by_time[_at(DAY2, 0)]
    assert cloud["conversation_id"] == convs["a"]
    assert [json.loads(s["text"])["messages"][0]["content"] for s in cloud["sent"]] == ["c1"]
    private = by_time[_at(DAY2, 5)]
    assert [json.loads(s["text"])["messages"][0]["content"] for s in private["sent"]] == ["c2"]
    assert by_time[_at(DAY1, 3)]["sent"] == []  # conversation a's earlier local turn
    assert all("content" not in r and PROMPT not in json.dumps(r) for r in rows)
    assert len(list(audit.iter_rows(store.db, "2026-11-10T12:01Z"))) == 4


def test_empty_history(store: HistoryStore) -> None:
    s = audit.summary(store.db, None, price_in_per_mtok=3.0, price_out_per_mtok=15.0)
    assert s["requests"] == 0 and s["routes"] == {"local": 0, "edge": 0, "cloud": 0}
    assert s["route_share"] == {"local": 0.0, "edge": 0.0, "cloud": 0.0}
    assert s["estimated_cost_avoided_usd"] == 0.0
    assert s["latency_ms"]["local"] == {"p50": None, "p95": None, "n": 0}
    assert s["pii"] == {} and s["top_reasons"] == {"escalation": [], "fallback": []}
    assert audit.page(store.db) == ([], 0)
    assert list(audit.iter_rows(store.db, None)) == []
    assert audit.route_share_over_time(store.db, "week", None) == []


def test_100k_records_agree_with_python_over_the_rows(store: HistoryStore) -> None:
    """A speed sanity at the dashboard's scale (no timing asserts: bench_audit.py times it): the
    SQL figures equal the same figures computed in Python over every fetched row."""
    from tests.benchmarks.bench_audit import _agree, _fill_function, python_summary

    fill_requests, _ = _fill_function()  # tests/support/audit_data's, once it exists
    fill_requests(store.db, 100_000, seed=3)
    prices: dict[str, Any] = {"price_in_per_mtok": 3.0, "price_out_per_mtok": 15.0}
    sql = audit.summary(store.db, None, **prices)
    assert sql["requests"] == 100_000
    assert _agree(sql, python_summary(store.db, **prices))
    rows, total = audit.page(store.db, route="cloud", offset=100, limit=100)
    assert total == sql["routes"]["cloud"] and len(rows) == 100
    assert all(r["route"] == "cloud" for r in rows)
    weeks = audit.route_share_over_time(store.db, "week", None)
    assert sum(w["total"] for w in weeks) == 100_000
