"""A model file server of our own on 127.0.0.1, for the download tests: HTTP/1.1 with Range and
If-Range, and the ways real servers and links fail, switched on per test.

    with running_model_server({"m.gguf": path}) as server:
        server.behaviour.drop_after = 1000     # the first answer stops after 1000 body bytes
        download(server.url("m.gguf"), dest)

Every request is recorded (``server.requests``: path and headers) so tests can check that a
resume asked for the right range.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ETAG = '"model-v1"'
PIECE = 64 * 1024


@dataclass
class Behaviour:
    """How the server misbehaves. Counters (``drops``, ``fail_times``) go down as it does."""

    drop_after: int | None = None  # close the connection after this many body bytes...
    drops: int = 1  # ...in this many answers
    corrupt_at: int | None = None  # flip the byte at this file offset
    rate_bps: int | None = None  # throttle the body to this many bytes per second
    status: int | None = None  # answer every request with this status and no body
    fail_times: int = 0  # with ``fail_status``, for the first N requests only
    fail_status: int = 503
    stall_after: int | None = None  # send the file up to this offset, then nothing (until released)
    linked_etag: str | None = None  # an X-Linked-Etag header, as Hugging Face sends
    close_delimited: bool = False  # no Content-Length: the body ends when the connection closes
    ranges: bool = True  # honour Range (else always the whole file, 200)
    etag: str | None = ETAG


@dataclass
class ModelServer:
    files: dict[str, bytes | Path]
    base_url: str = ""
    behaviour: Behaviour = field(default_factory=Behaviour)
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location
    requests: list[dict[str, Any]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    def size(self, name: str) -> int:
        data = self.files[name]
        return data.stat().st_size if isinstance(data, Path) else len(data)

    def read(self, name: str, start: int, end: int) -> bytes:
        data = self.files[name]
        if isinstance(data, Path):
            with data.open("rb") as f:
                f.seek(start)
                return f.read(end - start)
        return data[start:end]


def _handler(server: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            name = self.path.lstrip("/")
            with server.lock:
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                b = server.behaviour
                failing = b.fail_times > 0
                if failing:
                    b.fail_times -= 1
                dropping = b.drop_after is not None and b.drops > 0
                if dropping:
                    b.drops -= 1
            if self.path in server.redirects:
                self.send_response(302)
                self.send_header("Location", server.redirects[self.path])
                if b.linked_etag:
                    self.send_header("X-Linked-Etag", b.linked_etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if b.status is not None or failing or name not in server.files:
                status = b.status or (b.fail_status if failing else 404)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            size = server.size(name)
            start = 0
            wanted = self.headers.get("Range", "")
            if_range = self.headers.get("If-Range")
            if b.ranges and wanted.startswith("bytes=") and (if_range in (None, b.etag)):
                start = int(wanted[6:].split("-")[0])
                if start >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            else:
                self.send_response(200)
            if b.ranges:
                self.send_header("Accept-Ranges", "bytes")
            if b.etag:
                self.send_header("ETag", b.etag)
            if b.linked_etag:
                self.send_header("X-Linked-Etag", b.linked_etag)
            if b.close_delimited:
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(size - start))
            self.end_headers()
            self._body(name, start, size, b, dropping)

        def _body(self, name: str, start: int, size: int, b: Behaviour, dropping: bool) -> None:
            sent = 0
            pos = start
            piece = min(PIECE, b.rate_bps // 10) if b.rate_bps else PIECE
            began = time.monotonic()
            try:
                while pos < size:
                    limit = size
                    if dropping and b.drop_after is not None:
                        limit = min(limit, start + b.drop_after)
                    if b.stall_after is not None:
                        limit = min(limit, max(b.stall_after, start))
                    if pos >= limit:
                        break
                    data = bytearray(server.read(name, pos, min(pos + piece, limit)))
                    if b.corrupt_at is not None and pos <= b.corrupt_at < pos + len(data):
                        data[b.corrupt_at - pos] ^= 0xFF
                    self.wfile.write(data)
                    pos += len(data)
                    sent += len(data)
                    if b.rate_bps:
                        ahead = sent / b.rate_bps - (time.monotonic() - began)
                        if ahead > 0:
                            time.sleep(ahead)
                self.wfile.flush()
                if pos < size and b.stall_after is not None and not dropping:
                    server.released.wait(60)  # headers and some bytes, then silence
                if pos < size:
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def running_model_server(files: dict[str, bytes | Path]) -> Iterator[ModelServer]:
    """Serve ``files`` (name -> bytes or a file) on 127.0.0.1 in a thread; stopped afterwards."""
    server = ModelServer(files)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    httpd.daemon_threads = True
    server.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, name="model-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)
