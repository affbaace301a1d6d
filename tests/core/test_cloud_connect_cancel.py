"""Stop during a TCP connect that hangs: the network probe said online, then the endpoint stopped
taking connections (tests/support/slow_connect.py: a full listen backlog on 127.0.0.1, so the
kernel drops the handshake). The real SDK, the real privacy gate and model, real SQLite."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.cancel import Cancellation
from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from
from hybrid_desktop.core.engines.cloud_socket import CONNECT_SLICE_S
from tests.conftest import TEST_KEY
from tests.support.slow_connect import slow_connect

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/net/tcp")

HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)


@pytest.mark.parametrize("route", ["cloud", "auto"])
def test_stop_during_a_hanging_connect_ends_the_turn_within_a_second(
    engine, history, privacy_gate, monkeypatch, route
) -> None:  # type: ignore[no-untyped-def]
    with slow_connect() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        settings = Settings(max_tokens=32, cloud_timeout_s=60.0)
        service = ChatService(
            engine, history, settings, cloud=cloud_tier_from(settings, privacy_gate)
        )
        assert service.cloud is not None
        assert service.cloud.network.check().online  # the probe got its answer
        server.stick()
        request = TurnRequest(HARD, route=route)
        assert isinstance(request.cancel, Cancellation)
        stopped: list[float] = []

        def stop() -> None:
            server.wait_connecting()
            time.sleep(0.5)  # well inside the connect: its timeout is 5 s
            stopped.append(time.monotonic())
            request.cancel.set()

        threading.Thread(target=stop, daemon=True).start()
        result = service.ask(request)
        took = time.monotonic() - stopped[0]
    print(f"stopped {took * 1000:.0f} ms after Stop, inside the connect")
    assert result.route == "cloud" and result.status == "stopped"
    assert result.text == ""
    assert took < 1.0, took
    assert took < CONNECT_SLICE_S + 0.5, took
