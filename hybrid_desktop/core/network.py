"""Is the cloud reachable, and how fast? Known without ever blocking the UI.

A probe opens a TCP connection to the configured API endpoint's host and port and measures how
long it took. Name resolution goes through the monitor's ``resolve`` function: the app hands it
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.anthropic.com"


def endpoint_url(configured: str | None = None) -> str:
    """The API base URL in force: the setting, then ``ANTHROPIC_BASE_URL``, then the default."""
    return configured or os.environ.get("ANTHROPIC_BASE_URL") or DEFAULT_ENDPOINT


@dataclass(frozen=True)
class NetworkState:
    #: ``online``, ``offline``, ``offline_mode`` (the user's switch) or ``unknown`` (not probed).
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
    """Connect once to ``url``'s host; never takes much longer than ``timeout_s``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    started = time.perf_counter()
    try:
        deadline = started + timeout_s
        addresses = literal_address(host, port) or resolve(host, port, timeout_s)
        last_error: OSError | None = None
        for family, kind, proto, _name, address in addresses:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("connection attempt timed out")
            try:
                with socket.socket(family, kind, proto) as sock:
                    sock.settimeout(remaining)
                    sock.connect(address)
                latency = (time.perf_counter() - started) * 1000
                return NetworkState("online", round(latency, 1), host, time.time())
            except OSError as exc:
                last_error = exc
        raise last_error or OSError("no address")
    except (OSError, TimeoutError) as exc:
        detail = f"{host}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
        log.info("network probe failed: %s", detail)
        return NetworkState("offline", None, detail, time.time())


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
