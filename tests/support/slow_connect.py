"""A TCP endpoint on 127.0.0.1 whose connections stop being taken: a TCP connect that hangs.

It answers the app's network probe (``HEAD /v1/models`` gets a 401, so the network looks
online), then, once :meth:`SlowConnect.stick` is called (or after ``probes`` probes), stops
accepting and fills its listen backlog. The kernel then drops every new handshake, so a client's
``connect`` hangs, as it does on a network that silently drops packets, with nothing leaving
this machine. Linux only for :meth:`connecting`, which reads ``/proc/net/tcp``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

PROBE_ANSWER = (
    b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
)
#: /proc/net/tcp's state of a socket whose handshake is under way.
SYN_SENT = "02"


class SlowConnect:
    def __init__(self, probes: int | None = None) -> None:
        """``probes``: stick after answering that many probes (None: when told to)."""
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._probes = probes
        self.probes_answered = 0
        self._stick = threading.Event()
        self.stuck = threading.Event()
        self._fillers: list[socket.socket] = []
        self._baseline = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stick(self) -> None:
        """Stop taking connections; returns once a new connect would hang."""
        self._stick.set()
        assert self.stuck.wait(10), "the listener did not stick"

    def connecting(self) -> int:
        """How many clients are in the middle of a handshake with this endpoint now."""
        return max(0, _syn_sent_to(self.port) - self._baseline)

    def wait_connecting(self, timeout: float = 120.0) -> float:
        """Wait until a client is connecting; returns when (``time.monotonic()``)."""
        deadline = time.monotonic() + timeout
        while not self.stuck.is_set():  # the backlog's own handshakes are not the client's
            assert time.monotonic() < deadline, "the listener never stuck"
            time.sleep(0.02)
        while not self.connecting():
            assert time.monotonic() < deadline, "no client ever connected"
            time.sleep(0.02)
        return time.monotonic()

    def _serve(self) -> None:
        while not self._stick.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                head = b""
                with suppress(OSError):
                    while b"\r\n\r\n" not in head and len(head) < 65536:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        head += chunk
                    conn.sendall(PROBE_ANSWER)
            self.probes_answered += 1
            if self._probes is not None and self.probes_answered >= self._probes:
                break
        self._fill()

    def _fill(self) -> None:
        # With a backlog of 0 the kernel queues one finished handshake; the next ones are
        # dropped, and a connect is then retried by the client's kernel for a minute or more.
        for _ in range(3):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            with suppress(BlockingIOError):
                filler.connect(("127.0.0.1", self.port))
            self._fillers.append(filler)
            time.sleep(0.05)
        time.sleep(0.2)
        self._baseline = _syn_sent_to(self.port)
        self.stuck.set()

    def close(self) -> None:
        self._stick.set()
        self._thread.join(10)
        for filler in self._fillers:
            filler.close()
        self._listener.close()


def _syn_sent_to(port: int) -> int:
    """Sockets of this machine whose handshake with 127.0.0.1:``port`` is under way."""
    target = f"0100007F:{port:04X}"
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) > 3 and fields[2] == target and fields[3] == SYN_SENT:
            count += 1
    return count


@contextmanager
def slow_connect(probes: int | None = None) -> Iterator[SlowConnect]:
    server = SlowConnect(probes)
    try:
        yield server
    finally:
        server.close()
