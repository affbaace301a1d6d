"""What the person recognizer knows: the bundled name and word lists, and the cue phrases and
word shapes that mark a name.

:class:`NameLists` reads the lists in ``data/`` (given names and surnames of many cultures,
names that are also English words, technology terms, well-known places and organisations,
famous people and characters). The cue phrases (greetings, requests, relations, titles,
naming phrases, chat cues) and stop lists are data files too (``data/names_*.txt``, one entry
a line, per language where it applies), read once when this module is imported; this module
turns them into the regexes the recognizer runs. What stays in code are shapes: a name token,
an initial, camelCase, a list separator. Nothing here imports Presidio or spaCy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from .cue_lists import alternation, read_list

NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’\-])*$")
INITIAL = re.compile(r"^[A-Z]\.?$")
#: Surname shapes that the English lexicon knows from famous bearers (O'Connor, McCartney).
SURNAME_SHAPE = re.compile(r"^(?:[OoDd]['’][^\W\d_]{2,}|Mc[A-Z][a-z]+|MC[A-Z]{2,})$")
#: camelCase / PascalCase with an inner capital, except name prefixes (McDonald, O'Neil, DeSouza).
CAMEL = re.compile(r"^(?!Mc|Mac|O'|O’|D'|D’|De|Di|Da|La|Le|Van|Von)[A-Za-z]*[a-z][A-Z]")


def _words(name: str) -> frozenset[str]:
    return frozenset(read_list(name))


def _cue_key(phrase: str) -> str:
    """A matched or listed cue phrase, normalised for look-up ("Cc :" -> "cc:", "Dear," -> "dear")."""
    key = " ".join(phrase.lower().replace("’", "'").split())
    key = re.sub(r"\s*:.*$", ":", key)
    return key.strip(" .,")


def _cue_pattern(entries: tuple[str, ...]) -> str:
    """An alternation of cue phrases; a trailing ":" allows spaces before it."""
    parts = []
    for entry in sorted(entries, key=len, reverse=True):
        colon = entry.endswith(":")
        body = entry.rstrip(":").strip()
        words = [re.escape(w).replace("'", "['’]") for w in body.split()]
        pattern = r"\s+".join(words) + (r"\s*:" if colon else "")
        lead = r"\b" if body[:1].isalnum() else ""
        parts.append(lead + pattern)
    return "(?:" + "|".join(parts) + ")"


_LIST_WORDS = read_list("names_list_words.txt")
#: Words that join the members of a list of names ("Ana, Bo and Cy").
LIST_WORDS = frozenset(_LIST_WORDS)
_LIST_JOIN = alternation(_LIST_WORDS)
#: "Name, Name and Name": a capitalised word after a found name and a list separator.
LIST_SEP = re.compile(rf"^(?:\s*,\s*|\s+{_LIST_JOIN}\s+|\s*/\s*)$", re.IGNORECASE)

#: Cue kinds: a strong cue supports any capitalised unknown word; a weak one only listed names.
STRONG, WEAK, PERSON_ONLY, NAMING = "strong", "weak", "person_only", "naming"
_CUE_FILES = (
    (WEAK, "names_weak_cues.txt"),
    (STRONG, "names_greeting_cues.txt"),
    (STRONG, "names_cues.txt"),
    (PERSON_ONLY, "names_person_only_cues.txt"),
    (NAMING, "names_naming_cues.txt"),
)
#: Normalised cue phrase -> kind; a phrase in two files takes the later (stronger) kind.
CUE_KINDS: dict[str, str] = {}
#: First word of a cue phrase -> (its words, whether a colon follows, normalised phrase),
#: longest first. Looking words up is several times faster than one regex of 400 phrases.
_CUES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
for _kind, _file in _CUE_FILES:
    for _entry in read_list(_file):
        _key = _cue_key(_entry)
        CUE_KINDS[_key] = _kind
        _words_of = tuple(_entry.replace("’", "'").rstrip(":").split())
        _CUES_BY_FIRST.setdefault(_words_of[0], []).append((_words_of, _entry.endswith(":"), _key))
for _phrases in _CUES_BY_FIRST.values():
    _phrases.sort(key=lambda p: (len(p[0]), p[1]), reverse=True)
_CUE_TOKEN = re.compile(r"[^\W\d_][\w'’\-/]*")
_AFTER_CUE = re.compile(r"[\s.,:]*")
_COLON = re.compile(r"[ \t]*:")


def find_cues(text: str) -> dict[int, tuple[str, str]]:
    """Where a cue phrase ends (spaces and punctuation after it skipped) -> (phrase, kind).

    Phrases are matched word by word, case-insensitively, with any whitespace between words; a
    phrase listed with a trailing ":" needs the colon ("cc:", "from:").
    """
    tokens = list(_CUE_TOKEN.finditer(text))
    lows = [m.group(0).lower().replace("’", "'") for m in tokens]
    out: dict[int, tuple[str, str]] = {}
    k = 0
    while k < len(tokens):
        phrases = _CUES_BY_FIRST.get(lows[k])
        if phrases is None and "'" in lows[k]:
            # An elided article before a title: "l'avv.", "dell'ing.", "all'arch.".
            lows[k] = lows[k].rsplit("'", 1)[1]
            phrases = _CUES_BY_FIRST.get(lows[k])
        matched = None
        if phrases:
            for words, colon, key in phrases:
                n = len(words)
                if tuple(lows[k : k + n]) != words:
                    continue
                if any(
                    text[tokens[j - 1].end() : tokens[j].start()].strip()
                    for j in range(k + 1, k + n)
                ):
                    continue  # only whitespace may stand between the words of a phrase
                end = tokens[k + n - 1].end()
                if colon:
                    c = _COLON.match(text, end)
                    if c is None:
                        continue
                    end = c.end()
                matched = (n, _AFTER_CUE.match(text, end).end(), key)  # type: ignore[union-attr]
                break
        if matched is None:
            k += 1
            continue
        n, end, key = matched
        out[end] = (key, CUE_KINDS[key])
        k += n
    return out


#: Greetings, thanks and titles ("Dear", "Hallo", "Mme"): they only ever introduce a person.
GREETINGS = frozenset(_cue_key(e) for e in read_list("names_greeting_cues.txt"))
#: Chat cues and team roles ("ping", "cc", "dev"): a lower-case given name after one is a person.
CHAT_CUES = _words("names_chat_cues.txt")

#: Surname endings of many languages (``data/names_surname_suffixes.txt``).
SURNAME_SUFFIX = re.compile(
    "(?:"
    + "|".join(
        sorted(map(re.escape, read_list("names_surname_suffixes.txt")), key=len, reverse=True)
    )
    + ")$"
)
#: A dialogue or list line: "Name: what they say", "Name - yes".
SPEAKER = re.compile(
    r"^[ \t>]*([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-.]*){0,2})[ \t]*:[ \t]*(?=\S)", re.MULTILINE
)
#: A line of a labelled list: an optional bullet, one to four name words, then ":", "-", "–",
#: "—", "=" or a tab, then a short value ("Ana Lima - yes", "* Bo Chen: +1").
LABELLED_LINE = re.compile(
    r"^[ \t]*(?:[-*•·]|\d{1,2}[.)])?[ \t]*"
    r"(?P<label>[^\W\d_][\w'’\-]*\.?(?:[ \t]+[^\W\d_][\w'’\-]*\.?){0,3})"
    r"[ \t]*(?:[:=\t]|[ \t][-–—][ \t])[ \t]*(?P<value>[^\n]{1,60})$",
    re.MULTILINE,
)
NOT_SPEAKERS = _words("names_not_speakers.txt")
#: A person named as the topic of a general-knowledge question, not someone the user knows.
TOPIC_BEFORE = re.compile(
    rf"{_cue_pattern(read_list('names_topic_before.txt'))}\s+(?:the\s+)?$", re.IGNORECASE
)
TOPIC_AFTER = re.compile(
    rf"^(?:'s|’s)\s+(?:\w+\s+)?{alternation(read_list('names_topic_nouns.txt'))}"
    r"|^\s+the\s+(?-i:[A-Z][a-z]+)\b"  # "Ivan the Terrible", "Alfred the Great"
    rf"|^\s+{alternation(read_list('names_eponym_nouns.txt'))}",
    re.IGNORECASE,
)
#: Words of organisation and place names that are never part of a person's name.
ENTITY_WORDS = _words("names_entity_words.txt")
CAP_LIST = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’\-]+,[ \t]+){1,}[A-Z][\w'’\-]+,?[ \t]+(?i:"
    + _LIST_JOIN
    + r")[ \t]+[A-Z][\w'’\-]+"
)
LOWER_LIST = re.compile(
    r"(?<![\w'’-])(?:[^\W\d_][\w'’\-]+,[ \t]+){1,}[^\W\d_][\w'’\-]+,?[ \t]+(?i:"
    + _LIST_JOIN
    + r")[ \t]+[^\W\d_][\w'’\-]+"
)
_NAME_WORD = r"(?P<name>[A-Z][^\W\d_]+(?:[’'\-][^\W\d_]+)?)"
_SENTENCE_OPENING = r"(?:^|(?<=[.!?\n]\s)|(?<=[.!?\n]))\s*"
#: A sentence opening with an unknown word that is then described ("X is very reliable").
DESCRIBED = re.compile(
    _SENTENCE_OPENING
    + _NAME_WORD
    + r"\s+(?:is|was)\s+(?:a\s+|an\s+)?(?i:"
    + alternation(read_list("names_described_words.txt"))
    + r")\s+\w+",
    re.MULTILINE,
)
#: "Hey, it's Tamsin.", "Hi, this is Adaora here"
INTRODUCED = re.compile(
    rf"(?i:\b(?:it's|it’s|it is|this is))\s+{_NAME_WORD}(?=\s*(?:[.,!;]|$|\s+here\b))", re.MULTILINE
)
#: Titles before a surname (``data/names_honorifics.txt``: "Frau", "M.", "pan", "sig.").
HONORIFICS = frozenset(_cue_key(e) for e in read_list("names_honorifics.txt"))
#: Case endings of Polish (and Czech, Slovak) names and what the nominative ends in:
#: "Agnieszki" -> "Agnieszka", "Tomaszem" -> "Tomasz", "Nowakowi" -> "Nowak", "Marii" -> "Maria",
#: "Kowalskiego" -> "Kowalski". Only a listed name counts as the nominative, so adjectives in the
#: same case ("Warszawskim", "Polskiej") are not taken for surnames.
_CASE_ENDINGS = (
    # A mobile "e" drops before the ending: "Paweł" -> "Pawła", "Pawłowi", "Pawłem".
    ("łowi", "eł"),
    ("łem", "eł"),
    ("ła", "eł"),
    ("iego", "i"),
    ("iemu", "i"),
    ("iej", "a"),
    ("im", "i"),
    ("owi", ""),
    ("iem", ""),
    ("em", ""),
    ("ie", "a"),
    ("ce", "ka"),
    ("dze", "ga"),
    ("ii", "ia"),
    ("ki", "ka"),
    ("gi", "ga"),
    ("y", "a"),
    ("ę", "a"),
    ("ą", "a"),
    ("a", ""),
    ("u", ""),
)
#: Lower-case particles inside surnames ("van der", "de la", "dos", "von").
PARTICLES = _words("names_particles.txt")
#: First words of place names that are also given names ("Santa Cruz", "San Jose").
PLACE_PREFIXES = _words("names_place_prefixes.txt")
#: Column headers of CSV/TSV tables whose cells are surnames / given or full names.
CSV_SURNAME_HEADERS = _words("names_csv_surname_headers.txt")
CSV_NAME_HEADERS = _words("names_csv_given_headers.txt")
#: Generic headers ("name", "nom"): their column holds people only if its cells look like names.
CSV_GENERIC_HEADERS = _words("names_csv_name_headers.txt")

#: Letters that do not decompose under NFKD but have a plain ASCII spelling.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def ascii_fold(word: str) -> str:
    """``word`` without diacritics ("Nguyễn" -> "Nguyen", "Małgorzata" -> "Malgorzata")."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
    #: Famous people, works and fictional characters (``data/famous_people.txt``,
    #: ``data/names_famous_characters.txt``).
    famous: frozenset[str] = frozenset()

    @classmethod
    def load(cls, english: frozenset[str] = frozenset()) -> NameLists:
        """Read the bundled lists; names are also known without their diacritics."""
        data = resources.files("hybrid_desktop.core.privacy") / "data"

        def read(name: str) -> frozenset[str]:
            text = (data / name).read_text(encoding="utf-8")
            lines = (line.strip().lower() for line in text.splitlines())
            return frozenset(line for line in lines if line and not line.startswith("#"))

        def with_folded(names: frozenset[str]) -> frozenset[str]:
            # "Nguyen", "Malgorzata" as typed without diacritics; "Ibán" does not make "iban" a name.
            folded = {ascii_fold(n) for n in names if not n.isascii()}
            return names | {f for f in folded if f not in english and len(f) > 4}

        return cls(
            with_folded(read("given_names.txt")),
            with_folded(read("surnames.txt")),
            read("name_words.txt"),
            english,
            read("common_terms.txt"),
            read("well_known_places.txt")
            | read("well_known_landmarks.txt")
            | read("places_country_names.txt"),
            read("well_known_orgs.txt"),
            read("famous_people.txt") | read("names_famous_characters.txt"),
        )

    def well_known(self, value: str) -> bool:
        """Whether ``value`` names a famous place or organisation ("Sydney", "Morgan Stanley")."""
        low = " ".join(value.lower().split())
        if low.startswith("the "):
            low = low[4:]
        return low in self.places or low in self.orgs or low in self.terms

    def is_famous(self, value: str) -> bool:
        """Whether ``value`` is a famous person, work or character ("Jane Austen", "Mona Lisa")."""
        low = " ".join(value.lower().replace("’", "'").split())
        return low in self.famous

    def is_known(self, low: str) -> bool:
        """Whether ``low`` is a given name or surname (and not a technology word)."""
        return (low in self.given or low in self.surnames) and low not in self.terms

    def base_form(self, low: str) -> str | None:
        """The listed name that ``low`` is a case form of ("agnieszki" -> "agnieszka",
        "tomaszem" -> "tomasz", "piotra" -> "piotr"), or None. Never for an English word."""
        if low in self.english or len(low) < 5:
            return None
        for ending, nominative in _CASE_ENDINGS:
            if low.endswith(ending):
                base = low[: -len(ending)] + nominative
                if len(base) >= 3 and self.is_known(base) and base not in self.english:
                    return base
        return None

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


