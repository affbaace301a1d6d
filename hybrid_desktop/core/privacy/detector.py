"""The on-device PII detector that every prompt passes before anything may go to the cloud.

Built on Presidio's ``AnalyzerEngine`` with the gate's own recognizers (``recognizers/``) and a
lean spaCy engine (no parser, never downloads). Importing this module is cheap: Presidio and spaCy
are imported when a :class:`Detector` is built, which takes a second or two, so callers build it
off the GUI thread and keep it. :meth:`Detector.with_terms` makes a copy with new deny/allow lists
that shares the loaded engine (a settings change costs nothing).

``detect`` returns non-overlapping findings sorted by start, with offsets into the text given:
overlapping detections are merged (the best-scoring type wins), neighbouring address pieces
(street, postcode, city) become one STREET_ADDRESS, places and organisations count only in a
personal context, when the same text also names a person or an address (a person who is the
topic of a general-knowledge question only in the latter case), or when one of them is obscure
and named in a statement rather than a question or request, the unlabelled lines of a contact
block that opens with a name (employer, city) are reported too, and allow-listed terms are never
reported (the deny-list wins when a term is on both).

Before any of that, what is general knowledge or no one's data is set aside
(:meth:`Detector._general_knowledge`): an ordinary word that opens a sentence (an imperative or
a question word of any of the gate's languages, ``data/sentence_openers.txt``), famous people,
works and characters, the English model's guesses in a short text of another language, and
loopback addresses.

The candidate record and the merging steps are in :mod:`.candidates`, the sentence tests
(statement, first person) in :mod:`.sentences`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from hybrid_desktop.domain import ENTITY_TYPES, Finding

from .candidates import (
    Candidate,
    contact_block_lines,
    merge_address_blocks,
    merge_overlaps,
    non_overlapping,
)
from .code_spans import CodeMap
from .general_knowledge import (
    english_model_only,
    famous_words,
    fiction_context,
    noun_after,
    ordinary_words,
    other_language_guess,
    people_spans,
    region_follows,
)
from .language import LANGUAGES, other_language
from .public_addresses import ADDRESS_TYPES, generic_address
from .sentences import OPENER_OBJECTS, OPENERS, first_person_sentence, opens_sentence, statement

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

__all__ = ["Detector", "DetectorConfig"]

#: Findings that tie an uncued place or organisation in the same text to a person.
_ANCHORS = frozenset({"PERSON", "STREET_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER"})
#: Words of public institutions: "Supreme Court", "National Gallery", "Ministry of Health".
_PUBLIC_BODIES = frozenset(
    "court parliament senate congress ministry museum gallery university army navy police "
    "government council commission reserve national federal royal supreme state church "
    "cathedral library department agency".split()
)
#: Natural features: a place named with one of these is geography, not someone's address.
_GEOGRAPHY = frozenset(
    "river lake sea ocean mountains mountain mount mt desert falls island islands peninsula gulf "
    "bay canal glacier volcano strait channel valley forest reef coast plateau basin delta".split()
)
_EDGE_PUNCT = " \t\r\n.,;:!?\"'()[]{}<>“”‘’«»"
#: Types that name things in words: general knowledge unless the text ties them to someone.
_WORD_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
#: Control characters (not tab or line breaks): read as spaces, or the word they touch is hidden.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
#: A text longer than this is read in overlapping windows (memory, and spaCy's length limit).
CHUNK_CHARS = 20_000
CHUNK_OVERLAP = 400
#: The languages whose spaCy stop words tell a short text's language (``language.LANGUAGES``).
_STOP_LANGUAGES = LANGUAGES


@dataclass(frozen=True)
class DetectorConfig:
    """What the user configured: deny/allow lists, model override and score threshold."""

    deny_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()
    spacy_model: str | None = None  # None = the best installed English model
    min_score: float = 0.5


class Detector:
    """Finds personal data and secrets in text. Heavy to build, cheap to call."""

    model_name: str

    def __init__(self, config: DetectorConfig = DetectorConfig()) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        from .recognizers import build_recognizers
        from .recognizers.name_lexicon import NameLists
        from .recognizers.nlp import LeanSpacyNlpEngine, choose_model

        self.model_name = choose_model(config.spacy_model)
        engine = LeanSpacyNlpEngine(self.model_name)
        engine.load()
        names = NameLists.load(_english_lexicon(engine))
        self._names = names
        self._engine = engine
        engine.given_names, engine.surnames = names.given, names.surnames
        registry = RecognizerRegistry(recognizers=build_recognizers(names))
        self._analyzer: AnalyzerEngine = AnalyzerEngine(
            registry=registry, nlp_engine=engine, supported_languages=["en"]
        )
        self._lock = threading.Lock()
        self._configure(config)

    def _configure(self, config: DetectorConfig) -> None:
        from .recognizers.custom import deny_recognizer

        self.config = config
        deny = deny_recognizer(config.deny_terms)
        self._ad_hoc: list[EntityRecognizer] = [deny] if deny is not None else []
        self._allow = frozenset(_norm(t) for t in config.allow_terms if t.strip())

    def with_terms(self, deny_terms: Iterable[str], allow_terms: Iterable[str]) -> Detector:
        """A detector with new deny/allow lists that shares this one's loaded engine."""
        clone = object.__new__(Detector)
        clone.model_name = self.model_name
        clone._analyzer = self._analyzer
        clone._names = self._names
        clone._engine = self._engine
        clone._lock = self._lock
        clone._configure(
            replace(self.config, deny_terms=tuple(deny_terms), allow_terms=tuple(allow_terms))
        )
        return clone

    def detect(self, text: str) -> list[Finding]:
        """Personal data and secrets in ``text``: non-overlapping, sorted, offsets into ``text``.

        Text pasted from a JSON string, a log line or code (``Ana\\nPhone: ...``, ``\\"user\\"``,
        ``Ren\\u00e9e``) is read through its unescaped view (:mod:`.escapes`), and each finding
        maps back to the original, widened to whole escape sequences: ``Finding.text`` is always
        ``text[start:end]``.
        """
        if _CONTROL.search(text):  # "Anna Schmidt\x00" hid the name (found by the fuzzing)
            seen = self.detect(_CONTROL.sub(" ", text))  # same length: offsets stay
            return [replace(f, text=text[f.start : f.end]) for f in seen]
        if len(text) > CHUNK_CHARS:
            return self._detect_chunks(text)
        from .escapes import restore_findings, unescaped_view

        view = unescaped_view(text)
        if view is None:
            return self._detect_text(text)
        return restore_findings(text, view, self._detect_text(view.text))

    def _detect_chunks(self, text: str) -> list[Finding]:
        """A long text in windows of :data:`CHUNK_CHARS` that overlap by :data:`CHUNK_OVERLAP`,
        cut at a sentence or line end where there is one: memory stays bounded and spaCy's length
        limit never applies. Each window reports only what starts in its core (the overlap split
        between neighbours), so every value is judged with context on both sides, and a value cut
        at one window's edge is whole in the next. Offsets are the original text's."""
        found: list[Finding] = []
        half = CHUNK_OVERLAP // 2
        start = 0
        while start < len(text):
            end = min(len(text), start + CHUNK_CHARS)
            if end < len(text):
                end = _window_end(text, start + CHUNK_CHARS - half, end) or end
            core_start = start + half if start > 0 else 0
            core_end = end - half if end < len(text) else end
            for f in self.detect(text[start:end]):
                if not core_start <= f.start + start < core_end:
                    continue
                if f.end == end - start and end < len(text):
                    continue  # cut by the edge: the next window has it whole
                found.append(replace(f, start=f.start + start, end=f.end + start))
            if end >= len(text):
                break
            start = max(start + 1, end - CHUNK_OVERLAP)
        return non_overlapping(sorted(found, key=lambda f: (f.start, -f.end)))

    def _detect_text(self, text: str) -> list[Finding]:
        """The findings in ``text`` as it is (no unescaping)."""
        if not text or not text.strip():
            return []
        with self._lock:
            # Recognizers are registered for "en"; the artifacts come from the text's own
            # language pipeline (``LeanSpacyNlpEngine.artifacts``).
            raw = self._analyzer.analyze(
                text=text,
                language="en",
                score_threshold=0.0,
                ad_hoc_recognizers=self._ad_hoc,
                nlp_artifacts=self._engine.artifacts(text),
            )
        candidates = [c for c in (self._candidate(text, r) for r in raw) if c is not None]
        return self._resolve(text, candidates)

    # -- resolution ----------------------------------------------------------------------

    def _candidate(self, text: str, result: Any) -> Candidate | None:
        entity = result.entity_type
        if entity not in ENTITY_TYPES:
            return None
        meta = result.recognition_metadata or {}
        start, end = result.start, result.end
        strip = " \t\r\n" if entity == "SECRET" else _EDGE_PUNCT
        while start < end and text[start] in strip:
            start += 1
        while end > start and text[end - 1] in strip:
            end -= 1
        if end <= start or not any(ch.isalnum() for ch in text[start:end]):
            return None
        return Candidate(
            entity,
            start,
            end,
            float(result.score),
            str(meta.get("recognizer_name", "")),
            bool(meta.get("uncued", False)),
            bool(meta.get("topic", False)),
        )

    def _resolve(self, text: str, cands: list[Candidate]) -> list[Finding]:
        from .candidates import outside_code
        from .code_spans import code_map

        # Code, SQL, commands and stack traces stay intact: names are not looked for on their
        # identifiers (only in their literals and comments), placeholders never split a token.
        code = code_map(text)
        cands = outside_code(text, cands, code)
        cands = self._general_knowledge(text, cands, code)
        # A place or firm under a key in code ("WHERE city = 'Lyon'", "{'city': 'Lyon'}") is a
        # query filter, a default or a fixture on its own: personal only next to a person.
        cands = [
            replace(c, uncued=True)
            if c.type in ("LOCATION", "ORGANIZATION")
            and c.source.endswith(":field")
            and any(s <= c.start < e for s, e in code.regions)
            else c
            for c in cands
        ]
        threshold = self.config.min_score
        anchored = any(c.type in _ANCHORS and c.score >= threshold for c in cands)
        # An obscure firm or village named in a statement makes the text about someone specific:
        # the other uncued places and organisations in it are kept too (an acronym, "EUR" or
        # "ATM", is never reported as a place or firm, so it does not count).
        specific = any(
            c.uncued
            and not c.topic
            and not _acronym(text[c.start : c.end])
            and self._obscure_in_statement(text, c)
            for c in cands
        )
        kept: list[Candidate] = []
        for c in cands:
            if c.type == "DOMAIN_NAME" and self._famous_site(text[c.start : c.end]):
                continue  # "booking.com", "github.com": a public site, not someone's
            if c.uncued:
                value = text[c.start : c.end]
                if _acronym(value) and c.type in ("ORGANIZATION", "LOCATION"):
                    continue  # "ATM", "IBAN", "CV": acronyms, not employers or places
                personal = anchored or (
                    not c.topic and (specific or first_person_sentence(text, c.start, c.end))
                )
                if not personal:
                    continue
                c.score = max(c.score, threshold)
            if c.score >= threshold:
                kept.extend(self._apply_allow_list(text, c))
        kept = merge_address_blocks(text, kept)
        kept.extend(outside_code(text, contact_block_lines(text, kept, self._names.places), code))
        merged = merge_overlaps(kept)
        return [
            Finding(c.type, c.start, c.end, c.score, text[c.start : c.end], c.source)
            for c in merged
        ]

    def _general_knowledge(
        self, text: str, cands: list[Candidate], code: CodeMap
    ) -> list[Candidate]:
        """Drop what is general knowledge or not personal data at all, before anchors count.

        * A capitalised ordinary word that opens a sentence or a line (an imperative, a
          question word, a stop word of the text's language: "Résume ...", "¿Qué ...",
          "Vergleiche ...", "Mark all the ...") is cut off the name, place or firm it starts.
        * A famous person, work or character (``data/famous_people.txt``,
          ``data/names_famous_characters.txt``) is not reported, unless a personal cue names
          them in a first-person sentence ("my friend Tom Hanks"); nor is a finding whose
          capitalised words all belong to famous names, a lone given name in a sentence that
          names a famous work, or a town named with its region (:mod:`.general_knowledge`).
        * In a short text in another language that the language classifier could not tell
          (too few words, so the English model ran on it), the English model's people,
          places and firms are not trusted: capitalised nouns ("Einwohner"), verbs and parts
          of town names are what it finds there. Only names that the name lists know stay,
          as they would if the text had gone through its own language's pipeline.
        * Loopback and unspecified IP addresses (``127.0.0.1``, ``0.0.0.0``) belong to no one.
        """
        foreign = self._misrouted_language(text, code) if cands else ""
        other = other_language(code.prose(text)) if cands and not foreign else ""
        languages: frozenset[str] | None = None
        lang = "en"
        people = people_spans(text, cands)
        out: list[Candidate] = []
        for raw in cands:
            if raw.type in ADDRESS_TYPES and generic_address(text[raw.start : raw.end]):
                continue
            if raw.type not in _WORD_TYPES:
                out.append(raw)
                continue
            if languages is None:
                lang = foreign or self._engine.languages.detect(text)
                languages = frozenset({"en", lang})
            c = self._without_opening_word(text, raw, languages)
            if c is None or self._famous_or_character(text, c):
                continue
            places = self._engine.gazetteer().places
            if foreign and english_model_only(self._names, places, text, c):
                continue
            if other and other_language_guess(self._names, places, text, c):
                continue
            if c.type == "PERSON" and ordinary_words(self._names, text, c, lang, people):
                continue
            out.append(c)
        return out

    def _misrouted_language(self, text: str, code: CodeMap) -> str:
        """The language of a text that went through the English pipeline but is not English.

        The language router reads only the words that open in lower case, and answers English
        when there are too few of them ("Wie viele Einwohner hat Köln?", "Porównaj twórczość
        Mickiewicza i Słowackiego."). Here the prose of the text (code left out) is classified
        whole, capitalised words too, and the answer counts only if the text's stop words agree
        (more of that language's than of English). Returns "" for English text and for text
        that went through its own language's pipeline.
        """
        prose = code.prose(text)[:2000]
        words = [w.lower() for w in _WORD.findall(prose)]
        if not words:
            return ""
        lang, prob = _identifier().classify(" ".join(words))
        if lang == "en" or prob < 0.85:
            return ""
        stops = _stop_words()
        ours = sum(w in stops[lang] for w in words)
        # English "I" is written in capitals; a lower-case "i" is Polish or Italian "and".
        english = sum(w.lower() in stops["en"] for w in _WORD.findall(prose) if w != "i")
        if ours == 0 or ours <= english:
            return ""
        if self._engine.languages.detect(text) != "en":
            return ""  # its own pipeline ran
        return str(lang)

    def _without_opening_word(
        self, text: str, c: Candidate, languages: frozenset[str]
    ) -> Candidate | None:
        """``c`` without an ordinary word that opens its sentence (``None`` if nothing is left).

        ``languages`` are those whose stop words count (English and the text's own).
        """
        if not opens_sentence(text, c.start):
            return c
        m = _WORD.match(text, c.start)
        if m is None:
            return c
        word = m.group(0)
        low = word.lower().replace("’", "'")
        names = self._names
        places = self._engine.gazetteer().places
        value = " ".join(text[c.start : c.end].lower().split())
        if any(names.well_known(v) or v in places for v in (word, value)):
            return c  # "Estonia was fun", "United States": a place, whatever the lexicon says
        after = text[m.end() : m.end() + 40]
        nxt = _WORD.search(after)
        next_word = nxt.group(0) if nxt and not after[: nxt.start()].strip(" \t") else ""
        next_lower = bool(next_word) and next_word[:1].islower()
        stops = _stop_words()
        name_first = low in names.given and next_word[:1].isupper()  # "Wen Li", "Will Okafor"
        ordinary = (
            (low in OPENERS and not name_first)
            or (any(low in stops[lang] for lang in languages) and (next_lower or m.end() >= c.end))
            or (low in names.english and low not in names.given and not names.is_known(low))
            or (
                low in names.ambiguous
                and m.end() >= c.end
                and next_lower
                and (next_word.lower() in OPENER_OBJECTS or noun_after(self._engine, next_word))
            )
        )
        if not ordinary or not word[:1].isupper():
            return c
        start = m.end()
        while start < c.end and not text[start].isalnum():
            start += 1
        if sum(ch.isalnum() for ch in text[start : c.end]) < 2:
            return None
        return replace(c, start=start)

    def _famous_person(self, text: str, c: Candidate) -> bool:
        """Whether a PERSON finding is a famous person, work or character.

        The name alone, without a possessive, or with the capitalised word right before it
        (a title, a given name the finding left out: "Mr Darcy", "Professor Moriarty").
        """
        names = self._names
        value = re.sub(r"['’]s?$", "", text[c.start : c.end]).strip()
        words = value.split()
        low = value.lower()
        # One word is famous alone only if it is neither a given name nor an English word
        # ("Gandalf", "Raskolnikov", but not "Dante" or "Hector": people are called that).
        alone = len(words) > 1 or (low not in names.given and low not in names.english)
        if alone and names.is_famous(value):
            return True
        before = re.search(r"([^\W\d_][\w.’'\-]*)\s+$", text[max(0, c.start - 30) : c.start])
        if before and names.is_famous(f"{before.group(1).rstrip('.')} {value}"):
            return True
        capitalised = [w for w in words if w[:1].isupper()]
        return len(capitalised) > 1 and all(
            names.is_famous(w) and w.lower() not in names.given for w in capitalised
        )

    def _famous_or_character(self, text: str, c: Candidate) -> bool:
        """Whether ``c`` names a famous person, work or character (see :mod:`.general_knowledge`).

        A personal cue in a first-person sentence keeps a person ("my friend Tom Hanks"); any
        first-person sentence keeps a place or firm ("I live in Paris").
        """
        mine = first_person_sentence(text, c.start, c.end)
        if c.type != "PERSON":
            return not mine and famous_words(self._names, text, c.start, c.end, _all_stop_words())
        if mine and not (c.uncued or c.topic):
            return False
        if self._famous_person(text, c) or famous_words(
            self._names, text, c.start, c.end, _all_stop_words()
        ):
            return True
        lone = len(_WORD.findall(text[c.start : c.end])) == 1
        guessed = c.source.endswith(("ner", "shape")) or (
            c.source.endswith("names") and c.score < 0.7
        )
        if (
            lone
            and guessed
            and not opens_sentence(text, c.start)
            and region_follows(self._names, self._engine.gazetteer().places, text, c.start, c.end)
        ):
            return True  # "the population of Chelsea, Massachusetts": a town, not a person
        # A lone given name in a sentence about a famous work is a character, when only the
        # model or the name list found it: no cue ("ask", "Frau", "my name is") put it there,
        # and the name list scores a lone listed name without a cue below 0.7.
        return lone and not mine and guessed and fiction_context(self._names, text, c.start, c.end)

    def _famous_site(self, value: str) -> bool:
        """A bare domain of a famous organisation ("www.booking.com", "Amazon.de")."""
        if "/" in value or "@" in value:
            return False
        labels = value.lower().removeprefix("www.").split(".")
        return len(labels) == 2 and self._names.well_known(labels[0])

    def _obscure_in_statement(self, text: str, c: Candidate) -> bool:
        """An organisation or place nobody has heard of, in a statement rather than a request.

        "Telenav is a design agency based in Kulusuk" is about a specific small firm and village:
        identifying. "Compare AWS and Azure", "What is Lagos known for?" and "Apple reported
        record revenue" are not: requests, questions and famous names stay untouched.
        """
        if c.type not in ("ORGANIZATION", "LOCATION"):
            return False
        value = text[c.start : c.end]
        names = self._names
        if names.well_known(value) or names.is_famous(value):
            return False
        words = [w.strip(".,'’()") for w in value.split()]
        definite = bool(words) and words[0].lower() == "the"
        if definite:
            words = words[1:]
        if not any(w[:1].isupper() for w in words):
            return False
        lows = [w.lower() for w in words]
        if any(w in _GEOGRAPHY for w in lows):
            return False  # "the Mississippi River", "Lake Baikal": public geography
        grams = {" ".join(lows[i : i + n]) for n in (1, 2, 3) for i in range(len(lows) - n + 1)}
        if any(names.well_known(g) for g in grams if len(g) > 3):
            return False  # "The Louvre Abu Dhabi", "Google Public Data Explorer"
        if all(w in names.english for w in lows) and (
            len(lows) == 1 or definite or any(w in _PUBLIC_BODIES for w in lows)
        ):
            return False  # "Devil", "The Supreme Court", "National Gallery": public names
        return statement(text, c.start, c.end)

    def _apply_allow_list(self, text: str, c: Candidate) -> list[Candidate]:
        """Drop a finding that is an allow-listed term, or cut allow-listed words out of it."""
        if not self._allow or c.type == "CUSTOM":
            return [c]
        value = text[c.start : c.end]
        if _norm(value) in self._allow:
            return []
        pieces = [c]
        for term in self._allow:
            pattern = re.compile(
                r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+") + r"(?!\w)", re.I
            )
            next_pieces = []
            for p in pieces:
                cursor = p.start
                for m in pattern.finditer(text, p.start, p.end):
                    next_pieces.append(replace(p, start=cursor, end=m.start()))
                    cursor = m.end()
                next_pieces.append(replace(p, start=cursor, end=p.end))
            pieces = next_pieces
        out = []
        for p in pieces:
            start, end = p.start, p.end
            while start < end and text[start] in _EDGE_PUNCT:
                start += 1
            while end > start and text[end - 1] in _EDGE_PUNCT:
                end -= 1
            if sum(ch.isalnum() for ch in text[start:end]) >= 2:
                out.append(replace(p, start=start, end=end))
        return out


