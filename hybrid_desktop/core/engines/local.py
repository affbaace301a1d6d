"""The local tier: a GGUF model run by llama.cpp (llama-cpp-python) on this machine.

One :class:`LocalEngine` owns one ``Llama`` instance and must be used from one thread at a time
(the GUI gives it a worker thread of its own). The prompt is rendered with the chat template stored
in the model, then decoded with a bare ``Llama.generate`` loop rather than the chat-completion
helper, which costs a lot of per-token Python. Each turn reuses the KV cache for the prefix it
shares with the previous one, so later turns do not re-read the whole conversation.

Cancelling is cooperative: the ``cancel`` event is checked between prompt chunks and between
tokens, so Stop takes effect within one small batch or one token.
"""

from __future__ import annotations

import codecs
import logging
import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.context import ChatMessage
from hybrid_desktop.core.engines.base import (
    GenerationParams,
    GenerationResult,
    GenerationStats,
    TextCallback,
)
from hybrid_desktop.core.engines.cpu_buffers import guard_amx
from hybrid_desktop.core.gguf import GGUFInfo, inspect_gguf
from hybrid_desktop.core.models import display_name
from hybrid_desktop.errors import GenerationError, ModelLoadError

if TYPE_CHECKING:
    import llama_cpp

log = logging.getLogger(__name__)

#: Prompt tokens evaluated between two checks of the cancel flag.
PREFILL_CHUNK = 64

