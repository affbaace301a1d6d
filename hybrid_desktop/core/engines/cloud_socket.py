"""The cloud client's sockets under the engine's control: a deadline on every read and write, and
an abort that works from another thread or from a signal handler.

Why not the SDK's read timeout alone: it restarts with every byte, so a server that sends only
keep-alive ``ping`` events (the SDK drops them before the engine sees an event) or trickles bytes
is never cut by it. Here every read and write is held to the time left before the request's
:class:`Watch` deadline, which the engine moves on only when a token arrives.

Why ``shutdown`` and not ``close`` to abort: a thread blocked in ``recv`` wakes at once with
end-of-file when its socket is shut down, from any thread (and from a signal handler in the same
thread); ``close`` from another thread does not wake it on Linux.

The TCP connect is the guard's own too: httpcore's ``socket.create_connection`` would block for
the whole connect timeout on a host that drops the handshake (a full backlog, a dead route) with
a socket nobody else can reach. Here the socket is the request's before it connects, and the
connect is non-blocking, waited on in slices of :data:`CONNECT_SLICE_S`, so Stop and Ctrl+C end
it within that (a shutdown wakes it at once on Linux). Name resolution still blocks.

The guard is an httpcore network backend wrapped around the connection pool's own, built on
httpcore's public ``NetworkBackend``/``NetworkStream`` interfaces; installing it sets the pool's
``_network_backend`` (the one private name used, checked, and logged when missing). Which request
a read belongs to is the :data:`_WATCH` context variable, set by the engine around its request:
the synchronous SDK reads in the calling thread.
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import select
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

#: How long a connect waits at most between two looks at the abort switch.
CONNECT_SLICE_S = 0.1
#: connect_ex's answers for "under way" (POSIX, and Windows' WSAEWOULDBLOCK).
_IN_PROGRESS = {0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, 10035}


class Watch:
    """One cloud request's deadline (``time.monotonic()``) and abort switch, over its sockets."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.aborted = False
        self._sockets: list[socket.socket] = []

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def abort(self) -> None:
        """Stop the request now: its sockets are shut down, and any further read or write fails.
        Safe from any thread and from a signal handler (no locks, no blocking calls)."""
        self.aborted = True
        for sock in list(self._sockets):
            _shutdown(sock)

    def adopt(self, sock: Any) -> None:
        if isinstance(sock, socket.socket) and not any(s is sock for s in self._sockets):
            self._sockets.append(sock)
            if self.aborted:
                _shutdown(sock)


_WATCH: ContextVar[Watch | None] = ContextVar("hybrid_desktop_cloud_watch", default=None)


@contextmanager
def watching(watch: Watch) -> Iterator[Watch]:
    """Hold every socket read and write in this block to ``watch``."""
    token = _WATCH.set(watch)
    try:
        yield watch
    finally:
        _WATCH.reset(token)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for an SSLSocket: its own would drop the SSL object under
    # the thread that is reading with it. OSError: already closed, or never connected.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def install(transport: Any) -> bool:
    """Put the guard under ``transport``'s connection pool. False (and a warning) when the
    transport has no pool this knows: then only the SDK's read timeout holds."""
    pool: Any = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    try:
        httpcore = importlib.import_module(type(pool).__module__.split(".")[0])
        known = isinstance(inner, httpcore.NetworkBackend)
    except (ImportError, AttributeError):
        known = False
    if not known:
        log.warning(
            "the cloud transport has no known network backend; deadlines and Stop fall back to "
            "the read timeout"
        )
        return False
    pool._network_backend = _classes(httpcore)(inner)
    return True


