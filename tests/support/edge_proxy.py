"""A recording HTTP proxy on 127.0.0.1 in front of one upstream server (the edge server of the
tests, ``tests/support/edge_server.py``): the client's base URL points at the proxy, which
forwards each request to the upstream and relays the answer, Server-Sent Events unbuffered.

    with running_edge_proxy(edge_server.url) as proxy:
        engine = OpenAIEdgeEngine(EdgeServer("box", proxy.url), ...)
        ...
        assert "Alice" not in json.dumps(proxy.chat_requests()[-1].json)

What it records (:attr:`EdgeProxy.requests`, a list of :class:`Recorded`): each request's
method, path, headers and body (and the body parsed as JSON, when it is JSON), and the status
it answered with.

What it can do to the link (attributes; change them at any time, from the test):

- ``chunk_delay_s``: wait this long before relaying each chunk of a response (a slow link);
- ``first_byte_delay_s``: wait this long before the response starts (a slow first byte);
- ``cut_after_bytes``: relay this many body bytes of an answer on ``cut_paths``, then close the
  connection without finishing the body (a server killed mid-answer, without killing it);
  ``cuts`` limits how many answers are cut (None: all of them);
- ``mode = "loading"``: answer with 503 and llama.cpp's ``Loading model`` error on every path
  but ``loading_passthrough`` (``/v1/models``, as llama.cpp's server lists models while it
  loads), so ``/health`` and ``/v1/chat/completions`` both say it is loading;
- ``fail_status``: answer requests on ``cut_paths`` with this status and an OpenAI error body.

Bodies are relayed as they come: a streamed answer is sent on in HTTP/1.1 chunks, each one
flushed at once.

Fixture: ``edge_proxy`` (function scope), a fresh proxy in front of the session's
``edge_server`` (tests/support/edge_server.py); register both together.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from tests.support.edge_server import LlamaServer

#: What llama.cpp's server answers while its model loads (tools/server, ERROR_TYPE_UNAVAILABLE).
LOADING_BODY = {"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}
#: Answers that carry the model's text: where cuts and failures apply.
ANSWER_PATHS = ("/v1/chat/completions", "/v1/completions", "/v1/messages")
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    # plain bodies only: a cut then counts the bytes the client would have decoded
    "accept-encoding",
}
_PIECE = 64 * 1024


@dataclass
class Recorded:
    """One request the proxy was sent."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    #: The body parsed as JSON (None when it is empty or not JSON).
    json: Any
    #: The status the client was answered with (None until the answer starts; 0: the upstream
    #: could not be reached and the connection was closed).
    status: int | None = None
    #: Body bytes relayed to the client.
    sent_bytes: int = 0
    #: Whether the answer was cut before its end.
    cut: bool = False

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class EdgeProxy:
    upstream: str
    chunk_delay_s: float = 0.0
    first_byte_delay_s: float = 0.0
    cut_after_bytes: int | None = None
    cuts: int | None = None
    cut_paths: tuple[str, ...] = ANSWER_PATHS
    mode: str = "pass"  # "pass" | "loading"
    loading_passthrough: tuple[str, ...] = ("/v1/models",)
    fail_status: int | None = None
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _httpd: ThreadingHTTPServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The proxy's base URL (use it where the upstream's base URL would go)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def chat_requests(self) -> list[Recorded]:
        """The recorded requests that asked for an answer (chat, completions, messages)."""
        with self.lock:
            return [r for r in self.requests if r.path.split("?")[0] in ANSWER_PATHS]

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    # running ------------------------------------------------------------------------------------

    def start(self) -> EdgeProxy:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        httpd.daemon_threads = True
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    # what one request gets ----------------------------------------------------------------------

    def _take_cut(self, path: str) -> int | None:
        """The byte count to cut this answer at (None: relay it whole)."""
        with self.lock:
            if self.cut_after_bytes is None or path.split("?")[0] not in self.cut_paths:
                return None
            if self.cuts is not None:
                if self.cuts <= 0:
                    return None
                self.cuts -= 1
            return self.cut_after_bytes


