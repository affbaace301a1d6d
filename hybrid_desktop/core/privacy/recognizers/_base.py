"""Shared pieces of the recognizers: a fast regex recognizer base class, context look-ups, checksums.

Every recognizer of the gate is a Presidio ``EntityRecognizer`` subclass, so they plug into
``AnalyzerEngine`` like the stock ones; this base class runs pre-compiled regexes with an optional
validator (checksums) and an optional context regex (words that must appear just before a match
for a weak pattern to count).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

Validator = Callable[[str], bool]


@dataclass(frozen=True)
class Rule:
    """One regex of a recognizer. ``group`` selects the reported part of the match."""

    entity: str
    regex: re.Pattern[str]
    score: float
    validator: Validator | None = None
    #: When set, the match only counts if this regex matches the text just before it.
    context: re.Pattern[str] | None = None
    #: Score used instead when ``context`` is set and does not match (0 = drop the match).
    score_without_context: float = 0.0
    context_window: int = 60
    group: int = 0


class GateRecognizer(EntityRecognizer):
    """A Presidio recognizer of the gate: its name, its entities, nothing to load, and results
    tagged with its name (shown as ``Finding.source``)."""

    def __init__(self, name: str, entities: Sequence[str]) -> None:
        self.label: str = name
        super().__init__(
            supported_entities=sorted(set(entities)), name=name, supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: patterns and lists are read at construction."""

    def result(self, entity: str, start: int, end: int, score: float = 0.9) -> RecognizerResult:
        """A result of ``entity`` over ``[start, end)``, tagged with this recognizer's name."""
        return RecognizerResult(
            entity_type=entity,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.label,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


class RegexRecognizer(GateRecognizer):
    """A Presidio recognizer made of :class:`Rule` objects (regex + validator + context)."""

    def __init__(self, name: str, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        super().__init__(name, [r.entity for r in self.rules])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Run every rule over ``text``."""
        results: list[RecognizerResult] = []
        for rule in self.rules:
            for match in rule.regex.finditer(text):
                start, end = match.span(rule.group)
                if start < 0 or end <= start:
                    continue
                value = text[start:end]
                if rule.validator is not None and not rule.validator(value):
                    continue
                score = rule.score
                if rule.context is not None and not rule.context.search(
                    text, max(0, start - rule.context_window), start
                ):
                    score = rule.score_without_context
                if score <= 0:
                    continue
                results.append(self.result(rule.entity, start, end, score))
        return results


def words_before(text: str, start: int, window: int = 40) -> str:
    """The lower-cased text in the ``window`` characters before ``start``."""
    return text[max(0, start - window) : start].lower()


def digits(value: str) -> str:
    """Only the digits of ``value``."""
    return "".join(ch for ch in value if ch.isdigit())


def luhn_ok(value: str) -> bool:
    """Luhn (mod 10) check over the digits of ``value``."""
    number = digits(value)
    if not number:
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(value: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces allowed)."""
    iban = re.sub(r"[\s-]", "", value).upper()
    if not 15 <= len(iban) <= 34 or not iban[:2].isalpha() or not iban[2:4].isdigit():
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_ok(value: str) -> bool:
    """Verhoeff check (Indian Aadhaar numbers)."""
    c = 0
    for i, ch in enumerate(reversed(digits(value))):
        c = _VERHOEFF_D[c][_VERHOEFF_P[i % 8][int(ch)]]
    return c == 0


def elfproef_ok(value: str) -> bool:
    """Dutch BSN "11-proof": 9 digits weighted 9..2 and -1 sum to a multiple of 11."""
    number = digits(value)
    if len(number) != 9 or number == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1), strict=True)) - int(
        number[8]
    )
    return total % 11 == 0


def nif_pt_ok(value: str) -> bool:
    """Portuguese NIF: 9 digits, the last a mod-11 check over the first eight (weights 9..2)."""
    number = digits(value)
    if len(number) != 9 or number[0] == "0":
        return False
    rest = sum(int(d) * w for d, w in zip(number[:8], range(9, 1, -1), strict=True)) % 11
    return int(number[8]) == (0 if rest < 2 else 11 - rest)


def nir_ok(value: str) -> bool:
    """French NIR (numéro de sécurité sociale): 13 characters and a 2-digit key, 97 - n mod 97.

    Corsican departments "2A" and "2B" count as 19 and 18 for the key.
    """
    v = "".join(ch for ch in value.upper() if ch.isalnum())
    if len(v) != 15 or v[0] not in "1278" or not v[13:].isdigit():
        return False
    body = v[:13].replace("2A", "19", 1) if v[5:7] == "2A" else v[:13]
    body = body.replace("2B", "18", 1) if v[5:7] == "2B" else body
    if not body.isdigit():
        return False
    return 97 - int(body) % 97 == int(v[13:])