@cache
def _classes(httpcore: Any) -> Any:
    """The guard's backend class, built on this httpcore (``httpcore2`` under anthropic 2.x)."""

    def held(timeout: float | None, expired: type[Exception], stopped: type[Exception]) -> Any:
        watch = _WATCH.get()
        if watch is None:
            return timeout
        if watch.aborted:
            raise stopped("the request was stopped")
        left = watch.remaining()
        if left <= 0:
            raise expired("the deadline passed")
        return left if timeout is None else min(timeout, left)

    class Stream(httpcore.NetworkStream):  # type: ignore[misc]
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def _watched(self) -> None:
            watch = _WATCH.get()
            if watch is not None:
                watch.adopt(self._inner.get_extra_info("socket"))

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            self._watched()
            limit = held(timeout, httpcore.ReadTimeout, httpcore.ReadError)
            data: bytes = self._inner.read(max_bytes, limit)
            watch = _WATCH.get()
            if watch is not None and watch.aborted:
                raise httpcore.ReadError("the request was stopped")
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._watched()
            self._inner.write(buffer, held(timeout, httpcore.WriteTimeout, httpcore.WriteError))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
        ) -> Any:
            limit = held(timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
            return Stream(self._inner.start_tls(ssl_context, server_hostname, limit))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class Backend(httpcore.NetworkBackend):  # type: ignore[misc]
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Any = None,
        ) -> Any:
            limit = held(timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
            watch = _WATCH.get()
            plain = _plain_stream(httpcore)
            if watch is None or plain is None:
                stream = Stream(
                    self._inner.connect_tcp(host, port, limit, local_address, socket_options)
                )
            else:
                try:
                    sock = _connect(host, port, limit, local_address, watch)
                except TimeoutError as exc:
                    raise httpcore.ConnectTimeout(str(exc)) from exc
                except OSError as exc:
                    raise httpcore.ConnectError(str(exc)) from exc
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                stream = Stream(plain(sock))
            stream._watched()
            return stream

        def connect_unix_socket(
            self, path: str, timeout: float | None = None, socket_options: Any = None
        ) -> Any:
            limit = held(timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
            return Stream(self._inner.connect_unix_socket(path, limit, socket_options))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return Backend


def _plain_stream(httpcore: Any) -> Any:
    """httpcore's stream over a connected socket (``SyncStream``, not exported: looked up, and
    None, with a warning, when a release moves it; then connects block as httpcore's do)."""
    try:
        return importlib.import_module(f"{httpcore.__name__}._backends.sync").SyncStream
    except (ImportError, AttributeError):
        log.warning("httpcore has no SyncStream; Stop waits for the connect timeout")
        return None


def _connect(
    host: str, port: int, timeout: float | None, local_address: str | None, watch: Watch
) -> socket.socket:
    """``socket.create_connection``, with each socket the watch's before it connects and the
    abort switch looked at every :data:`CONNECT_SLICE_S`. Raises TimeoutError or OSError."""
    deadline = time.monotonic() + (timeout if timeout is not None else 3600.0)
    last: OSError | None = None
    for family, kind, proto, _name, address in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        sock = socket.socket(family, kind, proto)
        watch.adopt(sock)
        try:
            if local_address is not None:
                sock.bind((local_address, 0))
            sock.setblocking(False)
            _wait_connected(sock, address, deadline, watch)
        except OSError as exc:
            sock.close()
            if isinstance(exc, TimeoutError) or watch.aborted:
                raise
            last = exc
            continue
        sock.settimeout(timeout)
        return sock
    raise last or OSError(f"no address for {host}")


def _wait_connected(sock: socket.socket, address: Any, deadline: float, watch: Watch) -> None:
    code = sock.connect_ex(address)
    if code not in _IN_PROGRESS:
        raise OSError(code, os.strerror(code))
    while code != 0:
        if watch.aborted:
            raise ConnectionAbortedError("the request was stopped")
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        _, writable, failed = select.select([], [sock], [sock], min(left, CONNECT_SLICE_S))
        if writable or failed:
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code))
            break
    if watch.aborted:  # connected just as it was stopped
        raise ConnectionAbortedError("the request was stopped")
