"""Values that a label names: reference numbers after their label, and any personal field under
a key or a column header.

**ID_NUMBER** (:class:`LabelledIdRecognizer`): reference numbers an organisation gives a person,
written with their label.

Staff, employee, patient, customer, member, account, policy and case numbers have no format of
their own ("E40217", "884-221", "4711"), so they are recognised by their label only: a complete
label (``data/ids_labels.txt``: "MRN", "Personalnummer", "n° client", "numero cliente",
"klantnummer", "numer klienta") or a noun for a person followed by a number word
(``data/ids_label_heads.txt`` + ``data/ids_number_words.txt``: "staff no.", "patient ID",
"member #"). The value must hold at least three digits. A bare number is never reported, and
software numbers (issues, pull requests, tickets, builds, ports) have no label here: they are
not about a person.

**Keys and headers** (:class:`FieldRecognizer`): pasted data names its fields. A JSON or YAML key,
a ``key=value`` pair of a log line or a query string, a form label ("Geb.-Datum:", "N° de
passeport :") and a CSV, TSV or Markdown column header say what the value under them is, just
like a label in prose. The key is normalised (snake_case, camelCase, kebab-case, spaces, accents,
number words, filler words: :func:`.cue_lists.key_tokens`) and compared with the label lists of
each type: staff and customer numbers (the lists above), national IDs
(``data/ids_national_cues.txt``), dates of birth (``data/ids_birth_cues.txt``), passports and
driving licences (``data/ids_passport_labels.txt``, ``data/ids_licence_labels.txt``), postcodes
(``data/ids_postcode_labels.txt``), login names (``data/usernames_cues.txt``) and, in column
headers, passwords (``data/secrets_prose.txt``). The value must have the shape of its type (a
real date, a postcode, a number with digits, a login name), so ``"dob_format": "YYYY-MM-DD"`` and
a header row with no data under it report nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import GateRecognizer
from .address_patterns import CANADA, UK
from .cue_lists import (
    ID_VALUE,
    KeyLabels,
    alternation,
    first_words,
    key_tokens,
    labelled_value,
    read_list,
    scan,
)
from .dates import DATE_VALUE, real_date
from .secrets import placeholder, read_sections
from .tables import tables

_ENTITY = "ID_NUMBER"
#: Index of the customer-reference regex (``data/ids_reference_heads.txt``) in ``regexes``.
_REFERENCES = 2
#: A value that is a date or a time, not a reference number.
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")


class LabelledIdRecognizer(GateRecognizer):
    """ID_NUMBER: a value with digits right after a staff, patient, customer or case label."""

    def __init__(self) -> None:
        labels = read_list("ids_labels.txt")
        heads = read_list("ids_label_heads.txt")
        bookings = read_list("ids_booking_labels.txt")
        references = read_list("ids_reference_heads.txt")
        self.regexes = (
            (labelled_value(alternation(labels)), first_words(labels)),
            (labelled_value(alternation(heads), number_word=True), first_words(heads)),
            (
                labelled_value(
                    alternation(references),
                    number_word=True,
                    filler=True,
                    skip_numbers=frozenset({"id", "code"}),
                ),
                first_words(references),
            ),
        )
        self.booking = (labelled_value(alternation(bookings)), first_words(bookings))
        super().__init__("LabelledIdRecognizer", [_ENTITY])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Labelled personal reference numbers in ``text``."""
        results: list[RecognizerResult] = []
        for index, (regex, words) in enumerate(self.regexes):
            for match in scan(regex, words, text):
                value = match.group("value").rstrip()
                digits = sum(ch.isdigit() for ch in value)
                if digits < 3 or _DATE_LIKE.match(value):
                    continue
                if index == _REFERENCES and digits < 5 and not any(ch.isalpha() for ch in value):
                    continue  # "Ticket #998 is a duplicate": a tracker's short number
                start = match.start("value")
                results.append(self.result(_ENTITY, start, start + len(value)))
        regex, words = self.booking
        for match in scan(regex, words, text):
            value = match.group("value").rstrip()
            if _BOOKING_CODE.fullmatch(value) or sum(ch.isdigit() for ch in value) >= 3:
                start = match.start("value")
                results.append(self.result(_ENTITY, start, start + len(value)))
        return results


#: A booking reference without digits: five to eight capitals (and digits), as airlines,
#: railways and hotels give them ("QX7T2M", "ZKTRPQ").
_BOOKING_CODE = re.compile(r"(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,8}")


# -- keys and column headers ------------------------------------------------------------------

