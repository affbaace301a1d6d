"""Servers on 127.0.0.1 that play a captive portal, for the probe's tests.

A captive portal answers every request (any method, any path) with its sign-in page, or a
redirect to it, where the API should be; so do these. ``silent_listener`` accepts connections and
never says a word (a link that connects but does not answer).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE = (
    b"<!DOCTYPE html><html><head><title>Harbour Cafe Wi-Fi</title></head><body>"
    b"<h1>Welcome</h1><p>Accept the terms to continue.</p></body></html>"
)


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    #: ``page`` (200 with HTML), ``redirect`` (302 to another host), ``same_host_redirect``,
    #: ``511`` (Network Authentication Required), ``api`` (a JSON 401, as the real API answers).
    kind = "page"
    requests: list[tuple[str, str]]


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: PortalServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.server.requests.append((self.command, self.path))
        kind = self.server.kind
        body = PAGE
        if kind == "redirect":
            self.send_response(302)
            self.send_header("location", "http://login.harbour-wifi.example/portal?continue=1")
            self.send_header("content-type", "text/html")
        elif kind == "same_host_redirect":
            host = self.headers.get("host", "127.0.0.1")
            self.send_response(301)
            self.send_header("location", f"https://{host.split(':')[0]}{self.path}")
        elif kind == "511":
            self.send_response(511)
            self.send_header("content-type", "text/html")
        elif kind == "api":
            body = json.dumps({"type": "error", "error": {"type": "authentication_error"}}).encode()
            self.send_response(401)
            self.send_header("content-type", "application/json")
        else:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer


@contextmanager
def portal(kind: str = "page") -> Iterator[PortalServer]:
    server = PortalServer(("127.0.0.1", 0), PortalHandler)
    server.kind = kind
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, name="portal", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


@contextmanager
def silent_listener() -> Iterator[str]:
    """Accepts connections (the kernel completes the handshake) and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
