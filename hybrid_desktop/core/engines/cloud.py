"""The cloud tier: Anthropic's Claude through the official ``anthropic`` SDK, streaming.

It accepts only a :class:`RedactedPrompt`, which only the privacy gate can make: there is no way
to hand this engine raw text. Timeouts and retries are explicit (the SDK's defaults are 10 minutes
and 2 retries, far too long for a desktop app that has a local model to fall back on): a deadline
for the first token and one for the silence between tokens, held on every socket read by
:mod:`cloud_socket` (keep-alive pings are not progress), and none of the SDK's retries. A
:class:`~hybrid_desktop.core.cancel.Cancellation` shuts the request's socket down when it is set.
``ANTHROPIC_BASE_URL`` keeps working (the SDK reads it), for tests and for users behind a gateway.

Every failure becomes a :class:`CloudError` subclass with a plain message and any partial answer.
"""

from __future__ import annotations

import logging
import math
import socket
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.cancel import Cancellation
from hybrid_desktop.core.engines.base import GenerationParams, GenerationStats, TextCallback
from hybrid_desktop.core.engines.cloud_socket import Watch, install, watching
from hybrid_desktop.core.tokens import estimate_tokens
from hybrid_desktop.errors import (
    CloudAuthError,
    CloudBusyError,
    CloudConnectionError,
    CloudError,
    CloudPortalError,
    CloudRequestError,
    CloudServerError,
    CloudStreamCutError,
    CloudTimeoutError,
)

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.gate import RedactedPrompt

log = logging.getLogger(__name__)

DEFAULT_MODEL = "claude-sonnet-5-5"
CONNECT_TIMEOUT_S = 5.0
#: The deadline for the first token and for any silence between tokens (Settings cloud_timeout_s).
READ_TIMEOUT_S = 10.0
#: No retries: on any failure the next tier answers at once. A retry would double a time-out, and
#: the SDK would sleep out a Retry-After of up to a minute before the user saw anything.
MAX_RETRIES = 0

PLACEHOLDER_NOTE = (
    "Some values in this conversation were replaced on the user's device by placeholders such as "
    "<PERSON_1> or <EMAIL_ADDRESS_2>. Keep every placeholder exactly as written (same brackets, "
    "same capitals) wherever you refer to that value; never guess the real value."
)


@dataclass
class CloudResult:
    text: str
    stats: GenerationStats
    model: str
    input_tokens: int
    output_tokens: int


