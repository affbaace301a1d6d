"""Stop and window close while the cloud request's TCP connect hangs: the real window, worker
thread and SDK; an endpoint on 127.0.0.1 that answered the window's network probe and then
stopped taking connections (tests/support/slow_connect.py). pytest-qt, offscreen."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult
from tests.conftest import TEST_KEY
from tests.support.slow_connect import slow_connect

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/net/tcp")

WAIT_MS = 120_000
HARD = (
    "Prove that the square root of 2 is irrational, then show step by step why the same "
    "argument fails for the square root of 4."
)


@pytest.mark.parametrize("how", ["stop button", "window close"])
def test_stop_ends_a_hanging_connect_within_a_second(qtbot, make_app, monkeypatch, how) -> None:  # type: ignore[no-untyped-def]
    with slow_connect() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        window = make_app(Settings(max_tokens=24, cloud_timeout_s=60.0, close_to_tray=False)).window
        # The window's first probe finds the endpoint online; then it stops taking connections.
        qtbot.waitUntil(lambda: server.probes_answered >= 1, timeout=WAIT_MS)
        server.stick()
        if window.state.model_state == "loading":
            with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
                pass
        panel = window.chat_panel
        panel.route_box.setCurrentIndex(panel.route_box.findData("cloud"))
        panel.input.setPlainText(HARD)
        panel.send()
        qtbot.waitUntil(lambda: server.connecting() > 0, timeout=WAIT_MS)
        qtbot.wait(500)  # the worker is inside the connect (its timeout is 5 s)
        assert server.connecting() > 0
        with qtbot.waitSignal(panel.turn_finished, timeout=WAIT_MS) as blocker:
            clicked = time.perf_counter()
            if how == "stop button":
                qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
            else:
                window.close()
        took = time.perf_counter() - clicked
    result = blocker.args[0]
    print(f"{how}: the turn ended {took * 1000:.0f} ms after it, inside the connect")
    assert isinstance(result, TurnResult)
    assert result.route == "cloud" and result.status == "stopped"
    assert took < 1.0, took
