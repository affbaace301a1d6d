"""Finding edge servers without scanning anyone's network, and asking one whether it is up.

- :func:`probe_models`: the model ids a server lists at ``GET {base}/v1/models`` (the OpenAI
  shape ``{"data": [{"id": ...}]}``, which llama.cpp's server, vLLM, llama-cpp-python, Ollama, LM
  Studio, LiteLLM and the Anthropic API all answer with).
- :func:`health`: ``ok``, ``loading`` or ``down``, with a sentence saying why. ``/health`` and
  then ``/healthz`` where the server has one (llama.cpp's answers 503 ``Loading model`` while
  its model loads; a 404 means there is none), then ``/v1/models``, which must answer for the
  server to be usable.
- :func:`discover`: ``localhost`` (as 127.0.0.1) and each host the user listed, on the
  well-known ports (11434 Ollama, 8080 llama.cpp, 8000 vLLM and llama-cpp-python, 1234 LM
  Studio; a host given with its own port is probed on that port only), all at once with asyncio.
  A server counts as found when ``/v1/models`` answers with a model list. Address ranges are
  never probed: only the names and addresses given, one by one.

Requests go the way ``core.proxy`` says for each URL (``HTTP_PROXY``/``NO_PROXY``, as the cloud's
do; loopback never through a proxy), with the environment otherwise ignored (``trust_env`` off).
No threads: concurrency is asyncio's. The sync functions run their own event loop; from a
coroutine, await the ``*_async`` twins.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import time
from collections.abc import Coroutine, Sequence
from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from hybrid_desktop.config.edge import WELL_KNOWN_PORTS, EdgeServer, split_host
from hybrid_desktop.core.proxy import proxy_for
from hybrid_desktop.errors import EdgeError

log = logging.getLogger(__name__)

T = TypeVar("T")

STATUSES = ("ok", "loading", "down")
#: What usually listens on each well-known port (a guess, refined from the answer).
KIND_BY_PORT = {
    11434: "ollama",
    8080: "llama.cpp",
    8000: "vllm or llama-cpp-python",
    1234: "lm-studio",
}
#: ``owned_by`` of the models each engine lists: a better guess than the port.
KIND_BY_OWNER = {
    "llamacpp": "llama.cpp",
    "vllm": "vllm",
    "me": "llama-cpp-python",
    "organization_owner": "lm-studio",
    "library": "ollama",
    "ollama": "ollama",
}
OTHER_KIND = "openai-compatible"
HEALTH_PATHS = ("/health", "/healthz")
#: Probes in flight at once (a few hosts times four ports: well within one connection pool).
MAX_CONCURRENT = 32
#: A model list larger than this is not read any further (no server lists that many models).
MAX_BODY_BYTES = 2 << 20
ANTHROPIC_VERSION = "2023-06-01"


@dataclass(frozen=True)
class Health:
    """How one server is doing now."""

    status: str  # "ok" | "loading" | "down"
    #: A plain sentence for the user: what answered, or why nothing did.
    detail: str
    #: The round trip of the answer that decided, in milliseconds (None: nothing answered).
    latency_ms: float | None = None
    #: The model ids ``/v1/models`` listed (empty when it did not answer).
    models: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Found:
    """A server that ``discover`` found: ``/v1/models`` answered with a model list."""

    url: str
    host: str
    port: int
    models: list[str]
    #: What it probably is: ollama, llama.cpp, vllm, llama-cpp-python, lm-studio, "vllm or
    #: llama-cpp-python" (port 8000, nothing more to tell) or openai-compatible.
    kind: str
    latency_ms: float
    #: "ok", or "loading" when its ``/health`` says the model is still loading.
    health: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    headers: httpx.Headers
    latency_ms: float

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def says_loading(self) -> bool:
        """llama.cpp's ``{"error": {"message": "Loading model", ...}}`` (or any 503 saying so)."""
        return self.status == 503 and b"loading" in self.body.lower()


class _Unreachable(Exception):
    """No HTTP answer at all; ``detail`` says why, in a sentence."""

    def __init__(self, detail: str, kind: str = "connection") -> None:
        super().__init__(detail)
        self.detail = detail
        self.kind = kind