#: An assignment or label operator: ``:``, ``=``, ``=>`` (not ``::``, ``==``, ``://``, ``:=``),
#: or tabs after a key that starts its line.
_OP = re.compile(r"(?<![:=<>!])(?:=>|:(?![:/\\=])|=(?![=>])|\t+(?=\S))")
#: The characters of an unquoted key, read backwards from its operator.
_KEY_CHARS = re.compile(r"[\w .'’°º#/()-]{1,60}$")
_KEY_TOKEN = re.compile(r"[\w.\-]+$")
#: Where an unquoted value ends.
_VALUE_END = re.compile(r"[,;&|}\]<>\t\n]|  |\r")
_POSTCODE = re.compile(
    rf"(?:{UK}|{CANADA}|\d{{5}}(?:-\d{{3,4}})?|[1-9]\d{{3}} ?[A-Z]{{2}}|\d{{2}}-\d{{3}}|\d{{4}}-\d{{3}}"
    r"|\d{4}|\d{3} \d{2})(?![\w-])",
    re.IGNORECASE,
)
_ID = re.compile(ID_VALUE, re.IGNORECASE)
#: A time after a date ("1990-05-03T00:00:00Z", "1990-05-03 00:00").
_TIME_AFTER = re.compile(r"[T ]\d\d:\d\d[\d:.Z+-]*$|[T ]\d\d:\d\d(?![\d:])")
_HEADER_CELL = re.compile(r"[^\W\d][\w .'’°º#()/-]{0,39}")
_IDENTIFIER = re.compile(r"[a-z_]+(?:\.[a-z_]+)+|[a-z]+(?:_[a-z]+)+")
#: Minimum digits and length of a value of each kind of number.
_NUMBER_SHAPES = {
    "ID_NUMBER": (3, 3),
    "NATIONAL_ID": (4, 5),
    "PASSPORT": (3, 6),
    "DRIVER_LICENSE": (3, 5),
}

LoginCheck = Callable[[str], bool]


def _field_labels() -> KeyLabels:
    users = read_sections("usernames_cues.txt")["labels"]
    prose = read_sections("secrets_prose.txt")
    ignore = frozenset(read_list("ids_key_ignore.txt")) | frozenset(
        read_list("secrets_key_ignore.txt")
    )
    return KeyLabels(
        {
            "ID_NUMBER": read_list("ids_labels.txt"),
            "NATIONAL_ID": read_list("ids_national_cues.txt"),
            "DATE_OF_BIRTH": read_list("ids_birth_cues.txt"),
            "PASSPORT": read_list("ids_passport_labels.txt"),
            "DRIVER_LICENSE": read_list("ids_licence_labels.txt"),
            "POSTCODE": read_list("ids_postcode_labels.txt"),
            "USERNAME": tuple(users),
            "SECRET": (*prose["cues"], *prose["short_cues"]),
        },
        heads={"ID_NUMBER": read_list("ids_label_heads.txt")},
        ignore=ignore,
        bare=("PASSPORT", "DRIVER_LICENSE", "POSTCODE"),
        after=frozenset(prose["qualifiers"]),
    )


