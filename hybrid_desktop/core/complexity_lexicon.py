"""The complexity estimator's matching machinery: regex flags, word lexicons and the word
counts of a prompt (``core.complexity`` uses them; ``core.complexity_cues`` holds the cues)."""

from __future__ import annotations

import re
from collections import Counter

_F = 0
_M = re.IGNORECASE | re.MULTILINE


_PLAIN_WORD = re.compile(r"[a-z0-9'-]+")
_PLURAL_WORD = re.compile(r"([a-z0-9'-]+)s\?")
_WORD = re.compile(r"\w+")
_HYPHENATED = re.compile(r"(?<!\w)\w+(?:-\w+)+")


class _Lexicon:
    """Comma-separated words or phrases, each matched as a whole word, case-insensitively.

    Plain words are looked up in the prompt's set of words (one pass over the text, however
    long the lexicon); entries with spaces or regex syntax (``equations?`` is still plain) are
    joined into one regular expression. Chinese and Japanese entries match anywhere.
    """

    def __init__(self, lexicon: str) -> None:
        plain: set[str] = set()
        bounded: list[str] = []
        unbounded: list[str] = []
        for entry in (e.strip() for e in lexicon.split(",")):
            if not entry:
                continue
            entry = entry.lower()
            plural = _PLURAL_WORD.fullmatch(entry)
            if _PLAIN_WORD.fullmatch(entry):
                plain.add(entry)
            elif plural:
                plain.update((plural.group(1), plural.group(1) + "s"))
            elif re.search(r"[\u3040-\u9fff]", entry):
                unbounded.append(entry)
            else:
                bounded.append(entry)
        self.words = frozenset(plain)
        parts = [r"(?<!\w)(?:" + "|".join(bounded) + r")(?!\w)"] if bounded else []
        parts += unbounded
        self.pattern = re.compile("|".join(parts), _F) if parts else None

    def found(self, words: _Words) -> set[str]:
        """The distinct entries present (plain words as written, phrases as matched)."""
        hits = set(self.words.intersection(words.counts))
        if self.pattern is not None:
            hits.update(m.lower() for m in self.pattern.findall(words.text))
        return hits

    def count(self, words: _Words) -> int:
        """How many times entries occur, repeats included."""
        n = sum(words.counts[w] for w in self.words.intersection(words.counts))
        return n + (len(self.pattern.findall(words.text)) if self.pattern is not None else 0)


class _Words:
    """The scanned text, lower-cased, with its words counted once for every lexicon."""

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.text = low
        self.counts = Counter(_WORD.findall(low))
        self.counts.update(_HYPHENATED.findall(low))


_rx = _Lexicon
