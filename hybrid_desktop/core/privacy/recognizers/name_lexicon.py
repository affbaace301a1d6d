"""What the person recognizer knows: the bundled name and word lists, and the cue phrases and
word shapes that mark a name.

:class:`NameLists` reads the lists in ``data/`` (given names and surnames of many cultures,
names that are also English words, technology terms, well-known places and organisations,
famous people). The regular expressions and word sets describe where a name stands (after a
cue such as "my colleague" or "Dear", as a dialogue speaker, before a person predicate, as
the topic of a general-knowledge question), what a surname looks like in many languages, and
which words are never part of a person's name. Nothing here imports Presidio or spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")
INITIAL = re.compile(r"^[A-Z]\.?$")
#: Surname shapes that the English lexicon knows from famous bearers (O'Connor, McCartney).
SURNAME_SHAPE = re.compile(r"^(?:[OoDd]['’][^\W\d_]{2,}|Mc[A-Z][a-z]+|MC[A-Z]{2,})$")
#: camelCase / PascalCase with an inner capital, except name prefixes (McDonald, O'Neil, DeSouza).
CAMEL = re.compile(r"^(?!Mc|Mac|O'|O’|D'|D’|De|Di|Da|La|Le|Van|Von)[A-Za-z]*[a-z][A-Z]")
#: "Name, Name and Name": a capitalised word after a found name and a list separator.
LIST_SEP = re.compile(r"^(?:\s*,\s*|\s+(?:and|&|or|und|et|y|e)\s+|\s*/\s*)$")
PERSON_CUE = re.compile(
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
WEAK_CUES = frozenset(
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
PERSON_ONLY_CUES = frozenset(("change it to", "follow up with", "speak to", "assistant to"))
#: Cues after which any word that is not an English word is a name, whatever its case.
NAMING_CUES = re.compile(
    r"^(?:my name is|name is|name\s*:|your name\?|call me|calls me|people call me|everyone calls me|"
    r"(?:last|first|full|sur|maiden|given|family)\s*name(?:\?|\s+is)?)$"
)
#: Surname endings of many languages (Ivanov, Kowalska, Petrenko, Popescu, Horvatić, Andersson,
#: Guðmundsdóttir, Yılmazoğlu, Papadopoulos, Beridze, Virtanen ...).
SURNAME_SUFFIX = re.compile(
    r"(?:ov|ova|ev|eva|ёв|ин|ина|ovich|ovna|evich|evna|enko|chuk|czuk|escu|eanu|ić|ič|vić|vič|"
    r"sson|ssen|sdóttir|dóttir|dottir|oğlu|oglu|ski|ska|sky|skaya|skiy|wicz|czyk|poulos|opoulou|"
    r"akis|idis|iadis|shvili|adze|idze|yan|yants|inen|ainen|nen|berg|ström|strom|quist|qvist|"
    r"gaard|gård|ez|ès)$"
)
#: A dialogue line: "Name: what they say" or 'Name:"..."'.
#: What people do: a name-list word right before one of these is a person ("Jacob lives on ...").
PERSON_PREDICATE = re.compile(
    r"\s+(?:lives|lived|works|worked|said|says|told|asked|is from|was born|began|spent|wants|wanted|"
    r"wrote|called|emailed|texted|replied|thinks|thought|shouted|yelled|is (?:a |an )?very|is my|"
    r"is our|is (?:so|always|never|really) \w+|will be (?:talking|speaking|presenting)|has been my)\b"
)
SPEAKER = re.compile(
    r"^[ \t>]*([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-.]*){0,2})[ \t]*:[ \t]*(?=\S)", re.MULTILINE
)
NOT_SPEAKERS = frozenset(
    "user bot assistant system human ai q a question answer note example input output error warning "
    "name address phone email e-mail mobile desk fax website tel subject from to cc date time when where "
    "who what why how step tip summary result response reply customer agent support admin moderator "
    "interviewer narrator chorus all both".split()
)
#: A person named as the topic of a general-knowledge question, not someone the user knows.
TOPIC_BEFORE = re.compile(
    r"(?:\bwho\s+(?:was|were)|\btell\s+me\s+about|\bbiography\s+of|\blife\s+of|\blegacy\s+of|"
    r"\b(?:essay|poem|report|article|presentation)\s+(?:on|about)|\bquotes?\s+(?:of|by|from)|"
    r"\bworks\s+of|\btheory\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
TOPIC_AFTER = re.compile(
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
#: Words of organisation and place names that are never part of a person's name.
ENTITY_WORDS = frozenset(
    "university college school academy institute bank group inc ltd llc gmbh corp company co "
    "foundation association society council ministry department agency hospital clinic church "
    "museum river lake mount mountain island islands city county state province republic kingdom "
    "street road avenue park bridge station airport port beach valley bay hotel restaurant cafe "
    "club team fc united partners capital holdings ventures labs systems solutions technologies "
    "software services consulting research insights resources data health media studio studios "
    "records press news times post journal orchestra band theatre theater center centre".split()
)
LIST_WORDS = frozenset("and or & und et y e".split())
CAP_LIST = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’\-]+,[ \t]+){1,}[A-Z][\w'’\-]+,?[ \t]+(?:and|&|or)[ \t]+[A-Z][\w'’\-]+"
)
LOWER_LIST = re.compile(
    r"(?<![\w'’-])(?:[^\W\d_][\w'’\-]+,[ \t]+){1,}[^\W\d_][\w'’\-]+,?[ \t]+(?:and|&|or)[ \t]+[^\W\d_][\w'’\-]+"
)
_NAME_WORD = r"(?P<name>[A-Z][^\W\d_]+(?:[’'\-][^\W\d_]+)?)"
#: "Warrane, can I please speak to your boss?"
VOCATIVE = re.compile(
    rf"(?:^|(?<=[.!?\n]\s)|(?<=[.!?\n]))\s*{_NAME_WORD},\s+(?:can|could|would|will|please|"
    r"do|did|are|were|have|thanks|thank|i|we|you|let's|how|what|where|when)\b",
    re.MULTILINE,
)
_SENTENCE_OPENING = r"(?:^|(?<=[.!?\n]\s)|(?<=[.!?\n]))\s*"
#: "Shovda is very reliable.", "Trivo lives on Grössgstötten 50", "Adomo began writing".
DESCRIBED = tuple(
    re.compile(_SENTENCE_OPENING + _NAME_WORD + predicate, re.MULTILINE)
    for predicate in (
        r"\s+(?:is|was)\s+(?:a\s+|an\s+)?(?:very|so|really|always|never|quite|extremely|too)\s+\w+",
        r"\s+(?:lives|lived)\s+(?:on|at|in)\s+[^.!?\n]{0,40}?\d",
        r"\s+(?:began|started)\s+(?:writing|working|singing|playing)",
        r"\s+(?:spent|was\s+born|grew\s+up|will\s+be\s+(?:talking|speaking|presenting))",
    )
)
#: "Hey, it's Priyanka.", "Hi, this is Oyelaran here"
INTRODUCED = re.compile(
    rf"(?i:\b(?:it's|it’s|it is|this is))\s+{_NAME_WORD}(?=\s*(?:[.,!;]|$|\s+here\b))", re.MULTILINE
)
#: "said Gladys to Logan"
SAID_TO = re.compile(
    rf"\b(?:said|says|shouted|whispered|replied|wrote)\s+[A-Z][^\W\d_]+\s+to\s+{_NAME_WORD}"
)
#: "Why is Glyceria so impulsive?"
ASKED_ABOUT = re.compile(
    rf"\b(?:why|how)\s+(?:is|was|does|did)\s+{_NAME_WORD}\s+(?:so|always|never|still|such)\b",
    re.IGNORECASE,
)
#: "Franciska's kid", "Maite's husband"
KIN_OF = re.compile(
    rf"{_NAME_WORD}(?:'s|’s)\s+(?:kid|kids|child|children|son|daughter|wife|husband|partner|"
    r"mother|mom|mum|father|dad|brother|sister|boyfriend|girlfriend|fiancée?|family|parents|"
    r"killers?|murderers?|friends?|boss|colleagues?|birthday|funeral|wedding|phone|address|email)\b"
)
#: First words of place names that are also given names ("Santa Cruz", "San Jose").
PLACE_PREFIXES = frozenset("santa san santo sao são saint st sainte fort port mount lake".split())


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
        if CAMEL.match(word):
            return True
        return word.isupper() and len(word) <= 5 and low not in self.given
