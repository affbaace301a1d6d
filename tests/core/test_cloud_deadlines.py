"""Deadlines, Stop and hostile servers on the cloud route: the real SDK over HTTP to our Messages
API server on 127.0.0.1 (tests/support/anthropic_server.py), the real privacy gate, the real
local model for the fallback, real SQLite.

Each hostile mode gives up after ``hostile_for_s`` (20 s here), far beyond the bounds asserted,
so a client without deadlines fails these tests instead of hanging them.
"""

from __future__ import annotations

import threading
import time

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnFailed, TurnRequest, cloud_tier_from
from hybrid_desktop.errors import (
    CloudConnectionError,
    CloudPortalError,
    CloudStreamCutError,
    CloudTimeoutError,
    RouteUnavailableError,
)
from tests.support.anthropic_server import running_server

HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)
REPLY = "Step one: " + "the first train has a head start. " * 5
#: How long a hostile server keeps going before it gives up on its own.
HOSTILE_S = 20.0


def service_for(engine, history, gate, **settings) -> ChatService:  # type: ignore[no-untyped-def]
    s = Settings(max_tokens=48, **settings)
    return ChatService(engine, history, s, cloud=cloud_tier_from(s, gate))


def ask_timed(service: ChatService, request: TurnRequest, server):  # type: ignore[no-untyped-def]
    """The turn's result, and the seconds from the server's receiving the cloud request to the
    cloud's being given up (None: it never was)."""
    gave_up: list[float] = []
    result = service.ask(request, on_fallback=lambda _why: gave_up.append(time.monotonic()))
    if not gave_up:
        return result, None
    return result, gave_up[0] - server.message_requests()[-1].at


@pytest.mark.parametrize(
    ("mode", "extra", "error", "words"),
    [
        ("hang", {}, CloudTimeoutError, "no first token within 1 s"),
        ("headers", {}, CloudTimeoutError, "no first token within 1 s"),
        ("pings", {}, CloudTimeoutError, "no first token within 1 s"),
        ("pings", {"pings_after": 30}, CloudTimeoutError, "no new token for 1 s"),
        ("reset", {}, CloudConnectionError, "closed before it answered"),
        ("reset_mid", {"cut_after": 30}, CloudStreamCutError, "mid-stream"),
        ("redirect", {}, CloudPortalError, "redirected"),
    ],
)
def test_hostile_servers_mean_a_quick_local_answer_on_auto_and_a_clear_error_when_forced(
    engine, history, privacy_gate, fake_api, mode, extra, error, words
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode=mode, reply=REPLY, hostile_for_s=HOSTILE_S, **extra)
    service = service_for(engine, history, privacy_gate, cloud_timeout_s=1.0)
    result, gave_up = ask_timed(service, TurnRequest(HARD), fake_api)
    assert result.route == "local" and result.status == "complete"
    assert gave_up is not None and gave_up < 5, gave_up
    assert result.fallback and words in result.fallback, result.fallback
    assert result.reason.startswith("Local: the cloud failed")
    stored = history.messages(result.conversation_id)
    if extra:  # text came before the fault: kept, marked
        assert [m.status for m in stored] == ["complete", "partial", "complete"]
        assert stored[1].route == "cloud" and stored[1].content.startswith("Step one")
    else:
        assert [m.route for m in stored[1:]] == ["local"]

    if mode == "redirect":  # a portal, remembered: a forced turn is refused without a request
        sent = len(fake_api.message_requests())
        with pytest.raises(RouteUnavailableError, match="captive portal"):
            service.ask(TurnRequest(HARD, route="cloud"))
        assert len(fake_api.message_requests()) == sent
        return
    with pytest.raises(TurnFailed) as info:
        service.ask(TurnRequest(HARD, route="cloud"))
    assert time.monotonic() - fake_api.message_requests()[-1].at < 5
    assert isinstance(info.value.cause, error)
    assert words in info.value.message
    assert "Traceback" not in info.value.user_text()


