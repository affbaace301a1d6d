"""Tables pasted as text (CSV, TSV, ``;``-separated, Markdown): their header row and columns.

Several recognizers read a value by the column it stands in ("nazwisko", "date_of_birth",
"employee_id"): this module finds the tables once, with character offsets into the text, and
each recognizer decides which headers it knows. The standard library's ``csv`` module splits
rows but gives no offsets, which the gate needs to replace a cell in place, so rows are split
here: a cell may be quoted (and then hold the delimiter), a Markdown row's outer pipes start no
cell, and a Markdown rule row (``|---|:--|``) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["DELIMITERS", "Table", "cells", "lines", "tables"]

Span = tuple[int, int]
#: Cell delimiters, in the order they are tried on a header row.
DELIMITERS = ("\t", ";", "|", ",")
_RULE_ROW = re.compile(r"[\s|:+-]+")
_LINE_BREAK = re.compile(r"\r?\n")


@dataclass(frozen=True)
class Table:
    """One table: the header cells and, for each row under it, its cells (same count)."""

    delimiter: str
    header: list[Span]
    rows: list[list[Span]]

    def column(self, index: int) -> list[Span]:
        """The cells of column ``index``, top to bottom."""
        return [row[index] for row in self.rows]


def lines(text: str) -> list[Span]:
    """(start, end) of every line of ``text``, without the line break."""
    out = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def cells(text: str, start: int, end: int, delimiter: str) -> list[Span]:
    """(start, end) of each cell of the row ``text[start:end]``, without quotes and spaces."""
    if delimiter == "|":
        row = text[start:end]
        stripped = row.strip()
        if not stripped.startswith("|"):
            return []
        first = start + row.index("|")
        last = start + row.rindex("|")
        start = first + 1
        if stripped.endswith("|") and last > first:
            end = last
    out: list[Span] = []
    pos = start
    while pos <= end:
        a = pos
        while a < end and text[a] in " \t":
            a += 1
        if a < end and text[a] == '"':
            close = text.find('"', a + 1, end)
            close = end if close < 0 else close
            b = close
            a += 1
            nxt = text.find(delimiter, close, end)
        else:
            nxt = text.find(delimiter, a, end)
            b = end if nxt < 0 else nxt
            while b > a and text[b - 1] in " \t\r":
                b -= 1
        nxt = end if nxt < 0 else nxt
        out.append((a, b))
        pos = nxt + 1
    return out


def tables(text: str, is_header: Callable[[list[str]], bool]) -> Iterator[Table]:
    """The tables of ``text`` whose header row ``is_header`` accepts (given the cell texts).

    A table is a header row with a delimiter and at least two cells, and the rows right under
    it with as many cells, up to a blank line or a row of another width.
    """
    if "\n" not in text or not any(d in text for d in DELIMITERS):
        return
    rows_of = lines(text)
    k = 0
    while k < len(rows_of) - 1:
        start, end = rows_of[k]
        k += 1
        for delimiter in DELIMITERS:
            if delimiter not in text[start:end]:
                continue
            header = cells(text, start, end, delimiter)
            if len(header) < 2 or not is_header([text[a:b] for a, b in header]):
                continue
            rows: list[list[Span]] = []
            j = k
            while j < len(rows_of):
                row_start, row_end = rows_of[j]
                if row_start == row_end or not text[row_start:row_end].strip():
                    break
                if delimiter == "|" and _RULE_ROW.fullmatch(text, row_start, row_end):
                    j += 1
                    continue
                row = cells(text, row_start, row_end, delimiter)
                if len(row) != len(header):
                    break
                rows.append(row)
                j += 1
            if rows:
                yield Table(delimiter, header, rows)
                k = j
                break
