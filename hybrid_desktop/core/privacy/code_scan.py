"""The scanner of :mod:`.code_spans`: string literals, comments and prose runs inside code, and
the word lists (``data/code_words.txt``) of fence languages, shell commands and keywords.

Quotes and comment markers (``#``, ``//``, ``--``, ``/* */``) are the same across the languages
people paste, so a small scanner is enough (see :mod:`.code_spans` for why no lexer library).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["CODEY", "HOME", "Words", "masked_line", "prose_runs", "scan", "words"]

Span = tuple[int, int]


# -- word lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    dialects: dict[str, str]
    commands: frozenset[str]
    keywords: frozenset[str]


@cache
def words() -> Words:
    """``data/code_words.txt``: fence languages, shell commands and language keywords."""
    text = (resources.files("hybrid_desktop.core.privacy") / "data" / "code_words.txt").read_text(
        encoding="utf-8"
    )
    dialects: dict[str, str] = {}
    commands: set[str] = set()
    keywords: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, word = line.partition(" ")
        word = word.strip().lower()
        if kind in ("program", "config", "shell"):
            dialects[word] = kind
        elif kind == "command":
            commands.add(word)
        elif kind == "keyword":
            keywords.add(word)
    return Words(dialects, frozenset(commands), frozenset(keywords))


# -- the scanner: literals and comments ------------------------------------------------------

_LEX = re.compile(
    r"(?P<tq>\"\"\"|''')"
    r"|(?P<q>[\"'`])"
    r"|(?P<bc>/\*)"
    r"|(?P<lc>(?:^|(?<=[\s;{}()]))(?:#(?![\[!{]|(?:include|define|if|ifdef|ifndef|endif|"
    r"pragma|else|elif|undef|import|region|endregion)\b)|//|--(?=\s|$)))",
    re.MULTILINE,
)
_CLOSE = {
    '"': re.compile(r'(?:[^"\\\n]|\\.)*"'),
    "'": re.compile(r"(?:[^'\\\n]|\\.)*'"),
    "`": re.compile(r"[^`\n]*`"),
}
#: A literal that is one code-shaped token: a path, a module, a format, a key with separators.
CODEY = re.compile(r"[^\s]*[./\\:_=(){}\[\]<>@$%#|*][^\s]*|[a-z0-9]+(?:-[a-z0-9]+)+")
#: The user's own segment of a home-directory path: "/home/jdoe/", "C:\Users\Jane Doe\".
_INTERPOLATION = re.compile(r"\$?\{[^{}\n]*\}|#\{[^{}\n]*\}")
HOME = re.compile(r"(?:/home/|/Users/|\\Users\\|/users/)([^/\\\s\"'`:]+)", re.IGNORECASE)
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
#: Four or more words separated by single spaces: a sentence fragment, not code.
_PROSE_RUN = re.compile(rf"(?<![\w.$@/\\-]){_WORD}(?: {_WORD}){{3,}}(?![\w$(/\\@-]|\.\w)")


def scan(text: str, start: int, end: int) -> tuple[list[Span], list[Span]]:
    """The literal contents that are free text, and the literals and comments, in a region.

    Returns ``(free, masked)``: ``free`` are the contents of string literals that are not single
    code tokens and the text of comments; ``masked`` are whole literals and comments (quotes
    and markers included), which the line tests ignore.
    """
    free: list[Span] = []
    masked: list[Span] = []
    pos = start
    while pos < end:
        m = _LEX.search(text, pos, end)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "tq":
            close = text.find(m.group(0), m.end(), end)
            stop = end if close < 0 else close + 3
            free.append((m.end(), stop if close < 0 else close))
            masked.append((m.start(), stop))
            pos = stop
        elif kind == "q":
            c = _CLOSE[m.group(0)].match(text, m.end(), end)
            if c is None:
                pos = m.end()
                continue
            body_start, body_end = m.end(), c.end() - 1
            if body_end > body_start and not CODEY.fullmatch(text, body_start, body_end):
                # Interpolations ("{order.id}", "${user}") are code inside the literal.
                cursor = body_start
                for hole in _INTERPOLATION.finditer(text, body_start, body_end):
                    free.append((cursor, hole.start()))
                    cursor = hole.end()
                free.append((cursor, body_end))
            masked.append((m.start(), c.end()))
            pos = c.end()
        elif kind == "bc":
            close = text.find("*/", m.end(), end)
            stop = end if close < 0 else close + 2
            free.append((m.end(), stop if close < 0 else close))
            masked.append((m.start(), stop))
            pos = stop
        else:
            nl = text.find("\n", m.end(), end)
            stop = end if nl < 0 else nl
            free.append((m.end(), stop))
            masked.append((m.start(), stop))
            pos = stop
    return free, masked


def masked_line(text: str, start: int, end: int, masked: list[Span]) -> str:
    """The line with its literals and comments replaced by NULs (same length)."""
    parts: list[str] = []
    cursor = start
    for k in range(max(bisect_right(masked, (start, sys.maxsize)) - 1, 0), len(masked)):
        s, e = masked[k]
        if s >= end:
            break
        if e <= start:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(text[cursor:s])
        parts.append("\0" * (e - s))
        cursor = e
    parts.append(text[cursor:end])
    return "".join(parts)


def prose_runs(line: str, first: bool = False) -> list[Span]:
    """Runs of prose words in a (masked) line: four or more words, three of them not keywords.

    With ``first``, stop at the first run (enough to tell a sentence from code).
    """
    keywords = words().keywords
    out: list[Span] = []
    for m in _PROSE_RUN.finditer(line):
        start, end = m.span()
        tokens = m.group(0).split(" ")
        # Constants and log levels at the edges are code: "INFO session opened for ...",
        # "ERESOLVE unable to resolve ...".
        while tokens and len(tokens[0]) > 1 and tokens[0].isupper():
            start += len(tokens.pop(0)) + 1
        while tokens and len(tokens[-1]) > 1 and tokens[-1].isupper():
            end -= len(tokens.pop()) + 1
        if len(tokens) < 4:
            continue
        plain = 0
        for w in tokens:
            if len(w) > 1 and w.lower() not in keywords:
                plain += 1
                if plain == 3:
                    out.append((start, end))
                    break
        if first and out:
            break
    return out