def _handler(proxy: EdgeProxy) -> type[BaseHTTPRequestHandler]:
    upstream = urlsplit(proxy.upstream)
    up_host = upstream.hostname or "127.0.0.1"
    up_port = upstream.port or 80
    up_prefix = upstream.path.rstrip("/")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._forward_quietly()

        def do_POST(self) -> None:
            self._forward_quietly()

        def do_DELETE(self) -> None:
            self._forward_quietly()

        def do_PUT(self) -> None:
            self._forward_quietly()

        def _forward_quietly(self) -> None:
            # The client gave up (a deadline, Stop): nothing to relay to, nothing to report.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._forward()

        def _read_body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                return self.rfile.read(length)
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                body = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return body
                    body += self.rfile.read(size)
                    self.rfile.readline()
            return b""

        def _forward(self) -> None:
            body = self._read_body()
            try:
                parsed = json.loads(body) if body else None
            except ValueError:
                parsed = None
            record = Recorded(self.command, self.path, dict(self.headers.items()), body, parsed)
            with proxy.lock:
                proxy.requests.append(record)
                mode, fail_status = proxy.mode, proxy.fail_status
                first_delay = proxy.first_byte_delay_s
            path = self.path.split("?")[0]
            if first_delay > 0:
                time.sleep(first_delay)
            if mode == "loading" and path not in proxy.loading_passthrough:
                self._answer(record, 503, LOADING_BODY)
                return
            if fail_status is not None and path in proxy.cut_paths:
                self._answer(
                    record,
                    fail_status,
                    {
                        "error": {
                            "code": fail_status,
                            "message": "proxy failure",
                            "type": "server_error",
                        }
                    },
                )
                return
            cut_at = proxy._take_cut(self.path)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            headers["Host"] = f"{up_host}:{up_port}"
            if body:
                headers["Content-Length"] = str(len(body))
            connection = http.client.HTTPConnection(up_host, up_port, timeout=300)
            try:
                try:
                    connection.request(self.command, up_prefix + self.path, body or None, headers)
                    response = connection.getresponse()
                except OSError:  # the upstream is gone: so is the connection
                    record.status = 0
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self._relay(record, response, cut_at)
            finally:
                connection.close()

        def _answer(self, record: Recorded, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            record.status = status
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            record.sent_bytes = len(data)

        def _relay(
            self, record: Recorded, response: http.client.HTTPResponse, cut_at: int | None
        ) -> None:
            record.status = response.status
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in _HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            sent = 0
            while True:
                try:
                    piece = response.read1(_PIECE)
                except (OSError, http.client.HTTPException):  # the upstream died mid-answer
                    piece = b""
                    record.cut = True
                if not piece:
                    break
                if cut_at is not None and sent + len(piece) >= cut_at:
                    piece = piece[: max(cut_at - sent, 0)]
                    self._chunk(piece)
                    record.sent_bytes = sent + len(piece)
                    record.cut = True
                    self._drop()
                    return
                delay = proxy.chunk_delay_s
                if delay > 0:
                    time.sleep(delay)
                self._chunk(piece)
                sent += len(piece)
                record.sent_bytes = sent
            if record.cut:  # relay the upstream's own cut as a cut
                self._drop()
                return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _chunk(self, piece: bytes) -> None:
            if piece:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.flush()

        def _drop(self) -> None:
            """Close the connection with the body unfinished, as a dying server does."""
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


@contextlib.contextmanager
def running_edge_proxy(upstream: str, **options: Any) -> Iterator[EdgeProxy]:
    """A proxy in front of ``upstream`` (a base URL) for the ``with`` block. ``options`` set the
    :class:`EdgeProxy` attributes (``chunk_delay_s=0.2``, ``mode="loading"``, ...)."""
    proxy = EdgeProxy(upstream, **options).start()
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def edge_proxy(edge_server: LlamaServer) -> Iterator[EdgeProxy]:
    """A recording proxy (passing everything through) in front of the session's edge server."""
    with running_edge_proxy(edge_server.url) as proxy:
        yield proxy
