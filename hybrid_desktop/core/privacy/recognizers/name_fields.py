"""Names by where they stand: values of name fields and keys, and cells of name columns.

The part of the person recognizer that reads structure rather than prose: a form field or a
JSON/YAML/log key that holds a name ("Nachname: Oberhuber", ``"full_name": "..."``), and the
cells of a CSV/TSV column headed surname / first name / name in several languages (tables are
found by :mod:`.tables`).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from .name_lexicon import (
    CSV_GENERIC_HEADERS,
    CSV_NAME_HEADERS,
    CSV_SURNAME_HEADERS,
    GENERIC_NAME,
    INITIAL,
    NAME_TOKEN,
    NOT_SPEAKERS,
    PARTICLES,
    field_key,
    field_kind,
    labelled_fields,
)
from .name_tokens import NameTokenRules, clean_span
from .tables import tables

#: The start of a chat or IRC log line: an optional time stamp ("[09:14]", "[2024-03-11 14:02]",
#: "10:15"), then a handle in angle brackets ("<kasia>", "<@tomek>") or a handle and a colon
#: after the time stamp ("[09:14] marco.rossi: ...").
_CHAT_LINE = re.compile(
    r"^[ \t]*(?P<stamp>\[[^\]\n]{0,24}\d{1,2}:\d{2}(?::\d{2})?[^\]\n]{0,8}\][ \t]*"
    r"|\(?\d{1,2}:\d{2}(?::\d{2})?\)?[ \t]+)?"
    r"(?:<[@+%~&]?(?P<nick>[^\W\d_][\w.\-|]{1,30})>"
    r"|(?P<handle>[^\W\d_][\w.\-]{1,30}):)[ \t]+(?=\S)",
    re.MULTILINE,
)
_HANDLE_JOIN = re.compile(r"[a-z][._\-]?\d*[._\-][a-z]|[a-z]\d", re.IGNORECASE)


class NameFieldRules(NameTokenRules):
    """Field, key and column rules of the person recognizer."""

    def _chat_handles(self, text: str) -> list[RecognizerResult]:
        """The handles that open the lines of a chat or IRC log.

        "<kasia> anyone there?", "10:15 <jdoe> restarting", "[09:14] marco.rossi: done": an
        angle-bracket handle at a line start, or a handle and a colon after a time stamp. A
        handle counts when it joins words ("marco.rossi", "j_doe2"), is a listed name, follows a time
        stamp, or opens two or more lines; never a log level, an HTML tag or another label of
        ``data/names_not_speakers.txt``, nor an ordinary English word after a time stamp
        ("server:"); a word in angle brackets is a nick unless its line holds markup.
        """
        found = []
        for m in _CHAT_LINE.finditer(text):
            group = "nick" if m.group("nick") else "handle"
            if group == "handle" and not m.group("stamp"):
                continue
            handle = m.group(group).rstrip(".-|")
            low = handle.lower()
            if low in NOT_SPEAKERS or not any(ch.islower() for ch in handle):
                continue
            joined = _HANDLE_JOIN.search(handle) is not None
            known = self.names.is_known(low) and low not in self.names.english
            line_end = text.find("\n", m.end())
            rest = text[m.end() : line_end if line_end >= 0 else len(text)]
            # An IRC nick in angle brackets may be a word ("<nacho>"), unless it is markup.
            nick = group == "nick" and "<" not in rest and f"</{low}" not in text.lower()
            if not joined and not known and not nick and low in self.names.english:
                continue
            start = m.start(group)
            stamped = bool(m.group("stamp")) and low not in self.names.english
            found.append((start, start + len(handle), joined or known or stamped or nick))
        if len(found) < 2:
            found = [f for f in found if f[2]]
        return [self._result(a, b, 0.7, "chat handle") for a, b, _ in found]

    def _table_columns(self, text: str) -> list[RecognizerResult]:
        """Cells of CSV/TSV columns headed surname / first name / name, in several languages.

        A header row (``data/names_csv_*_headers.txt``: surname, last_name, Nachname, nom,
        apellido, cognome, achternaam, nazwisko, first_name, Vorname, prénom, nombre ...) makes
        every non-empty cell below it in that column a PERSON, until a blank line or a row with
        another number of cells. A column headed with a person field of
        ``data/names_field_labels.txt`` (customer, employee, contact) counts cell by cell, each
        cell that looks like a name.
        """
        out: list[RecognizerResult] = []
        for key, cells in table_columns(text):
            values = [
                (a, b)
                for a, b in cells
                if any(ch.isalpha() for ch in text[a:b])
                and sum(ch.isdigit() for ch in text[a:b]) < 2
            ]
            if key in CSV_SURNAME_HEADERS or key in CSV_NAME_HEADERS:
                out.extend(self._result(a, b, 0.8, "table") for a, b in values)
            elif key in CSV_GENERIC_HEADERS:
                if self._name_column(text, values):
                    out.extend(self._result(a, b, 0.8, "table") for a, b in values)
            elif field_kind(key) == "PERSON":
                out.extend(
                    self._result(a, b, 0.75, "table")
                    for a, b in values
                    if self.person_value(text[a:b])
                )
        return out

    def _fields(self, text: str) -> list[RecognizerResult]:
        """Values of form fields and JSON/YAML/log keys that hold a person's name.

        "Name: Ebony Castellanos", ``"full_name": "Oluwaseun Adeyemi"``, "Nachname: Oberhuber",
        ``nom="Lemaire"``: under a key of ``data/names_field_labels.txt`` (or a first name /
        surname header) the value is a person when it looks like a name; under a generic "name"
        key (``"name": "my-service"``, "name: build") only when it holds a listed name.
        """
        out = []
        for kind, start, end in labelled_fields(text):
            if kind not in ("PERSON", GENERIC_NAME):
                continue
            value = text[start:end]
            cut = re.search(r"\s*[(<\[]", value)  # "Jan Kowalski <jan@...>", "Ana (admin)"
            if cut:
                end = start + cut.start()
                value = value[: cut.start()]
            if self.person_value(value, generic=kind == GENERIC_NAME):
                span = clean_span(text, start, end)
                if span:
                    out.append(self._result(*span, 0.8, "field"))
        return out

    def person_value(self, value: str, generic: bool = False) -> bool:
        """Whether a labelled value (a field, a table cell) is a person's name.

        One to five name words, particles allowed ("Pieter van der Berg", "de Vries"), at least
        one capitalised; not only ordinary English words ("Default Profile") nor a technology
        term. Under a generic "name" key a listed name is needed (single words and products
        have names too).
        """
        names = self.names
        words = value.split()
        if not 1 <= len(words) <= 5 or field_key(value) in NOT_SPEAKERS:
            return False
        lows = [w.lower().rstrip(".,") for w in words]
        caps = 0
        for w, low in zip(words, lows, strict=True):
            bare = w.rstrip(".,")
            if low in PARTICLES and w.islower():
                continue
            if not (NAME_TOKEN.match(bare) or INITIAL.match(bare)) or low in names.terms:
                return False
            caps += bare[:1].isupper()
        if not caps or names.well_known(value) or names.never_name(words[0], True):
            return False
        plain = [w in names.english and not names.is_known(w) for w in lows if w not in PARTICLES]
        if all(plain):
            return False
        if generic:
            known = [names.is_known(w) for w in lows if w not in PARTICLES]
            if not any(known):
                return False
        return True

    def _name_column(self, text: str, cells: list[tuple[int, int]]) -> bool:
        """Whether most cells hold a listed name and none is only ordinary words or terms."""
        names = self.names
        n_named = 0
        for a, b in cells:
            lows = [w.lower() for w in re.findall(r"[^\W\d_][\w'’\-]*", text[a:b])]
            if not lows or any(w in names.terms for w in lows):
                return False
            if all(w in names.english and not names.is_known(w) for w in lows):
                return False
            n_named += any(w in names.given or w in names.surnames for w in lows)
        return bool(cells) and n_named * 2 >= len(cells)


def table_columns(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(normalised header, cells) of each column of each CSV/TSV table in ``text`` that has at
    least one known field header (:func:`.name_lexicon.field_kind`); see :mod:`.tables`."""
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for table in tables(text, lambda header: any(field_kind(field_key(h)) for h in header)):
        for index, (a, b) in enumerate(table.header):
            key = field_key(text[a:b])
            if key:
                out.append((key, table.column(index)))
    return out
