"""Reading the cue-word lists in ``data/`` and turning them into regexes.

A list is plain text, one entry per line, ``#`` starts a comment line. Entries are matched
case-insensitively as whole words; a space in an entry matches any run of spaces, and a trailing
``.`` is optional ("tel." also matches "tel"). An entry that ends in a sign ("n°") may touch what
follows it ("n°4711").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources


@cache
def read_list(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>``, lower-cased, in file order, without comments or blanks."""
    text = (resources.files("hybrid_desktop.core.privacy") / "data" / name).read_text(
        encoding="utf-8"
    )
    lines = (line.strip() for line in text.splitlines())
    seen: dict[str, None] = {}
    for line in lines:
        if line and not line.startswith("#"):
            seen.setdefault(" ".join(line.lower().split()), None)
    return tuple(seen)


def alternation(entries: tuple[str, ...]) -> str:
    """A regex alternation of ``entries`` (longest first), spaces matching any whitespace run."""
    parts = []
    for entry in sorted(entries, key=len, reverse=True):
        body = entry.removesuffix(".") if len(entry) > 1 else entry
        pattern = r"\s+".join(re.escape(word) for word in body.split())
        # "n°", "nº": the degree and ordinal signs are used alike.
        pattern = re.sub("[°º]", "[°º]", pattern)
        if body != entry:
            pattern += r"(?:\.|(?!\w))"
        elif pattern[-1:].isalnum():
            pattern += r"(?!\w)"  # a word ends here; "n°", "#" may touch the number
        parts.append(pattern)
    return "(?:" + "|".join(parts) + ")"


def word_regex(name: str) -> re.Pattern[str]:
    """A regex finding any entry of ``data/<name>`` as a whole word (case-insensitive)."""
    return re.compile(r"(?<!\w)" + alternation(read_list(name)), re.IGNORECASE)


#: An identifier's value: letters and digits, joined by ".", "/", "-" or single spaces between
#: digit groups or before a final check letter ("E40217", "884-221", "12 345 678 901",
#: "1 85 03 75 116 238 91", "QQ 12 34 56 C").
ID_VALUE = (
    r"(?P<value>[A-Z0-9](?:[A-Z0-9]|[./-](?=[A-Z0-9])|[ \t](?=\d|[A-Z](?![\w@]))){2,30})(?![\w@])"
)


def labelled_value(labels: str, number_word: bool = False) -> re.Pattern[str]:
    """A regex for ``label [number word] [connector] value``, the value in group ``value``.

    ``labels`` is an alternation (see :func:`alternation`). Between label and value there may be a
    number word (``data/ids_number_words.txt``: "no.", "Nr.", "n°", "number"; required when
    ``number_word`` is set), a connector (``data/ids_connectors.txt``: "is", "lautet", "est") and
    punctuation (":", "#", "=").
    """
    numbers = alternation(read_list("ids_number_words.txt"))
    connectors = alternation(read_list("ids_connectors.txt"))
    return re.compile(
        r"(?<![\w-])"
        + labels
        + r"(?:[ \t]*(?:"
        + numbers
        + r"|#))"
        + ("" if number_word else "?")
        + r"(?:[ \t]*(?:"
        + connectors
        + r"))?"
        + r"[ \t]*[:#=]?[ \t]*(?:\r?\n[ \t]*)?"
        + ID_VALUE,
        re.IGNORECASE,
    )


_WORD = re.compile(r"\w+")


def first_words(entries: tuple[str, ...]) -> frozenset[str]:
    """The first word of each entry ("n" of "n° client", "steuer" of "steuer-id"), lower-cased."""
    return frozenset(m.group().lower() for e in entries if (m := _WORD.search(e)))


def scan(regex: re.Pattern[str], keys: frozenset[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``regex`` that start at a word of ``keys`` (see :func:`first_words`).

    A regex made of a long alternation of labels is slow to search with (every position of the
    text tries every label); trying it only where a label's first word stands is much faster.
    """
    end = 0
    for word in _WORD.finditer(text):
        if word.start() >= end and word.group().lower() in keys:
            match = regex.match(text, word.start())
            if match is not None:
                end = match.end()
                yield match
