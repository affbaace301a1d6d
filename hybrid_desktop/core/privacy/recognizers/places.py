"""Places and organisations, reported only in a personal context.

``PersonalPlaceRecognizer`` reports spaCy's places (GPE/LOC/FAC) and organisations only in a
personal context ("I live in Lyon", "she works at Acme"): a city in a general-knowledge question
is not personal data. Places and organisations without a cue are reported with a low score and
flagged; the detector keeps them with other personal data, in a first-person sentence, or when
one of them is obscure (not in ``data/well_known_places.txt`` / ``well_known_orgs.txt``) and named
in a statement. Requests and questions about the world ("Plan a trip from Phoenix") are never a
personal cue. Employers after "I work for", "is from", "CEO of" count even when spaCy misses them.
After a strong personal cue ("flew to", "grew up in", "originally from", "I'm in") a capitalised
run is a place even when spaCy misses it (all-caps or Greek names), and a place in a sentence
about someone's visit ("Estonia was super fun to visit") counts as cued.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..sentences import impersonal_request, sentence_start
from .name_lexicon import CAMEL
from .name_tokens import UNCUED, clean_span, lower_case_text

_PLACE_CUE = re.compile(
    r"(?:\blive|\blives|\bliving|\blived|\bborn|\braised|\bgrew up|\bmoved|\bmoving|\bmove|"
    r"\brelocat\w*|\bbased|\breside\w*|\bhometown|\bfrom|\bstay\w*|\bvisiting|\barrived|"
    r"\barriving|\baddress|\blocated|\bcity|\bheading|\bhome|\bflew|\bfly|\bflying|"
    r"\bflight|\btrip|\btravel\w*|\bvisit\w*|\bvacation|\bholiday|\bhoneymoon|\breturned|"
    r"\bwent|\bdrove|\bcommut\w*|\boriginally|\bi'?m|\bi am|\bwe're|\bwe are)"
    r"(?:\s+\w+){0,2}?\s+(?:in|at|to|on|of|near|from|is)?\s*$"
    r"|\bfrom\s+$",
    re.IGNORECASE,
)
#: Strong cues after which a capitalised run is a place even when spaCy does not tag it
#: ("flew to LEPPEN", "grew up in ΑΛΑΣΣΑ", "originally from Port O' Warren").
_STRONG_PLACE_CUE = re.compile(
    r"(?:\b(?:flew|fly|flying|drove|travell?ed|moved|relocated|returned|commute|commuting)\s+"
    r"(?:back\s+|here\s+|there\s+)?(?:to|from)"
    r"|\b(?:grew\s+up|born|raised|(?:i|we)\s+(?:live|lived)|lives|living|based|(?:i'm|i am|we're|we are))\s+in"
    r"|\boriginally\s+from|\bhometown\s+(?:is|of))\s+"
    r"([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,3})",
    re.IGNORECASE,
)
#: "Estonia was super fun to visit": a place in a sentence about someone's visit.
_VISITED_AFTER = re.compile(r"^\s+(?:was|were)\b[^.!?\n]{0,40}\bvisit", re.IGNORECASE)
_ORG_CUE = re.compile(
    r"(?:\bwork(?:s|ed|ing)?|\bemploy\w*|\bemployer|\bjob|\bhired|\bintern\w*|\bstud(?:y|ies|ied|ying)|"
    r"\bstudent|\benrolled|\battend\w*|\bgraduated|\bjoin(?:ed|ing|s)?|\bleft|\bquit|\bresign\w*|"
    r"\bcompany|\bfirm|\bemployee|\bmanager|\bengineer|\bcontractor|\bconsultant|\bspent\s+\w+\s+\w+|"
    r"\bfrom|\bowner|\bfounder|\bceo|\bcto|\bdirector|\bpartner|\bassociate|\bsupport|\bbecame|"
    r"\bvolunteer\w*|\bmember)(?:\s+\w+){0,2}?\s+(?:at|for|with|by|of|in|from)?\s*$",
    re.IGNORECASE,
)
#: Words that follow "I'm in", "moved to" ... without being places.
_PLACE_STOP = frozenset(
    "the a an my our your his her their this that love trouble charge touch bed school college "
    "university town city hospital office work class time london-ish it here there no not so on "
    "a-hurry hurry pain debt shock favour favor good bad awe monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september october "
    "november december".split()
)
_THING_FROM = re.compile(r"\b([\w'’]+)\s+(?:is|are|was|were|comes?|came)\s+from\s*$", re.I)
_PRONOUNS = frozenset("i i'm we he she they who".split())
_COMPANY_SUFFIXES = frozenset(
    "inc ltd llc plc gmbh ag sa corp co company group partners consulting labs technologies".split()
)
#: "I work for Socrata", "Luiza is from Xignite", "Dudek of Lexisnexis is the CEO", "spent a year
#: at Datamarket": the capitalised run after the cue (or before "is the CEO").
_STRONG_ORG_CUE = re.compile(
    r"(?i:\b(?:i|we|he|she|they)\s+(?:still\s+|now\s+|used\s+to\s+|currently\s+)?"
    r"(?:work|works|worked|working)\s+(?:for|at)"
    r"|(?P<subject>\b[\w'’]+)\s+(?:is|are|was|were)\s+from|\bemployed\s+(?:by|at)|\b(?:ceo|cto|cfo|founder|director|head)\s+of"
    r"|\bspent\s+(?:a|one|two|three|\d+)\s+(?:year|years|months?)\s+at|\bfollowing\s+year\s+at"
    r"|\b(?:i|we|he|she|they)\s+(?:\w+\s+)?(?:joined|left|quit)|\bof(?=\s+\S+(?:\s+\S+){0,3}\s+is\s+the\s+(?:ceo|cto|founder|head))"
    r"|\bfrom(?=\s+\S+(?:\s+\S+){0,3}\s+(?:is|was|will\s+be)\s+(?:the|our|a|an)\s+(?:keynote|speaker|ceo|cto|founder|host|guest)))"
    r"\s+(?P<org>(?:\d+\s+)?[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|&|and|of)){0,4})"
)
_PLACE_CONNECTORS = frozenset("de la del du u nad am an sur upon o' o’ el le di da".split())


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
            before = text[max(0, start - 40) : start]
            cue = _PLACE_CUE if ent.label_ == "LOCATION" else _ORG_CUE
            sentence_end = re.search(r"[.?!\n]", text[end:])
            question = sentence_end is not None and sentence_end.group(0) == "?"
            sentence_start_at = sentence_start(text, start)
            thing_from = _THING_FROM.search(before)
            cued = (
                (
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
                or (ent.label_ == "LOCATION" and bool(_VISITED_AFTER.match(text[end : end + 60])))
            )
            results.append(
                self._result(ent.label_, start, end, 0.7 if cued else 0.35, uncued=not cued)
            )
        results.extend(self._untagged_places(text, nlp_artifacts))
        results.extend(self._cued_employers(text))
        return results

    def _cued_employers(self, text: str) -> list[RecognizerResult]:
        """Employers after "I work for", "is from", "CEO of" that spaCy missed ("Socrata")."""
        out = []
        for m in _STRONG_ORG_CUE.finditer(text):
            subject = (m.group("subject") or "").lower()
            if subject and subject not in _PRONOUNS and subject in self.english:
                continue  # "This quote is from Shakespeare": a thing, not a person, is from it
            run = m.group("org")
            words = run.split()
            while words and (
                words[-1].lower() in self.english
                and words[-1].lower().rstrip(".") not in _COMPANY_SUFFIXES
                and len(words) > 1
            ):
                words.pop()  # "Socrata as", "Acme last year"
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
