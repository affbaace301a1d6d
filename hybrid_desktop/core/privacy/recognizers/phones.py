"""Phone numbers of every region, through Google's numbering plans (``phonenumbers``).

International numbers (``+CC`` or ``00CC``) are checked against the plan of the country they
name. National numbers, written without a country code as people write them at home ("030
1234567", "07700 900481", "06 12 34 56 78", "612 34 56 78", "(212) 555-0143"), are checked
against the plans of the regions in ``data/phones_regions.txt``: a number counts when one of them
accepts it as a valid number (``phonenumbers``' VALID leniency).

Plain numbers are everywhere in code, SQL, logs and configuration (ports, ids, timestamps,
versions, amounts, dates), and many of them happen to be valid numbers somewhere. So a national
number also needs a phone's shape (digit groups, a leading trunk ``0``, an area code in
brackets) or a phone word next to it (``data/phones_cues.txt``: "tel", "Handy", "portable",
"móvil", "cellulare", "komórka", ...); a run of digits with no separators needs the word.
A grouped number that no plan accepts (an invented or foreign one) still counts next to a phone
word, or after one of the weaker words of ``data/phones_weak_cues.txt`` ("reach me at").

Why not Presidio's ``PhoneRecognizer``: it runs ``PhoneNumberMatcher`` over the whole text once
per region, which costs about half a second for 18 regions on a 10,000-character text, and it
fires on any valid digit run (a 9-digit SQL id is a valid Polish number). Here one regex finds
the digit runs that could be phones, and only those are handed to ``phonenumbers``: each run is
parsed for each region in turn and kept when ``is_valid_number`` accepts it (the test of the
matcher's VALID leniency, at a quarter of the matcher's cost); a run too long to be one number
goes through ``PhoneNumberMatcher`` with VALID leniency, which finds the numbers inside it.
A valid number followed by up to three stray digit groups ("... 120000 0 0") is cut back to the
number.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, NumberParseException, PhoneNumberMatcher
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import GateRecognizer, digits
from .cue_lists import alternation, read_list

REGIONS: tuple[str, ...] = tuple(r.upper() for r in read_list("phones_regions.txt"))

#: Digit runs that could be a phone number: optional +CC, groups joined by one separator, an
#: optional "(0)" or "(area)", an optional extension; not the groups of an IBAN ("DE89 3704"). Atomic: a run is taken whole, and when its
#: last group is glued to a longer token ("... 900123 (2x", "2024-01-15T10:30") only that group
#: is dropped (see :func:`_unglued`).
_CANDIDATE = re.compile(
    r"(?<![\w+#@$€£¥₹%/.])(?<!\d[:-])(?<![A-Za-z]{2}\d\d[ -])"
    r"(?>"
    r"(?:\+[ \t]?|\(\+?)?\d+"
    r"(?:(?:[ \t]?\(0\)[ \t]?|\)[ \t]?|[ \t]?\(|[ \t]?[-/][ \t]?|[ \t.])\d+\)?){0,8}"
    r"(?:[ \t]?(?:x|ext\.?|extn\.?|#)[ \t]?\d{1,6})?"
    r")"
)
#: A comma does not glue: it separates CSV fields and lists ("512 345 678,1987-02-14").
_GLUED = re.compile(r"[\w@%€$£]|[.:/-]\d")
_DIGITS = re.compile(r"\d+")
#: The start of an IBAN written in groups ("DE89 3704 0044 ..."): its later groups are no phone.
_IBAN_BEFORE = re.compile(r"(?<![\w])[A-Za-z]{2}\d\d(?:[ -][A-Za-z0-9]{4})*[ -]$")
_LAST_GROUP = re.compile(r"[^\d]*\d+\)?$")
_SEPARATOR_CHARS = " \t(-/."
#: How many trailing digit groups may follow a valid number in one run ("... 120000 0 0").
_MAX_STRAY_GROUPS = 3
_DATE_OR_TIME = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2})|\d{4}[-./]\d{2})$"
)
#: Thousands separators: "1 234 567", "12.500.000" (an amount or a count, not a phone). Three
#: groups of three digits with spaces are left alone: that is how Polish, Portuguese and Spanish
#: mobiles are written.
_GROUPED_AMOUNT = re.compile(r"^(?:\d{1,2}(?: \d{3})+|\d{1,3}(?:[.,]\d{3})+)$")
_CURRENCY = re.compile(
    r"(?:[$€£¥₹]|\b(?:eur|usd|gbp|chf|pln|zł|jpy|inr|sek|nok|dkk|brl|cad|aud)\b)", re.IGNORECASE
)

_CUES = alternation(read_list("phones_cues.txt"))
_CUE_BEFORE = re.compile(r"(?<!\w)" + _CUES + r"[^\w\n]*(?:\w+[^\w\n]+){0,3}$", re.IGNORECASE)
_CUE_AFTER = re.compile(r"[ \t]*[(,:\-–/|]?[ \t]*" + _CUES, re.IGNORECASE)
_WEAK_BEFORE = re.compile(
    r"(?<!\w)" + alternation(read_list("phones_weak_cues.txt")) + r"[ \t:]*$", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def _valid_region(value: str) -> str | None:
    """The first region whose numbering plan accepts ``value`` as a valid number, if any."""
    international = value.lstrip("(").startswith("+")
    for region in (None,) if international else REGIONS:
        try:
            number = phonenumbers.parse(value, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.region_code_for_number(number) or region or "ZZ"
    return None


def _international_form(value: str) -> str:
    """``value`` with "00" written as "+" and the national "(0)" dropped: "+41 96 471 07 95"."""
    value = value.replace("(0)", "")
    return "+" + value[2:] if value.startswith("00") else value


def _possible_international(value: str) -> bool:
    try:
        number = phonenumbers.parse(_international_form(value), None)
    except NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def _segments(text: str, start: int, value: str) -> list[tuple[int, int, float]]:
    """Phone numbers in a run of digit groups too long to be one, each made of as few groups as
    possible, from the left: "030 1234567 0171 2345678", "+44 7400 120000) 3700 0000"."""
    runs = [m.span() for m in _DIGITS.finditer(value)]
    out: list[tuple[int, int, float]] = []
    i = 0
    while i < len(runs):
        for j in range(i, min(len(runs), i + 8)):
            s, e = runs[i][0], runs[j][1]
            if s > 0 and value[s - 1] in "+(":
                s -= 1
            n = len(digits(value[s:e]))
            if n > 15:
                break
            if n < 7:
                continue
            found = _judge(text, start + s, start + e, value[s:e])
            if found and found[0][:2] == (0, e - s) and found[0][2] >= 0.85:
                out.append((s, e, found[0][2]))
                i = j
                break
        i += 1
    return out


def _split(value: str) -> list[tuple[int, int]]:
    """Valid numbers inside a run too long to be one ("030 1234567 0171 2345678")."""
    for region in REGIONS:
        spans = [
            (m.start, m.end) for m in PhoneNumberMatcher(value, region, leniency=Leniency.VALID)
        ]
        if spans:
            return spans
    return []


class PhoneNumberRecognizer(GateRecognizer):
    """PHONE_NUMBER: international numbers and the national formats of many regions."""

    def __init__(self) -> None:
        super().__init__("PhoneRecognizer", ["PHONE_NUMBER"])

    def load(self) -> None:
        """Nothing to load: the numbering plans ship with ``phonenumbers``."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Phone numbers in ``text``."""
        results: list[RecognizerResult] = []
        for match in _CANDIDATE.finditer(text):
            start = match.start()
            value = _unglued(text, start, match.group())
            if not value or _IBAN_BEFORE.search(text, max(0, start - 40), start):
                continue
            for s, e, score in _judge(text, start, start + len(value), value):
                results.append(self.result("PHONE_NUMBER", start + s, start + e, score))
        return results


