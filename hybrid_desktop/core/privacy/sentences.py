"""Sentence boundaries and the sentence-level tests the recognizers and the detector share.

:func:`sentence_start` finds where the sentence around a position opens ("Booking.com" does
not end a sentence); :func:`impersonal_request` tells a request or question about the world
("Plan a trip from Denver") from a personal one; :func:`statement` and
:func:`first_person_sentence` are the detector's tests for keeping an uncued place or
organisation. Pure Python: importing this module pulls in neither Presidio nor spaCy.
"""

from __future__ import annotations

import re
from importlib import resources


def _data_words(name: str) -> list[str]:
    """The entries of ``data/<name>`` (importing ``recognizers`` would pull in Presidio)."""
    text = (resources.files("hybrid_desktop.core.privacy") / "data" / name).read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


#: Requests that open a sentence (``data/places_request_starts.txt``): "Plan a trip from
#: Denver", "Compare living costs in Porto", "What is ...".
REQUEST_START = re.compile(
    r"\s*(?:please\s+)?(?:"
    + "|".join(
        sorted(map(re.escape, _data_words("places_request_starts.txt")), key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)
_SELF = re.compile(r"\b(?:i|i'm|i’m|me|my|mine|we|we're|our|us)\b", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.!?](?=\s)|\n")
#: First-person words that make a sentence about the user ("How do I ..." does not count).
_FIRST_PERSON = re.compile(
    r"\b(?:my|mine|our|ours|I'm|I’m|I've|I'd|I'll|we're|we've|"
    + "".join(rf"(?<!\b{re.escape(v)} )" for v in _data_words("places_request_verbs.txt"))
    + r"(?:me|us)|(?:I|we)\s+(?:"
    + "|".join(
        r"\s+".join(map(re.escape, v.split()))
        for v in sorted(_data_words("places_first_person_verbs.txt"), key=len, reverse=True)
    )
    + r"))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` ("Booking.com" does not end a sentence)."""
    last = 0
    for m in _BOUNDARY.finditer(text, max(0, pos - 300), pos):
        last = m.end()
    return last or max(0, pos - 300)


def impersonal_request(text: str, start: int, end: int) -> bool:
    """A request or question about the world with no first person in it up to ``end``."""
    return bool(REQUEST_START.match(text, start)) and not _SELF.search(text, start, end)


def statement(text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` states something (no question, no request)."""
    left = sentence_start(text, start)  # the same boundary the recognizer uses ("Booking.com")
    m = _SENTENCE_END.search(text, end)
    if m and m.group(0) == "?":
        return False
    question = text.find("?", end, end + 300)
    if question >= 0 and "\n" not in text[end:question]:
        return False  # "Acme is a firm in Zell. What do they do?": asking about it
    return not REQUEST_START.match(text, left)


def first_person_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` speaks in the first person."""
    left = max(
        (m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)),
        default=max(0, start - 200),
    )
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    return bool(_FIRST_PERSON.search(text, left, right))
