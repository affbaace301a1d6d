"""Edge discovery and health: real servers on 127.0.0.1 only.

llama-cpp-python's own server (tests/support/edge_server.py) serving the embedded model, the
recording proxy in front of it in "loading" mode (tests/support/edge_proxy.py), and tiny
``http.server`` stand-ins for what other engines answer. Nothing listening is "not found", fast.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hybrid_desktop.config.edge import WELL_KNOWN_PORTS, EdgeServer
from hybrid_desktop.core.edge.discovery import (
    Target,
    discover,
    health,
    probe_models,
    targets,
)
from hybrid_desktop.errors import EdgeError, SettingsError
from tests.support.edge_proxy import running_edge_proxy
from tests.support.edge_server import LlamaServer, free_port
from tests.support.proxy_server import running_proxy

PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
LOADING = {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


Routes = dict[str, tuple[int, Any]]


@contextmanager
def stand_in(routes: Routes, headers: dict[str, str] | None = None) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 answering ``path -> (status, JSON or bytes)``; 404 elsewhere.
    Yields its port."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, payload = routes.get(self.path, (404, {"detail": "Not Found"}))
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def models(*ids: str, owner: str = "me") -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": i, "object": "model", "owned_by": owner} for i in ids],
    }


# what is probed ---------------------------------------------------------------------------------


def test_targets_are_localhost_then_each_host_on_the_well_known_ports() -> None:
    got = targets(["office-gpu", "10.0.0.5:9000", "localhost", "[fe80::1]:8000"])
    urls = [t.url for t in got]
    assert urls[:4] == [f"http://127.0.0.1:{p}" for p in WELL_KNOWN_PORTS]
    assert urls[4:8] == [f"http://office-gpu:{p}" for p in WELL_KNOWN_PORTS]
    # a host with its own port: that port only; localhost is 127.0.0.1, already there
    assert urls[8:] == ["http://10.0.0.5:9000", "http://[fe80::1]:8000"]
    assert Target("https", "box", 8443).url == "https://box:8443"
    assert targets(["https://box:8443"])[-1].url == "https://box:8443"


@pytest.mark.parametrize("entry", ["10.0.0.0/24", "", "host name", "box:99999"])
def test_an_address_range_or_junk_is_refused_not_probed(entry: str) -> None:
    with pytest.raises(SettingsError):
        targets([entry])


def test_nothing_listening_is_not_found_and_fast() -> None:
    ports = (free_port(), free_port(), free_port())
    started = time.monotonic()
    assert discover([], ports=ports, timeout_s=1.0) == []
    assert time.monotonic() - started < 1.0  # refused at once: no timeout is waited for


def test_a_silent_port_costs_the_timeout_once_not_per_address() -> None:
    with ExitStack() as stack:
        ports = [stack.enter_context(silent_listener()) for _ in range(4)]
        hosts = [f"127.0.0.1:{port}" for port in ports]
        started = time.monotonic()
        assert discover(hosts, ports=(), timeout_s=0.5) == []
        # probed together: one after the other would take 2 s
        assert time.monotonic() - started < 1.6


# stand-ins for other engines ---------------------------------------------------------------------


def test_a_loading_llama_cpp_is_found_and_says_loading() -> None:
    # llama.cpp lists its model while loading, and /health answers 503 "Loading model"
    routes: Routes = {
        "/health": (503, LOADING),
        "/v1/models": (200, models("big", owner="llamacpp")),
    }
    with stand_in(routes) as port:
        (found,) = discover([f"127.0.0.1:{port}"], ports=())
        assert (found.kind, found.health, found.models) == ("llama.cpp", "loading", ["big"])
        state = health(EdgeServer("box", f"http://127.0.0.1:{port}"))
        assert state.status == "loading"
        assert state.detail.startswith("box (127.0.0.1:") and "loading" in state.detail


def test_a_server_loading_everywhere_is_loading_not_found() -> None:
    routes: Routes = {"/health": (503, LOADING), "/v1/models": (503, LOADING)}
    with stand_in(routes) as port:
        assert discover([f"127.0.0.1:{port}"], ports=()) == []
        assert health(EdgeServer("box", f"http://127.0.0.1:{port}")).status == "loading"
        with pytest.raises(EdgeError) as caught:
            probe_models(f"http://127.0.0.1:{port}")
        assert caught.value.kind == "loading"


def test_healthz_is_asked_when_there_is_no_health() -> None:
    routes: Routes = {"/healthz": (503, LOADING), "/v1/models": (200, models("m"))}
    with stand_in(routes) as port:
        assert health(EdgeServer("box", f"http://127.0.0.1:{port}")).status == "loading"


def test_the_kind_comes_from_the_answer_where_it_tells() -> None:
    with stand_in({"/v1/models": (200, models("llama3:latest", owner="library"))}) as port:
        (found,) = discover([f"127.0.0.1:{port}"], ports=())
    assert found.kind == "ollama" and found.health == "ok"
    with stand_in({"/v1/models": (200, models("x", owner="someone"))}) as port:
        (found,) = discover([f"127.0.0.1:{port}"], ports=())
    assert found.kind == "openai-compatible"


@pytest.mark.parametrize(
    "routes",
    [
        {},  # a web server with no /v1/models
        {"/v1/models": (200, b"<html>hello</html>")},
        {"/v1/models": (200, {"models": []})},  # not the OpenAI shape
        {"/v1/models": (401, {"error": "key"})},
    ],
)
def test_what_is_not_a_model_list_is_not_found(routes: Routes) -> None:
    with stand_in(routes) as port:
        assert discover([f"127.0.0.1:{port}"], ports=()) == []


def test_health_says_why_a_server_is_down() -> None:
    with stand_in({"/v1/models": (401, {"error": {"message": "no key"}})}) as port:
        state = health(EdgeServer("gateway", f"http://127.0.0.1:{port}"), api_key="wrong")
        assert state.status == "down" and "API key" in state.detail and "gateway" in state.detail
    with stand_in({"/health": (500, {"error": "engine dead"})}) as port:
        state = health(EdgeServer("vllm-box", f"http://127.0.0.1:{port}"))
        assert state.status == "down" and "500" in state.detail
    with silent_listener() as port:
        started = time.monotonic()
        state = health(EdgeServer("mute", f"http://127.0.0.1:{port}"), timeout_s=0.5)
        assert time.monotonic() - started < 1.0  # one timeout, not one per path
        assert state.status == "down" and "did not answer within 0.5 s" in state.detail
    port = free_port()
    state = health(EdgeServer("gone", f"http://127.0.0.1:{port}"))
    assert state.status == "down" and "connection refused" in state.detail
    assert state.latency_ms is None and state.models == []


def test_the_key_goes_with_the_protocol() -> None:
    seen: list[dict[str, str]] = []

    class Recording(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            data = json.dumps(models("m")).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        assert probe_models(url, "sk-openai") == ["m"]
        assert probe_models(url, "sk-ant", protocol="anthropic") == ["m"]
        assert probe_models(url) == ["m"]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
    assert seen[0]["Authorization"] == "Bearer sk-openai"
    assert seen[1]["x-api-key"] == "sk-ant" and "Authorization" not in seen[1]
    assert "Authorization" not in seen[2] and "x-api-key" not in seen[2]


# the real llama_cpp.server ------------------------------------------------------------------------


def test_the_real_server_lists_its_model(edge_server: LlamaServer) -> None:
    assert probe_models(edge_server.url) == ["edge-model"]
    assert probe_models(f"{edge_server.url}/v1/") == ["edge-model"]


def test_the_real_server_is_healthy(edge_server: LlamaServer) -> None:
    # llama-cpp-python has no /health: /v1/models decides
    state = health(EdgeServer("box", edge_server.url))
    assert state.status == "ok" and state.ok
    assert state.models == ["edge-model"] and state.latency_ms is not None
    assert "box (127.0.0.1:" in state.detail and "edge-model" in state.detail
    state = health(EdgeServer("box", edge_server.url, model="qwen-72b"))
    assert state.status == "down" and "qwen-72b" in state.detail


def test_discover_finds_the_real_server(edge_server: LlamaServer) -> None:
    started = time.monotonic()
    found = discover([edge_server.host])
    assert time.monotonic() - started < 3
    mine = [f for f in found if f.port == edge_server.port]
    assert len(mine) == 1
    (server,) = mine
    assert server.url == edge_server.url and server.host == "127.0.0.1"
    assert server.models == ["edge-model"] and server.kind == "llama-cpp-python"
    assert server.health == "ok" and server.latency_ms > 0
    assert set(server.to_json()) == {
        "url",
        "host",
        "port",
        "models",
        "kind",
        "latency_ms",
        "health",
    }


def test_the_real_server_behind_a_loading_front(edge_server: LlamaServer) -> None:
    with running_edge_proxy(edge_server.url, mode="loading") as front:
        (found,) = discover([front.host], ports=())
        assert found.health == "loading" and found.models == ["edge-model"]
        assert health(EdgeServer("box", front.url)).status == "loading"
        front.mode = "pass"
        assert health(EdgeServer("box", front.url)).status == "ok"
        assert {"/health", "/healthz", "/v1/models"} <= set(front.paths())


def test_a_killed_server_is_down(killable_edge_server: LlamaServer) -> None:
    box = EdgeServer("box", killable_edge_server.url)
    assert health(box).ok
    killable_edge_server.kill()
    state = health(box)
    assert state.status == "down" and "connection refused" in state.detail
    assert discover([killable_edge_server.host], ports=()) == []


def test_a_named_host_goes_through_the_proxy_and_no_proxy_bypasses_it(
    edge_server: LlamaServer, no_proxy_env: pytest.MonkeyPatch
) -> None:
    # edge.example.test exists only behind the proxy, which sends everything to the real server
    host = f"edge.example.test:{edge_server.port}"
    with running_proxy(edge_server.port) as proxy:
        no_proxy_env.setenv("HTTP_PROXY", proxy.url)
        (found,) = discover([host], ports=())
        assert found.url == f"http://{host}" and found.models == ["edge-model"]
        assert f"GET http://{host}/v1/models HTTP/1.1" in proxy.seen
        # localhost is never sent to a proxy
        proxy.seen.clear()
        assert probe_models(edge_server.url) == ["edge-model"] and proxy.seen == []
        # NO_PROXY: the name is looked up directly, and there is no such host
        no_proxy_env.setenv("NO_PROXY", "example.test")
        assert discover([host], ports=(), timeout_s=1.0) == []
        assert proxy.seen == []
