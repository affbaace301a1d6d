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
#: Imperatives and question words that open a request in the gate's languages
#: (``data/sentence_openers.txt``): "Résume ...", "Vergleiche ...", "Quanti ...".
OPENERS = frozenset(_data_words("sentence_openers.txt"))
#: Words that follow an imperative as its object ("Mark all ...", "Bill the client").
OPENER_OBJECTS = frozenset(_data_words("sentence_opener_objects.txt"))
#: What may stand between a sentence boundary and its first word: spaces, quotes, bullets, "¿".
_OPENING = re.compile(r"(?:^|[.!?:;…\n])[\s\"'«»“”‘’(¿¡*•>\-]*$")
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_]+$")
_FIRST_WORD = re.compile(r"[\s\"'«»“”‘’(¿¡*•>\-]*([^\W\d_][\w'’\-]*)")


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
    if REQUEST_START.match(text, left):
        return False
    first = _FIRST_WORD.match(text, left)
    return not (first and first.group(1).lower() in OPENERS)  # "Résume ...", "Porównaj ..."


def opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` is the first word of the text, of a sentence or of a line.

    A labelled value ("city: Galway", "Nazwisko: Jabłońska") does not open a sentence, nor does
    the word after a title or an initial ("M. Guillemot", "Dr. Okafor", "J. Smith").
    """
    if not text[:pos].strip(" \t\"'«»“”‘’(¿¡*•>-"):
        return True
    m = _OPENING.search(text, max(0, pos - 8), pos)
    if m is None or text[m.start()] == ":":
        return False
    if text[m.start()] == ".":
        before = _WORD_BEFORE.search(text, max(0, m.start() - 6), m.start())
        if before and len(before.group(0)) <= 3 and before.group(0)[:1].isupper():
            return False
    return True


def first_person_sentence(text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` speaks in the first person."""
    left = max(
        (m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)),
        default=max(0, start - 200),
    )
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    return bool(_FIRST_PERSON.search(text, left, right))