#: ChatML, for the rare GGUF file that carries no chat template of its own.
FALLBACK_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class LocalEngine:
    """A loaded local model. Build it with :meth:`load`."""

    def __init__(self, llama: llama_cpp.Llama, path: Path, info: GGUFInfo, n_threads: int) -> None:
        self._llama = llama
        self.path = path
        self.info = info
        self.name = display_name(path)
        self.n_ctx = llama.n_ctx()
        self.n_threads = n_threads
        self._formatter = self._make_formatter()
        import llama_cpp as lc

        vocab = llama._model.vocab
        self._is_end: Callable[[int], bool] = lambda tok: bool(
            lc.llama_vocab_is_eog(vocab, tok)
            or lc.llama_vocab_get_attr(vocab, tok) & lc.LLAMA_TOKEN_ATTR_CONTROL
        )

    @classmethod
    def load(
        cls, path: Path, n_ctx: int, n_threads: int, info: GGUFInfo | None = None
    ) -> LocalEngine:
        """Check the file (unless its ``info`` was just read), then load it. Raises a
        :class:`ModelError` subclass on any failure."""
        info = info or inspect_gguf(path)
        started = time.perf_counter()
        try:
            import llama_cpp
        except ImportError as exc:  # a broken install, not a user mistake
            raise ModelLoadError(
                "The local inference library (llama-cpp-python) is not installed or failed to load.",
                "Reinstall Hybrid Desktop.",
            ) from exc
        trained = info.context_length
        if trained and n_ctx > trained:
            log.info("n_ctx %d exceeds the model's trained %d; using %d", n_ctx, trained, trained)
            n_ctx = trained
        guard_amx(llama_cpp)
        try:
            llama = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=512,
                verbose=False,
            )
        except Exception as exc:  # llama.cpp reports failures as ValueError/RuntimeError
            log.exception("llama.cpp failed to load %s", path)
            raise ModelLoadError(
                f"The model {path.name} could not be loaded by llama.cpp "
                f"(architecture {info.architecture or 'unknown'}): {exc}.",
                "It may need more memory than is free, or a newer llama.cpp. "
                "Choose another GGUF model file in Settings → Model.",
            ) from exc
        log.info(
            "loaded %s in %.0f ms (n_ctx=%d, threads=%d)",
            path.name,
            (time.perf_counter() - started) * 1000,
            n_ctx,
            n_threads,
        )
        return cls(llama, path, info, n_threads)

    def close(self) -> None:
        llama, self._llama = self._llama, None  # type: ignore[assignment]
        if llama is not None:
            llama.close()

    # prompt ------------------------------------------------------------------------------------

    def _make_formatter(self) -> Any:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        llama = self._llama
        template = llama.metadata.get("tokenizer.chat_template") or self.info.chat_template
        if not template:
            log.warning("%s has no chat template; using ChatML", self.path.name)
            template = FALLBACK_TEMPLATE

        def token_text(token_id: int) -> str:
            if token_id < 0:
                return ""
            return llama.detokenize([token_id], special=True).decode("utf-8", "replace")

        return Jinja2ChatFormatter(
            template=template,
            eos_token=token_text(llama.token_eos()),
            bos_token=token_text(llama.token_bos()),
        )

    def tokenize_chat(self, messages: list[ChatMessage]) -> list[int]:
        try:
            rendered = self._formatter(messages=messages)
        except Exception as exc:
            log.exception("chat template failed")
            raise GenerationError(
                f"The model's chat template could not format the chat: {exc}."
            ) from exc
        return list(
            self._llama.tokenize(
                rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
            )
        )

    def count_tokens(self, messages: list[ChatMessage]) -> int:
        return len(self.tokenize_chat(messages))

    # generation --------------------------------------------------------------------------------

    def generate(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        on_text: TextCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> GenerationResult:
        """Answer ``messages``, calling ``on_text`` with each new piece of text."""
        started = time.perf_counter()
        tokens = self.tokenize_chat(messages)
        stats = GenerationStats(prompt_tokens=len(tokens))
        max_new = min(params.max_tokens, self.n_ctx - len(tokens))
        if max_new <= 0:
            raise GenerationError(f"The prompt ({len(tokens)} tokens) fills the whole context.")
        cancel = cancel or threading.Event()
        pieces: list[str] = []
        try:
            stats.cached_tokens = self._prefill(tokens, cancel)
            if cancel.is_set():
                stats.stop_reason = "cancelled"
            else:
                self._decode(tokens, params, max_new, cancel, pieces, on_text, stats, started)
        except GenerationError:
            raise
        except Exception as exc:
            log.exception("local generation failed")
            self._llama.reset()  # type: ignore[no-untyped-call]
            raise GenerationError(f"The local model failed while answering: {exc}.") from exc
        stats.total_ms = (time.perf_counter() - started) * 1000
        return GenerationResult("".join(pieces), stats)

    def _logprob_reader(self) -> Callable[[int], float]:
        """log p(token) from the logits that produced it (about 30 µs for a 49k vocabulary)."""
        import llama_cpp
        import numpy as np

        ctx = self._llama._ctx.ctx
        n_vocab = self._llama.n_vocab()

        def logprob(token: int) -> float:
            logits = np.ctypeslib.as_array(
                llama_cpp.llama_get_logits_ith(ctx, -1), shape=(n_vocab,)
            )
            top = float(logits.max())
            return float(logits[token]) - top - math.log(float(np.exp(logits - top).sum()))

        return logprob

    def _prefill(self, tokens: list[int], cancel: threading.Event) -> int:
        """Evaluate all prompt tokens but the last, reusing the cached prefix; returns its length."""
        llama = self._llama
        cached = llama.n_tokens
        prefix = 0
        for a, b in zip(llama.input_ids[:cached], tokens[:-1], strict=False):
            if a != b:
                break
            prefix += 1
        # llama.eval() drops the KV cache beyond n_tokens before it decodes.
        llama.n_tokens = prefix
        pending = tokens[prefix:-1]
        for start in range(0, len(pending), PREFILL_CHUNK):
            if cancel.is_set():
                break
            llama.eval(pending[start : start + PREFILL_CHUNK])
        return prefix

    def _decode(
        self,
        tokens: list[int],
        params: GenerationParams,
        max_new: int,
        cancel: threading.Event,
        pieces: list[str],
        on_text: TextCallback | None,
        stats: GenerationStats,
        started: float,
    ) -> None:
        llama = self._llama
        is_end = self._is_end
        detokenize = llama.detokenize
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        first_at = last_at = 0.0
        count = 0
        logprobs: list[float] = []
        logprob_of = self._logprob_reader()
        stats.stop_reason = "length"
        # generate() finds the prefix evaluated by _prefill and decodes only the last prompt token.
        for token in llama.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
        ):
            if is_end(token):
                stats.stop_reason = "stop"
                break
            count += 1
            logprobs.append(logprob_of(token))
            text = decoder.decode(detokenize([token]))
            last_at = time.perf_counter()
            if count == 1:
                first_at = last_at
                stats.ttft_ms = (first_at - started) * 1000
            if text:
                pieces.append(text)
                if on_text is not None:
                    on_text(text)
            if cancel.is_set():
                stats.stop_reason = "cancelled"
                break
            if count >= max_new:
                break
        # A character cut in half by the token limit or Stop is dropped, not shown as U+FFFD.
        pending, _ = decoder.getstate()
        if pending:
            log.debug("dropped %d bytes of an unfinished character", len(pending))
        stats.completion_tokens = count
        if logprobs:
            stats.confidence = math.exp(sum(logprobs) / len(logprobs))
        if count > 1 and last_at > first_at:
            stats.tokens_per_s = (count - 1) / (last_at - first_at)
