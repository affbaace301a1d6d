"""DATE_OF_BIRTH: a full date right after a birth cue, in the eight languages the gate reads.

A date alone is not personal (meetings, releases, log timestamps); a date of birth is. So a date
counts only within a few words after a birth cue (``data/ids_birth_cues.txt``: "DOB", "born",
"geboren am", "née le", "fecha de nacimiento", "nato il", "geboortedatum", "data urodzenia",
"nascido em", ...). Dates are numeric (day-month-year with ``/``, ``.`` or ``-``, or ISO
year-month-day) or written with a month name (``data/ids_month_names.txt``: "14 Feb 1987",
"February 14, 1987", "3. November 1975", "3 de noviembre de 1975", "14 lutego 1987"). German and Dutch
also put the cue after the date ("am 3. November 1975 in Köln geboren",
``data/ids_birth_cues_after.txt``). Short marks count only right before the date: "b.", "n."
(``data/ids_birth_cues_tight.txt``) and the genealogical star ("*14.02.1987", "(* 3. Mai
1990)"; a star and a space outside brackets is a list bullet). A year alone ("born in the
1990s") is not a date of birth.

Birth dates of people everyone knows are general knowledge, not personal data: a date before
1900 (nobody alive) is left alone, and so is one in a sentence that names a famous person
(``data/famous_people.txt``, through :class:`~.name_lexicon.NameLists`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import GateRecognizer
from .cue_lists import alternation, read_list

_ENTITY = "DATE_OF_BIRTH"
#: Earliest year of birth of a living person.
_FIRST_YEAR = 1900


def _months() -> dict[str, int]:
    months: dict[str, int] = {}
    for entry in read_list("ids_month_names.txt"):
        name, _, number = entry.rpartition(" ")
        months[name] = int(number)
    return months


MONTHS = _months()
_MONTH = alternation(tuple(MONTHS)) + r"\.?"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|e|º|°|\.)?"
_YEAR = r"(?P<y>(?:1[89]|20)\d\d)"
_DATE = (
    r"(?:"
    # 14/02/1987, 03.11.1975, 14-02-87, 14. 02. 1987
    # (or US order, 11/23/1990: the second number may be the day; real_date tells)
    r"(?P<n1>[0-3]?\d)(?P<s>[./-])[ ]?(?P<n2>[0-3]?\d)(?P=s)[ ]?(?P<ny>(?:1[89]|20)\d\d|\d\d)"
    # 1987-02-14, 1987/02/14
    r"|(?P<iy>(?:1[89]|20)\d\d)(?P<is>[./-])(?P<im>[01]?\d)(?P=is)(?P<id>[0-3]?\d)"
    # 14 Feb 1987, 3. November 1975, 3 de noviembre de 1975, 14th of February 1987
    r"|"
    + _DAY
    + r"[ \t]*(?:de[ \t]+|of[ \t]+)?(?P<m>"
    + _MONTH
    + r")[ \t]*,?[ \t]*(?:de[ \t]+)?"
    + _YEAR.replace("?P<y>", "?P<y1>")
    # February 14, 1987
    + r"|(?P<m2>"
    + _MONTH
    + r")[ \t]+"
    + _DAY.replace("?P<d>", "?P<d2>")
    + r",?[ \t]+"
    + _YEAR.replace("?P<y>", "?P<y2>")
    + r")"
)
_WORD = re.compile(r"[A-ZÀ-Ý][\w'’-]+")
#: A date alone, as a form field or a key's value holds it (see :func:`real_date`).
DATE_VALUE = re.compile(_DATE, re.IGNORECASE)


class DateOfBirthRecognizer(GateRecognizer):
    """DATE_OF_BIRTH: a full date within a few words after a birth cue."""

    def __init__(self, is_famous: Callable[[str], bool] = lambda _: False) -> None:
        cues = alternation(read_list("ids_birth_cues.txt"))
        self.regex = re.compile(
            r"(?<![\w])"
            + cues
            + r"[^\d\n]{0,25}?(?:\n[ \t]*)?(?<![\w])(?P<date>"
            + _DATE
            + r")(?![\w]|[./-]\d)",
            re.IGNORECASE,
        )
        tight = alternation(read_list("ids_birth_cues_tight.txt"))
        self.regex_tight = re.compile(
            r"(?:(?<![\w.])" + tight + r"[ \t]*:?[ \t]*|(?<=\()\*[ \t]?|(?<![\w*])\*(?=\d))"
            r"(?<![\w])(?P<date>" + _DATE + r")(?![\w]|[./-]\d)",
            re.IGNORECASE,
        )
        after = alternation(read_list("ids_birth_cues_after.txt"))
        self.regex_after = re.compile(
            r"(?<![\w./-])(?P<date>"
            + _DATE
            + r")(?![\w]|[./-]\d)[^\d\n.!?;]{0,30}?(?<!\w)"
            + after,
            re.IGNORECASE,
        )
        self.after_cue = re.compile(r"(?<!\w)" + after, re.IGNORECASE)
        self.is_famous = is_famous
        super().__init__("DateOfBirthRecognizer", [_ENTITY])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Dates of birth in ``text``."""
        results: list[RecognizerResult] = []
        matches = list(self.regex.finditer(text))
        matches.extend(self.regex_tight.finditer(text))
        if self.after_cue.search(text):  # the date-first regex is slow to run everywhere
            matches.extend(self.regex_after.finditer(text))
        for match in matches:
            if not _real_date(match) or self._about_famous(text, match.start()):
                continue
            results.append(self.result(_ENTITY, *match.span("date")))
        return results

    def _about_famous(self, text: str, cue: int) -> bool:
        """Whether the sentence before the cue names a famous person ("Einstein was born ...")."""
        begin = max(text.rfind(sep, 0, cue) for sep in (".", "!", "?", "\n")) + 1
        words = [m.group() for m in _WORD.finditer(text, begin, cue)]
        return any(
            self.is_famous(" ".join(words[i:j]))
            for i in range(len(words))
            for j in range(i + 1, min(len(words), i + 3) + 1)
        )


def real_date(match: re.Match[str]) -> bool:
    """Whether a match of :data:`DATE_VALUE` (or of the cue regexes) is a possible birth date."""
    return _real_date(match)


def _real_date(match: re.Match[str]) -> bool:
    """Whether the matched date exists and lies between 1900 and today."""
    g = match.groupdict()
    if g["n1"]:
        day, month, year = int(g["n1"]), int(g["n2"]), int(g["ny"])
        if month > 12 and day <= 12:
            day, month = month, day  # US order: 02/14/1987
        if year < 100:
            year += 1900 if year > _dt.date.today().year % 100 else 2000
    elif g["iy"]:
        day, month, year = int(g["id"]), int(g["im"]), int(g["iy"])
    elif g["m"]:
        day, month, year = int(g["d"]), MONTHS[_month_key(g["m"])], int(g["y1"])
    else:
        day, month, year = int(g["d2"]), MONTHS[_month_key(g["m2"])], int(g["y2"])
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        return False
    return date.year >= _FIRST_YEAR and date <= _dt.date.today()


def _month_key(value: str) -> str:
    return " ".join(value.lower().rstrip(".").split())


def build(is_famous: Callable[[str], bool] = lambda _: False) -> list[EntityRecognizer]:
    """The date-of-birth recognizer; ``is_famous`` tells famous people's names."""
    return [DateOfBirthRecognizer(is_famous)]