# -- labelled fields: forms, JSON/YAML keys, log key=value ------------------------------------

#: Field kinds: the entity a labelled value is (postcodes, IDs and dates under their keys are
#: ``labelled_ids.FieldRecognizer``'s) (``GENERIC_NAME``: a "name" key, whose value
#: must look like a person's name, since products and services have names too).
GENERIC_NAME = "NAME?"
FIELD_KINDS: dict[str, str] = {
    **dict.fromkeys(read_list("places_org_field_labels.txt"), "ORGANIZATION"),
    **dict.fromkeys(read_list("places_field_labels.txt"), "LOCATION"),
    **dict.fromkeys(read_list("names_csv_name_headers.txt"), GENERIC_NAME),
    **dict.fromkeys(read_list("names_csv_given_headers.txt"), "PERSON"),
    **dict.fromkeys(read_list("names_csv_surname_headers.txt"), "PERSON"),
    **dict.fromkeys(read_list("names_field_labels.txt"), "PERSON"),
}
#: The key before a ":" or "=": up to four words, optionally quoted, at a line start or after
#: "{", ",", "[", ";", "|", "(" or a space ("Name: ...", ``"full_name": ...``, ``nom="..."``).
_FIELD_KEY = re.compile(
    r"(?:^|(?<=[\s{,\[;|(]))[\"']?(?P<key>[^\W\d_][\w.\-]*(?:[ \t][^\W\d_][\w.\-]*){0,3})"
    r"[\"']?[ \t]*$"
)
#: The value after the separator: in quotes, or up to the end of the line, a comma or ";".
_FIELD_VALUE = re.compile(
    r"[ \t]*(?:\"(?P<dq>[^\"\n]{1,80})\"|'(?P<sq>[^'\n]{1,80})'"
    r"|(?P<bare>[^\W\d_][^\n\"<>{}\[\]|;,=]{0,79}|\d[\dA-Za-z \-]{1,9}(?=[\s,;}\]]|$)))"
)
_SEPARATOR = re.compile(r"[:=]")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")
_KEY_SEPARATORS = re.compile(r"[_\-.\s]+")