class CloudEngine:
    """A configured Claude client. Cheap to build; the SDK is imported on first use."""

    def __init__(
        self,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        read_timeout_s: float = READ_TIMEOUT_S,
        max_retries: int = MAX_RETRIES,
        first_token_s: float | None = None,
        stall_s: float | None = None,
    ) -> None:
        """``first_token_s`` and ``stall_s`` (None: ``read_timeout_s``) are the deadlines for the
        first token and for the silence between tokens, held on the socket (see cloud_socket)."""
        self._api_key = api_key
        self.model = model
        self.base_url = base_url
        self.read_timeout_s = read_timeout_s
        self.first_token_s = first_token_s or read_timeout_s
        self.stall_s = stall_s or read_timeout_s
        self.max_retries = max_retries
        self._client: Any = None

    def __repr__(self) -> str:  # never show the key
        return f"CloudEngine(model={self.model!r}, base_url={self.base_url!r})"

    def _sdk_client(self) -> Any:
        if self._client is None:
            import anthropic

            # The read timeout is a backstop: the deadlines are held on every read (cloud_socket).
            read = max(self.first_token_s, self.stall_s)
            timeout = anthropic.Timeout(read, connect=CONNECT_TIMEOUT_S, pool=CONNECT_TIMEOUT_S)
            self._client = anthropic.Anthropic(
                api_key=self._api_key,
                base_url=self.base_url,  # None: the SDK uses ANTHROPIC_BASE_URL or its default
                timeout=timeout,
                max_retries=self.max_retries,
                http_client=_capped_http_client(timeout),
            )
        return self._client

    def list_models(self) -> list[str]:
        """Model ids from the Models API (needs the network)."""
        try:
            return [m.id for m in self._sdk_client().models.list(limit=100)]
        except Exception as exc:
            raise map_error(exc) from exc

    def generate(
        self,
        prompt: RedactedPrompt,
        params: GenerationParams,
        on_text: TextCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> CloudResult:
        """Stream an answer to ``prompt``; raises :class:`CloudError` (with ``partial``) on failure.

        A :class:`Cancellation` set meanwhile shuts the request's socket down at once, whatever
        it is waiting for; the answer so far is returned with ``stop_reason`` ``cancelled``."""
        from hybrid_desktop.core.privacy.gate import RedactedPrompt

        if not isinstance(prompt, RedactedPrompt):
            raise TypeError("the cloud engine only sends text that went through the privacy gate")
        system = "\n\n".join(
            [m["content"] for m in prompt.messages if m["role"] == "system"] + [PLACEHOLDER_NOTE]
        )
        messages = [
            {"role": m["role"], "content": m["content"]}
            for m in prompt.messages
            if m["role"] in ("user", "assistant")
        ]
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        answer = _Answer(GenerationStats(stop_reason="stop"))
        watch = Watch(math.inf)
        hook = cancel.closing(watch.abort) if isinstance(cancel, Cancellation) else nullcontext()
        try:
            if cancel.is_set():  # stopped before anything left
                answer.stats.stop_reason = "cancelled"
            else:
                client = self._sdk_client()  # importing the SDK is not the server's time
                watch.deadline = time.monotonic() + self.first_token_s
                answer.sent = True
                with hook, watching(watch):
                    self._stream(client, system, messages, params, on_text, cancel, watch, answer)
        except Exception as exc:
            partial = "".join(answer.pieces)
            if cancel.is_set():
                log.info("cloud request stopped (%s)", type(exc).__name__)
                answer.stats.stop_reason = "cancelled"
            else:
                if isinstance(exc, _Deadline) or (watch.expired() and _is_timeout(exc)):
                    error: CloudError = self._deadline_error(partial)
                else:
                    error = map_error(exc, partial=partial)
                log.warning("cloud request failed: %s", error.message, exc_info=True)
                raise error from exc
        return answer.result(self.model, messages, started)

    def _stream(
        self,
        client: Any,
        system: str,
        messages: list[dict[str, str]],
        params: GenerationParams,
        on_text: TextCallback | None,
        cancel: threading.Event,
        watch: Watch,
        answer: _Answer,
    ) -> None:
        started = time.perf_counter()
        stats, pieces = answer.stats, answer.pieces
        with client.messages.stream(
            model=self.model,
            max_tokens=params.max_tokens,
            system=system,
            messages=messages,
        ) as stream:
            kind = stream.response.headers.get("content-type", "")
            if "text/event-stream" not in kind:
                raise _not_the_service(kind)
            complete = False
            size = 0
            for event in stream:
                if event.type == "message_stop":
                    complete = True
                if event.type != "text":
                    if watch.expired():  # events that are not tokens are not progress
                        raise _Deadline()
                    continue
                text = event.text
                answer.last_at = time.perf_counter()
                # A token: the next one is due within the stall deadline.
                watch.deadline = time.monotonic() + self.stall_s
                if not pieces:
                    answer.first_at = answer.last_at
                    stats.ttft_ms = (answer.first_at - started) * 1000
                pieces.append(text)
                if on_text is not None:
                    on_text(text)
                if cancel.is_set():
                    stats.stop_reason = "cancelled"
                    return
                size += len(text)
                if size > params.max_tokens * _MAX_CHARS_PER_TOKEN:
                    # A server that never stops: the token limit holds on our side too.
                    stats.stop_reason = "length"
                    return
            if not complete:
                raise CloudStreamCutError(
                    "The answer was cut off: the stream ended before the cloud said it was "
                    "complete.",
                    partial="".join(pieces),
                )
            final = stream.get_final_message()
            answer.input_tokens = final.usage.input_tokens
            answer.output_tokens = final.usage.output_tokens
            if final.stop_reason == "max_tokens":
                stats.stop_reason = "length"

    def _deadline_error(self, partial: str) -> CloudTimeoutError:
        if partial:
            why = f"no new token for {self.stall_s:g} s"
        else:
            why = f"no first token within {self.first_token_s:g} s"
        return CloudTimeoutError(
            f"The cloud service did not answer in time ({why}).", partial=partial
        )


@dataclass
class _Answer:
    """What a stream has delivered so far (kept when it fails or is stopped)."""

    stats: GenerationStats
    pieces: list[str] = field(default_factory=list)
    first_at: float = 0.0
    last_at: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    #: The request was started (a stop before that sent nothing and costs nothing).
    sent: bool = False

    def result(self, model: str, messages: list[dict[str, str]], started: float) -> CloudResult:
        """The answer with its figures; token counts the server did not give (a stop before
        the final usage, a server that sends none) are estimated from the text."""
        stats = self.stats
        text = "".join(self.pieces)
        input_tokens, output_tokens = self.input_tokens, self.output_tokens
        if not output_tokens and self.sent:
            output_tokens = estimate_tokens(text)
        if not input_tokens and self.sent:
            input_tokens = sum(estimate_tokens(m["content"]) for m in messages)
        stats.prompt_tokens = input_tokens
        stats.completion_tokens = output_tokens
        stats.total_ms = (time.perf_counter() - started) * 1000
        if output_tokens > 1 and self.last_at > self.first_at:
            stats.tokens_per_s = (output_tokens - 1) / (self.last_at - self.first_at)
        return CloudResult(text, stats, model, input_tokens, output_tokens)


class _Deadline(Exception):
    """A deadline passed while only events that are not tokens arrived."""


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes, outermost first (the SDK wraps httpx, which wraps the socket's)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 16:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _is_timeout(exc: BaseException) -> bool:
    return any("Timeout" in type(e).__name__ for e in _chain(exc))


def _caused_by(exc: BaseException, *names: str) -> bool:
    return any(type(e).__name__ in names for e in _chain(exc))


def _root_name(exc: BaseException) -> str:
    root = _chain(exc)[-1]
    return "connection reset" if isinstance(root, ConnectionResetError) else type(root).__name__


#: No response body is read past this: a 200 MB error page must not take the process to gigabytes.
MAX_RESPONSE_BYTES = 16 << 20


def _capped_http_client(timeout: Any, client_class: Any = None) -> Any:
    """The SDK's own HTTP client (``anthropic.DefaultHttpxClient``, on the SDK's httpx; the edge
    tier passes ``openai.DefaultHttpxClient``), with
    responses that stop at :data:`MAX_RESPONSE_BYTES` (httpx has no limit of its own), the
    deadline and abort guard of :mod:`cloud_socket` under its sockets, no redirects, and the
    proxy of :func:`~hybrid_desktop.core.proxy.proxy_for` (a transport of our own would
    otherwise make httpx skip ``HTTPS_PROXY``): chosen for each request, one pool per proxy."""
    if client_class is None:
        import anthropic

        client_class = anthropic.DefaultHttpxClient
    httpx = _sdk_httpx(client_class)

    class TooLarge(httpx.ReadError):  # type: ignore[misc,name-defined]
        """The response body went past MAX_RESPONSE_BYTES."""

    class Capped(httpx.SyncByteStream):  # type: ignore[misc,name-defined]
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __iter__(self) -> Any:
            total = 0
            for chunk in self.inner:
                total += len(chunk)
                if total > MAX_RESPONSE_BYTES:
                    raise TooLarge(f"the response is larger than {MAX_RESPONSE_BYTES >> 20} MiB")
                yield chunk

        def close(self) -> None:
            self.inner.close()

    def pool(proxy: str | None) -> Any:
        transport = httpx.HTTPTransport(proxy=proxy, socket_options=_KEEPALIVE)
        install(transport)  # deadlines on every read, and Stop that closes the socket
        return transport

    class Routed(httpx.BaseTransport):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self._pools: dict[str | None, Any] = {None: pool(None)}
            self._lock = threading.Lock()

        def handle_request(self, request: Any) -> Any:
            from hybrid_desktop.core.proxy import proxy_for

            proxy = proxy_for(str(request.url))
            with self._lock:
                transport = self._pools.get(proxy)
                if transport is None:
                    log.info("cloud requests go through the proxy %s", _without_password(proxy))
                    transport = self._pools[proxy] = pool(proxy)
            response = transport.handle_request(request)
            response.stream = Capped(response.stream)
            return response

        def close(self) -> None:
            with self._lock:
                pools = list(self._pools.values())
            for transport in pools:
                transport.close()

    # No redirects: the Messages API never sends one, so a 3xx is a captive portal or a hostile
    # network, and following it would send the (redacted) request somewhere else.
    return client_class(transport=Routed(), timeout=timeout, follow_redirects=False)


#: TCP keep-alive as the SDK sets it on its own transport (a half-dead link is noticed).
_KEEPALIVE: list[tuple[int, int, int]] = [
    (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1),
    *[
        (socket.IPPROTO_TCP, option, value)
        for name, value in (("TCP_KEEPINTVL", 60), ("TCP_KEEPCNT", 5), ("TCP_KEEPIDLE", 60))
        if (option := getattr(socket, name, None)) is not None
    ],
]


def _without_password(url: str | None) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.hostname}:{parts.port}" if parts.hostname else "?"


def _sdk_httpx(client_class: Any) -> Any:
    """The httpx package an SDK's client class is built on (``httpx2`` in anthropic 2.x)."""
    import importlib

    base = next(c for c in client_class.__mro__[1:] if c.__name__ == "Client")
    return importlib.import_module(base.__module__.split(".")[0])


def _redirected(exc: BaseException, status: int) -> CloudError:
    """A 3xx: the API never redirects, so this is the network (a captive portal) or a misdirected
    endpoint. It is not followed: the request would go elsewhere."""
    from urllib.parse import urlsplit

    response = getattr(exc, "response", None)
    location = response.headers.get("location", "") if response is not None else ""
    where = urlsplit(location).netloc or "another address"
    return CloudPortalError(
        f"The network redirected the request to {where} ({status}) instead of the cloud "
        "service: probably a sign-in page (a captive portal). The request was not sent there.",
        "Open a web page in a browser and sign in to the network, or check the cloud endpoint "
        "in Settings → Cloud; the local model answers meanwhile.",
    )


def _not_the_service(content_type: str) -> CloudError:
    """An answer that is not the Messages API's event stream: most often a captive portal."""
    if "html" in content_type:
        return CloudPortalError(
            "The network answered with a web page instead of the cloud service: probably a "
            "sign-in page (a captive portal, as on hotel or café Wi-Fi).",
            "Open a web page in a browser and sign in to the network; the local model answers "
            "meanwhile.",
        )
    return CloudConnectionError(
        f"The cloud service answered with {content_type or 'no content type'}, not a stream.",
        "Check the cloud endpoint in Settings → Cloud.",
    )


#: Characters a token can stand for at most, for holding a stream to its token limit.
_MAX_CHARS_PER_TOKEN = 8


def map_error(exc: BaseException, partial: str = "") -> CloudError:
    """Turn an SDK or transport exception into a :class:`CloudError` the user can act on."""
    if isinstance(exc, CloudError):
        return exc
    import anthropic

    status = getattr(exc, "status_code", None)
    if isinstance(exc, (anthropic.AuthenticationError, anthropic.PermissionDeniedError)):
        return CloudAuthError(f"The API key was rejected ({status}).", partial=partial)
    if isinstance(exc, anthropic.RateLimitError) or (
        isinstance(exc, anthropic.APIStatusError) and status in (503, 529)
    ):
        wait = _retry_after_s(exc)
        when = ""
        if wait:
            when = (
                f"; it takes requests again in about {wait} s (at {clock_time(time.time() + wait)})"
            )
        if status == 429:
            what = "The cloud service's rate limit was reached (429)"
        else:
            what = f"The cloud service is overloaded ({status})"
        return CloudBusyError(
            f"{what}{when}.", partial=partial, retry_after_s=wait or None, status=status
        )
    if isinstance(exc, anthropic.APIStatusError) and status is not None and 300 <= status < 400:
        return _redirected(exc, status)
    if isinstance(exc, anthropic.APITimeoutError):
        return CloudTimeoutError("The cloud service did not answer in time.", partial=partial)
    if isinstance(exc, anthropic.APIConnectionError):
        if partial:
            return CloudStreamCutError("The connection dropped mid-answer.", partial=partial)
        if not _caused_by(exc, "ConnectError", "ConnectTimeout", "gaierror"):
            # Connected, then reset or closed by the other side before any answer.
            return CloudConnectionError(
                "The connection to the cloud service was closed before it answered "
                f"({_root_name(exc)}).",
                partial=partial,
            )
        return CloudConnectionError("The cloud service cannot be reached.", partial=partial)
    if isinstance(exc, anthropic.APIStatusError):
        if status is not None and status >= 500:
            return CloudServerError(f"The cloud service had an error ({status}).", partial=partial)
        detail = _error_message(exc)
        return CloudRequestError(
            f"The cloud service refused the request ({status}): {detail}.",
            "Check the cloud model in Settings → Cloud.",
            partial=partial,
        )
    # A transport error while streaming (the SDK does not wrap those).
    name = type(exc).__name__
    if name == "TooLarge":
        return CloudServerError(
            f"The cloud service sent more than {MAX_RESPONSE_BYTES >> 20} MiB; reading stopped.",
            partial=partial,
        )
    if not type(exc).__module__.startswith(("httpx", "httpcore", "h11", "ssl", "socket")) and not (
        isinstance(exc, OSError)
    ):
        return CloudError(
            f"The cloud request failed unexpectedly ({name}).",
            "Details are in the log file; the local model can answer instead.",
            partial=partial,
        )
    if "Timeout" in name:
        return CloudTimeoutError("The cloud service stopped answering in time.", partial=partial)
    if partial:
        return CloudStreamCutError(f"The answer stopped mid-stream ({name}).", partial=partial)
    return CloudConnectionError(f"The cloud service cannot be reached ({name}).", partial=partial)


def clock_time(moment: float) -> str:
    """``moment`` (``time.time()``) on the local clock: HH:MM, with seconds when it is close."""
    close = moment - time.time() < 120
    return time.strftime("%H:%M:%S" if close else "%H:%M", time.localtime(moment))


def _retry_after_s(exc: BaseException) -> int | None:
    """Seconds the server asked us to wait (``Retry-After``, in seconds or as a date)."""
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    if not value:
        return None
    try:
        return max(0, round(float(value)))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0, round(moment.timestamp() - time.time()))


def _error_message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])[:200]
    return type(exc).__name__
