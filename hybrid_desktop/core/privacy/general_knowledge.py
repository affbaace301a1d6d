"""Tests that tell general knowledge from personal data in the words a finding covers.

The detector (:meth:`Detector._general_knowledge`) uses these on people, places and firms:

* :func:`famous_words` -- every capitalised word of a finding belongs to the name of a famous
  person, work or character, read with the words that follow it ("Ramón" in "Ramón y Cajal",
  "Antoni" in "Antoni van Leeuwenhoek") and without a German or English genitive ("Thomas
  Manns", "Hesses"): "Kant and Hume", "la pintura de Velázquez", "Dante ... Ulisse".
* :func:`fiction_context` -- the sentence names a famous work or character ("In Little Women,
  why does Jo ...", "Dans Madame Bovary, pourquoi Emma ..."): a lone given name in it is one of
  the work's characters, not someone the user knows.
* :func:`region_follows` -- a word followed by a comma and a well-known state, province or
  country is a town ("Chelsea, Massachusetts", "Florence, Alabama"), not a person.
* :func:`noun_after` -- a capitalised word that opens a sentence and is both a given name and
  an English word is the word when a bare noun follows it ("Frank question:", "Bill shock:"),
  not when a verb does ("Frank called", "Bill paid").
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .recognizers.name_lexicon import NameLists

__all__ = ["famous_words", "fiction_context", "noun_after", "region_follows"]

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*")
_SENTENCE_END = re.compile(r"[.!?\n]\s")
#: The longest famous name or title looked for, in words ("One Hundred Years of Solitude").
_MAX_WORDS = 6


@cache
def _characters() -> frozenset[str]:
    """Famous works and their characters (``data/names_famous_characters.txt``)."""
    path = resources.files("hybrid_desktop.core.privacy") / "data" / "names_famous_characters.txt"
    lines = (" ".join(line.lower().split()) for line in path.read_text("utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _forms(word: str) -> tuple[str, ...]:
    """``word`` lower-cased, and without a genitive ending ("Goethes", "Kafka's")."""
    low = word.lower().replace("’", "'")
    out = [low]
    for ending in ("'s", "'", "s"):
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            out.append(low[: -len(ending)])
    return tuple(out)


def _famous_gram(words: list[str], i: int, n: int, known: frozenset[str]) -> bool:
    """Whether ``words[i:i+n]`` is in ``known`` (the last word also without its genitive)."""
    head = " ".join(w.lower().replace("’", "'") for w in words[i : i + n - 1])
    return any(f"{head} {form}".strip() in known for form in _forms(words[i + n - 1]))


def famous_words(
    names: NameLists, text: str, start: int, end: int, stops: frozenset[str] = frozenset()
) -> bool:
    """Whether every capitalised word of ``text[start:end]`` is part of a famous name.

    A stop word (``stops``) that opens the finding need not be ("En Don Quijote ...", "In
    Goethes Faust").

    A famous name may run on past the finding by up to three words either side ("Ramón" +
    "y Cajal", "Ramón y" + "Cajal"). A
    single word counts alone only if it is neither a given name nor an English word, unless
    the finding has several capitalised words that are all famous ("Dante ... Ulisse").
    """
    inside = [m.group(0) for m in _TOKEN.finditer(text, start, end)]
    before = [m.group(0) for m in _TOKEN.finditer(text, max(0, start - 40), start)][-3:]
    after = [m.group(0) for m in _TOKEN.finditer(text, end, min(len(text), end + 40))][:3]
    words = before + inside + after
    first = len(before)
    if inside and inside[0].lower() in stops:
        first += 1
    caps = [i for i in range(first, len(before) + len(inside)) if words[i][:1].isupper()]
    if not caps:
        return False
    known = names.famous
    covered: set[int] = set()
    for n in range(min(_MAX_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if n == 1 and len(caps) == 1:
                low = words[i].lower()
                if low in names.given or low in names.english:
                    continue
            if words[i][:1].isupper() and _famous_gram(words, i, n, known):
                covered.update(range(i, i + n))
    return all(i in covered for i in caps)


def fiction_context(names: NameLists, text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` names a famous work or character.

    The finding itself does not count, nor does a lone given name ("Emma" is a novel and a
    name): the title or character must be one nobody is simply called.
    """
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    right = m.start() + 1 if m else len(text)
    known = _characters()
    spans = [(t.start(), t.end(), t.group(0)) for t in _TOKEN.finditer(text, left, right)]
    words = [w for _, _, w in spans]
    for i, (s, _, w) in enumerate(spans):
        if not w[:1].isupper() or start <= s < end:
            continue
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            if spans[i + n - 1][1] > start and s < end:
                continue  # overlaps the finding
            if n == 1 and (w.lower() in names.given or w.lower() in names.english):
                continue
            if _famous_gram(words, i, n, known):
                return True
    return False


_REGION = re.compile(r",[ \t]*([^\W\d_][\w.'’\-]*(?:[ \t]+[^\W\d_][\w.'’\-]*)?)")


def region_follows(
    names: NameLists, places: frozenset[str], text: str, start: int, end: int
) -> bool:
    """Whether ``text[start:end]`` is a known town and ``, <well-known region>`` follows it
    ("Chelsea, Massachusetts", "Victoria, Canada"); a name that is no town never is."""
    if " ".join(text[start:end].lower().split()) not in places:
        return False
    m = _REGION.match(text, end)
    if m is None or not m.group(1)[:1].isupper():
        return False
    first = m.group(1).split()[0]
    return any(names.well_known(v) or v.lower() in places for v in (m.group(1), first))


def noun_after(engine: Any, word: str) -> bool:
    """Whether ``word`` is a bare English noun (the lemmatizer's noun index, not a stop word)."""
    nouns, stops = _nouns(engine)
    low = word.lower()
    return low in nouns and low not in stops and not low.endswith("ed")


@cache
def _nouns(engine: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The English model's noun index and stop words (empty if it has none), once per engine."""
    try:
        nlp = engine.nlp["en"]
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(table["noun"]), frozenset(nlp.Defaults.stop_words)
    except (KeyError, ValueError, AttributeError):
        return frozenset(), frozenset()
