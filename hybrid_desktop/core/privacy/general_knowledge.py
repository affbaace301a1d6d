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
* :func:`common_words_only` -- in a prompt written in another language than English, a finding
  whose every word is a common word of that language (``data/common_words_<lang>.txt``, from
  wordfreq) and no name the name lists know is an ordinary word: German nouns ("Personen",
  "Millionen Zeilen"), month abbreviations ("Dez"), Dutch phrases ("per klas").
* :func:`noun_after` -- a capitalised word that opens a sentence and is both a given name and
  an English word is the word when a bare noun follows it ("Frank question:", "Bill shock:"),
  not when a verb does ("Frank called", "Bill paid").
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .sentences import opens_sentence

if TYPE_CHECKING:
    from .candidates import Candidate
    from .recognizers.name_lexicon import NameLists

__all__ = [
    "common_words",
    "common_words_only",
    "english_model_only",
    "famous_words",
    "fiction_context",
    "lone_lower_guess",
    "noun_after",
    "ordinary_words",
    "other_language_guess",
    "people_spans",
    "region_follows",
]

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


@cache
def common_words(lang: str) -> frozenset[str]:
    """The frequent words of ``lang`` (``data/common_words_<lang>.txt``; empty for English and
    for a language without a list). Read on the first prompt in that language."""
    path = resources.files("hybrid_desktop.core.privacy") / "data" / f"common_words_{lang}.txt"
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


def common_words_only(names: NameLists | None, lang: str, value: str) -> bool:
    """Whether every word of ``value`` is a common word of ``lang`` and (with ``names``) none
    is a name the lists know ("Fontaine", "Visser" stay people: a surname may be a word)."""
    common = common_words(lang)
    words = [w.lower() for w in _TOKEN.findall(value)]
    return bool(common and words) and all(
        w in common and (names is None or (not names.is_known(w) and names.base_form(w) is None))
        for w in words
    )


#: Recognizers score a name with a cue (a greeting, a title, a form label) at least this high;
#: a chat cue ("ping marta") at least the second.
_CUED_SCORE = 0.7
_CHAT_CUED_SCORE = 0.8


def ordinary_words(
    names: NameLists,
    text: str,
    c: Candidate,
    lang: str,
    people: Sequence[tuple[int, int]] = (),
) -> bool:
    """Whether person ``c`` is only ordinary words of the text's language ``lang``: uncued
    common words that are no listed name ("für vier Personen", a lone word the English model
    guessed: "Fehler"), or, in lower case in mixed-case text, common words that are
    names too ("leerlingen per klas"). A cue keeps "Herr Vogel" and "ping marta".

    A lone capitalised word that opens a sentence is ordinary too if the text also writes it
    in lower case, outside the other people found (``people``: "ping marta" stays a name).
    """
    value = text[c.start : c.end]
    lower = (
        value.islower()
        and c.score < _CHAT_CUED_SCORE
        and c.source.endswith("names")  # not a speaker label or a handle ("felix.wagner:")
        and not text.islower()
    )
    words = _TOKEN.findall(value)
    guessed = c.source.endswith(("ner", "shape")) and len(words) == 1
    if lone_lower_guess(text, c):
        return True
    cued = c.score >= _CUED_SCORE and not guessed
    if cued and not lower:
        return False
    if len(words) == 1 and value[:1].isupper() and not text.islower():
        low = words[0].lower()
        if _lower_elsewhere(text, low, c.start, people):
            return True  # "Björn eller varg ... möter en björn": the text writes it as a word
    return common_words_only(None if lower else names, lang, value)


def lone_lower_guess(text: str, c: Candidate) -> bool:
    """Whether ``c`` is one lower-case word that only the model took for a person, in text
    that writes names with capitals ("which jack should I buy"; "ping marta" comes from a cue)."""
    value = text[c.start : c.end]
    return c.source.endswith("ner") and value.isalpha() and value.islower() and not text.islower()


def people_spans(text: str, cands: Sequence[Candidate]) -> list[tuple[int, int]]:
    """The people found, but not a lone lower-case word the model guessed ("a car jack")."""
    return [(c.start, c.end) for c in cands if c.type == "PERSON" and not lone_lower_guess(text, c)]


def _lower_elsewhere(text: str, low: str, start: int, people: Sequence[tuple[int, int]]) -> bool:
    """Whether ``low`` opens a sentence at ``start`` and the text also writes it in lower case
    as a word of its own, not inside ``people`` ("Jack and Jill ... what does jack mean")."""
    if not low.isalpha() or len(low) < 3 or not opens_sentence(text, start):
        return False
    pattern = re.compile(rf"(?<![\w@.\-]){re.escape(low)}(?![\w@\-])")
    return any(
        m.start() != start and not any(a <= m.start() < b for a, b in people)
        for m in pattern.finditer(text)
    )


def english_model_only(names: NameLists, places: Container[str], text: str, c: Candidate) -> bool:
    """Whether a person found in misrouted foreign text rests on the English model alone.

    Such a person needs a given name the lists know, a surname ending ("-ska", "-enko"), or
    every word a known name; a town (in ``places``) is not a person. Places and firms are left
    to the usual test (they count only in a personal context, and there the model's guess is the
    best there is).
    """
    if c.type != "PERSON" or not c.source.endswith(("ner", "shape")):
        return False
    lows = [w.lower() for w in _TOKEN.findall(text[c.start : c.end])]
    if len(lows) == 1 and lows[0] in places:
        return True  # "Modena", "Aurora": a town the English model took for a person
    from .recognizers.name_lexicon import SURNAME_SUFFIX

    given = any(w in names.given and names.is_known(w) for w in lows)
    shaped = any(SURNAME_SUFFIX.search(w) for w in lows)  # "Jabłońska", "Petrenko"
    return not (given or shaped or (len(lows) > 1 and all(names.is_known(w) for w in lows)))


def other_language_guess(names: NameLists, places: Container[str], text: str, c: Candidate) -> bool:
    """Whether ``c``, in a text in a language the gate does not know (Romanian, Greek ...),
    rests on a model that cannot read it: a person the model guessed that no name list backs
    (:func:`english_model_only`; one that opens in lower case: "dan nasi kuning"), or a place
    or firm that no gazetteer knows and no strong cue backs ("Vreau", "είναι και")."""
    value = text[c.start : c.end]
    if c.type == "PERSON":
        guessed = c.source.endswith(("ner", "shape"))
        return guessed and (value[:1].islower() or english_model_only(names, places, text, c))
    # Places and firms found from capitalised words need the language's own cues and words.
    return " ".join(value.lower().split()) not in places and c.score < 0.7


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
