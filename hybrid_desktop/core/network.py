"""Is the cloud reachable, and how fast? Known without ever blocking the UI.

A probe opens a TCP connection to the configured API endpoint's host and port and measures how
long it took (the round trip), then asks ``HEAD <endpoint>/v1/models`` (no key, no body: nothing of
the user's) and looks at the answer's status line and headers only. Its verdict:

- ``offline``: no connection within the timeout (refused, unreachable, no name);
- ``captive_portal``: the network answers for the API with a sign-in page: a 511 (Network
  Authentication Required), a redirect to another host, or a 200 web page. Hotel and café Wi-Fi
  do this until the user signs in; the router then keeps Auto on the device without trying;
- ``online``: anything else, also an error the API itself would give (401 without a key). When
  the connection opens but no answer comes within the timeout, the state is ``online`` with the
  whole wait as its round trip, which the router counts as a slow link.

Over HTTPS the probe does not check the certificate: a portal that intercepts the connection
shows its own, and the probe wants to see the page it serves. It sends nothing secret; the
cloud request itself goes through the SDK, which verifies. Name resolution goes through the monitor's ``resolve`` function: the app hands it
``workers.deadline.resolve_with_deadline``, which gives ``getaddrinfo`` (it has no timeout of its
own) a deadline, so a hanging DNS server costs at most the probe's timeout. Core itself starts no
threads; its default resolver is plain ``getaddrinfo``. Results are cached
(``ttl_s``) and re-probed on demand. With Offline mode on, nothing is probed at all.

Nothing here runs at import time or on start-up: the GUI schedules the first probe after its
window is up; the CLI probes only when a request could go to the cloud.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import SplitResult, urlsplit

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.anthropic.com"


def endpoint_url(configured: str | None = None) -> str:
    """The API base URL in force: the setting, then ``ANTHROPIC_BASE_URL``, then the default."""
    return configured or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_ENDPOINT


@dataclass(frozen=True)
class NetworkState:
    #: ``online``, ``offline``, ``captive_portal`` (a sign-in page where the API should be),
    #: ``offline_mode`` (the user's switch) or ``unknown`` (not probed).
    status: str
    latency_ms: float | None = None
    detail: str = ""
    checked_at: float = 0.0
    #: Observed on real cloud answers (None until one was seen): time to first token, and speed.
    cloud_ttft_ms: float | None = None
    cloud_tokens_per_s: float | None = None

    @property
    def online(self) -> bool:
        return self.status == "online"

    def label(self) -> str:
        if self.status == "online":
            return "Online" + (
                f" ({self.latency_ms:.0f} ms)" if self.latency_ms is not None else ""
            )
        if self.status == "offline_mode":
            return "Offline mode"
        if self.status == "offline":
            return "Offline"
        if self.status == "captive_portal":
            return "Sign-in page (captive portal)"
        return "Network: checking…"

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "latency_ms": self.latency_ms,
            "detail": self.detail,
            "cloud_ttft_ms": self.cloud_ttft_ms,
            "cloud_tokens_per_s": self.cloud_tokens_per_s,
        }


#: (host, port, timeout in seconds) -> getaddrinfo's list; raises OSError or TimeoutError.
Resolver = Callable[[str, int, float], list[tuple[Any, ...]]]


def literal_address(host: str, port: int) -> list[tuple[Any, ...]] | None:
    """The address list of a literal IP address (no lookup needed), else None."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return [(family, socket.SOCK_STREAM, 0, "", (host, port))]


def resolve_blocking(host: str, port: int, timeout_s: float) -> list[tuple[Any, ...]]:
    """getaddrinfo as it is (no deadline): for callers that may wait on the resolver."""
    return literal_address(host, port) or list(
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    )


def probe(url: str, timeout_s: float = 2.0, resolve: Resolver = resolve_blocking) -> NetworkState:
    """Connect once to ``url``'s host and read the head of one answer; never takes much longer
    than ``timeout_s``."""
    from hybrid_desktop.core.proxy import proxy_for

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = proxy_for(url)  # the way the cloud request itself goes (core/proxy.py)
    via = urlsplit(proxy) if proxy else None
    to_host, to_port = host, port
    if via is not None:
        to_host = via.hostname or ""
        to_port = via.port or (443 if via.scheme == "https" else 80)
    started = time.perf_counter()
    deadline = started + timeout_s
    try:
        addresses = literal_address(to_host, to_port) or resolve(to_host, to_port, timeout_s)
        last_error: OSError | None = None
        for family, kind, proto, _name, address in addresses:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("connection attempt timed out")
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(remaining)
                sock.connect(address)
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            latency = round((time.perf_counter() - started) * 1000, 1)
            with sock:
                stream: socket.socket = sock
                if via is not None:
                    stream = _through_proxy(sock, via, parts, host, port, deadline)
                return _answer_verdict(stream, parts, host, latency, started, deadline, via)
        raise last_error or OSError("no address")
    except (OSError, TimeoutError) as exc:
        where = host if via is None else f"{host} through the proxy {to_host}"
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        detail = f"{where}: {why}"
        log.info("network probe failed: %s", detail)
        return NetworkState("offline", None, detail, time.time())


