"""Places and organisations, reported only in a personal context.

``PersonalPlaceRecognizer`` reports spaCy's places (GPE/LOC/FAC) and organisations only in a
personal context ("I live in Lyon", "she works at Acme"): a city in a general-knowledge question
is not personal data. Places and organisations without a cue are reported with a low score and
flagged; the detector keeps them with other personal data, in a first-person sentence, or when
one of them is obscure (not in ``data/well_known_places.txt`` / ``well_known_orgs.txt``) and named
in a statement. Requests and questions about the world ("Plan a trip from Denver") are never a
personal cue, and an ordinary word capitalised only because it opens a sentence ("Format ...",
"Sort ...") is not a place. Employers after "I work for", "employed by", "CEO of" count even
when spaCy misses them. After a strong personal cue ("flew to", "grew up in", "originally
from", "ich wohne in", "j'habite à") a capitalised run is a place even when spaCy misses it
(all-caps or Greek names).

The cue words and stop lists are data files (``data/places_*.txt``), read once at import.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..sentences import impersonal_request, sentence_start
from .cue_lists import read_list
from .name_lexicon import CAMEL, GREETINGS
from .name_tokens import UNCUED, clean_span, lower_case_text


def _cue_words(name: str) -> str:
    """An alternation of the cue words in ``data/<name>``; a trailing "*" allows any ending."""
    parts = []
    for entry in sorted(read_list(name), key=len, reverse=True):
        stem = entry.removesuffix("*")
        body = r"\s+".join(re.escape(w).replace("'", "['’]?") for w in stem.split())
        parts.append(r"\b" + body + (r"\w*" if stem != entry else ""))
    return "(?:" + "|".join(parts) + ")"


#: Words before a place that make it personal ("I live in", "moved to", "my trip to").
_PLACE_CUE = re.compile(
    _cue_words("places_cues.txt")
    + r"(?:\s+\w+){0,2}?\s+(?:in|at|to|on|of|near|from|is|à|au|en|a|em|w|nach|naar)?\s*$"
    r"|\bfrom\s+$",
    re.IGNORECASE,
)
#: Strong cues after which a capitalised run is a place even when spaCy does not tag it
#: ("flew to TROMSØ", "grew up in ΛΑΡΙΣΑ", "originally from Bishop's Stortford").
_STRONG_PLACE_CUE = re.compile(
    _cue_words("places_strong_cues.txt")
    + r"\s+([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,3})",
    re.IGNORECASE,
)
#: Words before an organisation that make it personal ("works at", "studied at", "CEO of").
_ORG_CUE = re.compile(
    "(?:"
    + _cue_words("places_org_cues.txt")
    + r"|\bspent\s+\w+\s+\w+)(?:\s+\w+){0,2}?\s+(?:at|for|with|by|of|in|from|bei|chez|en|presso|bij|w|na)?\s*$",
    re.IGNORECASE,
)
#: Words that follow "I'm in", "moved to" ... without being places.
_PLACE_STOP = frozenset(read_list("places_stop.txt"))
_THING_FROM = re.compile(r"\b([\w'’]+)\s+(?:is|are|was|were|comes?|came)\s+from\s*$", re.I)
_PRONOUNS = frozenset("i i'm we he she they who".split())
_COMPANY_SUFFIXES = frozenset(read_list("places_company_suffixes.txt"))
#: "I work for Brightloop", "she is employed by Kern GmbH", "CEO of Acme", "spent a year at
#: Nordvik": the capitalised run after the cue.
_STRONG_ORG_CUE = re.compile(
    r"(?i:\b(?:i|we|he|she|they)\s+(?:still\s+|now\s+|used\s+to\s+|currently\s+)?"
    r"(?:work|works|worked|working)\s+(?:for|at)"
    r"|\bemployed\s+(?:by|at)|\b(?:ceo|cto|cfo|founder|director|head)\s+of"
    r"|\bspent\s+(?:a|one|two|three|\d+)\s+(?:year|years|months?)\s+at"
    r"|\b(?:i|we|he|she|they)\s+(?:\w+\s+)?(?:joined|left|quit))"
    r"\s+(?P<org>(?:\d+\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|&|and|of)){0,4})"
)
_PLACE_CONNECTORS = frozenset(read_list("places_connectors.txt"))
#: Names that are also ordinary words ("Scott", "Mark", "Will"): spaCy's judgement stands.
_NAME_WORDS = frozenset(read_list("name_words.txt"))


class PersonalPlaceRecognizer(EntityRecognizer):
    """LOCATION and ORGANIZATION from spaCy NER, scored by personal context."""

    def __init__(
        self,
        english: frozenset[str] = frozenset(),
        terms: frozenset[str] = frozenset(),
        places: frozenset[str] = frozenset(),
    ) -> None:
        self.places = places
        #: Ordinary English words, which are never taken as untagged places ("I'm in trouble").
        self.english = english
        #: Technology and product words (``data/common_terms.txt``), never places or employers.
        self.terms = terms
        super().__init__(
            supported_entities=["LOCATION", "ORGANIZATION"], name="PersonalPlaceRecognizer"
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Score each place/organisation entity by the words before it."""
        if nlp_artifacts is None:
            return []
        results = []
        for ent in nlp_artifacts.entities:
            if ent.label_ not in ("LOCATION", "ORGANIZATION"):
                continue
            span = clean_span(text, ent.start_char, ent.end_char)
            if not span:
                continue
            start, end = span
            value = text[start:end]
            if value.lower() in self.terms or (" " not in value and CAMEL.match(value)):
                continue  # "Kubernetes", "KeyError": technology, not a place or employer
            if any(ch in value for ch in "\t;|"):
                continue  # runs across table cells: not one name
            if value.split()[0].lower().strip(",.") in GREETINGS:
                continue  # "Dear Faith", "Hi Grace": a greeting and a name, not a firm
            before = text[max(0, start - 40) : start]
            cue = _PLACE_CUE if ent.label_ == "LOCATION" else _ORG_CUE
            sentence_end = re.search(r"[.?!\n]", text[end:])
            question = sentence_end is not None and sentence_end.group(0) == "?"
            sentence_start_at = sentence_start(text, start)
            thing_from = _THING_FROM.search(before)
            cued = (
                bool(cue.search(before))
                and not before.rstrip().endswith((".", "?", "!"))
                and not question
                and not impersonal_request(text, sentence_start_at, end)
                and not (
                    thing_from
                    and thing_from.group(1).lower() not in _PRONOUNS
                    and thing_from.group(1).lower() in self.english
                )  # "Pizza is from Italy": a thing, not a person, comes from there
            )
            if not cued and self._sentence_word(text, start, end, sentence_start_at):
                continue  # "Format the table ...": a capitalised verb, not a place
            results.append(
                self._result(ent.label_, start, end, 0.7 if cued else 0.35, uncued=not cued)
            )
        results.extend(self._untagged_places(text, nlp_artifacts))
        results.extend(self._cued_employers(text))
        return results

    def _cued_employers(self, text: str) -> list[RecognizerResult]:
        """Employers after "I work for", "is from", "CEO of" that spaCy missed ("Brightloop")."""
        out = []
        for m in _STRONG_ORG_CUE.finditer(text):
            run = m.group("org")
            words = run.split()
            while words and (
                words[-1].lower() in self.english
                and words[-1].lower().rstrip(".") not in _COMPANY_SUFFIXES
                and len(words) > 1
            ):
                words.pop()  # "Brightloop as", "Acme last year"
            value = " ".join(words)
            if not words or value.lower() in self.terms:
                continue
            if all(w.lower() in self.english for w in words) and not (
                words[-1].lower().rstrip(".") in _COMPANY_SUFFIXES or len(words) > 1
            ):
                continue  # "I work for Free..." or "is from Home": one ordinary word, no firm
            start = m.start("org")
            end = start + len(value)
            kind = "LOCATION" if value.lower() in self.places else "ORGANIZATION"
            out.append(self._result(kind, start, end, 0.7, "employer"))
        return out

    def _sentence_word(self, text: str, start: int, end: int, sentence_at: int) -> bool:
        """An ordinary word that is capitalised only because it opens a sentence or line.

        "Format the output as a table", "Sort by date", "Draft a reply": spaCy's small model
        tags such a word as a place or firm. A single word at the start of a sentence (or
        after a bullet or quote) that the English lexicon knows, and that no list knows as a
        well-known place or firm or as a name ("Scott had ..."), is not one.
        """
        value = text[start:end]
        if " " in value or not value[:1].isupper() or value.isupper():
            return False
        low = value.lower()
        if low not in self.english or low in self.places or low in _NAME_WORDS:
            return False
        lead = text[sentence_at:start]
        return not lead.strip(" \t\n\r\"'“‘(*-•>#0123456789.)")

    def _result(
        self, kind: str, start: int, end: int, score: float, how: str = "", uncued: bool = False
    ) -> RecognizerResult:
        name = f"PersonalPlaceRecognizer:{how}" if how else "PersonalPlaceRecognizer"
        return RecognizerResult(
            kind,
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                UNCUED: uncued,
            },
        )

    def _untagged_places(self, text: str, nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        """Places after a strong personal cue that spaCy missed (all-caps, Greek, rare names)."""
        out = []
        letters = [ch for ch in text if ch.isalpha()]
        lower_text = lower_case_text(letters, sum(ch.isupper() for ch in letters))
        for m in _STRONG_PLACE_CUE.finditer(text):
            words = list(re.finditer(r"\S+", m.group(1)))
            keep = 0
            for k, wm in enumerate(words):
                raw = wm.group(0)
                w = raw.strip("'’")
                low = w.lower()
                if k > 0 and (raw.lower() in _PLACE_CONNECTORS or low in _PLACE_CONNECTORS):
                    continue
                if low in _PLACE_STOP or not (w[:1].isupper() or lower_text):
                    break
                if lower_text and k > 0:
                    break
                keep = k + 1
            if not keep:
                continue
            run = [wm.group(0).strip("'’") for wm in words[:keep]]
            if all(
                w.lower() in self.english and not (w.isupper() and len(w) > 2)
                for w in run
                if w.lower() not in _PLACE_CONNECTORS
            ):
                continue
            first = words[0].group(0)
            if first.isupper() and len(first) < 3:
                continue
            start = m.start(1)
            end = m.start(1) + words[keep - 1].end()
            span = clean_span(text, start, end)
            if not span:
                continue
            out.append(self._result("LOCATION", span[0], span[1], 0.7, "cue"))
        return out