@cache
def _identifier() -> Any:
    """py3langid's classifier restricted to the gate's languages (its model ships inside it)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_STOP_LANGUAGES))
    return identifier


@cache
def _stop_words() -> dict[str, frozenset[str]]:
    """spaCy's stop words of each gate language (the small ``spacy.lang.xx.stop_words``)."""
    return {
        lang: frozenset(import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
        for lang in _STOP_LANGUAGES
    }


def _window_end(text: str, low: int, high: int) -> int | None:
    """Where a window between ``low`` and ``high`` best ends: after a line or a sentence, else at
    a space (None: nowhere)."""
    for mark in ("\n", ". ", "? ", "! ", " "):
        cut = text.rfind(mark, low, high)
        if cut > low:
            return cut + len(mark)
    return None


def _acronym(value: str) -> bool:
    """A short word in capitals ("ATM", "IBAN", "CV", "EUR")."""
    return value.isupper() and len(value) <= 5


@cache
def _all_stop_words() -> frozenset[str]:
    """The stop words of every gate language together."""
    return frozenset().union(*_stop_words().values())


def _norm(term: str) -> str:
    return " ".join(term.casefold().split())


def _english_lexicon(engine: Any) -> frozenset[str]:
    """The English word list of the model's lemmatizer (empty if it has none)."""
    try:
        nlp = engine.nlp["en"]
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError, AttributeError):
        return frozenset()
    return frozenset(word for words in table.values() for word in words)
