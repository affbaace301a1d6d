"""Judging single words and short runs of tokens as parts of a person's name.

:class:`NameTokenRules` is the base of ``PersonRecognizer``: whether a token can be part of a
name, where a run of surname-like tokens ends, whether spaCy's PERSON or ORG/place entity is
plausibly a person, and how a PERSON result is built (with the ``uncued`` metadata the
detector reads). The module-level helpers (the letter case of a text, plurals, trimming a
span) are shared with ``PersonalPlaceRecognizer``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .name_lexicon import (
    ENTITY_WORDS,
    INITIAL,
    NAME_TOKEN,
    NOT_SPEAKERS,
    PARTICLES,
    PLACE_PREFIXES,
    SURNAME_SHAPE,
    SURNAME_SUFFIX,
    NameLists,
)

#: Metadata key marking a place/organisation found without a personal cue.
UNCUED = "uncued"
#: Metadata key marking a person who is the topic of a general-knowledge question ("Who was
#: Albert Einstein?"): kept only when the text also holds other personal data.
TOPIC = "topic"

_STRIP_END = re.compile(r"(?:'s|’s|[\s.,;:!?\"')\]-])+$")
_STRIP_START = re.compile(r"^[\s\"'(\[-]+")


class TextCase(NamedTuple):
    """The letter case of the text being analysed, passed to every rule that depends on it."""

    #: Mostly capitals ("PLEASE SUMMARISE THIS ...").
    upper: bool
    #: Typed without capitals (see :func:`lower_case_text`).
    lower: bool

    @property
    def mixed(self) -> bool:
        """Ordinary mixed-case text."""
        return not self.upper and not self.lower

    @classmethod
    def of(cls, text: str) -> TextCase:
        """The letter case of ``text``."""
        letters = [ch for ch in text if ch.isalpha()]
        n_upper = sum(ch.isupper() for ch in letters)
        upper = bool(letters) and n_upper > 0.8 * len(letters)
        return cls(upper, lower_case_text(letters, n_upper))


def lower_case_text(letters: list[str], n_upper: int) -> bool:
    """Typed without capitals: none, or a lone capital that does not open the text ("... I'm")."""
    return n_upper == 0 or (n_upper == 1 and not letters[0].isupper())


def plural_of(low: str, english: frozenset[str]) -> bool:
    """Whether ``low`` is the plural of an English noun ("moons", "boxes", "cities")."""
    if not low.endswith("s") or len(low) < 4:
        return False
    return (
        low[:-1] in english
        or (low.endswith("es") and low[:-2] in english)
        or (low.endswith("ies") and low[:-3] + "y" in english)
    )


def clean_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start, end`` without a trailing "'s" or punctuation and leading quotes or brackets;
    None when fewer than two characters or no letter would be left."""
    value = text[start:end]
    m = _STRIP_END.search(value)
    if m:
        end = start + m.start()
    m2 = _STRIP_START.match(text[start:end])
    if m2:
        start += m2.end()
    if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]):
        return None
    return start, end


