"""NATIONAL_ID: identity, tax and social-security numbers of many countries.

Two ways a number counts:

* **Its own format and check digit.** Formats whose check is strong or whose shape is
  distinctive count anywhere: the UK National Insurance number, the Indian Aadhaar (Verhoeff) and
  PAN, the Spanish DNI/NIE (check letter), the Italian codice fiscale (check letter), the Polish
  PESEL (birth date and check digit), the French NIR (97-modulus key). Formats that are plain
  runs of 9 or 11 digits with a weak check, where a random number passes one time in ten or
  eleven, count only with an identity word nearby (``data/ids_national_cues.txt``): the German
  Steuer-ID (ISO 7064), the Dutch BSN (11-proof), the Portuguese NIF (mod 11), the Canadian SIN
  (Luhn) and the US SSN (a dashed SSN counts alone, at a lower score).
* **A label.** A value right after an identity word ("PESEL: ...", "Steuer-ID lautet ...",
  "n° de sécu ...", "codice fiscale ...") counts whatever its check digit, as people also write
  invented or mistyped numbers.

The check digits are Presidio's own where it has a recognizer for the format (``PlPeselRecognizer``,
``DeTaxIdRecognizer``, ``EsNifRecognizer``, ``EsNieRecognizer``, ``ItFiscalCodeRecognizer``,
``InAadhaarRecognizer``, ``UsSsnRecognizer``); they are used for their checks only, with the
gate's own regexes, because Presidio's are not bounded (PESEL's matches inside longer digit runs)
and its context boost needs lemmas, which the gate's lean spaCy pipeline does not compute.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    DeTaxIdRecognizer,
    EsNieRecognizer,
    EsNifRecognizer,
    InAadhaarRecognizer,
    ItFiscalCodeRecognizer,
    PlPeselRecognizer,
    UsSsnRecognizer,
)

from ._base import GateRecognizer, digits, elfproef_ok, luhn_ok, nif_pt_ok, nir_ok
from .cue_lists import alternation, first_words, labelled_value, read_list, scan

_ENTITY = "NATIONAL_ID"


def _presidio_check(recognizer: type[PatternRecognizer]) -> Callable[[str], bool]:
    """The check of a Presidio pattern recognizer: its ``validate_result`` and
    ``invalidate_result`` on the value with spaces, dots and dashes removed."""
    instance = recognizer(supported_language="en", supported_entity=_ENTITY)

    def check(value: str) -> bool:
        compact = re.sub(r"[\s.-]", "", value)
        if instance.invalidate_result(compact):
            return False
        valid = instance.validate_result(compact)
        return True if valid is None else bool(valid)

    return check


def _ssn_ok(value: str) -> bool:
    d = digits(value)
    return (
        len(d) == 9
        and d[:3] not in ("000", "666")
        and d[0] != "9"
        and d[3:5] != "00"
        and d[5:] != "0000"
        and len(set(d)) > 2
    )


@dataclass(frozen=True)
class _Format:
    """One national format: its regex, its check, its score alone and next to an identity word."""

    regex: re.Pattern[str]
    check: Callable[[str], bool] | None
    score_alone: float
    score_cued: float = 0.95


def _bounded(body: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.,/-])(?:" + body + r")(?![\w]|[.,/-]\w)", flags)


_SSN_INVALID = _presidio_check(UsSsnRecognizer)


def _formats() -> tuple[_Format, ...]:
    fiscal = ItFiscalCodeRecognizer.PATTERNS[0].regex.removeprefix("(?i)")
    return (
        # US SSN "123-45-6789": alone only when grouped like one.
        _Format(
            _bounded(r"\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}"),
            lambda v: _ssn_ok(v) and _SSN_INVALID(v),
            0.6,
            0.9,
        ),
        _Format(_bounded(r"\d{9}"), lambda v: _ssn_ok(v) and _SSN_INVALID(v), 0, 0.9),
        # UK National Insurance number "QQ 12 34 56 C".
        _Format(
            _bounded(
                r"(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]"
            ),
            None,
            0.9,
        ),
        # Indian Aadhaar (Verhoeff) and PAN.
        _Format(
            _bounded(r"[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}"), _presidio_check(InAadhaarRecognizer), 0.9
        ),
        _Format(_bounded(r"[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]"), None, 0.85),
        # Spanish DNI/NIF and NIE (check letter).
        _Format(_bounded(r"\d{8}-?[A-Z]"), _presidio_check(EsNifRecognizer), 0.9),
        _Format(_bounded(r"[XYZ]-?\d{7}-?[A-Z]"), _presidio_check(EsNieRecognizer), 0.9),
        # Italian codice fiscale (check letter).
        _Format(_bounded(fiscal, re.IGNORECASE), _presidio_check(ItFiscalCodeRecognizer), 0.9),
        # Polish PESEL: birth date (month + 20/40/... for the century) and a check digit.
        _Format(
            _bounded(r"\d{2}(?:[02468][1-9]|[13579][012])(?:0[1-9]|[12]\d|3[01])\d{5}"),
            _presidio_check(PlPeselRecognizer),
            0.85,
        ),
        # French NIR: sex, year, month, department, commune, order, key.
        _Format(
            _bounded(
                r"[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}",
                re.IGNORECASE,
            ),
            nir_ok,
            0.9,
        ),
        # Weak checks: need an identity word nearby.
        _Format(
            _bounded(r"[1-9]\d(?: ?\d{3}){3}|[1-9]\d{2}(?: ?\d{3}){2} ?\d{2}"),
            _presidio_check(DeTaxIdRecognizer),
            0,
        ),
        _Format(_bounded(r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3}"), elfproef_ok, 0),
        _Format(_bounded(r"[1-35-9]\d{8}|[1-35-9]\d{2} \d{3} \d{3}"), nif_pt_ok, 0),
        _Format(_bounded(r"\d{3}[ -]?\d{3}[ -]?\d{3}"), luhn_ok, 0),
    )


class NationalIdRecognizer(GateRecognizer):
    """NATIONAL_ID by format and check digit, or by an identity word right before the value."""

    def __init__(self) -> None:
        self.formats = _formats()
        entries = read_list("ids_national_cues.txt")
        cues = alternation(entries)
        self.cue_near = re.compile(r"(?<!\w)" + cues + r"(?!\w)", re.IGNORECASE)
        self.labelled = labelled_value(cues)
        self.label_words = first_words(entries)
        super().__init__("NationalIdRecognizer", [_ENTITY])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """National identity numbers in ``text``."""
        results: list[RecognizerResult] = []
        for fmt in self.formats:
            for match in fmt.regex.finditer(text):
                start, end = match.span()
                if fmt.check is not None and not fmt.check(match.group()):
                    continue
                cued = bool(self.cue_near.search(text, max(0, start - 40), start))
                score = fmt.score_cued if cued else fmt.score_alone
                if score > 0:
                    results.append(self.result(_ENTITY, start, end, score))
        for match in scan(self.labelled, self.label_words, text):
            value = match.group("value").rstrip()
            if sum(ch.isdigit() for ch in value) >= 4 and len(value) >= 5:
                start = match.start("value")
                results.append(self.result(_ENTITY, start, start + len(value), 0.85))
        return results


def build() -> list[EntityRecognizer]:
    """The national-ID recognizer."""
    return [NationalIdRecognizer()]