# the HTTP side ----------------------------------------------------------------------------------


class _Clients:
    """One connection pool per proxy (most often just the direct one)."""

    def __init__(self, stack: AsyncExitStack) -> None:
        self._stack = stack
        self._clients: dict[str | None, httpx.AsyncClient] = {}

    async def get(self, url: str) -> httpx.AsyncClient:
        proxy = proxy_for(url)
        client = self._clients.get(proxy)
        if client is None:
            from hybrid_desktop.core.model_manager.download_support import tls

            client = httpx.AsyncClient(
                proxy=proxy, trust_env=False, follow_redirects=False, verify=tls()
            )
            await self._stack.enter_async_context(client)
            self._clients[proxy] = client
        return client


async def _fetch(clients: _Clients, url: str, headers: dict[str, str], timeout_s: float) -> _Answer:
    """GET ``url``: the whole answer (up to MAX_BODY_BYTES) within ``timeout_s`` altogether."""
    client = await clients.get(url)
    started = time.perf_counter()

    async def get() -> _Answer:
        async with client.stream("GET", url, headers=headers, timeout=timeout_s) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    break
            latency = round((time.perf_counter() - started) * 1000, 1)
            return _Answer(response.status_code, bytes(body), response.headers, latency)

    host = urlsplit(url).netloc
    try:
        return await asyncio.wait_for(get(), timeout_s)
    except (asyncio.TimeoutError, httpx.TimeoutException):
        raise _Unreachable(f"{host} did not answer within {timeout_s:g} s.", "timeout") from None
    except httpx.ProxyError as exc:
        raise _Unreachable(f"The proxy on the way to {host} refused the request ({exc}).") from None
    except httpx.ConnectError as exc:
        raise _Unreachable(_connect_detail(host, exc)) from None
    except httpx.HTTPError as exc:  # not HTTP, or the connection dropped mid-answer
        raise _Unreachable(
            f"{host} answered with something that is not a usable HTTP answer "
            f"({type(exc).__name__})."
        ) from None


