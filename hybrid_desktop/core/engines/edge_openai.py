"""An edge server that speaks the OpenAI protocol (llama.cpp's ``llama-server``, vLLM, Ollama,
LM Studio, llama-cpp-python, a LiteLLM gateway), through the official ``openai`` SDK, streaming.

The same rules as the cloud engine (:mod:`hybrid_desktop.core.engines.cloud`): explicit deadlines
for the first token and for the silence between tokens, held on every socket read
(:mod:`cloud_socket`), no retries (on any failure the next tier answers at once), no redirects, a
cap on the response size, Stop that closes the socket, and every failure an :class:`EdgeError`
with a plain message naming the server and any partial answer.

What it sends is what the caller gives it: the privacy gate's redacted messages, or the raw
conversation for a server trusted as private (the caller decides, and audits it).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.cancel import Cancellation
from hybrid_desktop.core.engines.base import GenerationParams, GenerationStats, TextCallback
from hybrid_desktop.core.engines.cloud import (
    _MAX_CHARS_PER_TOKEN,
    CONNECT_TIMEOUT_S,
    CloudResult,
    _Answer,
    _capped_http_client,
    _caused_by,
    _Deadline,
    _is_timeout,
    _retry_after_s,
    _root_name,
)
from hybrid_desktop.core.engines.cloud_socket import Watch, watching
from hybrid_desktop.errors import EdgeError

if TYPE_CHECKING:
    from hybrid_desktop.config.edge import EdgeServer

log = logging.getLogger(__name__)

#: The key sent to a server that wants none (the SDK insists on one; servers ignore it).
NO_KEY = "no-key"


class OpenAIEdgeEngine:
    """A configured client for one OpenAI-compatible server. Cheap to build."""

    def __init__(
        self,
        server: EdgeServer,
        api_key: str | None,
        model: str,
        first_token_s: float = 20.0,
        stall_s: float = 20.0,
    ) -> None:
        self.server = server
        self.model = model
        self._api_key = api_key
        self.first_token_s = first_token_s
        self.stall_s = stall_s
        self._client: Any = None
        #: The server refused ``stream_options`` once: usage is counted here instead.
        self._no_stream_options = False

    def __repr__(self) -> str:  # never show the key
        return f"OpenAIEdgeEngine(server={self.server.name!r}, model={self.model!r})"

    def _sdk_client(self) -> Any:
        if self._client is None:
            import openai

            read = max(self.first_token_s, self.stall_s)
            timeout = openai.Timeout(read, connect=CONNECT_TIMEOUT_S, pool=CONNECT_TIMEOUT_S)
            self._client = openai.OpenAI(
                api_key=self._api_key or NO_KEY,
                base_url=f"{self.server.base_url}/v1",
                timeout=timeout,
                max_retries=0,
                http_client=_capped_http_client(timeout, openai.DefaultHttpxClient),
            )
        return self._client

    def list_models(self) -> list[str]:
        """Model ids from ``/v1/models``."""
        try:
            return [m.id for m in self._sdk_client().models.list()]
        except Exception as exc:
            raise self._error(exc) from exc

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        on_text: TextCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> CloudResult:
        """Stream an answer; raises :class:`EdgeError` (with ``partial``) on failure. A
        :class:`Cancellation` set meanwhile closes the socket; the answer so far is returned
        with ``stop_reason`` ``cancelled``."""
        cancel = cancel or threading.Event()
        started = time.perf_counter()
        answer = _Answer(GenerationStats(stop_reason="stop"))
        watch = Watch(math.inf)
        hook = cancel.closing(watch.abort) if isinstance(cancel, Cancellation) else nullcontext()
        outgoing = [{"role": m["role"], "content": m["content"]} for m in messages]
        try:
            if cancel.is_set():
                answer.stats.stop_reason = "cancelled"
            else:
                client = self._sdk_client()
                watch.deadline = time.monotonic() + self.first_token_s
                answer.sent = True
                with hook, watching(watch):
                    self._stream(client, outgoing, params, on_text, cancel, watch, answer)
        except Exception as exc:
            partial = "".join(answer.pieces)
            if cancel.is_set():
                log.info("edge request to %s stopped (%s)", self.server.name, type(exc).__name__)
                answer.stats.stop_reason = "cancelled"
            else:
                if isinstance(exc, _Deadline) or (watch.expired() and _is_timeout(exc)):
                    error = self._deadline_error(partial)
                else:
                    error = self._error(exc, partial)
                log.warning(
                    "edge request to %s failed: %s", self.server.name, error.message, exc_info=True
                )
                raise error from exc
        return answer.result(self.model, outgoing, started)

    def _stream(
        self,
        client: Any,
        messages: list[dict[str, str]],
        params: GenerationParams,
        on_text: TextCallback | None,
        cancel: threading.Event,
        watch: Watch,
        answer: _Answer,
    ) -> None:
        import openai

        started = time.perf_counter()
        stats, pieces = answer.stats, answer.pieces
        request: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "stream": True,
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if not self._no_stream_options:
            request["stream_options"] = {"include_usage": True}
        try:
            stream = client.chat.completions.create(**request)
        except openai.BadRequestError as exc:
            if "stream_options" not in str(exc) or self._no_stream_options:
                raise
            # An older server that knows no stream_options: asked once more without them, and
            # its usage is counted on this side from then on.
            self._no_stream_options = True
            request.pop("stream_options")
            stream = client.chat.completions.create(**request)
        with stream:
            kind = stream.response.headers.get("content-type", "")
            if "text/event-stream" not in kind:
                raise EdgeError(
                    f"The edge server {self.server.name} answered with "
                    f"{kind or 'no content type'}, not a stream.",
                    "Check its URL in Settings → Edge: it should be the server's base address.",
                    kind="request",
                    server=self.server.name,
                )
            finished = False
            size = chunks = 0
            for chunk in stream:
                usage = getattr(chunk, "usage", None)
                if usage is not None:
                    answer.input_tokens = usage.prompt_tokens or 0
                    answer.output_tokens = usage.completion_tokens or 0
                text = ""
                for choice in chunk.choices or ():
                    if choice.delta is not None and choice.delta.content:
                        text += choice.delta.content
                    if choice.finish_reason:
                        finished = True
                        if choice.finish_reason == "length":
                            stats.stop_reason = "length"
                if not text:
                    if watch.expired():
                        raise _Deadline()
                    continue
                answer.last_at = time.perf_counter()
                watch.deadline = time.monotonic() + self.stall_s
                if not pieces:
                    answer.first_at = answer.last_at
                    stats.ttft_ms = (answer.first_at - started) * 1000
                pieces.append(text)
                chunks += 1
                if on_text is not None:
                    on_text(text)
                if cancel.is_set():
                    stats.stop_reason = "cancelled"
                    return
                size += len(text)
                if size > params.max_tokens * _MAX_CHARS_PER_TOKEN:
                    stats.stop_reason = "length"
                    return
            if not answer.output_tokens:
                # No usage in the stream (llama-cpp-python's server sends none): these servers
                # send one token per chunk, a closer count than an estimate from the text.
                answer.output_tokens = chunks
            if not finished:
                raise EdgeError(
                    f"The answer from the edge server {self.server.name} was cut off: the stream "
                    "ended before the server said it was complete.",
                    partial="".join(pieces),
                    kind="cut",
                    server=self.server.name,
                )

    def _deadline_error(self, partial: str) -> EdgeError:
        if partial:
            why = f"no new token for {self.stall_s:g} s"
        else:
            why = f"no first token within {self.first_token_s:g} s"
        return EdgeError(
            f"The edge server {self.server.name} did not answer in time ({why}).",
            partial=partial,
            kind="timeout",
            server=self.server.name,
        )

    def _error(self, exc: BaseException, partial: str = "") -> EdgeError:
        return map_openai_error(exc, self.server.name, partial)


def map_openai_error(exc: BaseException, name: str, partial: str = "") -> EdgeError:
    """An SDK or transport exception as an :class:`EdgeError` the user can act on."""
    if isinstance(exc, EdgeError):
        return exc
    import openai

    who = f"The edge server {name}"

    def error(message: str, kind: str, hint: str | None = None) -> EdgeError:
        return EdgeError(message, hint, partial=partial, kind=kind, server=name)

    status = getattr(exc, "status_code", None)
    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        return error(
            f"{who} rejected the API key ({status}).",
            "auth",
            "Set the server's key in Settings → Edge.",
        )
    if isinstance(exc, openai.APIStatusError):
        detail = _detail(exc)
        if status == 503 and "load" in detail.lower():
            return error(f"{who} is still loading its model ({detail}).", "loading")
        if status == 429:
            wait = _retry_after_s(exc)
            when = f"; it takes requests again in about {wait} s" if wait else ""
            return error(f"{who} is busy (429{when}).", "busy")
        if status is not None and 300 <= status < 400:
            return error(
                f"{who} redirected the request ({status}); it was not followed.",
                "request",
                "Check the server's URL in Settings → Edge.",
            )
        if status is not None and status >= 500:
            return error(f"{who} had an error ({status}: {detail}).", "server")
        if status == 404:
            return error(
                f"{who} has no such model or endpoint (404: {detail}).",
                "request",
                "Choose one of the server's models in Settings → Edge.",
            )
        return error(f"{who} refused the request ({status}: {detail}).", "request")
    if isinstance(exc, openai.APITimeoutError):
        return error(f"{who} did not answer in time.", "timeout")
    if isinstance(exc, (openai.APIConnectionError, OSError)) or (
        type(exc).__module__.startswith(("httpx", "httpcore", "h11", "ssl", "socket"))
    ):
        if partial:
            return error(f"The connection to the edge server {name} dropped mid-answer.", "cut")
        if _caused_by(exc, "ConnectError", "ConnectTimeout", "gaierror", "ConnectionRefusedError"):
            return error(f"{who} cannot be reached ({_root_name(exc)}).", "connection")
        if "Timeout" in type(exc).__name__:
            return error(f"{who} did not answer in time.", "timeout")
        return error(
            f"The connection to the edge server {name} was closed before it answered ({_root_name(exc)}).",
            "connection",
        )
    return error(
        f"The request to the edge server {name} failed unexpectedly ({type(exc).__name__}).",
        "request",
        "Details are in the log file; the next tier answers instead.",
    )


def _detail(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])[:200]
        if isinstance(body.get("detail"), str):
            return str(body["detail"])[:200]
    message = getattr(exc, "message", "")
    return str(message)[:200] or type(exc).__name__
