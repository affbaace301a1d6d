"""ORGANIZATION by the shape small organisations are named with, in every gate language.

A run of capitalised words ending in a word that names a kind of firm ("Kestrel Robotics",
"Brightwater Foods", "NORTHGATE GENERAL HOSPITAL"), or starting with one and followed by a name
("Clinique des Trois Chênes", "Praxis Dr. Weidinger", "Hausverwaltung Brückner & Söhne"). The head
words are data (``data/places_org_heads.txt``). Famous organisations are general knowledge and are
left alone, and so is a run that opens a sentence with an ordinary word ("Data Analytics is ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..sentences import opens_sentence
from ._base import GateRecognizer
from .secret_shapes import read_sections

_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*[\w'’]|[A-ZÀ-ÖØ-Þ])"
#: Words that may join the name after a leading head ("Clinique des Trois Chênes").
_JOINS = r"(?:de|des|du|de la|la|le|les|von|vom|der|den|di|del|della|van|van de|do|da|dos|das|&|y|e|et|und|and)"


_ARTICLES = frozenset({"the", "a", "an", "my", "our", "le", "la", "der", "die"})


def _stop_words() -> frozenset[str]:
    """spaCy's stop words of the gate's languages (already imported with spaCy's pipelines)."""
    from importlib import import_module

    words: set[str] = set()
    for lang in ("en", "fr", "de", "es", "it", "nl", "pl", "pt"):
        words |= import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    return frozenset(words)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class OrganizationShapeRecognizer(GateRecognizer):
    """ORGANIZATION: a capitalised name with a head word for a kind of organisation."""

    def __init__(
        self,
        ordinary: frozenset[str] = frozenset(),
        is_famous: Callable[[str], bool] = lambda _: False,
    ) -> None:
        data = read_sections("places_org_heads.txt")
        after = data.get("after", [])
        before = data.get("before", [])
        heads_after = _alternation(after + [w.upper() for w in after])
        self.after = re.compile(
            rf"(?<![\w-])(?P<org>(?:{_WORD}[ \t]+(?:&[ \t]+)?){{1,3}}(?:{heads_after}))(?![\w-])"
        )
        self.before = re.compile(
            rf"(?<![\w-])(?P<org>(?:{_alternation(before)})[ \t]+"
            rf"(?:{_JOINS}[ \t]+)?(?:Dr\.?[ \t]+)?{_WORD}"
            rf"(?:[ \t]+(?:{_JOINS}[ \t]+)?{_WORD}){{0,3}})(?![\w-])"
        )
        self.heads = frozenset(w.lower() for w in after + before)
        self.stops = _stop_words()
        self.ordinary = ordinary
        self.is_famous = is_famous
        super().__init__("OrganizationShapeRecognizer", ["ORGANIZATION"])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Organisations named by their shape in ``text``."""
        out: list[RecognizerResult] = []
        for regex in (self.after, self.before):
            for match in regex.finditer(text):
                start, end = match.span("org")
                value = text[start:end]
                words = value.split()
                if words[0].lower() in _ARTICLES and len(words) < 3:
                    continue
                if self.is_famous(value):
                    continue
                others = [w for w in words if w.lower() not in self.heads]
                if not others:
                    continue
                first = words[0].lower().strip(".")
                if first in self.stops and first not in _ARTICLES:
                    continue  # "Welche Bank ...", "this Clinic": a question or a pointer, no name
                if opens_sentence(text, start) and (first in self.ordinary or len(words) < 2):
                    continue  # "Data Analytics is ...": an ordinary word opens the sentence
                out.append(self.result("ORGANIZATION", start, end, 0.6))
        return out
