"""People, and places and organisations in a personal context.

``PersonRecognizer`` combines spaCy's PERSON entities with name lists of many cultures
(``data/given_names.txt``, ``data/surnames.txt``) and cue words ("my colleague", "tell", "Dear"),
so that lower-case and ALL-CAPS names and single given names are found too. Names that are also
ordinary English words ("Mark", "Grace", "Park") only count when capitalised and next to another
name or a cue.

Beyond the lists, a name is found from where it stands: after "shouted at", "my kid",
"maiden name is"; as a dialogue speaker label ("Ubul: What a wife." with another labelled line);
before a person predicate ("Jacob lives on ..."); by surname morphology (-ov, -ska, -enko, -escu,
-ić, -sson, -dóttir, -oğlu, -poulos ...); as an ORG/place entity that is really a person ("Zoe
Young", "Maite Lemmens"); as a member of a list of mostly given names; or addressed, described or
introduced ("Warrane, can I ...", "Shovda is very reliable", "it's Priyanka."). A person named as
the topic of a general-knowledge question ("Who was Albert Einstein?", "Newton's laws", "the
Doppler effect"), a famous person or work (``data/famous_people.txt``), a famous place or firm
that looks like a name ("Austin", "Charles Schwab"), or a name whose surname the English lexicon
knows but the name lists do not (Einstein, Mahler) is flagged ``uncued`` and kept only with
personal context.

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
from dataclasses import dataclass
from importlib import resources
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

#: Metadata key marking a place/organisation found without a personal cue.
UNCUED = "uncued"
#: Metadata key marking a person who is the topic of a general-knowledge question ("Who was
#: Albert Einstein?"): kept only when the text also holds other personal data.
TOPIC = "topic"

_NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
#: Surname shapes that the English lexicon knows from famous bearers (O'Connor, McCartney).
_SURNAME_SHAPE = re.compile(r"^(?:[OoDd]['’][^\W\d_]{2,}|Mc[A-Z][a-z]+|MC[A-Z]{2,})$")
#: camelCase / PascalCase with an inner capital, except name prefixes (McDonald, O'Neil, DeSouza).
_CAMEL = re.compile(r"^(?!Mc|Mac|O'|O’|D'|D’|De|Di|Da|La|Le|Van|Von)[A-Za-z]*[a-z][A-Z]")
#: "Name, Name and Name": a capitalised word after a found name and a list separator.
_LIST_SEP = re.compile(r"^(?:\s*,\s*|\s+(?:and|&|or|und|et|y|e)\s+|\s*/\s*)$")
_PERSON_CUE = re.compile(
    r"(?:\bmy name is|\bname is|\bname\s*:|\byour name\?|\bnamed|\bcalled|\bcall me|\bi am|\bi'm|\bim|\bthis is|"
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
    r"\b(?:last|first|full|sur|maiden|given|family)\s*name(?:\?|\s+is)?|\bkid|\bkids|\bchild|"
    r"\bbaby|\bnephew|\bniece|\bstepson|\bstepdaughter|\bgrandson|\bgranddaughter|\bname on the \w+\W+(?:user:)?|"
    r"\bassistant to|\bfollow up with|\bchange it to|\bunder)(?![\w'])[\s.,:]*",
    re.IGNORECASE,
)
#: Cues that only support names found in the name lists (they precede places and products too).
_WEAK_CUES = frozenset(
    (
        "by",
        "with",
        "and",
        "from",
        "for",
        "says",
        "said",
        "wrote",
        "this is",
        "i am",
        "im",
        "under",
        "change it to",
        "follow up with",
        "speak to",
        "assistant to",
    )
)
#: Weak cues that still only ever precede a person: a capitalised given name after them is one.
_PERSON_ONLY_CUES = frozenset(("change it to", "follow up with", "speak to", "assistant to"))
#: Cues after which any word that is not an English word is a name, whatever its case.
_NAMING_CUES = re.compile(
    r"^(?:my name is|name is|name\s*:|your name\?|call me|calls me|people call me|everyone calls me|"
    r"(?:last|first|full|sur|maiden|given|family)\s*name(?:\?|\s+is)?)$"
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
#: What people do: a name-list word right before one of these is a person ("Jacob lives on ...").
_PERSON_PREDICATE = re.compile(
    r"\s+(?:lives|lived|works|worked|said|says|told|asked|is from|was born|began|spent|wants|wanted|"
    r"wrote|called|emailed|texted|replied|thinks|thought|shouted|yelled|is (?:a |an )?very|is my|"
    r"is our|is (?:so|always|never|really) \w+|will be (?:talking|speaking|presenting)|has been my)\b"
)
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
    r"experiments?|equations?|principles?|paradox|conjecture|theorem|famous|most|best|first|last|"
    r"algorithms?|method|effect|model|rule|test|constant|number|problem|hypothesis|formula|"
    r"sequence|machine|razor|cycle|distribution|index|scale)\b"
    r"|^\s+the\s+(?-i:[A-Z][a-z]+)\b"  # "Ivan the Terrible", "Alfred the Great"
    # eponyms: "the Doppler effect", "a Markov chain", "Bayes theorem", "Parkinson disease"
    r"|^\s+(?:effect|law|laws|principle|theorem|equation|equations|transform|chain|machine|"
    r"constant|paradox|conjecture|distribution|disease|syndrome|algorithm|scale|number|"
    r"numbers|series|cycle|curve|test|method|prize|medal)\b",
    re.IGNORECASE,
)
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
#: Words of organisation and place names that are never part of a person's name.
_ENTITY_WORDS = frozenset(
    "university college school academy institute bank group inc ltd llc gmbh corp company co "
    "foundation association society council ministry department agency hospital clinic church "
    "museum river lake mount mountain island islands city county state province republic kingdom "
    "street road avenue park bridge station airport port beach valley bay hotel restaurant cafe "
    "club team fc united partners capital holdings ventures labs systems solutions technologies "
    "software services consulting research insights resources data health media studio studios "
    "records press news times post journal orchestra band theatre theater center centre".split()
)
_LIST_WORDS = frozenset("and or & und et y e".split())
_CAP_LIST = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’\-]+,[ \t]+){1,}[A-Z][\w'’\-]+,?[ \t]+(?:and|&|or)[ \t]+[A-Z][\w'’\-]+"
)
_LOWER_LIST = re.compile(
    r"(?<![\w'’-])(?:[^\W\d_][\w'’\-]+,[ \t]+){1,}[^\W\d_][\w'’\-]+,?[ \t]+(?:and|&|or)[ \t]+[^\W\d_][\w'’\-]+"
)
_NAME_WORD = r"(?P<name>[A-Z][^\W\d_]+(?:[’'\-][^\W\d_]+)?)"
#: "Warrane, can I please speak to your boss?"
_VOCATIVE = re.compile(
    rf"(?:^|(?<=[.!?\n]\s)|(?<=[.!?\n]))\s*{_NAME_WORD},\s+(?:can|could|would|will|please|"
    r"do|did|are|were|have|thanks|thank|i|we|you|let's|how|what|where|when)\b",
    re.MULTILINE,
)
_SENTENCE_OPENING = r"(?:^|(?<=[.!?\n]\s)|(?<=[.!?\n]))\s*"
#: "Shovda is very reliable.", "Trivo lives on Grössgstötten 50", "Adomo began writing".
_DESCRIBED = tuple(
    re.compile(_SENTENCE_OPENING + _NAME_WORD + predicate, re.MULTILINE)
    for predicate in (
        r"\s+(?:is|was)\s+(?:a\s+|an\s+)?(?:very|so|really|always|never|quite|extremely|too)\s+\w+",
        r"\s+(?:lives|lived)\s+(?:on|at|in)\s+[^.!?\n]{0,40}?\d",
        r"\s+(?:began|started)\s+(?:writing|working|singing|playing)",
        r"\s+(?:spent|was\s+born|grew\s+up|will\s+be\s+(?:talking|speaking|presenting))",
    )
)
#: "Hey, it's Priyanka.", "Hi, this is Oyelaran here"
_INTRODUCED = re.compile(
    rf"(?i:\b(?:it's|it’s|it is|this is))\s+{_NAME_WORD}(?=\s*(?:[.,!;]|$|\s+here\b))", re.MULTILINE
)
#: "said Gladys to Logan"
_SAID_TO = re.compile(
    rf"\b(?:said|says|shouted|whispered|replied|wrote)\s+[A-Z][^\W\d_]+\s+to\s+{_NAME_WORD}"
)
#: "Why is Glyceria so impulsive?"
_ASKED_ABOUT = re.compile(
    rf"\b(?:why|how)\s+(?:is|was|does|did)\s+{_NAME_WORD}\s+(?:so|always|never|still|such)\b",
    re.IGNORECASE,
)
#: "Franciska's kid", "Maite's husband"
_KIN_OF = re.compile(
    rf"{_NAME_WORD}(?:'s|’s)\s+(?:kid|kids|child|children|son|daughter|wife|husband|partner|"
    r"mother|mom|mum|father|dad|brother|sister|boyfriend|girlfriend|fiancée?|family|parents|"
    r"killers?|murderers?|friends?|boss|colleagues?|birthday|funeral|wedding|phone|address|email)\b"
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
#: First words of place names that are also given names ("Santa Cruz", "San Jose").
_PLACE_PREFIXES = frozenset("santa san santo sao são saint st sainte fort port mount lake".split())
_PLACE_CONNECTORS = frozenset("de la del du u nad am an sur upon o' o’ el le di da".split())
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
    #: Places and organisations that are general knowledge (``data/well_known_*.txt``).
    places: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()
    #: Famous people and works (``data/famous_people.txt``).
    famous: frozenset[str] = frozenset()

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
            read("well_known_places.txt"),
            read("well_known_orgs.txt"),
            read("famous_people.txt"),
        )

    def well_known(self, value: str) -> bool:
        """Whether ``value`` names a famous place or organisation ("Sydney", "Morgan Stanley")."""
        low = " ".join(value.lower().split())
        if low.startswith("the "):
            low = low[4:]
        return low in self.places or low in self.orgs or low in self.terms

    def is_famous(self, value: str) -> bool:
        """Whether ``value`` is a famous person or work ("Jane Austen", "Einstein", "Mona Lisa")."""
        low = " ".join(value.lower().replace("’", "'").split())
        return low in self.famous

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


def _lower_case_text(letters: list[str], n_upper: int) -> bool:
    """Typed without capitals: none, or a lone capital that does not open the text ("... I'm")."""
    return n_upper == 0 or (n_upper == 1 and not letters[0].isupper())


def _plural_of(low: str, english: frozenset[str]) -> bool:
    """Whether ``low`` is the plural of an English noun ("moons", "boxes", "cities")."""
    if not low.endswith("s") or len(low) < 4:
        return False
    return (
        low[:-1] in english
        or (low.endswith("es") and low[:-2] in english)
        or (low.endswith("ies") and low[:-3] + "y" in english)
    )


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
        lower_text = _lower_case_text(letters, n_upper)
        mixed = not upper_text and not lower_text
        self._mixed = mixed
        self._upper = upper_text
        self._lower = lower_text
        #: Token index -> end of the place/organisation entity that contains it.
        other_label: dict[int, int] = {}
        places: set[int] = set()
        results: list[RecognizerResult] = []
        names = self.names
        for ent in nlp_artifacts.entities:
            if ent.label_ == "PERSON":
                first, last = ent.start, ent.end
                while first < last and self._not_name_token(doc[first], mixed):
                    first += 1
                while last > first and self._not_name_token(doc[last - 1], mixed):
                    last -= 1
                if first == last:
                    continue
                famous = False
                if last < ent.end and self._famous_surname(doc[last], upper_text):
                    last += 1  # "Albert Einstein": a surname the lexicon knows from its bearer
                    famous = True
                start_char = doc[first].idx
                end_char = doc[last - 1].idx + len(doc[last - 1].text)
                span = self._clean(text, start_char, end_char)
                if span and self._plausible_ner(doc[first:last]):
                    results.append(self._result(*span, 0.85, "ner", uncued=famous))
            elif ent.label_ in ("LOCATION", "ORGANIZATION", "NRP"):
                if ent.label_ != "NRP" and self._name_shaped(
                    text, doc[ent.start : ent.end], upper_text, ent.label_
                ):
                    span = self._clean(text, ent.start_char, ent.end_char)
                    if span:
                        results.append(self._result(*span, 0.7, "shape"))
                    continue
                other_label.update(dict.fromkeys(range(ent.start, ent.end), ent.end))
                if ent.label_ != "ORGANIZATION":
                    places.update(range(ent.start, ent.end))

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
            ambiguous = (
                low in names.ambiguous
                or (low in names.english and not names.is_known(low))
                or (not names.is_known(low) and _plural_of(low, names.english))
            )
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
            elif cue_word in _PERSON_ONLY_CUES and (cap or lower_text) and low in names.given:
                start_ok, score = True, 0.7  # "please change it to Sofia Lima"
            elif cue and _NAMING_CUES.match(cue_word or "") and low not in names.english:
                start_ok, score = True, 0.8  # "my name is vitoria", "people call me višeslav"
            elif (
                cap
                and i not in places
                and low in names.given
                and low not in names.ambiguous
                and _PERSON_PREDICATE.match(text, tok.idx + len(tok.text))
            ):
                start_ok, score = True, 0.7  # "Jacob lives on ...", "Scott is a very ..."
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
            elif (
                cap
                and not upper_text
                and low not in names.english
                and i not in places
                and _SURNAME_SUFFIX.search(low)
            ):
                start_ok, score = True, 0.6  # "Usamov", "Kowalska", "Horvatić"
            if not start_ok:
                i += 1
                continue
            end_tok = self._surname_end(doc, i + 1, upper_text)
            famous = False
            if (
                not (cue and not weak_cue)
                and low in names.given
                and end_tok < n
                and self._famous_surname(doc[end_tok], upper_text)
            ):
                end_tok += 1
                famous = True
            span = self._clean(text, tok.idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text))
            if span:
                results.append(self._result(*span, score, "names", uncued=famous))
            i = end_tok
        results.extend(self._speakers(text, upper_text))
        results.extend(self._name_lists(text, lower_text))
        results.extend(self._by_position(text, doc, places))
        results = self._list_members(text, doc, results, mixed)
        return self._mark_topics(text, results, cues)

    def _name_lists(self, text: str, lower_text: bool) -> list[RecognizerResult]:
        """Every member of a list of three or more single words that are mostly given names.

        "They had 6: Efimiya, Mary, Ariana, Isabel, Teresa and Jodi": the unknown member is a
        name because its neighbours are. A list of places, languages or tools does not count.
        """
        pattern = _LOWER_LIST if lower_text else _CAP_LIST
        out = []
        names = self.names
        for m in pattern.finditer(text):
            members = list(re.finditer(r"[^\W\d_][\w'’\-]*", m.group(0)))
            words = [w.group(0) for w in members if w.group(0).lower() not in _LIST_WORDS]
            lows = [w.lower() for w in words]
            if any(w in names.terms or w in names.orgs for w in lows):
                continue
            if sum(w in names.places for w in lows) * 2 >= len(lows):
                continue  # "Paris, Sydney, Victoria and Florence": places
            given = sum(w in names.given or (w in names.surnames and len(lows) <= 3) for w in lows)
            plain = sum(w in names.english and not names.is_known(w) for w in lows)
            if len(words) < 3 or given * 2 < len(words) or plain:
                continue
            for w in members:
                if w.group(0).lower() in _LIST_WORDS:
                    continue
                start = m.start() + w.start()
                out.append(self._result(start, start + len(w.group(0)), 0.65, "namelist"))
        return out

    def _by_position(self, text: str, doc: object, places: set[int]) -> list[RecognizerResult]:
        """Names no list knows, found from where they stand.

        A capitalised word that is not an English word, a technology term or a famous place is a
        person when it opens a sentence and is addressed ("Warrane, can I ...") or described
        ("Shovda is very reliable"), when it is asked about ("Why is Glyceria so impulsive?"), or
        when someone is said to belong to it ("Franciska's kid").
        """
        if self._upper:
            return []
        names = self.names
        out = []
        tok_at: dict[int, Any] | None = None
        for pattern in (_VOCATIVE, *_DESCRIBED, _ASKED_ABOUT, _KIN_OF, _SAID_TO, _INTRODUCED):
            for m in pattern.finditer(text):
                word = m.group("name")
                low = word.lower()
                if (
                    (low in names.english and low not in names.given)
                    or names.never_name(word, True)
                    or names.well_known(word)
                    or low in _NOT_SPEAKERS
                ):
                    continue
                start = m.start("name")
                if tok_at is None:
                    tok_at = {t.idx: t for t in doc}  # type: ignore[attr-defined]
                tok = tok_at.get(start)
                if tok is not None and (
                    tok.is_stop or (tok.i in places and not names.is_known(low))
                ):
                    continue
                out.append(self._result(start, m.end("name"), 0.65, "position"))
        return out

    def _famous_surname(self, tok: object, upper_text: bool) -> bool:
        """A capitalised word the English lexicon knows but the name lists don't (Einstein)."""
        t = tok.text  # type: ignore[attr-defined]
        low = t.lower()
        names = self.names
        return (
            bool(_NAME_TOKEN.match(t))
            and self._capitalised(t, upper_text)
            and not tok.is_stop  # type: ignore[attr-defined]
            and low in names.english
            and not names.is_known(low)
            and low not in names.terms
            and low not in _NOT_SPEAKERS
        )

    def _name_shaped(self, text: str, tokens: object, upper_text: bool, label: str) -> bool:
        """An ORG/place entity that is really a person ("Zoe Young", "Maite Lemmens", "Inger").

        The small spaCy model often tags a person it has not seen as an organisation or place.
        The entity counts as a person when every word is capitalised, it is not a famous place or
        organisation, no word is an institution word ("University", "Bank") and it is a given
        name plus a surname, an unknown capitalised word plus a known non-English surname, or a
        lone given name or surname that is not an English word.
        """
        words = list(tokens)  # type: ignore[call-overload]
        if not 1 <= len(words) <= 4:
            return False
        names = self.names
        if not all(_NAME_TOKEN.match(t.text) or _INITIAL.match(t.text) for t in words):
            return False
        if not all(self._capitalised(t.text, upper_text) for t in words):
            return False
        if names.well_known(" ".join(t.text for t in words)):
            return False
        if any(
            t.lower_ in _ENTITY_WORDS or t.is_stop or names.never_name(t.text, not upper_text)
            for t in words
        ):
            return False
        first, last = words[0].lower_, words[-1].lower_
        if first in _PLACE_PREFIXES or names.well_known(first):
            return False  # "Santa Cruz", "San Jose", "Dell XPS"
        if len(words) == 1:
            idx = words[0].idx
            before = text[max(0, idx - 6) : idx].lower()
            after = text[idx + len(words[0].text) : idx + len(words[0].text) + 4]
            if label == "LOCATION" and (
                re.search(r"\b(?:in|at|from|to|near|of)\s+$", before)
                or re.match(r"\s*,\s*[A-Z]", after)
            ):
                return False  # "from Chelsea", "Chelsea, Massachusetts": a place
            return first not in names.english and (
                first in names.given or (first in names.surnames and not upper_text)
            )
        if first in names.given:
            if last not in names.english:
                return True
            return names.is_known(last) and first not in names.english
        return (
            first not in names.english
            and last in names.surnames
            and last not in names.english
            and not upper_text
        )

    def _speakers(self, text: str, upper_text: bool) -> list[RecognizerResult]:
        """Speaker labels of a dialogue ("Ubul: What a wife." / "Nicole: Remember me?").

        A label counts when the text has two or more labelled lines (or the speech is quoted),
        at least one label is a given name from the lists, and each label is a name-list word or
        an unknown capitalised word followed by real speech (a quote or two or more words);
        "Pros: cheap", "Frontend: React" and "Q:"/"A:" are not dialogue.
        """
        found = []
        any_known = False
        for m in _SPEAKER.finditer(text):
            label = m.group(1)
            words = label.split()
            low = label.lower()
            if low in _NOT_SPEAKERS or words[0].lower() in _NOT_SPEAKERS:
                continue
            if not all(self._capitalised(w, upper_text) or w.islower() for w in words):
                continue
            if any(self.names.never_name(w, True) for w in words):
                continue
            line_end = text.find("\n", m.end())
            speech = text[m.end() : line_end if line_end >= 0 else len(text)]
            quoted = speech[:1] in "\"“'"
            known = any(w.lower() in self.names.given for w in words)
            if not known:
                if any(w.lower() in self.names.english for w in words):
                    continue
                if not quoted and len(speech.split()) < 2:
                    continue
            any_known = any_known or known
            found.append((m.start(1), m.end(1), quoted))
        if not any_known or (len(found) < 2 and not any(quoted for _, _, quoted in found)):
            return []
        return [self._result(a, b, 0.7, "speaker") for a, b, _ in found]

    def _mark_topics(
        self, text: str, results: list[RecognizerResult], cues: dict[int, str]
    ) -> list[RecognizerResult]:
        """People who are the topic of a general-knowledge question need outside support."""
        for r in results:
            cue = cues.get(r.start)
            if cue is not None and cue not in _WEAK_CUES:
                if r.recognition_metadata.get(UNCUED):
                    r.recognition_metadata[UNCUED] = False
                    r.score = max(r.score, 0.8)
                continue
            line_start = max(text.rfind(ch, 0, r.start) for ch in ".?!\n") + 1
            value = text[r.start : r.end]
            if (
                _TOPIC_BEFORE.search(text, line_start, r.start)
                or _TOPIC_AFTER.match(text[r.end :])
                or self.names.is_famous(value)
                or self.names.well_known(value)
            ):
                r.recognition_metadata[UNCUED] = True
                r.recognition_metadata[TOPIC] = True
                r.score = min(r.score, 0.35)
        return results

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
            if (
                self._lower
                and len(t) == 1
                and t.isalpha()
                and end + 1 < len(tokens)  # type: ignore[arg-type]
                and names.is_known(tokens[end + 1].lower_)  # type: ignore[index]
                and tokens[end + 1].lower_ not in names.english  # type: ignore[index]
            ):
                end += 1  # "benjamin a seiler": a lower-case middle initial
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
                or (
                    self._lower
                    and end == j
                    and low not in names.english
                    and (not t.isascii() or bool(_SURNAME_SUFFIX.search(low)))
                )  # "monika žilková": an unlisted surname in lower-case text
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

    def _result(
        self, start: int, end: int, score: float, how: str, uncued: bool = False
    ) -> RecognizerResult:
        return RecognizerResult(
            "PERSON",
            start,
            end,
            min(score, 0.35) if uncued else score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: f"PersonRecognizer:{how}",
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                UNCUED: uncued,
            },
        )