def test_the_first_token_deadline_is_a_setting_and_pings_are_not_progress(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    # A 30 s read timeout never fires while pings keep coming; the first-token deadline does.
    fake_api.set(mode="pings", hostile_for_s=HOSTILE_S)
    service = service_for(
        engine, history, privacy_gate, cloud_timeout_s=30.0, cloud_first_token_s=1.0
    )
    result, gave_up = ask_timed(service, TurnRequest(HARD), fake_api)
    assert result.route == "local"
    assert gave_up is not None and gave_up < 5, gave_up
    assert "no first token within 1 s" in (result.fallback or "")


def test_the_stall_deadline_is_a_setting_and_only_tokens_move_it_on(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="pings", reply=REPLY, pings_after=30, hostile_for_s=HOSTILE_S)
    service = service_for(engine, history, privacy_gate, cloud_timeout_s=30.0, cloud_stall_s=1.0)
    result, gave_up = ask_timed(service, TurnRequest(HARD), fake_api)
    assert result.route == "local"
    assert gave_up is not None and gave_up < 5, gave_up
    assert "no new token for 1 s" in (result.fallback or "")
    assert history.messages(result.conversation_id)[1].status == "partial"


def test_a_slow_but_steady_stream_is_not_cut(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    # 2.4 s in all, but never more than 0.3 s between tokens: within a 1 s stall deadline.
    fake_api.set(reply="word " * 40, chunk_size=25, chunk_delay_s=0.3)
    service = service_for(engine, history, privacy_gate, cloud_first_token_s=1.0, cloud_stall_s=1.0)
    result = service.ask(TurnRequest(HARD, route="cloud"))
    assert result.status == "complete" and result.text == "word " * 40


def test_a_redirect_is_not_followed(engine, history, privacy_gate, fake_api) -> None:  # type: ignore[no-untyped-def]
    with running_server() as elsewhere:
        fake_api.set(
            mode="redirect", redirect_status=307, location=f"{elsewhere.base_url}/v1/messages"
        )
        service = service_for(engine, history, privacy_gate)
        result = service.ask(TurnRequest(HARD))
        assert result.route == "local"
        assert "redirected the request to 127.0.0.1" in (result.fallback or "")
        assert elsewhere.requests == []  # the request never went there


def _stop_once_sent(server, request: TurnRequest, after_s: float = 1.0) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Set ``request.cancel`` ``after_s`` after the server has the request (as Ctrl+C or Stop
    would, from another thread); returns when it was set (``time.monotonic()``)."""
    when: dict[str, float] = {}

    def stop() -> None:
        deadline = time.monotonic() + 120
        while not server.message_requests() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(after_s)
        when["stopped"] = time.monotonic()
        request.cancel.set()

    threading.Thread(target=stop, daemon=True).start()
    return when


@pytest.mark.parametrize(
    ("mode", "extra"),
    [("hang", {}), ("headers", {}), ("pings", {}), ("pings", {"pings_after": 30})],
)
def test_stop_during_a_silent_cloud_wait_ends_the_turn_within_a_second(
    engine, history, privacy_gate, fake_api, mode, extra
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode=mode, reply=REPLY, hostile_for_s=HOSTILE_S, **extra)
    service = service_for(engine, history, privacy_gate, cloud_timeout_s=60.0)
    request = TurnRequest(HARD)  # Auto: a stop stops the whole turn, no local answer after it
    when = _stop_once_sent(fake_api, request)
    result, gave_up = ask_timed(service, request, fake_api)
    took = time.monotonic() - when["stopped"]
    assert took < 2, took
    assert result.route == "cloud" and result.status == "stopped"
    assert gave_up is None  # no fallback: the user stopped it
    stored = history.messages(result.conversation_id)
    if extra:  # the text that came is kept, marked stopped
        assert result.text.startswith("Step one")
        assert [m.status for m in stored] == ["complete", "stopped"]
    else:
        assert result.text == "" and [m.role for m in stored] == ["user"]
    assert len(fake_api.message_requests()) == 1


def test_a_long_retry_after_is_remembered_and_auto_stays_local_until_then(
    engine, history, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="429", retry_after="600")
    service = service_for(engine, history, privacy_gate)
    before = time.time()
    first = service.ask(TurnRequest(HARD))
    clocks = {time.strftime("%H:%M", time.localtime(t + 600)) for t in (before, time.time())}
    assert first.route == "local"
    assert "about 600 s" in (first.fallback or "")
    assert any(f"(at {clock})" in (first.fallback or "") for clock in clocks), first.fallback

    second = service.ask(TurnRequest(HARD))
    assert second.route == "local" and second.fallback is None
    assert second.reason.startswith("Local: the cloud is busy until ")
    assert "rate limit, 429" in second.reason
    assert len(fake_api.message_requests()) == 1  # Auto did not try again

    # Forced, the cloud is tried; once it answers, Auto uses it again.
    fake_api.set(mode="ok")
    assert service.ask(TurnRequest(HARD, route="cloud")).route == "cloud"
    assert service.plan(TurnRequest(HARD)).decision.route == "cloud"