#: The probe's request: the API's model list, asked for its head only.
PROBE_PATH = "/v1/models"
#: The most of an answer's head the probe reads (a status line and headers are far shorter).
MAX_HEAD_BYTES = 16 << 10


def _answer_verdict(
    sock: socket.socket,
    parts: SplitResult,
    host: str,
    latency_ms: float,
    started: float,
    deadline: float,
    via: SplitResult | None = None,
) -> NetworkState:
    """The state once connected: what answers for the API, judged by its status and headers."""
    try:
        status, headers = _read_head(sock, parts, host, deadline, absolute=via is not None)
    except TimeoutError:
        waited = round((time.perf_counter() - started) * 1000, 1)
        return NetworkState(
            "online",
            max(latency_ms, waited),
            f"{host}: connected, but no answer within {waited / 1000:.1f} s",
            time.time(),
        )
    except (OSError, ValueError) as exc:
        # Connected, but the answer was not HTTP: not a portal's page; the cloud turn will say
        # what is wrong with the service.
        log.info("network probe: %s connected, answer unreadable: %s", host, exc)
        return NetworkState("online", latency_ms, host, time.time())
    portal = _portal_evidence(status, headers, host)
    if portal:
        log.info("network probe: captive portal (%s)", portal)
        return NetworkState("captive_portal", latency_ms, portal, time.time())
    return NetworkState("online", latency_ms, host, time.time())


