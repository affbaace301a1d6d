"""The recording proxy of the edge tests (tests/support/edge_proxy.py) does what the tests rely
on, in front of the real llama_cpp.server: records what was sent, streams SSE unbuffered, slows
the link, cuts an answer mid-stream, plays a loading server and fails on request."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.edge_proxy import LOADING_BODY, EdgeProxy

CHAT = {
    "model": "edge-model",
    "messages": [{"role": "user", "content": "Name three colours."}],
    "max_tokens": 24,
    "temperature": 0,
    "stream": True,
}


def events(proxy: EdgeProxy, **extra: object) -> list[tuple[float, str]]:
    """The SSE data lines of one streamed answer, with when each arrived."""
    started = time.monotonic()
    got = []
    with httpx.stream(
        "POST", f"{proxy.url}/v1/chat/completions", json={**CHAT, **extra}, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                got.append((time.monotonic() - started, line[6:]))
    return got


def test_it_records_what_was_sent_and_streams_through(edge_proxy: EdgeProxy) -> None:
    got = events(edge_proxy)
    assert got[-1][1] == "[DONE]" and len(got) > 3
    (sent,) = edge_proxy.chat_requests()
    assert sent.method == "POST" and sent.path == "/v1/chat/completions"
    assert sent.json["messages"] == CHAT["messages"] and sent.json["model"] == "edge-model"
    assert sent.header("content-type") == "application/json"
    assert sent.status == 200 and not sent.cut and sent.sent_bytes > 0


def test_a_slow_link_delays_every_chunk_and_the_first_byte(edge_proxy: EdgeProxy) -> None:
    edge_proxy.chunk_delay_s = 0.1
    edge_proxy.first_byte_delay_s = 0.5
    got = events(edge_proxy)
    assert got[0][0] >= 0.5
    # unbuffered: the chunks arrive one by one, spread over the delays
    assert got[-1][0] - got[0][0] >= 0.1 * (len(got) // 2 - 1)


def test_a_cut_stops_the_answer_mid_stream(edge_proxy: EdgeProxy) -> None:
    edge_proxy.cut_after_bytes = 400
    edge_proxy.cuts = 1
    with pytest.raises(httpx.RemoteProtocolError):
        events(edge_proxy)
    cut = edge_proxy.chat_requests()[-1]
    assert cut.cut and cut.sent_bytes == 400
    assert events(edge_proxy)[-1][1] == "[DONE]"  # only the first answer was cut
    # the model list is never cut
    edge_proxy.cuts = None
    assert httpx.get(f"{edge_proxy.url}/v1/models").json()["data"][0]["id"] == "edge-model"


def test_loading_and_failing(edge_proxy: EdgeProxy) -> None:
    edge_proxy.mode = "loading"
    for path in ("/health", "/healthz"):
        answer = httpx.get(f"{edge_proxy.url}{path}")
        assert (answer.status_code, answer.json()) == (503, LOADING_BODY)
    chat = httpx.post(f"{edge_proxy.url}/v1/chat/completions", json=CHAT)
    assert chat.status_code == 503 and chat.json()["error"]["message"] == "Loading model"
    assert httpx.get(f"{edge_proxy.url}/v1/models").status_code == 200  # as llama.cpp's server
    edge_proxy.mode = "pass"
    edge_proxy.fail_status = 500
    assert httpx.post(f"{edge_proxy.url}/v1/chat/completions", json=CHAT).status_code == 500
    edge_proxy.fail_status = None
    assert events(edge_proxy)[-1][1] == "[DONE]"