class NameTokenRules(EntityRecognizer):
    """Token-level rules of the person recognizer, on its name lists and letter case."""

    names: NameLists

    def _famous_surname(self, tok: object, case: TextCase) -> bool:
        """A capitalised word the English lexicon knows but the name lists don't (Einstein)."""
        t = tok.text  # type: ignore[attr-defined]
        low = t.lower()
        names = self.names
        return (
            bool(NAME_TOKEN.match(t))
            and self._capitalised(t, case.upper)
            and not tok.is_stop  # type: ignore[attr-defined]
            and low in names.english
            and not names.is_known(low)
            and low not in names.terms
            and low not in NOT_SPEAKERS
        )

    def _name_shaped(self, text: str, tokens: object, case: TextCase, label: str) -> bool:
        """An ORG/place entity that is really a person (a given name and a surname, a lone name).

        The small spaCy model often tags a person it has not seen as an organisation or place.
        The entity counts as a person when every word is capitalised, it is not a famous place or
        organisation, no word is an institution word ("University", "Bank") and it is a given
        name plus a surname, an unknown capitalised word plus a known non-English surname, or a
        lone given name or surname that is not an English word.
        """
        words = list(tokens)  # type: ignore[call-overload]
        if not 1 <= len(words) <= 4:
            return False
        names = self.names
        if not all(NAME_TOKEN.match(t.text) or INITIAL.match(t.text) for t in words):
            return False
        upper_text = case.upper
        if not all(self._capitalised(t.text, upper_text) for t in words):
            return False
        if names.well_known(" ".join(t.text for t in words)):
            return False
        if any(
            t.lower_ in ENTITY_WORDS or t.is_stop or names.never_name(t.text, not upper_text)
            for t in words
        ):
            return False
        first, last = words[0].lower_, words[-1].lower_
        if first in PLACE_PREFIXES or names.well_known(first):
            return False  # "Santa Cruz", "San Jose", "Dell XPS"
        if len(words) == 1:
            idx = words[0].idx
            before = text[max(0, idx - 6) : idx].lower()
            after = text[idx + len(words[0].text) : idx + len(words[0].text) + 4]
            if label == "LOCATION" and (
                re.search(r"\b(?:in|at|from|to|near|of)\s+$", before)
                or re.match(r"\s*,\s*[A-Z]", after)
            ):
                return False  # "from Brighton", "Brighton, Michigan": a place
            return first not in names.english and (
                first in names.given or (first in names.surnames and not upper_text)
            )
        if first in names.given:
            if last not in names.english:
                return True
            return names.is_known(last) and first not in names.english
        return (
            first not in names.english
            and last in names.surnames
            and last not in names.english
            and not upper_text
        )

    def _not_name_token(self, tok: object, case: TextCase) -> bool:
        t = tok.text  # type: ignore[attr-defined]
        if not NAME_TOKEN.match(t):
            return t in ("'s", "’s", "-", ",")
        low = t.lower()
        if self.names.never_name(t, case.mixed):
            return True
        return (low in self.names.english and not self.names.is_known(low)) or tok.is_stop  # type: ignore[attr-defined]

    def _surname_end(self, doc: object, j: int, case: TextCase) -> int:
        """Index after the run of surname-like tokens starting at ``j`` (at most 3)."""
        names = self.names
        upper_text = case.upper
        tokens = doc  # a spaCy Doc
        end = j
        while end < len(tokens) and end < j + 3:  # type: ignore[arg-type]
            tok = tokens[end]  # type: ignore[index]
            t = tok.text
            low = t.lower()
            if INITIAL.match(t) and t.isupper():
                end += 1
                continue
            if (
                case.lower
                and len(t) == 1
                and t.isalpha()
                and end + 1 < len(tokens)  # type: ignore[arg-type]
                and names.is_known(tokens[end + 1].lower_)  # type: ignore[index]
                and tokens[end + 1].lower_ not in names.english  # type: ignore[index]
            ):
                end += 1  # "oscar j lindqvist": a lower-case middle initial
                continue
            if t == "." and end > j and INITIAL.match(tokens[end - 1].text):  # type: ignore[index]
                end += 1
                continue
            if low in PARTICLES and (t.islower() or (t.istitle() and len(t) <= 3)):
                k = end
                while k < len(tokens) and k < end + 3 and tokens[k].lower_ in PARTICLES:  # type: ignore[arg-type, index]
                    k += 1
                nxt = tokens[k] if k < len(tokens) else None  # type: ignore[arg-type, index]
                if (
                    nxt is not None
                    and NAME_TOKEN.match(nxt.text)
                    and (
                        self._capitalised(nxt.text, upper_text)
                        or (
                            case.lower
                            and names.is_known(nxt.lower_)
                            and nxt.lower_ in names.surnames
                        )
                    )
                    and not nxt.is_stop
                    and not names.never_name(nxt.text, not upper_text)
                    and (nxt.lower_ not in names.english or names.is_known(nxt.lower_))
                ):
                    end = k + 1  # "van der Berg", "de la Fuente", "dos Santos"
                    continue
                break
            if not NAME_TOKEN.match(t) or tok.is_stop:
                break
            cap = self._capitalised(t, upper_text)
            known = names.is_known(low)
            if (
                (known and (cap or (low not in names.ambiguous and low not in names.english)))
                or (cap and low not in names.english)
                or SURNAME_SHAPE.match(t)
                or (
                    case.lower
                    and end == j
                    and low not in names.english
                    and (not t.isascii() or bool(SURNAME_SUFFIX.search(low)))
                )  # "zuzana kováčová": an unlisted surname in lower-case text
                or (
                    case.lower and end == j and low in names.surnames and low not in names.english
                )  # "jurgen muller": a listed surname that is also a word, after a given name
            ):
                end += 1
            else:
                break
        return end

    @staticmethod
    def _capitalised(word: str, upper_text: bool) -> bool:
        if upper_text:
            return word.isupper() and len(word) > 1
        return word[:1].isupper()

    def _plausible_ner(self, tokens: object, case: TextCase) -> bool:
        """spaCy's small model sometimes calls lower-case words or code names people."""
        words = [t for t in tokens if NAME_TOKEN.match(t.text)]  # type: ignore[attr-defined]
        if not words:
            return False
        if any(self.names.never_name(t.text, case.mixed) for t in words):
            return False
        for t in words:
            low = t.lower_
            if self.names.is_known(low) or (t.text[:1].isupper() and low not in self.names.english):
                return True
        return any(t.text[:1].isupper() for t in words) and len(words) > 1

    def _result(
        self, start: int, end: int, score: float, how: str, uncued: bool = False
    ) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            min(score, 0.35) if uncued else score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"PersonRecognizer:{how}",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                UNCUED: uncued,
            },
        )
