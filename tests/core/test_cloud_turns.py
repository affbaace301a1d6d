"""Turns through the router and the cloud tier: the real SDK over HTTP to our Messages API server
on 127.0.0.1, the real privacy gate, the real local model for fallbacks, real SQLite."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnFailed, TurnRequest, cloud_tier_from
from hybrid_desktop.core.cloud_tier import load_vault
from hybrid_desktop.errors import (
    CloudAuthError,
    CloudBusyError,
    CloudPortalError,
    CloudServerError,
    CloudStreamCutError,
    CloudTimeoutError,
    RouteUnavailableError,
)
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.privacy import PrivacyStore
from tests.conftest import TEST_KEY

HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)
EASY = "What is the capital of France?"
PERSONAL = (
    "Please draft a polite reminder to my landlord Alice Martin (alice.martin@example.com) that "
    "the boiler repair is overdue, and explain step by step the tenant rights that apply in a "
    "formal legal analysis with citations."
)


def service_for(engine, history, gate, **settings) -> ChatService:  # type: ignore[no-untyped-def]
    s = Settings(max_tokens=48, **settings)
    return ChatService(engine, history, s, cloud=cloud_tier_from(s, gate))


def test_forced_cloud_sends_only_redacted_text_and_restores_the_reply(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Dear <PERSON_1>, I will write to <EMAIL_ADDRESS_1> today.", chunk_size=5)
    shown: list[str] = []
    service = service_for(engine, history, privacy_gate, cloud_model="claude-haiku-5-5")
    result = service.ask(TurnRequest(PERSONAL, route="cloud"), on_text=shown.append)

    assert result.route == "cloud" and result.status == "complete"
    assert result.text == "Dear Alice Martin, I will write to alice.martin@example.com today."
    assert "".join(shown) == result.text
    assert result.cost_usd > 0 and result.model == "claude-haiku-5-5"
    assert result.reason.startswith("Cloud: you chose Cloud")

    (sent,) = fake_api.message_requests()
    # SDK 2.x sends the key as a bearer token; older ones used x-api-key.
    assert sent.headers.get("authorization") == f"Bearer {TEST_KEY}" or (
        sent.headers.get("x-api-key") == TEST_KEY
    )
    assert "anthropic-version" in sent.headers
    assert sent.body["model"] == "claude-haiku-5-5"
    assert sent.body["stream"] is True
    body = json.dumps(sent.body)
    assert "Alice Martin" not in body and "alice.martin@example.com" not in body
    assert "<PERSON_1>" in sent.body["messages"][-1]["content"]
    assert "placeholder" in sent.body["system"]

    messages = history.messages(result.conversation_id)
    assert messages[0].content == PERSONAL  # the original stays on the device
    assert messages[1].route == "cloud" and messages[1].content == result.text
    audit = PrivacyStore(history).list_audit()
    assert len(audit) == 1 and audit[0].status == "sent"
    assert "Alice Martin" not in audit[0].redacted_text
    assert audit[0].entity_counts.get("PERSON") == 1
    assert audit[0].destination.startswith("127.0.0.1")
    vault = load_vault(PrivacyStore(history), result.conversation_id)
    assert vault.value_of("<PERSON_1>") == "Alice Martin"


def test_placeholders_stay_the_same_across_turns(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate)
    first = service.ask(TurnRequest(PERSONAL, route="cloud"))
    service.ask(
        TurnRequest(
            "Also cc alice.martin@example.com and Bob Stone.", first.conversation_id, route="cloud"
        )
    )
    second = fake_api.message_requests()[1].body["messages"]
    assert second[0]["content"] == fake_api.message_requests()[0].body["messages"][0]["content"]
    assert "<EMAIL_ADDRESS_1>" in second[-1]["content"]
    assert "<PERSON_2>" in second[-1]["content"]


def test_auto_routes_hard_tasks_to_the_cloud_and_easy_ones_locally(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate)
    easy = service.ask(TurnRequest(EASY))
    assert easy.route == "local" and fake_api.message_requests() == []
    hard = service.ask(TurnRequest(HARD))
    assert hard.route == "cloud", hard.reason
    assert hard.reason.startswith("Cloud: ") and "est. $" in hard.reason
    assert len(fake_api.message_requests()) == 1


@pytest.mark.parametrize(
    ("mode", "error", "words"),
    [
        ("401", CloudAuthError, "rejected"),
        ("429", CloudBusyError, "rate limit"),
        ("529", CloudBusyError, "overloaded"),
        ("500", CloudServerError, "error"),
        ("slow", CloudTimeoutError, "in time"),
        ("cut", CloudStreamCutError, "mid"),
        ("nostop", CloudStreamCutError, "cut off"),
        ("html", CloudPortalError, "captive portal"),
    ],
)
def test_every_cloud_failure_falls_back_to_local_on_auto_and_fails_clearly_when_forced(
    engine, history, privacy_gate, fake_api, mode, error, words
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(
        mode=mode,
        reply="Step one: " + "the first train has a head start. " * 5,
        delay_s=3.0 if mode == "slow" else 0.0,
        cut_after=30,
    )
    service = service_for(engine, history, privacy_gate, cloud_timeout_s=1.0)
    fallbacks: list[str] = []
    result = service.ask(TurnRequest(HARD), on_fallback=fallbacks.append)
    assert result.route == "local" and result.status == "complete"
    assert result.fallback and words in result.fallback.lower()
    assert result.reason.startswith("Local: the cloud failed")
    assert fallbacks == [result.reason]
    stored = history.messages(result.conversation_id)
    if mode in ("cut", "nostop"):  # the partial cloud answer is kept, marked
        assert [m.status for m in stored] == ["complete", "partial", "complete"]
        assert stored[1].route == "cloud" and stored[1].content.startswith("Step one")
    else:
        assert [m.route for m in stored[1:]] == ["local"]
    assert PrivacyStore(history).list_audit()[0].status == "failed"

    if mode == "html":  # the portal is remembered: a forced turn is refused without a request
        sent = len(fake_api.message_requests())
        with pytest.raises(RouteUnavailableError, match="captive portal"):
            service.ask(TurnRequest(HARD, route="cloud"))
        assert len(fake_api.message_requests()) == sent
        return
    with pytest.raises(TurnFailed) as info:
        service.ask(TurnRequest(HARD, route="cloud"))
    assert isinstance(info.value.cause, error)
    assert words in info.value.message.lower()
    assert "Traceback" not in info.value.user_text()


def test_a_long_retry_after_means_a_local_answer_now_and_says_when(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="429", retry_after="60")
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local" and result.status == "complete"
    assert result.fallback is not None and "about 60 s" in result.fallback
    assert len(fake_api.message_requests()) == 1  # no retry: the SDK did not sleep it out


def test_a_server_that_never_answers_costs_one_deadline_not_a_retry(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="slow", delay_s=5.0)
    service = service_for(engine, history, privacy_gate, cloud_timeout_s=1.0)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local" and "in time" in (result.fallback or "")
    assert len(fake_api.message_requests()) == 1


def test_a_huge_error_page_is_not_read_past_the_cap(
    engine, history, privacy_gate, fake_api, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.core.engines import cloud

    monkeypatch.setattr(cloud, "MAX_RESPONSE_BYTES", 1 << 20)
    fake_api.set(mode="huge", cut_after=64 << 20)
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local" and result.status == "complete"
    assert result.fallback is not None and "more than 1 MiB" in result.fallback


def test_an_endless_stream_is_held_to_the_token_limit_and_kept(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="endless")
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(HARD, route="cloud"))
    assert result.route == "cloud" and result.stats.stop_reason == "length"
    assert result.text.startswith("and so on") and len(result.text) <= 48 * 8 + 20
    assert history.messages(result.conversation_id)[-1].content == result.text


def test_offline_mode_makes_no_connection(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, offline_mode=True)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local" and result.reason == "Local: Offline mode is on."
    with pytest.raises(RouteUnavailableError):
        service.ask(TurnRequest(HARD, route="cloud"))
    assert fake_api.requests == []
    assert service.cloud is not None and service.cloud.network.probes == 0


def test_unreachable_endpoint_answers_locally(engine, history, privacy_gate, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: connections are refused
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
    service = service_for(engine, history, privacy_gate)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local" and result.reason == "Local: offline."


def test_no_key_means_local_and_forced_cloud_says_so(
    engine, history, privacy_gate, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    service = service_for(engine, history, privacy_gate)
    assert service.ask(TurnRequest(HARD)).reason == "Local: no cloud API key is set."
    with pytest.raises(RouteUnavailableError) as info:
        service.ask(TurnRequest(HARD, route="cloud"))
    assert "key" in info.value.message


def test_over_budget_means_local(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.storage.usage import UsageStore

    UsageStore(history).record("claude-sonnet-5-5", 1000, 1000, 0.999, 100.0, "ok", None)
    service = service_for(engine, history, privacy_gate, daily_budget_usd=1.0)
    result = service.ask(TurnRequest(HARD))
    assert result.route == "local"
    assert "budget" in result.reason and "$1.00 of $1.00" in result.reason
    assert fake_api.message_requests() == []


def test_privacy_block_policy_keeps_it_local(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy

    gate = PrivacyGate(
        PrivacyPolicy(actions={"EMAIL_ADDRESS": "block"}), detector_factory=privacy_gate.load
    )
    service = service_for(engine, history, gate)
    result = service.ask(TurnRequest(PERSONAL))
    assert result.route == "local"
    assert "email address" in result.reason
    with pytest.raises(RouteUnavailableError):
        service.ask(TurnRequest(PERSONAL, route="cloud"))
    assert fake_api.message_requests() == []


def test_the_key_is_never_written_under_the_app_home(
    engine, privacy_gate, fake_api, app_home
) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.config.logs import setup_logging
    from hybrid_desktop.config.paths import default_paths

    paths = default_paths()
    paths.ensure()
    setup_logging(paths.log_file)
    store = HistoryStore(paths.database)
    fake_api.set(mode="401")
    service = service_for(engine, store, privacy_gate)
    service.ask(TurnRequest(HARD))
    store.close()
    for path in Path(app_home).rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path
    assert TEST_KEY not in repr(service.cloud.engine())  # type: ignore[union-attr]
    assert os.environ["ANTHROPIC_API_KEY"] == TEST_KEY