def _judge(text: str, start: int, end: int, value: str) -> list[tuple[int, int, float]]:
    """The phone numbers in one candidate run, as spans relative to it, with their scores."""
    number = digits(value)
    if len(number) < 7 or _DATE_OR_TIME.match(value) or _money(text, start, end):
        return []
    groups = [len(g) for g in re.split(r"[^\d]+", value) if g]
    separated = len(groups) > 1
    international = value.lstrip("(").startswith("+") or (
        value.startswith("00") and separated and len(number) >= 10
    )
    # Digit groups as phones are written; not thousands ("1 234 567"), versions or IPs ("10.0.1").
    grouped = separated and not _GROUPED_AMOUNT.match(value) and min(groups) >= 2
    dotted = "." in value
    shaped = (
        international
        or value.startswith("(")
        or (
            grouped
            and (
                number[0] == "0"
                or (not dotted and len(groups) >= 3 and max(groups) >= 3)
                or (not dotted and len(number) >= 10 and len(groups) <= 3)
            )
        )
    )
    cue = bool(_CUE_BEFORE.search(text, max(0, start - 40), start) or _CUE_AFTER.match(text, end))
    # "answering at 78 651 450": digit groups after a word that introduces a number.
    weak = (
        separated
        and min(groups) >= 2
        and bool(_WEAK_BEFORE.search(text, max(0, start - 16), start))
    )
    if not (shaped or cue or weak):
        return []
    if len(number) > 15:
        if len(groups) >= 4 and all(g == 4 for g in groups):
            return []  # "1234 5678 9012 3456": a card or account number's layout
        return _segments(text, start, value) or [(s, e, 0.85) for s, e in _split(value)]
    if len(set(number)) <= 2:
        return []  # "0000000", "1111 1111": placeholders
    if _valid(value, international):
        return [(0, len(value), 0.95 if cue else 0.85)]
    if cue and (separated or international):
        return [(0, len(value), 0.75)]
    # "+44 7400 120000 0", "ring 0171 2345678 10 times": a valid number and stray groups.
    prefix = value
    for _ in range(_MAX_STRAY_GROUPS):
        prefix = _drop_last_group(prefix)
        if len(digits(prefix)) < 7:
            break
        if _valid(prefix, international):
            return [(0, len(prefix), 0.85)]
    if cue and len(number) >= 9:
        return [(0, len(value), 0.7)]  # "Fax: 9498777106": a labelled run of digits
    if international and _possible_international(value):
        return [(0, len(value), 0.7)]
    if weak:
        return [(0, len(value), 0.7)]
    return []


def _valid(value: str, international: bool) -> bool:
    return _valid_region(_international_form(value) if international else value) is not None


def _drop_last_group(value: str) -> str:
    """``value`` without its last digit group and the separator before it."""
    match = _LAST_GROUP.search(value)
    return value[: match.start()].rstrip(_SEPARATOR_CHARS) if match else ""


def _unglued(text: str, start: int, value: str) -> str:
    """The candidate run without a last group glued to a longer token; "" if it is all one token."""
    while value and _GLUED.match(text, start + len(value)):
        value = _drop_last_group(value)
    return value


def _money(text: str, start: int, end: int) -> bool:
    """Whether a currency sign or code stands right before or after the run."""
    before = text[max(0, start - 5) : start]
    after = text[end : end + 5]
    return bool(_CURRENCY.search(before.rstrip()[-4:]) or _CURRENCY.match(after.lstrip()))


def build() -> list[EntityRecognizer]:
    """The phone recognizer."""
    return [PhoneNumberRecognizer()]
