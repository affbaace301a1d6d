"""A real HTTP server on 127.0.0.1 that speaks the Anthropic Messages API, for tests.

It answers ``POST /v1/messages`` (streaming with server-sent events, or plain JSON) and
``GET /v1/models``, records every request it receives (headers and JSON body), and can be told
to misbehave the ways the real service does (401, 429, 529, 500, a slow answer, a stream cut
off mid-answer) and the ways a hostile network or server does: a connection that is accepted and
never answered, headers then silence, keep-alive pings and nothing else, a reset, a redirect.
Every endless mode gives up after ``Behaviour.hostile_for_s``, so a client without deadlines makes
a test fail instead of hanging it.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODELS = ["claude-sonnet-5-5", "claude-haiku-5-5", "claude-opus-5-5"]

ERRORS = {
    401: ("authentication_error", "invalid x-api-key"),
    429: ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"),
    500: ("api_error", "Internal server error"),
    529: ("overloaded_error", "Overloaded"),
}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    #: When it arrived (``time.monotonic()``).
    at: float = field(default_factory=time.monotonic)


@dataclass
class Behaviour:
    """What the next requests get. ``mode``: ok, 401, 429, 500, 529, slow, cut, nostop (the
    stream ends cleanly but without ``message_stop``), endless (text until the client leaves),
    html (a captive portal's page with status 200), huge (a 502 page of ``cut_after`` bytes),
    and the hostile ones:

    - hang: the request is read, then nothing is ever sent;
    - headers: 200 and event-stream headers, then silence;
    - pings: ``message_start``, ``pings_after`` characters of text, then only ``ping`` events
      every ``ping_interval_s``;
    - reset: the connection is reset (TCP RST) before any response; reset_mid: after
      ``cut_after`` characters of the stream;
    - redirect: ``redirect_status`` (302) to ``location``.
    """

    mode: str = "ok"
    #: The reply text; ``{echo}`` is replaced by the last user message as received.
    reply: str = "Hello! You said: {echo}"
    chunk_size: int = 7
    delay_s: float = 0.0
    #: A pause after each streamed chunk (a slow link).
    chunk_delay_s: float = 0.0
    #: The Retry-After header of a 429 or 529.
    retry_after: str = "0"
    #: For ``cut``: how many characters to stream before dropping the connection.
    cut_after: int = 20
    #: Apply to this many requests, then go back to ``ok`` (None: until changed).
    times: int | None = None
    #: How long hang, headers and pings keep the client waiting before the server gives up.
    hostile_for_s: float = 30.0
    ping_interval_s: float = 0.2
    #: For ``pings``: characters of the reply streamed before the pings start.
    pings_after: int = 0
    #: For ``redirect``: where to, and with which status.
    location: str = "http://192.0.2.1/portal/login"
    redirect_status: int = 302


@dataclass
class FakeAnthropic:
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Recorded] = field(default_factory=list)
    behaviour: Behaviour = field(default_factory=Behaviour)
    #: Set when the server stops: every hostile wait ends.
    closing: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def set(self, **kwargs: Any) -> None:
        with self._lock:
            self.behaviour = Behaviour(**kwargs)

    def _take_behaviour(self) -> Behaviour:
        with self._lock:
            current = self.behaviour
            if current.times is not None:
                current.times -= 1
                if current.times <= 0:
                    self.behaviour = Behaviour(reply=current.reply)
            return current

    def message_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/v1/messages")]


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


def _make_handler(server_state: FakeAnthropic) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _record(self, body: dict[str, Any] | None) -> None:
            server_state.requests.append(
                Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )

        def _json(
            self, status: int, payload: dict[str, Any], extra: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", "req_test")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._record(None)
            if self.path.startswith("/v1/models"):
                self._json(
                    200,
                    {
                        "data": [
                            {
                                "type": "model",
                                "id": m,
                                "display_name": m,
                                "created_at": "2025-01-01T00:00:00Z",
                            }
                            for m in MODELS
                        ],
                        "has_more": False,
                        "first_id": MODELS[0],
                        "last_id": MODELS[-1],
                    },
                )
            else:
                self._json(
                    404,
                    {"type": "error", "error": {"type": "not_found_error", "message": "not found"}},
                )

        def do_HEAD(self) -> None:
            self._record(None)
            self.send_response(404)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"_raw": raw.decode("latin-1")}
            self._record(body)
            behaviour = server_state._take_behaviour()
            if behaviour.mode in ("hang", "headers", "reset", "redirect"):
                self._hostile(behaviour)
                return
            if behaviour.mode in ("401", "429", "500", "529"):
                status = int(behaviour.mode)
                kind, message = ERRORS[status]
                extra = {"retry-after": behaviour.retry_after} if status in (429, 529) else None
                self._json(
                    status, {"type": "error", "error": {"type": kind, "message": message}}, extra
                )
                return
            if behaviour.mode == "huge":  # an error page of many megabytes
                size = behaviour.cut_after
                self.send_response(502)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", str(size))
                self.end_headers()
                block = b"<p>Bad gateway</p>" * 4096
                try:
                    sent = 0
                    while sent < size:
                        piece = block[: size - sent]
                        self.wfile.write(piece)
                        sent += len(piece)
                except OSError:  # the client stopped reading
                    return
                return
            if behaviour.mode == "html":  # a captive portal's sign-in page, with status 200
                page = b"<!DOCTYPE html><html><body><h1>Welcome to Harbour Cafe Wi-Fi</h1>"
                page += b"<p>Please accept the terms to continue.</p></body></html>"
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return
            if behaviour.mode == "slow" or behaviour.delay_s:
                time.sleep(behaviour.delay_s or 5.0)
            text = behaviour.reply.replace("{echo}", _last_user_text(body))
            usage_in = max(1, len(json.dumps(body.get("messages", []))) // 4)
            usage_out = max(1, len(text) // 4)
            model = body.get("model", MODELS[0])
            if not body.get("stream"):
                self._json(
                    200,
                    {
                        "id": "msg_test",
                        "type": "message",
                        "role": "assistant",
                        "model": model,
                        "content": [{"type": "text", "text": text}],
                        "stop_reason": "end_turn",
                        "stop_sequence": None,
                        "usage": {"input_tokens": usage_in, "output_tokens": usage_out},
                    },
                )
                return
            self._stream(text, model, usage_in, usage_out, behaviour)

        def _wait(self, seconds: float) -> None:
            server_state.closing.wait(seconds)

        def _reset(self) -> None:
            """Close with a TCP RST (linger 0) instead of the orderly FIN."""
            self.close_connection = True
            try:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
            except OSError:
                pass

        def _hostile(self, behaviour: Behaviour) -> None:
            self.close_connection = True
            if behaviour.mode == "hang":  # accepted, read, never answered
                self._wait(behaviour.hostile_for_s)
            elif behaviour.mode == "headers":  # 200 and stream headers, then silence
                self._stream_headers()
                self._wait(behaviour.hostile_for_s)
            elif behaviour.mode == "reset":
                self._reset()
            elif behaviour.mode == "redirect":
                self.send_response(behaviour.redirect_status)
                self.send_header("location", behaviour.location)
                self.send_header("content-length", "0")
                self.end_headers()

        def _stream_headers(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            self.wfile.flush()

        def _pings(self, behaviour: Behaviour) -> None:
            """Only keep-alive pings, until the client leaves or the server gives up."""
            ends = time.monotonic() + behaviour.hostile_for_s
            try:
                while time.monotonic() < ends and not server_state.closing.is_set():
                    self._event("ping", {"type": "ping"})
                    self._wait(behaviour.ping_interval_s)
            except OSError:  # the client closed the stream
                pass

        def _event(self, name: str, data: dict[str, Any]) -> None:
            payload = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
            self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
            self.wfile.flush()

        def _stream(
            self, text: str, model: str, usage_in: int, usage_out: int, behaviour: Behaviour
        ) -> None:
            self._stream_headers()
            self._event(
                "message_start",
                {
                    "type": "message_start",
                    "message": {
                        "id": "msg_test",
                        "type": "message",
                        "role": "assistant",
                        "model": model,
                        "content": [],
                        "stop_reason": None,
                        "stop_sequence": None,
                        "usage": {"input_tokens": usage_in, "output_tokens": 1},
                    },
                },
            )
            self._event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            sent = 0
            if behaviour.mode == "pings":
                for start in range(0, behaviour.pings_after, behaviour.chunk_size):
                    piece = text[start : min(start + behaviour.chunk_size, behaviour.pings_after)]
                    self._event(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": 0,
                            "delta": {"type": "text_delta", "text": piece},
                        },
                    )
                self._pings(behaviour)
                self.close_connection = True
                return
            if behaviour.mode == "endless":
                try:
                    while True:
                        self._event(
                            "content_block_delta",
                            {
                                "type": "content_block_delta",
                                "index": 0,
                                "delta": {"type": "text_delta", "text": "and so on "},
                            },
                        )
                        self.wfile.flush()
                        time.sleep(0.002)
                except OSError:  # the client closed the stream
                    return
            for start in range(0, len(text), behaviour.chunk_size):
                piece = text[start : start + behaviour.chunk_size]
                if behaviour.mode == "reset_mid" and sent >= behaviour.cut_after:
                    self.wfile.flush()
                    self._reset()
                    return
                if behaviour.mode == "cut" and sent >= behaviour.cut_after:
                    # Drop the connection mid-stream, without the closing chunk.
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    self.close_connection = True
                    return
                self._event(
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "text_delta", "text": piece},
                    },
                )
                if behaviour.chunk_delay_s:
                    self.wfile.flush()
                    time.sleep(behaviour.chunk_delay_s)
                sent += len(piece)
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
            if behaviour.mode == "nostop":  # the server process ends the response early
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
                return
            self._event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": usage_out},
                },
            )
            self._event("message_stop", {"type": "message_stop"})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


@contextmanager
def running_server() -> Iterator[FakeAnthropic]:
    state = FakeAnthropic()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, name="fake-anthropic", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.closing.set()
        httpd.shutdown()
        httpd.server_close()