def _read_head(
    sock: socket.socket, parts: SplitResult, host: str, deadline: float, absolute: bool = False
) -> tuple[int, dict[str, str]]:
    """Send the probe's ``HEAD`` request; read the answer's status and headers (bounded in time
    and size, however slowly the other end trickles). ``absolute``: to an HTTP proxy, which
    takes the whole URL (an ``https`` one is tunnelled already, and gets the path)."""
    stream: socket.socket = sock
    if parts.scheme == "https":
        # Unverified on purpose (see the module docstring): nothing secret is sent, and a
        # portal's own certificate must not hide the page it serves.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock.settimeout(max(0.01, deadline - time.perf_counter()))
        stream = context.wrap_socket(sock, server_hostname=host or None)
    with stream:
        authority = parts.netloc.rpartition("@")[2] or host
        target = f"{parts.path.rstrip('/')}{PROBE_PATH}"
        if absolute and parts.scheme != "https":
            target = f"{parts.scheme}://{authority}{target}"
        request = (
            f"HEAD {target} HTTP/1.1\r\nHost: {authority}\r\n"
            "User-Agent: hybrid-desktop-probe\r\nAccept: application/json\r\n"
            "Connection: close\r\n\r\n"
        )
        head = _exchange(stream, request, deadline, "no complete answer in time", 4096)
    lines = head.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    first = lines[0].split(None, 2)
    if len(first) < 2 or not first[0].startswith(b"HTTP/") or not first[1].isdigit():
        raise ValueError(f"not an HTTP answer: {lines[0][:60]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return int(first[1]), headers


def _exchange(
    stream: socket.socket, request: str, deadline: float, too_late: str, chunk_size: int
) -> bytes:
    """Send ``request``; read the head of its answer, bounded by ``deadline`` (TimeoutError
    with ``too_late``) and :data:`MAX_HEAD_BYTES`, however slowly the other end trickles."""
    stream.settimeout(max(0.01, deadline - time.perf_counter()))
    stream.sendall(request.encode("ascii", "replace"))
    head = b""
    while b"\r\n\r\n" not in head and len(head) < MAX_HEAD_BYTES:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError(too_late)
        stream.settimeout(remaining)
        chunk = stream.recv(chunk_size)
        if not chunk:
            break
        head += chunk
    return head


def _through_proxy(
    sock: socket.socket, via: SplitResult, parts: SplitResult, host: str, port: int, deadline: float
) -> socket.socket:
    """Connected to the proxy: for ``https``, the tunnel (``CONNECT``) the SDK would open; an
    ``http`` request is sent to the proxy as it is. Raises OSError when the proxy refuses."""
    stream = sock
    if via.scheme == "https":  # TLS to the proxy itself, verified as the SDK does
        sock.settimeout(max(0.01, deadline - time.perf_counter()))
        stream = ssl.create_default_context().wrap_socket(sock, server_hostname=via.hostname)
    if parts.scheme != "https":
        return stream
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if via.username is not None:
        from base64 import b64encode
        from urllib.parse import unquote

        pair = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
        lines.append(f"Proxy-Authorization: Basic {b64encode(pair).decode('ascii')}")
    request = "\r\n".join(lines) + "\r\n\r\n"
    # Byte by byte: what follows the proxy's head is the tunnel's.
    head = _exchange(stream, request, deadline, "the proxy did not answer in time", 1)
    status = head.split(b"\r\n", 1)[0].split(None, 2)
    if len(status) < 2 or status[1] != b"200":
        code = status[1].decode("latin-1") if len(status) > 1 else "no answer"
        what = "asks for a sign-in" if code == "407" else "refused the tunnel"
        raise OSError(f"the proxy {via.hostname} {what} ({code})")
    return stream


def _portal_evidence(status: int, headers: dict[str, str], host: str) -> str:
    """Why this answer is a captive portal's, or "" when it is not one."""
    kind = headers.get("content-type", "").lower()
    if status == 511:
        return f"{host} answered 511 (network sign-in required): a sign-in page"
    if 300 <= status < 400:
        try:
            target = urlsplit(headers.get("location", "")).hostname
        except ValueError:  # a malformed Location is no evidence either way
            return ""
        if target and target.lower() != host.lower():
            return f"{host} redirects to {target}, a sign-in page"
        return ""
    if status == 200 and "html" in kind:
        return f"{host} answered with a web page, a sign-in page"
    return ""


class NetworkMonitor:
    """Caches the last probe; thread-safe. ``offline_mode`` short-circuits everything."""

    def __init__(
        self,
        url: str,
        ttl_s: float = 60.0,
        timeout_s: float = 2.0,
        resolve: Resolver = resolve_blocking,
    ) -> None:
        self.url = url
        self.resolve = resolve
        self.ttl_s = ttl_s
        self.timeout_s = timeout_s
        self.offline_mode = False
        self._state = NetworkState("unknown")
        self._lock = threading.Lock()
        self.probes = 0
        #: Moving averages of real answers: cloud time to first token and speed, local speed.
        self._cloud_ttft_ms: float | None = None
        self._cloud_tps: float | None = None
        self.local_tokens_per_s: float | None = None

    def observe(self, route: str, ttft_ms: float, tokens_per_s: float) -> None:
        """Learn from a finished answer: what the network and each engine really deliver."""
        with self._lock:
            if route == "cloud":
                if ttft_ms > 0:
                    self._cloud_ttft_ms = _average(self._cloud_ttft_ms, ttft_ms)
                if tokens_per_s > 0:
                    self._cloud_tps = _average(self._cloud_tps, tokens_per_s)
            elif route == "local" and tokens_per_s > 0:
                self.local_tokens_per_s = _average(self.local_tokens_per_s, tokens_per_s)

    def state(self) -> NetworkState:
        """The last known state, without probing."""
        if self.offline_mode:
            return NetworkState("offline_mode")
        return self._with_speeds(self._state)

    def _with_speeds(self, state: NetworkState) -> NetworkState:
        if self._cloud_ttft_ms is None and self._cloud_tps is None:
            return state
        return replace(
            state,
            cloud_ttft_ms=None if self._cloud_ttft_ms is None else round(self._cloud_ttft_ms, 1),
            cloud_tokens_per_s=None if self._cloud_tps is None else round(self._cloud_tps, 1),
        )

    def fresh(self) -> bool:
        return self._state.status != "unknown" and (
            time.time() - self._state.checked_at < self.ttl_s
        )

    def mark_portal(self, detail: str) -> None:
        """A cloud turn met a sign-in page (an HTML answer, a redirect) where the API should be:
        the verdict is ``captive_portal`` from now until the next probe (``ttl_s``), so Auto
        stays on the device without trying the cloud again."""
        with self._lock:
            self._state = NetworkState(
                "captive_portal", self._state.latency_ms, detail, time.time()
            )
        log.info("captive portal seen on a cloud turn: %s", detail)

    def check(self, force: bool = False) -> NetworkState:
        """Probe now unless a fresh result is cached (blocking, bounded by ``timeout_s``)."""
        if self.offline_mode:
            return NetworkState("offline_mode")
        with self._lock:
            if force or not self.fresh():
                self.probes += 1
                self._state = probe(self.url, self.timeout_s, self.resolve)
            return self._with_speeds(self._state)


def _average(old: float | None, new: float, weight: float = 0.5) -> float:
    """An exponential moving average that follows a changing link within a few answers."""
    return new if old is None else old + weight * (new - old)
