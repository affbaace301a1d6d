"""People, and places and organisations in a personal context.

``PersonRecognizer`` combines spaCy's PERSON entities with name lists of many cultures
(``data/given_names.txt``, ``data/surnames.txt``) and cue words ("my colleague", "tell", "Dear"),
so that lower-case and ALL-CAPS names and single given names are found too. Names that are also
ordinary English words ("Mark", "Grace", "Park") only count when capitalised and next to another
name or a cue.

``PersonalPlaceRecognizer`` reports spaCy's places (GPE/LOC/FAC) and organisations only in a
personal context ("I live in Lyon", "she works at Acme"): a city in a general-knowledge question
is not personal data. Places and organisations without a cue are reported with a low score and
flagged, and the detector keeps them only when the same text also identifies a person or address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

#: Metadata key marking a place/organisation found without a personal cue.
UNCUED = "uncued"

_NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
#: Surname shapes that the English lexicon knows from famous bearers (O'Connor, McCartney).
_SURNAME_SHAPE = re.compile(r"^(?:[OoDd]['’][^\W\d_]{2,}|Mc[A-Z][a-z]+|MC[A-Z]{2,})$")
#: camelCase / PascalCase with an inner capital, except name prefixes (McDonald, O'Neil, DeSouza).
_CAMEL = re.compile(r"^(?!Mc|Mac|O'|O’|D'|D’|De|Di|Da|La|Le|Van|Von)[A-Za-z]*[a-z][A-Z]")
#: "Name, Name and Name": a capitalised word after a found name and a list separator.
_LIST_SEP = re.compile(r"^(?:\s*,\s*|\s+(?:and|&|or|und|et|y|e)\s+|\s*/\s*)$")
_PERSON_CUE = re.compile(
    r"(?:\bmy name is|\bname is|\bname\s*:|\bnamed|\bcalled|\bcall me|\bi am|\bi'm|\bim|\bthis is|"
    r"\bhi|\bhello|\bhey|\bdear|\bthanks|\bthank you|\btell|\bask|\basked|\btold|\bcc|\bping|"
    r"\bemail|\be-mail|\btext|\bmessage|\bmeet|\bmet|\bmeeting with|\binvite|\binvited|\bremind|"
    r"\bcolleague|\bcoworker|\bco-worker|\bfriend|\bboss|\bmanager|\bwife|\bhusband|\bpartner|"
    r"\bson|\bdaughter|\bmother|\bmom|\bmum|\bfather|\bdad|\bbrother|\bsister|\buncle|\baunt|"
    r"\bcousin|\bneighbou?r|\bclient|\bcustomer|\bpatient|\btenant|\blandlord|\bfiancée?|"
    r"\bgirlfriend|\bboyfriend|\bgrandma|\bgrandpa|\bgrandmother|\bgrandfather|\bteacher|\bstudent|"
    r"\bmr|\bmrs|\bms|\bmiss|\bdr|\bprof|\bsir|\bmadam|\bmx|\bsigned|\bregards|\bfrom\s*:|\bto\s*:|"
    r"\battn|\bc/o|\bsays|\bsaid|\bwrote|\bby|\bwith|\band|\bfrom|\bfor|"
    r"\b(?:shouted|yelled|screamed|snapped|smiled|waved|nodded|whispered|said|spoke|talked|replied)\s+(?:at|to)|"
    r"\bstarring|\bdirected by|\bcalls me|\bpeople call me|\beveryone calls me|\bspeak to|"
    r"\b(?:last|first|full|sur|maiden|given|family)\s*name\??|\bname on the \w+\W+(?:user:)?|"
    r"\bassistant to|\bfollow up with|\bchange it to|\bunder)(?![\w'])[\s.,:]*",
    re.IGNORECASE,
)
#: Cues that only support names found in the name lists (they precede places and products too).
_WEAK_CUES = frozenset(
    ("by", "with", "and", "from", "for", "says", "said", "wrote", "this is", "i am", "im", "under",
     "change it to", "follow up with", "speak to", "assistant to")
)
#: Cues after which any word that is not an English word is a name, whatever its case.
_NAMING_CUES = re.compile(
    r"^(?:my name is|name is|name\s*:|call me|calls me|people call me|everyone calls me|"
    r"(?:last|first|full|sur|maiden|given|family)\s*name\??)$"
)
#: Surname endings of many languages (Ivanov, Kowalska, Petrenko, Popescu, Horvatić, Andersson,
#: Guðmundsdóttir, Yılmazoğlu, Papadopoulos, Beridze, Virtanen ...).
_SURNAME_SUFFIX = re.compile(
    r"(?:ov|ova|ev|eva|ёв|ин|ина|ovich|ovna|evich|evna|enko|chuk|czuk|escu|eanu|ić|ič|vić|vič|"
    r"sson|ssen|sdóttir|dóttir|dottir|oğlu|oglu|ski|ska|sky|skaya|skiy|wicz|czyk|poulos|opoulou|"
    r"akis|idis|iadis|shvili|adze|idze|yan|yants|inen|ainen|nen|berg|ström|strom|quist|qvist|"
    r"gaard|gård|ez|ès)$"
)
#: A dialogue line: "Name: what they say" or 'Name:"..."'.
_SPEAKER = re.compile(
    r"^[ \t>]*([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-.]*){0,2})[ \t]*:[ \t]*(?=\S)", re.MULTILINE
)
_NOT_SPEAKERS = frozenset(
    "user bot assistant system human ai q a question answer note example input output error warning "
    "name address phone email e-mail mobile desk fax website tel subject from to cc date time when where "
    "who what why how step tip summary result response reply customer agent support admin moderator "
    "interviewer narrator chorus all both".split()
)
#: A person named as the topic of a general-knowledge question, not someone the user knows.
_TOPIC_BEFORE = re.compile(
    r"(?:\bwho\s+(?:was|were)|\btell\s+me\s+about|\bbiography\s+of|\blife\s+of|\blegacy\s+of|"
    r"\b(?:essay|poem|report|article|presentation)\s+(?:on|about)|\bquotes?\s+(?:of|by|from)|"
    r"\bworks\s+of|\btheory\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_TOPIC_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:\w+\s+)?(?:theor(?:y|ies)|laws?|works?|paintings?|novels?|books?|plays?|"
    r"poems?|poetry|music|symphon\w+|operas?|legacy|life|biography|philosophy|contributions?|"
    r"inventions?|discover\w+|speech\w*|quotes?|career|reign|presidency|policies|ideas|"
    r"experiments?|equations?|principles?|paradox|conjecture|theorem|famous|most|best|first|last)\b",
    re.IGNORECASE,
)
_PLACE_CUE = re.compile(
    r"(?:\blive|\blives|\bliving|\blived|\bborn|\braised|\bgrew up|\bmoved|\bmoving|\bmove|"
    r"\brelocat\w*|\bbased|\breside\w*|\bhometown|\bfrom|\bstay\w*|\bvisiting|\barrived|"
    r"\barriving|\baddress|\blocated|\bcity|\bnear|\bheading|\bhome)(?:\s+\w+){0,2}?\s+(?:in|at|to|on|of|near|from|is)?\s*$"
    r"|\bfrom\s+$",
    re.IGNORECASE,
)
_ORG_CUE = re.compile(
    r"(?:\bwork(?:s|ed|ing)?|\bemploy\w*|\bemployer|\bjob|\bhired|\bintern\w*|\bstud(?:y|ies|ied|ying)|"
    r"\bstudent|\benrolled|\battend\w*|\bgraduated|\bjoin(?:ed|ing|s)?|\bleft|\bquit|\bresign\w*|"
    r"\bcompany|\bfirm|\bemployee|\bmanager|\bengineer|\bcontractor|\bconsultant|\bspent\s+\w+\s+\w+|"
    r"\bfrom|\bof|\bowner|\bfounder|\bceo|\bcto|\bdirector|\bpartner|\bassociate|\bsupport|\bbecame|"
    r"\bvolunteer\w*|\bmember)(?:\s+\w+){0,2}?\s+(?:at|for|with|by|of|in|from)?\s*$",
    re.IGNORECASE,
)
_STRIP_END = re.compile(r"(?:'s|’s|[\s.,;:!?\"')\]-])+$")
_STRIP_START = re.compile(r"^[\s\"'(\[-]+")


@dataclass(frozen=True)
class NameLists:
    """Lower-cased name and word lists used by the person recognizer."""

    given: frozenset[str]
    surnames: frozenset[str]
    #: Names that are also ordinary English words.
    ambiguous: frozenset[str]
    #: The English lexicon of the spaCy model's lemmatizer (empty if the model has none).
    english: frozenset[str]
    #: Technology and product words that are never names (``data/common_terms.txt``).
    terms: frozenset[str] = frozenset()

    @classmethod
    def load(cls, english: frozenset[str] = frozenset()) -> NameLists:
        """Read the bundled lists."""
        data = resources.files("hybrid_desktop.core.privacy") / "data"

        def read(name: str) -> frozenset[str]:
            text = (data / name).read_text(encoding="utf-8")
            lines = (line.strip().lower() for line in text.splitlines())
            return frozenset(line for line in lines if line and not line.startswith("#"))

        return cls(
            read("given_names.txt"),
            read("surnames.txt"),
            read("name_words.txt"),
            english,
            read("common_terms.txt"),
        )

    def is_known(self, low: str) -> bool:
        """Whether ``low`` is a given name or surname (and not a technology word)."""
        return (low in self.given or low in self.surnames) and low not in self.terms

    def never_name(self, word: str, mixed_case: bool) -> bool:
        """Shapes that are not names: code words, camelCase, short acronyms in mixed-case text."""
        low = word.lower()
        if low in self.terms:
            return True
        if not mixed_case:
            return False
        if _CAMEL.match(word):
            return True
        return word.isupper() and len(word) <= 5 and low not in self.given


class PersonRecognizer(EntityRecognizer):
    """PERSON from spaCy NER, name lists and cue words, in any letter case."""

    def __init__(self, names: NameLists) -> None:
        self.names = names
        super().__init__(supported_entities=["PERSON"], name="PersonRecognizer")

    def load(self) -> None:
        """The lists are loaded by :meth:`NameLists.load`."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find names in ``text`` using the spaCy doc in ``nlp_artifacts``."""
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        doc = nlp_artifacts.tokens
        letters = [ch for ch in text if ch.isalpha()]
        n_upper = sum(ch.isupper() for ch in letters)
        upper_text = bool(letters) and n_upper > 0.8 * len(letters)
        lower_text = n_upper <= 1
        mixed = not upper_text and not lower_text
        self._mixed = mixed
        #: Token index -> end of the place/organisation entity that contains it.
        other_label: dict[int, int] = {}
        results: list[RecognizerResult] = []
        for ent in nlp_artifacts.entities:
            if ent.label_ == "PERSON":
                first, last = ent.start, ent.end
                while first < last and self._not_name_token(doc[first], mixed):
                    first += 1
                while last > first and self._not_name_token(doc[last - 1], mixed):
                    last -= 1
                if first == last:
                    continue
                start_char = doc[first].idx
                end_char = doc[last - 1].idx + len(doc[last - 1].text)
                span = self._clean(text, start_char, end_char)
                if span and self._plausible_ner(doc[first:last]):
                    results.append(self._result(*span, 0.85, "ner"))
            elif ent.label_ in ("LOCATION", "ORGANIZATION", "NRP"):
                other_label.update(dict.fromkeys(range(ent.start, ent.end), ent.end))

        names = self.names
        cues = {m.end(): m.group(0).strip(" .,:\t\n").lower() for m in _PERSON_CUE.finditer(text)}
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            low = tok.lower_
            if not _NAME_TOKEN.match(tok.text) or tok.is_stop or names.never_name(tok.text, mixed):
                i += 1
                continue
            cap = self._capitalised(tok.text, upper_text)
            ambiguous = low in names.ambiguous or (low in names.english and not names.is_known(low))
            cue_word = cues.get(tok.idx)
            cue = cue_word is not None
            weak_cue = cue_word in _WEAK_CUES
            known = names.is_known(low)
            start_ok = False
            score = 0.0
            if (
                cue
                and not weak_cue
                and ((known and (cap or not ambiguous)) or (cap and low not in names.english))
            ):
                start_ok, score = True, 0.8
            elif names.is_known(low):
                nxt = self._surname_end(doc, i + 1, upper_text)
                inside_other = nxt <= other_label.get(i, -1)
                if (
                    nxt > i + 1
                    and (cap or not ambiguous)
                    and low in names.given
                    and not inside_other
                ):
                    start_ok, score = True, 0.75
                elif i not in other_label and not ambiguous and (cap or lower_text):
                    start_ok, score = True, 0.6 if not weak_cue else 0.7
            if not start_ok:
                i += 1
                continue
            end_tok = self._surname_end(doc, i + 1, upper_text)
            span = self._clean(text, tok.idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text))
            if span:
                results.append(self._result(*span, score, "names"))
            i = end_tok
        return self._list_members(text, doc, results, mixed)

    def _list_members(
        self, text: str, doc: object, results: list[RecognizerResult], mixed: bool
    ) -> list[RecognizerResult]:
        """Add capitalised words listed right after a found name ("Kónya, Becker and Vasquez")."""
        if not results:
            return results
        ends = {r.end for r in results}
        starts = {r.start for r in results}
        added: list[RecognizerResult] = []
        for tok in doc:  # type: ignore[attr-defined]
            t = tok.text
            if tok.idx in starts or not _NAME_TOKEN.match(t) or not t[:1].isupper():
                continue
            if tok.is_stop or self.names.never_name(t, mixed) or t.lower() in self.names.english:
                continue
            before = text[max(0, tok.idx - 6) : tok.idx]
            for cut in range(len(before)):
                if tok.idx - len(before) + cut in ends and _LIST_SEP.match(before[cut:]):
                    added.append(self._result(tok.idx, tok.idx + len(t), 0.6, "list"))
                    ends.add(tok.idx + len(t))
                    break
        return results + added

    def _not_name_token(self, tok: object, mixed: bool) -> bool:
        t = tok.text  # type: ignore[attr-defined]
        if not _NAME_TOKEN.match(t):
            return t in ("'s", "’s", "-", ",")
        low = t.lower()
        if self.names.never_name(t, mixed):
            return True
        return (low in self.names.english and not self.names.is_known(low)) or tok.is_stop  # type: ignore[attr-defined]

    def _surname_end(self, doc: object, j: int, upper_text: bool) -> int:
        """Index after the run of surname-like tokens starting at ``j`` (at most 3)."""
        names = self.names
        tokens = doc  # a spaCy Doc
        end = j
        while end < len(tokens) and end < j + 3:  # type: ignore[arg-type]
            tok = tokens[end]  # type: ignore[index]
            t = tok.text
            low = t.lower()
            if _INITIAL.match(t) and t.isupper():
                end += 1
                continue
            if t == "." and end > j and _INITIAL.match(tokens[end - 1].text):  # type: ignore[index]
                end += 1
                continue
            if not _NAME_TOKEN.match(t) or tok.is_stop:
                break
            cap = self._capitalised(t, upper_text)
            known = names.is_known(low)
            if (
                (known and (cap or (low not in names.ambiguous and low not in names.english)))
                or (cap and low not in names.english)
                or _SURNAME_SHAPE.match(t)
            ):
                end += 1
            else:
                break
        return end

    @staticmethod
    def _capitalised(word: str, upper_text: bool) -> bool:
        if upper_text:
            return word.isupper() and len(word) > 1
        return word[:1].isupper()

    def _plausible_ner(self, tokens: object) -> bool:
        """spaCy's small model sometimes calls lower-case words or code names people."""
        words = [t for t in tokens if _NAME_TOKEN.match(t.text)]  # type: ignore[attr-defined]
        if not words:
            return False
        mixed = getattr(self, "_mixed", True)
        if any(self.names.never_name(t.text, mixed) for t in words):
            return False
        for t in words:
            low = t.lower_
            if self.names.is_known(low) or (t.text[:1].isupper() and low not in self.names.english):
                return True
        return any(t.text[:1].isupper() for t in words) and len(words) > 1

    @staticmethod
    def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
        value = text[start:end]
        m = _STRIP_END.search(value)
        if m:
            end = start + m.start()
        m2 = _STRIP_START.match(text[start:end])
        if m2:
            start += m2.end()
        if end - start < 2 or not any(ch.isalpha() for ch in text[start:end]):
            return None
        return start, end

    def _result(self, start: int, end: int, score: float, how: str) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"PersonRecognizer:{how}",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


class PersonalPlaceRecognizer(EntityRecognizer):
    """LOCATION and ORGANIZATION from spaCy NER, scored by personal context."""

    def __init__(self) -> None:
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
            span = PersonRecognizer._clean(text, ent.start_char, ent.end_char)
            if not span:
                continue
            start, end = span
            before = text[max(0, start - 40) : start]
            cue = _PLACE_CUE if ent.label_ == "LOCATION" else _ORG_CUE
            sentence_end = re.search(r"[.?!\n]", text[end:])
            question = sentence_end is not None and sentence_end.group(0) == "?"
            cued = (
                bool(cue.search(before))
                and not before.rstrip().endswith((".", "?", "!"))
                and not question
            )
            results.append(
                RecognizerResult(
                    ent.label_,
                    start,
                    end,
                    0.7 if cued else 0.35,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: "PersonalPlaceRecognizer",
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        UNCUED: not cued,
                    },
                )
            )
        return results
