"""Network speed, measured on real answers: our Messages server on 127.0.0.1 answers late and
streams slowly, the real SDK reads it, and borderline work then stays on the device."""

from __future__ import annotations

import re

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core import router
from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from

HARD = "prove that there are infinitely many primes of the form 4k+3"


@pytest.fixture
def borderline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cloud verdict counts as borderline, and a first token after 0.5 s as slow, so that
    the test needs no long waits and no request tuned to sit near the threshold."""
    monkeypatch.setattr(router, "BORDERLINE_SCORE", 1.01)
    monkeypatch.setattr(router, "SLOW_TTFT_MS", 500.0)


def _service(engine, history, gate) -> ChatService:  # type: ignore[no-untyped-def]
    settings = Settings(max_tokens=24)
    service = ChatService(engine, history, settings, cloud=cloud_tier_from(settings, gate))
    assert service.cloud is not None
    service.cloud.network.observe("local", 0.0, 1000.0)  # a fast local model on this machine
    return service


def test_a_slow_link_keeps_borderline_work_local(
    engine, history, privacy_gate, fake_api, borderline
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="word " * 60, chunk_size=10, chunk_delay_s=0.05, delay_s=0.8)
    service = _service(engine, history, privacy_gate)
    service.ask(TurnRequest("hello there", route="cloud"))
    state = service.cloud.network.state()  # type: ignore[union-attr]
    assert state.cloud_ttft_ms is not None and state.cloud_ttft_ms >= 800
    assert state.cloud_tokens_per_s is not None and state.cloud_tokens_per_s < 100

    decision = service.plan(TurnRequest(HARD)).decision
    assert decision.route == "local"
    assert re.fullmatch(
        r"Local: slow network \(first token after \d+ s\), answer here in ~\d+ s\.", decision.reason
    )
    assert decision.signals["network"]["cloud_ttft_ms"] >= 800


def test_a_fast_link_sends_the_same_work_to_the_cloud(
    engine, history, privacy_gate, fake_api, borderline
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="word " * 60, chunk_size=50)
    service = _service(engine, history, privacy_gate)
    service.ask(TurnRequest("hello there", route="cloud"))
    assert service.plan(TurnRequest(HARD)).decision.route == "cloud"
