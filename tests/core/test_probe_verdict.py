"""The connectivity probe's verdict, against real servers on 127.0.0.1
(``tests/support/portal_server.py``), and how it feeds the router: a captive portal's sign-in
page or redirect, the API's own JSON answer, a closed port, and a listener that never answers."""

from __future__ import annotations

import json
import socket
import time

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from
from hybrid_desktop.core.complexity import estimate
from hybrid_desktop.core.network import NetworkMonitor, NetworkState, probe
from hybrid_desktop.core.router import RouteInputs, decide
from hybrid_desktop.errors import RouteUnavailableError
from tests.conftest import TEST_KEY, run_cli
from tests.support.portal_server import portal, silent_listener, url_of

HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)
PORTAL_REASON = "Local: the network shows a sign-in page (captive portal)."

# the probe --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["page", "redirect", "511"])
def test_a_sign_in_page_where_the_api_should_be_is_a_captive_portal(kind: str) -> None:
    with portal(kind) as server:
        state = probe(url_of(server), timeout_s=3.0)
    assert state.status == "captive_portal", state
    assert not state.online
    assert state.label() == "Sign-in page (captive portal)"
    assert "sign-in page" in state.detail
    if kind == "redirect":
        assert "login.harbour-wifi.example" in state.detail
    assert state.to_json()["status"] == "captive_portal"


def test_the_api_answering_json_is_online_even_when_it_refuses_the_probe() -> None:
    with portal("api") as server:
        state = probe(url_of(server), timeout_s=3.0)
        (request,) = server.requests
    assert state.status == "online" and state.latency_ms is not None
    assert request[0] == "HEAD"  # no body, no key, no prompt: nothing of the user's leaves


def test_a_redirect_to_the_same_host_is_not_a_portal() -> None:
    with portal("same_host_redirect") as server:
        assert probe(url_of(server), timeout_s=3.0).status == "online"


def test_a_closed_port_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = probe(f"http://127.0.0.1:{port}", timeout_s=2.0)
    assert state.status == "offline" and "127.0.0.1" in state.detail


def test_a_link_that_connects_but_never_answers_is_slow_and_the_probe_ends() -> None:
    with silent_listener() as url:
        started = time.monotonic()
        state = probe(url, timeout_s=0.8)
        took = time.monotonic() - started
    assert took < 5.0  # bounded by the probe's timeout, not by the server
    assert state.status == "online"
    assert state.latency_ms is not None and state.latency_ms >= 600  # the router's slow link
    assert "no answer" in state.detail


def test_the_monitor_caches_the_portal_verdict() -> None:
    with portal() as server:
        monitor = NetworkMonitor(url_of(server), timeout_s=3.0)
        assert monitor.check().status == "captive_portal"
        assert monitor.state().status == "captive_portal"
        assert monitor.check().status == "captive_portal" and monitor.probes == 1


# the router --------------------------------------------------------------------------------------


def _inputs(network: NetworkState, requested: str = "auto") -> RouteInputs:
    return RouteInputs(requested, estimate(HARD), network=network, has_key=True)


def test_the_router_keeps_auto_local_on_a_captive_portal() -> None:
    portal_state = NetworkState("captive_portal", None, "127.0.0.1 answered with a sign-in page")
    assert decide(_inputs(NetworkState("online", 30.0))).route == "cloud"  # the same request
    decision = decide(_inputs(portal_state))
    assert decision.route == "local"
    assert decision.reason == PORTAL_REASON
    assert decision.signals["network"]["status"] == "captive_portal"
    with pytest.raises(RouteUnavailableError) as info:
        decide(_inputs(portal_state, "cloud"))
    assert "sign-in page" in info.value.message and "browser" in info.value.hint


def test_auto_answers_locally_without_trying_the_cloud(
    engine, history, privacy_gate, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
    with portal() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", url_of(server))
        settings = Settings(max_tokens=16)
        service = ChatService(
            engine, history, settings, cloud=cloud_tier_from(settings, privacy_gate)
        )
        result = service.ask(TurnRequest(HARD))
        methods = [method for method, _path in server.requests]
    assert result.route == "local" and result.status == "complete"
    assert result.reason == PORTAL_REASON
    assert "POST" not in methods  # the cloud was not tried: nothing was sent
    assert history.messages(result.conversation_id)[-1].content == result.text


def test_the_cli_route_command_names_the_portal(app_home) -> None:  # type: ignore[no-untyped-def]
    with portal("redirect") as server:
        proc = run_cli(
            "route",
            "--json",
            HARD,
            env={"ANTHROPIC_API_KEY": TEST_KEY, "ANTHROPIC_BASE_URL": url_of(server)},
        )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.splitlines()[-1])
    assert data["route"] == "local" and data["reason"] == PORTAL_REASON
    assert data["signals"]["network"]["status"] == "captive_portal"
    assert "Traceback" not in proc.stderr
