"""Cloud requests behind a proxy: ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY`` honoured as the
SDK's own client would, loopback never proxied. A real proxy on 127.0.0.1
(tests/support/proxy_server.py) in front of our Messages API server, the real SDK, gate, model
and SQLite. The endpoint ``api.example.test`` exists only behind the proxy: this machine never
looks it up."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from
from hybrid_desktop.core.proxy import proxy_for
from tests.conftest import TEST_KEY
from tests.support.anthropic_server import FakeAnthropic, running_server
from tests.support.proxy_server import ProxyServer, make_certificate, running_proxy

HOST = "api.example.test"
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture
def api(no_proxy_env: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with running_server() as server:
        no_proxy_env.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        yield server


def ask(engine, history, gate, route: str = "cloud"):  # type: ignore[no-untyped-def]
    settings = Settings(max_tokens=32)
    service = ChatService(engine, history, settings, cloud=cloud_tier_from(settings, gate))
    return service.ask(TurnRequest("Explain TCP slow start step by step, briefly.", route=route))


def test_https_goes_through_the_proxy_in_a_connect_tunnel(
    engine, history, privacy_gate, api, no_proxy_env, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    cert, key = make_certificate(tmp_path, HOST)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    with running_proxy(api.port, tls) as proxy:
        no_proxy_env.setenv("HTTPS_PROXY", proxy.url)
        no_proxy_env.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the proxy's TLS
        no_proxy_env.setenv("ANTHROPIC_BASE_URL", f"https://{HOST}")
        result = ask(engine, history, privacy_gate)
    assert result.route == "cloud" and result.status == "complete", result.reason
    assert result.text.startswith("Hello! You said:")
    # The probe and the request both asked the proxy for a tunnel; nothing went direct.
    assert proxy.seen == [f"CONNECT {HOST}:443 HTTP/1.1"] * 2
    assert [r.path for r in api.requests] == ["/v1/models", "/v1/messages"]


def test_plain_http_goes_to_the_proxy_with_the_whole_url(
    engine, history, privacy_gate, api, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    with running_proxy(api.port) as proxy:
        no_proxy_env.setenv("http_proxy", proxy.url)  # lower case, as many set it
        no_proxy_env.setenv("ANTHROPIC_BASE_URL", f"http://{HOST}:8080")
        result = ask(engine, history, privacy_gate)
    assert result.route == "cloud" and result.status == "complete", result.reason
    assert proxy.seen == [
        f"HEAD http://{HOST}:8080/v1/models HTTP/1.1",
        f"POST http://{HOST}:8080/v1/messages HTTP/1.1",
    ]


def test_loopback_never_goes_through_a_proxy(
    engine, history, privacy_gate, api, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    with running_proxy(api.port) as proxy:
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
            no_proxy_env.setenv(name, proxy.url)
        no_proxy_env.setenv("ANTHROPIC_BASE_URL", api.base_url)  # http://127.0.0.1:port
        result = ask(engine, history, privacy_gate)
    assert result.route == "cloud" and result.status == "complete", result.reason
    assert proxy.seen == []


def test_a_proxy_that_wants_a_sign_in_is_named_and_auto_stays_local(
    engine, history, privacy_gate, api, no_proxy_env
) -> None:  # type: ignore[no-untyped-def]
    refusing = ProxyServer(api.port, refuse=407)
    try:
        no_proxy_env.setenv("HTTPS_PROXY", refusing.url)
        no_proxy_env.setenv("ANTHROPIC_BASE_URL", f"https://{HOST}")
        result = ask(engine, history, privacy_gate, route="auto")
    finally:
        refusing.close()
    assert result.route == "local"
    assert refusing.seen == [f"CONNECT {HOST}:443 HTTP/1.1"]  # the probe; no request followed
    assert api.message_requests() == []


@pytest.mark.parametrize(
    ("variables", "url", "expected"),
    [
        ({"HTTPS_PROXY": "proxy.corp:3128"}, f"https://{HOST}", "http://proxy.corp:3128"),
        ({"https_proxy": "http://p:1"}, f"https://{HOST}/v1", "http://p:1"),
        ({"HTTP_PROXY": "http://p:1"}, f"https://{HOST}", None),  # http's proxy is http's only
        ({"ALL_PROXY": "http://p:1"}, f"https://{HOST}", "http://p:1"),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.test"}, f"https://{HOST}", None),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example.test"}, f"https://{HOST}", None),
        ({"HTTPS_PROXY": "http://p:1", "no_proxy": "other.test"}, f"https://{HOST}", "http://p:1"),
        ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}, f"https://{HOST}", None),
        ({"HTTPS_PROXY": "http://p:1"}, "https://localhost:8443", None),
        ({"HTTPS_PROXY": "http://p:1"}, "https://127.0.0.2", None),
        ({"HTTPS_PROXY": "http://p:1"}, "https://[::1]:8443", None),
        ({}, f"https://{HOST}", None),
    ],
)
def test_which_requests_take_the_proxy(no_proxy_env, variables, url, expected) -> None:  # type: ignore[no-untyped-def]
    for name, value in variables.items():
        no_proxy_env.setenv(name, value)
    assert proxy_for(url) == expected