#: Requests that open a sentence: "Plan a trip from Phoenix", "Compare living costs in Austin".
REQUEST_START = re.compile(
    r"\s*(?:please\s+)?(?:plan|compare|recommend|suggest|show|list|find|give|tell|write|explain|"
    r"describe|summari[sz]e|translate|create|make|draft|generate|outline|estimate|calculate|"
    r"rank|name|what|which|who|where|when|how|why|is|are|can|could|should|would|do|does)\b",
    re.IGNORECASE,
)
_SELF = re.compile(r"\b(?:i|i'm|i’m|me|my|mine|we|we're|our|us)\b", re.IGNORECASE)


_BOUNDARY = re.compile(r"[.!?](?=\s)|\n")


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` ("Booking.com" does not end a sentence)."""
    last = 0
    for m in _BOUNDARY.finditer(text, max(0, pos - 300), pos):
        last = m.end()
    return last or max(0, pos - 300)


def _impersonal_request(text: str, start: int, end: int) -> bool:
    """A request or question about the world with no first person in it up to ``end``."""
    return bool(REQUEST_START.match(text, start)) and not _SELF.search(text, start, end)


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
            span = PersonRecognizer._clean(text, ent.start_char, ent.end_char)
            if not span:
                continue
            start, end = span
            value = text[start:end]
            if value.lower() in self.terms or (" " not in value and _CAMEL.match(value)):
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
                    and not _impersonal_request(text, sentence_start_at, end)
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
        lower_text = _lower_case_text(letters, sum(ch.isupper() for ch in letters))
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
            span = PersonRecognizer._clean(text, start, end)
            if not span:
                continue
            out.append(self._result("LOCATION", span[0], span[1], 0.7, "cue"))
        return out
