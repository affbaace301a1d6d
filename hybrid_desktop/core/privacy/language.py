"""The language of a prompt, told offline by py3langid, so the detector runs the right NER.

py3langid is a naive Bayes classifier over byte n-grams whose model ships inside the package
(no download, no network); it is restricted here to the languages the gate knows
(:data:`LANGUAGES`) and loaded once, on the first call. The classifier is given only the words
that open in lower case: the capitalised words of a prompt are mostly the names, streets and
towns it mentions, which say where someone lives rather than what language they write in
("Ship it to Piotr Zieliński, ul. Długa 3, Gdańsk" is English), and the street-type, unit and
floor words of ``data/address_<lang>.txt`` are left out for the same reason ("48 rue de
Provence, apt 3" inside an English request). A text written all in capitals is classified
whole. Texts with too few such letters, or where the classifier is unsure, count
as English, which keeps today's behaviour for every English prompt (see
``tests/core/privacy/test_languages.py`` for the measurement behind the two thresholds).
"""

from __future__ import annotations

import re
import threading
from importlib import resources
from typing import Any

__all__ = ["LANGUAGES", "LanguageDetector", "detect_language", "other_language"]

#: The languages the gate tells apart (ISO 639-1). Everything else is treated as English. The
#: last five have no spaCy model either: knowing them keeps the English model's guesses off
#: their words ("Är det", "att ta" are no people) and gives their stop and common words.
LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pl", "pt", "sv", "da", "fi", "tr", "cs")
#: Fewer lower-case letters than this and the classifier has too little to go on.
MIN_LETTERS = 12
#: Below this posterior probability the text counts as English.
MIN_CONFIDENCE = 0.9
#: Only the start of a long text is classified: a prompt keeps its language, and the cost of
#: classification grows with length.
MAX_CHARS = 2000

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: Kinds of words in ``data/address_<lang>.txt`` that name a street type, a flat or a floor.
_ADDRESS_KINDS = ("before", "unit", "floor")


def _address_words() -> frozenset[str]:
    """Street-type, unit and floor words of every ``data/address_<lang>.txt``, without dots."""
    data = resources.files("hybrid_desktop.core.privacy") / "data"
    words: set[str] = set()
    for item in data.iterdir():
        if not (item.name.startswith("address_") and item.name.endswith(".txt")):
            continue
        for line in item.read_text(encoding="utf-8").splitlines():
            kind, _, word = line.strip().partition(" ")
            if kind in _ADDRESS_KINDS and word:
                words.add(word.strip().lower().rstrip("."))
    return frozenset(words)


def _language_words(text: str, skip: frozenset[str] = frozenset()) -> str:
    """The words that carry the language: those that open in lower case (all, if all-caps),
    without the words in ``skip``."""
    found = _WORD.findall(text)
    upper = text.isupper()
    words = [w.lower() for w in found] if upper else [w for w in found if w[0].islower()]
    return " ".join(w for w in words if w.lower() not in skip)


class LanguageDetector:
    """py3langid restricted to :data:`LANGUAGES`, loaded lazily and shared across threads."""

    def __init__(self) -> None:
        self._identifier: Any = None
        self._skip: frozenset[str] = frozenset()
        self._lock = threading.Lock()
        #: The last text classified and its answer: one prompt is asked about several times.
        self._last: tuple[str, tuple[str, float]] | None = None

    def _load(self) -> Any:
        with self._lock:
            if self._identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(LANGUAGES))
                self._skip = _address_words()
                self._identifier = identifier
            return self._identifier

    def classify(self, text: str) -> tuple[str, float]:
        """The likeliest language of ``text`` and its probability (``("en", 0.0)`` if no words)."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        identifier = self._identifier if self._identifier is not None else self._load()
        words = _language_words(text[:MAX_CHARS], self._skip)
        if sum(ch.isalpha() for ch in words) < MIN_LETTERS:
            answer = ("en", 0.0)
        else:
            lang, prob = identifier.classify(words)
            answer = (str(lang), float(prob))
        self._last = (text, answer)
        return answer

    def detect(self, text: str) -> str:
        """The language of ``text``: one of :data:`LANGUAGES`, English when unsure."""
        lang, prob = self.classify(text)
        return lang if prob >= MIN_CONFIDENCE and lang in LANGUAGES else "en"


_DEFAULT = LanguageDetector()

#: Codes py3langid gives that are no other language: no linguistic content (keys, base64), and
#: Norwegian, which the gate reads as Danish (their written forms are close).
_NOT_OTHER = frozenset({"zxx", "no", "nb", "nn"})
#: The least posterior probability, and the least letters, for :func:`other_language`.
OTHER_CONFIDENCE = 0.8
OTHER_MIN_LETTERS = 30
_FULL: list[Any] = []
_FULL_LOCK = threading.Lock()


def other_language(prose: str) -> str:
    """The language of ``prose`` when it is one the gate does not know (Romanian, Greek,
    Indonesian, Vietnamese ...), else "". Its words that open in lower case count, over all of
    py3langid's 97 languages; on the development sets this marked none of 1,467 prompts in the
    gate's own languages (see ``tests/core/privacy/test_round5.py``)."""
    # Only words that open in lower case: names and headings say little about the language.
    words = " ".join(w for w in _WORD.findall(prose[:MAX_CHARS]) if w[0].islower())
    if sum(ch.isalpha() for ch in words) < OTHER_MIN_LETTERS:
        return ""
    with _FULL_LOCK:
        if not _FULL:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _FULL.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    ranked = [(str(lang), float(prob)) for lang, prob in _FULL[0].rank(words)]
    others = [(lang, p) for lang, p in ranked if lang not in LANGUAGES and lang not in _NOT_OTHER]
    # Close languages share the probability (Indonesian and Malay): their sum counts.
    if not others or sum(p for _, p in others) < OTHER_CONFIDENCE:
        return ""
    return others[0][0]


def detect_language(text: str) -> str:
    """:meth:`LanguageDetector.detect` on a detector shared by the process."""
    return _DEFAULT.detect(text)
