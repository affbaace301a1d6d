"""The features the router's fitted model reads from a request.

One function, :func:`features`, shared by the app and by the fit script
(``tests/data/routing/fit_router.py``), so the model is scored on exactly what it was fitted on.
Everything is read from the *instruction* (:func:`hybrid_desktop.core.task_text.split_task`);
the pasted material adds only its size and kind.

- ``w:`` words and ``b:`` word pairs of the instruction, lower-cased, numbers by their shape;
- ``c:`` character 3- to 5-grams inside words, which carry across inflections and languages
  ("beweis", "prouv", "analys");
- ``f:`` a few shapes with a name a person can read (:data:`FEATURE_PHRASES`): numbers with many
  digits next to an operator, maths notation, code in the instruction, the instruction's length,
  the paste's size and kind, an asked answer length, a list of requirements.

Word and n-gram blocks are scaled by ``1/sqrt(count)`` so a long instruction weighs no more than a
short one. Only the standard library is used.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator

from hybrid_desktop.core.task_text import Task, asked_output_tokens

__all__ = ["FEATURE_PHRASES", "features", "grams", "window", "words_of"]

#: Characters of an instruction read for features: its head and its tail.
_HEAD = 700
_TAIL = 300

_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*")
_BIG_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ ,.\u202f]\d{3})+(?![\w])|(?<![\w.,])\d{4,}(?![\w])"
)
_OPERATOR = re.compile(r"\d\s*(?:[×x*·/÷^]|\*\*)\s*\(?\s*-?\d")
_MATH = re.compile(r"[=<>≤≥≠√∫∑∏π∞∂]|\b(?:sin|cos|tan|log|ln|lim|mod)\b|\^\d|\d\s*[²³]")
_CODE = re.compile(r"[{};]|\w\(\)|\bdef |\bfn |=>|->|::|\w+\.\w+\(|</?\w+>|\$\w+")
_LIST_LINE = re.compile(r"(?m)^\s*(?:[-*•]|\d+[.)])\s+\S")

#: Readable phrases for the ``f:`` features, used in the decision's reason.
FEATURE_PHRASES: dict[str, str] = {
    "f:big_arith": "exact arithmetic on large numbers",
    "f:big_numbers": "large numbers",
    "f:math": "maths notation",
    "f:code": "code",
    "f:paste=code": "code",
    "f:paste=long": "a long document",
    "f:paste=very_long": "a very long document",
    "f:asked=long": "a long answer",
    "f:asked=very_long": "a very long answer",
    "f:list": "several requirements",
    "f:ilen=long": "a long, detailed request",
    "f:ilen=very_long": "a long, detailed request",
    "f:questions": "several questions",
    "f:ilen=tiny": "a very short request",
    "f:ilen=short": "a short request",
    "f:paste=short": "a short pasted text",
    "f:paste=medium": "a pasted text",
}


def _band(n: int, bands: tuple[tuple[int, str], ...], last: str) -> str:
    for limit, name in bands:
        if n < limit:
            return name
    return last


def window(text: str) -> str:
    """The part of an instruction read for features: all of it, or its head and tail."""
    if len(text) <= _HEAD + _TAIL:
        return text
    return text[:_HEAD] + "\n" + text[-_TAIL:]


def words_of(text: str) -> list[str]:
    """The instruction's tokens as the model sees them: lower-case words, numbers by shape."""
    out: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        if token[0].isdigit():
            digits = sum(ch.isdigit() for ch in token)
            out.append(f"<{min(digits, 6)}d>")
        else:
            out.append(token)
    return out


def grams(word: str) -> Iterator[str]:
    """The character 3- to 5-grams of a word, with ``<`` and ``>`` at its edges."""
    padded = f"<{word}>"
    for n in (3, 4, 5):
        for i in range(len(padded) - n + 1):
            yield padded[i : i + n]


def features(task: Task) -> dict[str, float]:
    """The model's features of one request, as ``{name: value}``."""
    text = window(task.instruction)
    words = words_of(text)
    out: dict[str, float] = {}
    lexical = [f"w:{w}" for w in words]
    lexical += [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    if task.paste:
        # The same words ask for different work on code and on prose ("fix this").
        kind = task.paste_kind or "text"
        lexical += [f"p{kind[0]}:{w}" for w in words]
    unique = set(lexical)
    if unique:
        scale = 1.0 / math.sqrt(len(unique))
        for name in unique:
            out[name] = scale
    # How the request starts ("write a…", "prove…", "was ist…") says much of what it asks.
    if words:
        out["s:" + words[0]] = 1.0
        if len(words) > 1:
            out[f"s:{words[0]}_{words[1]}"] = 1.0
    ngrams = {f"c:{g}" for w in words if w[0] != "<" and len(w) >= 3 for g in grams(w)}
    if ngrams:
        scale = 1.0 / math.sqrt(len(ngrams))
        for name in ngrams:
            out[name] = scale

    big = len(_BIG_NUMBER.findall(text))
    if big and _OPERATOR.search(text):
        out["f:big_arith"] = 1.0
    elif big >= 2:
        out["f:big_numbers"] = 1.0
    if _MATH.search(text):
        out["f:math"] = 1.0
    if len(_CODE.findall(text)) >= 2:
        out["f:code"] = 1.0
    if len(_LIST_LINE.findall(text)) >= 2:
        out["f:list"] = 1.0
    if text.count("?") >= 2:
        out["f:questions"] = 1.0
    size = len(task.instruction)
    bands = ((25, "tiny"), (80, "short"), (200, "medium"), (500, "long"))
    out[f"f:ilen={_band(size, bands, 'very_long')}"] = 1.0
    paste = len(task.paste)
    if paste:
        paste_bands = ((400, "short"), (1500, "medium"), (4000, "long"))
        out[f"f:paste={_band(paste, paste_bands, 'very_long')}"] = 1.0
        out[f"f:paste={task.paste_kind or 'text'}"] = 1.0
    else:
        out["f:paste=none"] = 1.0
    asked = asked_output_tokens(text)
    if asked is not None:
        out[f"f:asked={_band(asked, ((300, 'short'), (1200, 'long')), 'very_long')}"] = 1.0
    return out
