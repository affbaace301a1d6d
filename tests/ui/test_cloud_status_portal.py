"""The window on a captive portal's network: the cloud status names the sign-in page, and an Auto
turn stays on the device without trying the cloud (the real probe against a loopback server that
serves a sign-in page, the real worker and model, pytest-qt offscreen)."""

from __future__ import annotations

import pytest

from hybrid_desktop.config.settings import Settings
from tests.conftest import TEST_KEY
from tests.support.portal_server import portal, url_of

WAIT_MS = 90_000
HARD = (
    "Prove that the square root of 2 is irrational, then show step by step why the same "
    "argument fails for the square root of 4."
)


def test_the_cloud_status_shows_a_captive_portal_and_auto_stays_local(
    qtbot, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
    with portal("redirect") as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", url_of(server))
        window = make_app(Settings(max_tokens=16)).window
        status = window.cloud_status
        with qtbot.waitSignal(window.state.network_changed, timeout=WAIT_MS):
            status.probe(force=True)
        qtbot.waitUntil(
            lambda: status.net_label.text() == "Sign-in page (captive portal)", timeout=WAIT_MS
        )
        tip = status.net_label.toolTip()
        assert "sign-in page" in tip and "browser" in tip and "login.harbour-wifi.example" in tip

        if window.state.model_state == "loading":
            with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
                pass
        window.chat_panel.input.setPlainText(HARD)
        with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
            window.chat_panel.send()
        methods = [method for method, _path in server.requests]
    result = blocker.args[0]
    assert result.route == "local"
    assert result.reason == "Local: the network shows a sign-in page (captive portal)."
    assert "POST" not in methods  # the cloud was not tried
    shown = window.chat_panel.chat.messages()[-1]
    assert "captive portal" in shown.badge.toolTip()