def field_key(key: str) -> str:
    """A field key or column header normalised for look-up ("zipCode", "Last_Name" -> "zip
    code", "last name")."""
    return _KEY_SEPARATORS.sub(" ", _CAMEL_SPLIT.sub(" ", key.strip())).strip().lower()


def field_kind(key: str) -> str | None:
    """The kind of a field key: the whole key, or its last words ("customer full name")."""
    words = field_key(key).split()
    for n in range(len(words), 0, -1):
        kind = FIELD_KINDS.get(" ".join(words[-n:]))
        if kind is not None:
            return kind
    return None


def labelled_fields(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every value under a known key (see :data:`FIELD_KINDS`).

    ``key: value``, ``"key": "value"``, ``key = 'value'``, ``key="value"``. Each ":" or "="
    is looked at once and its key read backwards from it, which is much faster than a regex
    tried at every position of a long text.
    """
    out = []
    for sep in _SEPARATOR.finditer(text):
        pos = sep.start()
        line_start = max(text.rfind("\n", 0, pos) + 1, pos - 60)
        key = _FIELD_KEY.search(text, line_start, pos)
        if key is None:
            continue
        kind = field_kind(key.group("key"))
        if kind is None:
            continue
        m = _FIELD_VALUE.match(text, sep.end())
        if m is None:
            continue
        group = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "bare"
        start, end = m.span(group)
        while end > start and text[end - 1] in " \t":
            end -= 1
        if end > start:
            out.append((kind, start, end))
    return out
