"""Turns through the edge tier: llama-cpp-python's own server on 127.0.0.1 serving the embedded
model (through the real ``openai`` SDK), a recording proxy in front of it to see exactly what was
sent, the real privacy gate, the real local model for fallbacks, real SQLite."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from hybrid_desktop.config.edge import EdgeServer
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnFailed, TurnRequest, cloud_tier_from
from hybrid_desktop.core.edge_tier import EdgeTier
from hybrid_desktop.errors import RouteUnavailableError
from hybrid_desktop.storage.privacy import PrivacyStore
from tests.support.edge_proxy import running_edge_proxy

#: Beyond the embedded (tiny) model, within a large one (the complexity model says so).
MIDDLE = "Summarise the causes of the First World War in three paragraphs."
#: Beyond both: the cloud's, when it can take it.
HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)
EASY = "Write a haiku about autumn."
PERSONAL = (
    "Please draft a polite reminder to my landlord Alice Martin (alice.martin@example.com) that "
    "the boiler repair is overdue."
)


def service_for(
    engine: Any, history: Any, gate: Any, url: str, trust: str = "organisation", **settings: Any
) -> ChatService:
    server = EdgeServer("box", url, trust=trust, tier=settings.pop("tier", "large"))
    protocol = settings.pop("protocol", None)
    model = settings.pop("model", "")
    if protocol or model:
        server = EdgeServer(
            "box", url, protocol=protocol or "openai", trust=trust, model=model, tier="large"
        )
    settings.setdefault("max_tokens", 24)
    s = Settings(edge_servers=[server.to_json()], **settings)
    return ChatService(engine, history, s, cloud=cloud_tier_from(s, gate), edge=EdgeTier(s, gate))


def test_forced_edge_answers_through_the_server_stored_and_audited(
    engine, history, privacy_gate, edge_proxy
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_proxy.url)
    shown: list[str] = []
    result = service.ask(TurnRequest(EASY, route="edge"), on_text=shown.append)

    assert result.route == "edge" and result.edge_server == "box"
    assert result.status == "complete" and result.text.strip()
    assert "".join(shown) == result.text
    assert result.model == "edge-model"
    assert result.reason.startswith("Edge (box): you chose Edge")
    assert result.stats.ttft_ms > 0 and result.stats.completion_tokens > 0
    assert result.to_json()["edge_server"] == "box"

    (sent,) = edge_proxy.chat_requests()
    assert sent.json["model"] == "edge-model" and sent.json["stream"] is True
    assert sent.json["messages"] == [{"role": "user", "content": EASY}]  # nothing replaced

    stored = history.messages(result.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].route == "edge" and stored[1].content == result.text
    assert stored[1].meta.get("edge_server") == "box"
    (audit,) = PrivacyStore(history).list_audit()
    assert audit.destination == edge_proxy.host and audit.status == "sent"
    assert json.loads(audit.redacted_text)["messages"][-1]["content"] == EASY


def test_auto_sends_work_above_the_local_tier_to_the_edge(
    engine, history, privacy_gate, edge_server
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_server.url)
    easy = service.plan(TurnRequest(EASY))
    assert easy.decision.route == "local"

    plan = service.plan(TurnRequest(MIDDLE))
    assert plan.decision.route == "edge", plan.decision.reason
    assert (
        plan.decision.reason.startswith("Edge (box): ") and "(large tier)" in plan.decision.reason
    )
    assert plan.decision.reason.endswith("; $0.")
    assert plan.decision.signals["edge_server"] == "box"
    assert plan.decision.signals["tier_chosen"] == "edge"

    result = service.ask(TurnRequest(MIDDLE))
    assert result.route == "edge" and result.text.strip()


def test_work_beyond_the_edge_tier_goes_to_the_cloud_and_to_the_edge_when_it_fails(
    engine, history, privacy_gate, edge_server, fake_api
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_server.url)
    assert service.plan(TurnRequest(MIDDLE)).decision.route == "edge"  # edge before the cloud
    plan = service.plan(TurnRequest(HARD))
    assert plan.decision.route == "cloud", plan.decision.reason

    fake_api.set(mode="500")
    fallbacks: list[str] = []
    result = service.ask(TurnRequest(HARD), on_fallback=fallbacks.append)
    assert result.route == "edge" and result.edge_server == "box"
    assert result.text.strip() and result.fallback
    assert fallbacks and fallbacks[0].startswith("Edge (box): the cloud failed")
    assert any("edge server box answered instead" in n for n in result.notices)


def test_organisation_trust_sends_personal_data_redacted(
    engine, history, privacy_gate, edge_proxy
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_proxy.url)
    result = service.ask(TurnRequest(PERSONAL, route="edge"))
    assert result.route == "edge"

    (sent,) = edge_proxy.chat_requests()
    body = sent.body.decode()
    assert "Alice Martin" not in body and "alice.martin@example.com" not in body
    assert "<PERSON_1>" in sent.json["messages"][-1]["content"]
    assert "<EMAIL_ADDRESS_1>" in sent.json["messages"][-1]["content"]
    assert "placeholder" in sent.json["messages"][0]["content"]  # keep them as written
    assert sent.json["messages"][0]["role"] == "system"
    assert history.messages(result.conversation_id)[0].content == PERSONAL
    (audit,) = PrivacyStore(history).list_audit()
    assert "Alice Martin" not in audit.redacted_text
    assert audit.entity_counts.get("PERSON") == 1


def test_private_trust_sends_the_conversation_as_it_is_and_audits_it(
    engine, history, privacy_gate, edge_proxy
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_proxy.url, trust="private")
    service.ask(TurnRequest(PERSONAL, route="edge"))
    (sent,) = edge_proxy.chat_requests()
    assert sent.json["messages"][-1]["content"] == PERSONAL
    (audit,) = PrivacyStore(history).list_audit()
    assert "Alice Martin" in audit.redacted_text  # exactly what was sent
    assert json.loads(audit.redacted_text)["trust"] == "private"


def test_external_trust_applies_the_users_own_policy_and_organisation_its_own(
    engine, history, privacy_gate, edge_proxy
) -> None:  # type: ignore[no-untyped-def]
    blocks_email = {"EMAIL_ADDRESS": "block"}
    external = service_for(
        engine,
        history,
        privacy_gate,
        edge_proxy.url,
        trust="external",
        privacy_actions=blocks_email,
    )
    with pytest.raises(RouteUnavailableError, match="email address"):
        external.plan(TurnRequest(PERSONAL, route="edge"))
    organisation = service_for(
        engine, history, privacy_gate, edge_proxy.url, privacy_actions=blocks_email
    )
    assert organisation.plan(TurnRequest(PERSONAL, route="edge")).decision.route == "edge"
    assert edge_proxy.chat_requests() == []  # planning sends nothing

    # "Never send anything" holds for every trust level.
    never = service_for(
        engine, history, privacy_gate, edge_proxy.url, trust="private", never_send=True
    )
    with pytest.raises(RouteUnavailableError):
        never.plan(TurnRequest(EASY, route="edge"))
    assert never.plan(TurnRequest(MIDDLE)).decision.route == "local"


def test_killed_server_mid_answer_falls_back_to_local_and_keeps_the_partial(
    engine, history, privacy_gate, killable_edge_server
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(
        engine,
        history,
        privacy_gate,
        killable_edge_server.url,
        max_tokens=120,
        edge_cooldown_s=3600.0,  # a slow machine's local answer must not outlast it
    )
    pieces: list[str] = []

    def on_text(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 3:
            killable_edge_server.kill()

    result = service.ask(
        TurnRequest("Write a long story about a lighthouse keeper."), on_text=on_text
    )
    assert result.route == "local", result.reason
    assert result.reason.startswith("Local: the edge server box failed")
    assert result.fallback and result.status == "complete"
    stored = history.messages(result.conversation_id)
    assert [(m.role, m.status) for m in stored] == [
        ("user", "complete"),
        ("assistant", "partial"),
        ("assistant", "complete"),
    ]
    assert stored[1].route == "edge" and stored[1].content
    # The server is cooled down: the next request does not ask it (not even its health).
    plan = service.plan(TurnRequest(MIDDLE))
    assert plan.decision.route == "local"
    assert "failed" in plan.decision.reason and "retried in" in plan.decision.reason


def test_forced_edge_failure_is_the_turns_error(engine, history, privacy_gate, edge_server) -> None:  # type: ignore[no-untyped-def]
    with running_edge_proxy(edge_server.url, fail_status=500) as proxy:
        service = service_for(engine, history, privacy_gate, proxy.url)
        with pytest.raises(TurnFailed, match=r"edge server box had an error \(500"):
            service.ask(TurnRequest(EASY, route="edge"))


def test_a_server_still_loading_is_skipped_then_used_once_healthy(
    engine, history, privacy_gate, edge_server
) -> None:  # type: ignore[no-untyped-def]
    with running_edge_proxy(edge_server.url, mode="loading") as proxy:
        service = service_for(engine, history, privacy_gate, proxy.url, edge_cooldown_s=0.3)
        result = service.ask(TurnRequest(MIDDLE))
        assert result.route == "local" and "still loading" in (result.fallback or "")
        time.sleep(0.4)
        # Past the cool-down, the health check says it is still loading: it stays cooled.
        plan = service.plan(TurnRequest(MIDDLE))
        assert plan.decision.route == "local" and "not ready" in plan.decision.reason
        proxy.mode = "pass"
        time.sleep(0.4)
        plan = service.plan(TurnRequest(MIDDLE))
        assert plan.decision.route == "edge", plan.decision.reason


def test_a_slow_link_past_the_deadline_falls_back_to_local(
    engine, history, privacy_gate, edge_server
) -> None:  # type: ignore[no-untyped-def]
    with running_edge_proxy(edge_server.url, first_byte_delay_s=3.0) as proxy:
        service = service_for(engine, history, privacy_gate, proxy.url, edge_timeout_s=1.0)
        started = time.monotonic()
        gave_up: list[float] = []
        result = service.ask(
            TurnRequest(MIDDLE), on_fallback=lambda _why: gave_up.append(time.monotonic())
        )
        assert result.route == "local"
        assert "did not answer in time" in (result.fallback or "")
        # The deadline ended the wait, not the link (its first byte was due after 3 s).
        assert gave_up and gave_up[0] - started < 2.9


def test_a_slow_but_steady_link_still_answers_and_its_speed_is_measured(
    engine, history, privacy_gate, edge_server
) -> None:  # type: ignore[no-untyped-def]
    with running_edge_proxy(edge_server.url, chunk_delay_s=0.05) as proxy:
        service = service_for(engine, history, privacy_gate, proxy.url, max_tokens=12)
        result = service.ask(TurnRequest(EASY, route="edge"))
        assert result.route == "edge" and result.status == "complete"
        option = service.plan(TurnRequest(MIDDLE)).decision.signals["edge"]
        assert option["tokens_per_s"] and option["ttft_ms"] >= 50


def test_anthropic_protocol_edge_uses_the_messages_api(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Edge says: {echo}")
    service = service_for(
        engine,
        history,
        privacy_gate,
        fake_api.base_url,
        protocol="anthropic",
        model="claude-haiku-5-5",
    )
    result = service.ask(TurnRequest(PERSONAL, route="edge"))
    assert result.route == "edge" and result.model == "claude-haiku-5-5"
    (sent,) = fake_api.message_requests()
    assert "Alice Martin" not in json.dumps(sent.body)
    # The reply echoes the placeholders; they are restored on the device.
    assert "Alice Martin" in result.text

    fake_api.set(mode="500")
    result = service.ask(TurnRequest(MIDDLE))
    assert result.route == "local"
    assert result.fallback and "edge server box" in result.fallback


def test_offline_mode_keeps_everything_on_the_device(
    engine, history, privacy_gate, edge_proxy
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(engine, history, privacy_gate, edge_proxy.url, offline_mode=True)
    with pytest.raises(RouteUnavailableError, match="Offline mode"):
        service.plan(TurnRequest(EASY, route="edge"))
    assert service.plan(TurnRequest(MIDDLE)).decision.route == "local"
    assert edge_proxy.requests == []
