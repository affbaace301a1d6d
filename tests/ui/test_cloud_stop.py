"""Stop and window close during a silent cloud wait: the real window, the real worker thread and
the real SDK against our Messages API server on 127.0.0.1, which takes the request and never
answers (pytest-qt, offscreen)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult

WAIT_MS = 120_000
HARD = (
    "Prove that the square root of 2 is irrational, then show step by step why the same "
    "argument fails for the square root of 4."
)


def _wait_in_the_cloud(qtbot, make_app, fake_api):  # type: ignore[no-untyped-def]
    """A window whose cloud turn is waiting on a server that never answers (60 s deadline)."""
    fake_api.set(mode="hang", hostile_for_s=30.0)
    window = make_app(Settings(max_tokens=24, cloud_timeout_s=60.0, close_to_tray=False)).window
    if window.state.model_state == "loading":
        with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
            pass
    panel = window.chat_panel
    panel.route_box.setCurrentIndex(panel.route_box.findData("cloud"))
    panel.input.setPlainText(HARD)
    panel.send()
    qtbot.waitUntil(lambda: bool(fake_api.message_requests()), timeout=WAIT_MS)
    qtbot.wait(500)  # the worker is now blocked reading the silent socket
    return window


@pytest.mark.parametrize("how", ["stop button", "window close"])
def test_stop_ends_a_silent_cloud_wait_within_a_second(qtbot, make_app, fake_api, how) -> None:  # type: ignore[no-untyped-def]
    window = _wait_in_the_cloud(qtbot, make_app, fake_api)
    panel = window.chat_panel
    with qtbot.waitSignal(panel.turn_finished, timeout=WAIT_MS) as blocker:
        clicked = time.perf_counter()
        if how == "stop button":
            qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
        else:
            window.close()
    took = time.perf_counter() - clicked
    result = blocker.args[0]
    assert isinstance(result, TurnResult)
    assert result.route == "cloud" and result.status == "stopped"
    assert took < 2, took  # the read timeout is 60 s
    assert len(fake_api.message_requests()) == 1