def _connect_detail(host: str, exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"The name {urlsplit('//' + host).hostname} could not be found (DNS)."
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno == errno.ECONNREFUSED:
                return f"Nothing answers at {host} (connection refused)."
            if cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                return f"{host} cannot be reached from this network."
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if "refused" in text.lower() or "all connection attempts failed" in text.lower():
        return f"Nothing answers at {host} (connection refused)."
    if "name" in text.lower() and ("known" in text.lower() or "resol" in text.lower()):
        return f"The name {urlsplit('//' + host).hostname} could not be found (DNS)."
    return f"{host} cannot be reached ({text or type(exc).__name__})."


def _headers(api_key: str | None, protocol: str) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if api_key:
        if protocol == "anthropic":
            headers["x-api-key"] = api_key
            headers["anthropic-version"] = ANTHROPIC_VERSION
        else:
            headers["Authorization"] = f"Bearer {api_key}"
    return headers


def _base(url: str) -> str:
    url = url.rstrip("/")
    return url[:-3] if url.endswith("/v1") else url


def _model_ids(data: Any) -> list[str] | None:
    """The ids of an OpenAI (or Anthropic) model list, or None when ``data`` is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return None
    return [str(m["id"]) for m in data["data"] if isinstance(m, dict) and m.get("id")]


async def _models(
    clients: _Clients, base_url: str, api_key: str | None, protocol: str, timeout_s: float
) -> tuple[list[str], _Answer]:
    """``/v1/models``'s ids and the answer; raises EdgeError (``kind`` set) when it has none."""
    base = _base(base_url)
    host = urlsplit(base).netloc
    try:
        answer = await _fetch(clients, f"{base}/v1/models", _headers(api_key, protocol), timeout_s)
    except _Unreachable as exc:
        raise EdgeError(exc.detail, kind=exc.kind, server=host) from None
    if answer.status == 200:
        ids = _model_ids(answer.json())
        if ids is not None:
            return ids, answer
        raise EdgeError(
            f"{host} answers, but /v1/models is not an OpenAI-style model list.",
            "Check the URL: it should be the server's base address, e.g. http://host:8080.",
            kind="request",
            server=host,
        )
    if answer.says_loading():
        raise EdgeError(f"{host} is still loading its model.", kind="loading", server=host)
    if answer.status in (401, 403):
        raise EdgeError(
            f"{host} refused the request ({answer.status}): it needs an API key, or the key "
            "given is wrong.",
            "Give the server's key (edge add --api-key-stdin, or Settings → Edge).",
            kind="auth",
            server=host,
        )
    if answer.status == 404:
        raise EdgeError(
            f"{host} answers, but has no /v1/models: it is not an OpenAI-compatible server.",
            "Check the URL and the port.",
            kind="request",
            server=host,
        )
    kind = "server" if answer.status >= 500 else "request"
    raise EdgeError(f"{host} answered /v1/models with {answer.status}.", kind=kind, server=host)


# the public functions ---------------------------------------------------------------------------


async def probe_models_async(
    base_url: str, api_key: str | None = None, timeout_s: float = 1.5, *, protocol: str = "openai"
) -> list[str]:
    async with AsyncExitStack() as stack:
        ids, _answer = await _models(_Clients(stack), base_url, api_key, protocol, timeout_s)
        return ids


def probe_models(
    base_url: str, api_key: str | None = None, timeout_s: float = 1.5, *, protocol: str = "openai"
) -> list[str]:
    """The model ids ``GET {base_url}/v1/models`` lists. Raises :class:`EdgeError` (``kind``:
    connection, timeout, loading, auth, request or server) with a sentence saying why not."""
    return _run(probe_models_async(base_url, api_key, timeout_s, protocol=protocol))


async def health_async(
    server: EdgeServer, api_key: str | None = None, timeout_s: float = 1.5
) -> Health:
    async with AsyncExitStack() as stack:
        return await _health(_Clients(stack), server, api_key, timeout_s)


def health(server: EdgeServer, api_key: str | None = None, timeout_s: float = 1.5) -> Health:
    """Whether ``server`` can answer now. Each request has ``timeout_s``; nothing answering at
    all is known after the first."""
    return _run(health_async(server, api_key, timeout_s))


async def health_all_async(
    servers: Sequence[tuple[EdgeServer, str | None]], timeout_s: float = 1.5
) -> list[Health]:
    async with AsyncExitStack() as stack:
        clients = _Clients(stack)
        return list(
            await asyncio.gather(*(_health(clients, s, key, timeout_s) for s, key in servers))
        )


def health_all(
    servers: Sequence[tuple[EdgeServer, str | None]], timeout_s: float = 1.5
) -> list[Health]:
    """:func:`health` of each ``(server, api_key)``, all at once, in the order given."""
    return _run(health_all_async(servers, timeout_s))


async def _health(
    clients: _Clients, server: EdgeServer, api_key: str | None, timeout_s: float
) -> Health:
    base = server.base_url
    who = f"{server.name} ({server.host})"
    headers = _headers(api_key, server.protocol)
    loading: _Answer | None = None
    for path in HEALTH_PATHS:
        try:
            answer = await _fetch(clients, f"{base}{path}", headers, timeout_s)
        except _Unreachable as exc:
            return Health("down", _named(server.name, exc.detail))
        if answer.says_loading():
            loading = answer
            break
        if answer.status == 200:
            break
        if answer.status >= 500:
            return Health(
                "down",
                f"{who} reports it is not healthy ({path} answered {answer.status}).",
                answer.latency_ms,
            )
        # 404 (none here), 401/403 (behind the key), 405: /v1/models decides
    try:
        ids, models = await _models(clients, base, api_key, server.protocol, timeout_s)
    except EdgeError as exc:
        if exc.kind == "loading" or loading is not None:
            latency = loading.latency_ms if loading is not None else None
            return Health("loading", f"{who} is still loading its model.", latency)
        return Health("down", _named(server.name, exc.message))
    if loading is not None:
        return Health("loading", f"{who} is still loading its model.", loading.latency_ms, ids)
    if not ids:
        return Health("down", f"{who} answers, but lists no model.", models.latency_ms)
    listed = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    if server.model and server.model not in ids:
        return Health(
            "down",
            f"{who} answers, but does not list the model {server.model!r} (it has {listed}).",
            models.latency_ms,
            ids,
        )
    return Health(
        "ok",
        f"{who} answers in {models.latency_ms:.0f} ms with {_count(len(ids), 'model')}: {listed}.",
        models.latency_ms,
        ids,
    )


def _named(name: str, detail: str) -> str:
    return f"{name}: {detail}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# discovery --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One address to probe: ``scheme://host:port``."""

    scheme: str
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def targets(hosts: Sequence[str], ports: Sequence[int] = WELL_KNOWN_PORTS) -> list[Target]:
    """What :func:`discover` probes, in order: 127.0.0.1 on ``ports``, then each entry of
    ``hosts`` (on its own port when it names one, else on ``ports``), each once. Raises
    SettingsError for an entry that is not a host name or address (a range is not one)."""
    seen: set[tuple[str, str, int]] = set()
    found: list[Target] = []

    def add(scheme: str, host: str, port: int) -> None:
        key = (scheme, host.lower(), port)
        if key not in seen:
            seen.add(key)
            found.append(Target(scheme, host, port))

    for well_known in ports:
        add("http", "127.0.0.1", well_known)
    for entry in hosts:
        host, port = split_host(entry)
        scheme = "https" if entry.strip().lower().startswith("https://") else "http"
        if host.lower() == "localhost":
            host = "127.0.0.1"
        for each in (port,) if port is not None else ports:
            add(scheme, host, each)
    return found


async def discover_async(
    hosts: Sequence[str], ports: Sequence[int] = WELL_KNOWN_PORTS, timeout_s: float = 1.0
) -> list[Found]:
    wanted = targets(hosts, ports)
    limit = asyncio.Semaphore(MAX_CONCURRENT)
    async with AsyncExitStack() as stack:
        clients = _Clients(stack)

        async def one(target: Target) -> Found | None:
            async with limit:
                return await _probe_target(clients, target, timeout_s)

        results = await asyncio.gather(*(one(t) for t in wanted))
    found = [r for r in results if r is not None]
    log.info("edge discovery: %d of %d addresses answered", len(found), len(wanted))
    return found


def discover(
    hosts: Sequence[str], ports: Sequence[int] = WELL_KNOWN_PORTS, timeout_s: float = 1.0
) -> list[Found]:
    """The servers that answer ``/v1/models`` on localhost and on ``hosts`` (see :func:`targets`),
    in that order. Takes about ``timeout_s`` (twice that for a found server that is slow to
    answer ``/health``) whatever the number of addresses."""
    return _run(discover_async(hosts, ports, timeout_s))


async def _probe_target(clients: _Clients, target: Target, timeout_s: float) -> Found | None:
    try:
        ids, answer = await _models(clients, target.url, None, "openai", timeout_s)
    except EdgeError as exc:
        log.debug("edge discovery: %s: %s", target.url, exc.message)
        return None
    status = "ok"
    for path in HEALTH_PATHS:
        try:
            check = await _fetch(clients, f"{target.url}{path}", {}, timeout_s)
        except _Unreachable:
            break
        if check.says_loading():
            status = "loading"
        if check.status != 404:
            break
    return Found(
        url=target.url,
        host=target.host,
        port=target.port,
        models=ids,
        kind=_kind(target.port, answer),
        latency_ms=answer.latency_ms,
        health=status,
    )


def _kind(port: int, answer: _Answer) -> str:
    data = answer.json()
    owners = {
        str(m.get("owned_by", "")).lower()
        for m in (data.get("data") or [] if isinstance(data, dict) else [])
        if isinstance(m, dict)
    }
    for owner in sorted(owners):
        if owner in KIND_BY_OWNER:
            return KIND_BY_OWNER[owner]
    server = answer.headers.get("server", "").lower()
    if "llama.cpp" in server:
        return "llama.cpp"
    if "litellm" in " ".join(answer.headers.keys()).lower():
        return "litellm"
    return KIND_BY_PORT.get(port, OTHER_KIND)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on an event loop of its own (this thread must not be running one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    coroutine.close()
    raise RuntimeError("called from a running event loop: await the *_async function instead")
