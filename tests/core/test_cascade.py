"""The cascade: a weak local answer is asked of the cloud model too, and both answers are kept.
The real embedded model answers locally; the real SDK talks to our Messages server on 127.0.0.1."""

from __future__ import annotations

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from

EASY = "What is the capital of France?"


def service_for(engine, history, gate, **settings) -> ChatService:  # type: ignore[no-untyped-def]
    s = Settings(max_tokens=24, **settings)
    return ChatService(engine, history, s, cloud=cloud_tier_from(s, gate))


def test_a_weak_local_answer_is_asked_of_the_cloud_and_both_are_kept(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Paris.")
    # Every answer's confidence is below 1.0: this one is escalated whatever it says.
    service = service_for(
        engine, history, privacy_gate, escalate_weak_answers=True, escalate_below=1.0
    )
    result = service.ask(TurnRequest(EASY))
    assert result.route == "cloud" and result.text == "Paris."
    assert result.reason.startswith("Cloud: the local answer's confidence was 0.")
    assert result.escalated_from is not None
    messages = history.messages(result.conversation_id)
    assert [m.role for m in messages] == ["user", "assistant", "assistant"]
    assert messages[1].id == result.escalated_from and messages[1].content.strip()
    assert messages[2].content == "Paris."
    sent = fake_api.message_requests()[-1].body
    assert sent is not None
    assert [m["role"] for m in sent["messages"]] == ["user"]  # not the local answer


def test_a_confident_answer_or_the_setting_off_stays_local(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    for kwargs in ({"escalate_weak_answers": True, "escalate_below": 0.0}, {}):
        service = service_for(engine, history, privacy_gate, **kwargs)
        result = service.ask(TurnRequest(EASY))
        assert result.route == "local" and result.escalated_from is None
    assert fake_api.message_requests() == []


def test_when_the_cloud_cannot_answer_the_local_answer_stands(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    service = service_for(
        engine,
        history,
        privacy_gate,
        escalate_weak_answers=True,
        escalate_below=1.0,
        offline_mode=True,
    )
    result = service.ask(TurnRequest(EASY))
    assert result.route == "local" and result.status == "complete"
    assert any("Not asked of the cloud model" in n for n in result.notices)
    assert fake_api.message_requests() == []