class FieldRecognizer(GateRecognizer):
    """Personal values under a key, a form label or a column header that names their type."""

    def __init__(self, login_ok: LoginCheck = lambda _: True) -> None:
        self.labels = _field_labels()
        self.login_ok = login_ok
        self.entity = lru_cache(maxsize=4096)(self.labels.entity)
        super().__init__(
            "FieldRecognizer",
            [
                "ID_NUMBER",
                "NATIONAL_ID",
                "DATE_OF_BIRTH",
                "PASSPORT",
                "DRIVER_LICENSE",
                "POSTCODE",
                "USERNAME",
                "SECRET",
            ],
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Values under a known key or column header in ``text``."""
        found = [*self._keyed(text), *self._tables(text)]
        return [self.result(entity, start, end) for entity, start, end in found]

    # -- key: value ---------------------------------------------------------------------------

    def _keyed(self, text: str) -> Iterator[tuple[str, int, int]]:
        for op in _OP.finditer(text):
            line_start = text.rfind("\n", 0, op.start()) + 1
            found = _key_before(text, line_start, op)
            if found is None:
                continue
            key, quoted = found
            entity = self.entity(key)
            if entity is None or entity == "SECRET":
                continue  # secrets under a key are the secret recognizer's
            if (
                entity == "USERNAME"
                and not quoted
                and op.group() != "="
                and len(key_tokens(key)) < 2
            ):
                continue  # "User: how do I ...": the login recognizer reads such labels
            span = self._value_after(text, op.end(), entity)
            if span is not None:
                yield entity, span[0], span[1]

    def _value_after(self, text: str, pos: int, entity: str) -> tuple[int, int] | None:
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        while pos < line_end and text[pos] in " \t":
            pos += 1
        if pos >= line_end:
            return None
        if text[pos] in "\"'":
            close = text.find(text[pos], pos + 1, line_end)
            if close <= pos + 1:
                return None
            length = self._value_length(entity, text[pos + 1 : close], whole=False)
            return (pos + 1, pos + 1 + length) if length else None
        stop = _VALUE_END.search(text, pos, line_end)
        raw = text[pos : stop.start() if stop else line_end].rstrip(" .")
        length = self._value_length(entity, raw, whole=False)
        return (pos, pos + length) if length else None

    # -- column headers -----------------------------------------------------------------------

    def _tables(self, text: str) -> Iterator[tuple[str, int, int]]:
        """The labelled cells of each table whose header cells all look like column names, one
        of them a known label (see :mod:`.tables`)."""

        def is_header(header: list[str]) -> bool:
            return all(_HEADER_CELL.fullmatch(c) for c in header) and any(
                self.entity(c) is not None for c in header
            )

        for table in tables(text, is_header):
            for index, (a, b) in enumerate(table.header):
                entity = self.entity(text[a:b])
                if entity is None:
                    continue
                for start, end in table.column(index):
                    value = text[start:end]
                    if value and self._value_length(entity, value, whole=True):
                        yield entity, start, end

    # -- values -------------------------------------------------------------------------------

    def _value_length(self, entity: str, value: str, *, whole: bool) -> int:
        """The length of the value of type ``entity`` at the start of ``value`` (0: none).

        With ``whole`` the value must be all of ``value`` (a table cell).
        """
        if not value or not value[0].isalnum():
            return 0
        length = 0
        if entity == "DATE_OF_BIRTH":
            match = DATE_VALUE.match(value)
            if match and real_date(match):
                length = match.end()
                rest = value[length:]
                time = _TIME_AFTER.match(rest)
                if (rest[:1].isalnum() or whole) and rest and not time:
                    length = 0  # "1987-02-14x"; a cell holding more than a date
        elif entity == "POSTCODE":
            match = _POSTCODE.match(value)
            length = match.end() if match else 0
        elif entity in _NUMBER_SHAPES:
            match = _ID.match(value)
            if match:
                number = match.group("value").rstrip()
                min_digits, min_length = _NUMBER_SHAPES[entity]
                if (
                    sum(ch.isdigit() for ch in number) >= min_digits
                    and len(number) >= min_length
                    and not _DATE_LIKE.match(number)
                ):
                    length = len(number)
        elif entity == "USERNAME":
            word = value.split()[0] if value.split() else ""
            if self.login_ok(word.rstrip(".,:")):
                length = len(word.rstrip(".,:"))
        elif entity == "SECRET":
            word = value.strip()
            if not placeholder(word) and not _IDENTIFIER.fullmatch(word):
                length = len(word)
        if whole and length != len(value):
            return 0
        return length


def _key_before(text: str, line_start: int, op: re.Match[str]) -> tuple[str, bool] | None:
    """The key that ends at operator ``op``, and whether it was quoted.

    A quoted key (JSON, a Python dict) counts wherever it is. Unquoted, ``key=value`` counts
    when the ``=`` has no space around it (logs, ``.env``, query strings; ``id = 5`` is code or
    SQL), with the key one token; a ``key: value`` or a tab-separated key counts when it starts
    its field (the line, or after ``|``, ``,``, ``{``, a tab or two spaces: "Name: X | DOB: Y"),
    and may then be several words ("Date of birth:", "N° de passeport :").
    """
    end = op.start()
    while end > line_start and text[end - 1] in " \t":
        end -= 1
    if end <= line_start:
        return None
    if text[end - 1] in "\"'":
        open_at = text.rfind(text[end - 1], line_start, end - 1)
        if open_at < 0 or end - 1 - open_at > 60:
            return None
        return text[open_at + 1 : end - 1], True
    if op.group() == "=":
        if end < op.start() or text[op.end() : op.end() + 1] in (" ", "\t"):
            return None
        match = _KEY_TOKEN.search(text, max(line_start, end - 60), end)
        return (match.group(), False) if match else None
    match = _KEY_CHARS.search(text, max(line_start, end - 60), end)
    if match is None:
        return None
    before = text[line_start : match.start()]
    gap = before.rstrip(" ")
    if gap.rstrip(" \t-*•") and not (
        gap[-1] in "|,{" or before.endswith(("\t", "  ")) or gap.endswith(("- ", "* "))
    ):
        return None  # a key in the middle of prose or code ("...; customerId: 12")
    return match.group().strip(), False


def build(login_ok: LoginCheck = lambda _: True) -> list[EntityRecognizer]:
    """The labelled-ID and keyed-field recognizers; ``login_ok`` tells a personal login name."""
    return [LabelledIdRecognizer(), FieldRecognizer(login_ok)]
