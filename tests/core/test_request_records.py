"""The request record written with each answer (storage.requests), through real turns: the
embedded model, our Messages API server on 127.0.0.1 for the cloud, the real privacy gate."""

from __future__ import annotations

import pytest

from hybrid_desktop.core.chat import TurnFailed, TurnRequest
from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy
from hybrid_desktop.storage.requests import RequestStore, decode
from tests.core.test_cloud_turns import EASY, HARD, PERSONAL, service_for


def records(history) -> list[dict]:  # type: ignore[no-untyped-def]
    cursor = history.db.execute("SELECT * FROM requests ORDER BY id")
    names = [c[0] for c in cursor.description]
    return [decode(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def test_a_local_answer_has_its_record_with_the_answer(engine, history, privacy_gate) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(EASY))
    (record,) = records(history)
    assert record["route"] == "local" and record["server"] == "this device"
    assert record["message_id"] == result.assistant_message_id
    assert record["user_message_id"] == result.user_message_id
    assert record["conversation_id"] == result.conversation_id
    assert record["requested"] == "auto" and record["reason"] == result.reason
    assert record["model"] == result.model and record["quantization"]  # the GGUF's file type
    assert record["prompt_tokens"] == result.stats.prompt_tokens > 0
    assert record["completion_tokens"] == result.stats.completion_tokens > 0
    assert record["ttft_ms"] > 0 and record["latency_ms"] >= record["ttft_ms"]
    assert record["cost_usd"] == 0 and record["cost_source"] == "local_zero_cost"
    assert record["gate_action"] == "none" and record["pii"] == {}
    assert record["status"] == "complete" and record["fallbacks"] == []
    assert record["signals"]["category"] == record["category"]
    # No prompt text in the record: it is the user message's.
    assert EASY not in repr(record)
    message = history.messages(result.conversation_id)[1]
    assert RequestStore(history).for_message(message.id)["id"] == record["id"]  # type: ignore[index]


def test_a_cloud_answer_records_cost_tokens_and_what_the_gate_found(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Dear <PERSON_1>, noted.", chunk_size=5)
    service = service_for(engine, history, privacy_gate, cloud_model="claude-haiku-5-5")
    result = service.ask(TurnRequest(PERSONAL, route="cloud"))
    (record,) = records(history)
    assert record["route"] == "cloud" and record["server"] == "anthropic"
    assert record["requested"] == "cloud" and record["model"] == "claude-haiku-5-5"
    assert record["cost_source"] == "priced"
    assert record["cost_usd"] == pytest.approx(result.cost_usd)
    assert record["gate_action"] == "redacted"
    assert record["pii"].get("PERSON") == 1 and record["pii"].get("EMAIL_ADDRESS") == 1
    assert record["pii_count"] >= 2
    assert "Alice" not in repr(record)


def test_a_fallback_turn_records_the_failure_it_moved_on_from(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="500")
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local"
    (record,) = records(history)
    assert record["route"] == "local" and record["fallback_count"] == 1
    (fallback,) = record["fallbacks"]
    assert fallback["route"] == "cloud" and fallback["error"] == result.fallback
    assert record["gate_action"] in ("sent", "redacted")  # the cloud request did leave


def test_a_forced_turn_that_fails_has_an_error_record(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="500")
    service = service_for(engine, history, privacy_gate)
    with pytest.raises(TurnFailed) as info:
        service.ask(TurnRequest(HARD, route="cloud"))
    (record,) = records(history)
    assert record["route"] == "cloud" and record["status"] == "error"
    assert record["message_id"] is None
    assert record["conversation_id"] == info.value.conversation_id


def test_a_request_kept_local_by_policy_says_so(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    gate = PrivacyGate(
        PrivacyPolicy(actions={"EMAIL_ADDRESS": "block"}), detector_factory=privacy_gate.load
    )
    service = service_for(engine, history, gate)
    service.ask(TurnRequest(PERSONAL))
    (record,) = records(history)
    assert record["route"] == "local" and record["kept_local_by_policy"] == 1
    assert record["gate_action"] == "blocked" and record["pii"].get("EMAIL_ADDRESS") == 1
