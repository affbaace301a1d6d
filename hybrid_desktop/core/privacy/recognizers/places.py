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

Employers after a first-person work cue in eight languages ("I work for", "ich arbeite bei",
"je travaille chez", "trabajo en", "lavoro presso", "ik werk bij", "pracuję w", "trabalho na":
``data/places_employer_cues.txt``) count even when spaCy misses them. Towns and employers
under a form field, JSON/YAML key or CSV column (city, Wohnort, ville, ciudad, città,
woonplaats, miasto, cidade; company, Arbeitgeber, empresa, pracodawca ...) are reported; so are
the company and town lines of an e-mail signature after a sign-off ("Best regards,", "Viele
Grüße"), and, uncued, firms named with a legal form ("Kern GmbH", "Rossi S.p.A.", "Smit B.V.",
``data/places_legal_forms.txt``).

The cue words and stop lists are data files (``data/places_*.txt``), read once at import.
"""

from __future__ import annotations

import re
from importlib import resources

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ..sentences import impersonal_request, sentence_start
from .addresses import towns
from .cue_lists import alternation, first_words, read_list, scan
from .name_fields import table_columns
from .name_lexicon import CAMEL, GREETINGS, field_kind, labelled_fields
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
#: "I work for Brightloop", "ich arbeite bei Sandmeier", "je travaille chez Gaudin", "CEO of
#: Acme" (``data/places_employer_cues.txt``): the capitalised run after the cue.
_EMPLOYER_CUES = read_list("places_employer_cues.txt")
_EMPLOYER_FIRST = first_words(_EMPLOYER_CUES)
_EMPLOYER_CUE = re.compile(
    alternation(_EMPLOYER_CUES).replace("'", "['’]")
    + r"[ \t]+(?:(?i:der|die|das|dem|den|the|la|le|les|l['’]|el|los|las|il|lo|het|de|a|o|na|no)[ \t]+)?"
    r"(?=[^\W_])",
    re.IGNORECASE,
)
#: Words that join the words of a firm's name ("Lindemann & Söhne", "Bureau of Standards").
_ORG_JOINS = frozenset("& and und et y e of de du des di del da do van der von".split())
_RUN_WORD = re.compile(r"[^\W_][\w&'’.\-/]*|&")


def _legal_forms() -> list[str]:
    """The legal forms of ``data/places_legal_forms.txt``, as written (case matters)."""
    text = resources.files("hybrid_desktop.core.privacy") / "data" / "places_legal_forms.txt"
    lines = (line.strip() for line in text.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


#: A firm named with its legal form: "Brückner Maschinenbau GmbH", "Caruso Trasporti S.p.A.",
#: "Hoekstra Transport B.V.", "Gonçalves & Filhos Lda", "Jabłoński Meble Sp. z o.o.".
_LEGAL_FORM = re.compile(
    r"(?<![\w&])((?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.\-]*|[0-9][\w\-]*)(?:[ \t]+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.\-]*|&|and|und|et|y|e|de|di|da|do|van|von|der))"
    r"{0,4}?,?[ \t]+(?:"
    + "|".join(
        re.escape(f).replace(r"\ ", r"[ \t]+")
        for f in sorted(_legal_forms(), key=len, reverse=True)
    )
    + r"))(?![\w&]|\.\w)"
)
#: Sign-off lines ("Best regards,", "Viele Grüße", "Cordialement,") and job-title words.
_SIGNOFFS = frozenset(read_list("names_signoffs.txt"))
_TITLE_STEMS = tuple(read_list("names_job_titles.txt"))
_PIECE_SPLIT = re.compile(r"[ \t]+[|·•][ \t]+|[ \t]+[-–—][ \t]+")
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
        towns()  # the town lists are read now, not on the first prompt
        super().__init__(
            supported_entities=["LOCATION", "ORGANIZATION", "PERSON"],
            name="PersonalPlaceRecognizer",
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
        results.extend(self._suffixed_orgs(text))
        results.extend(self._fields(text))
        results.extend(self._signature(text))
        return results

    def _cued_employers(self, text: str) -> list[RecognizerResult]:
        """Employers after "I work for", "ich arbeite bei", "trabajo en" that spaCy missed.

        The capitalised run after the cue (``data/places_employer_cues.txt``), joined by "&",
        "and", "of", "de" ...; a known town there is a place ("trabajo en Madrid"), one ordinary
        word alone ("I work for Free...") is not a firm.
        """
        out = []
        for m in scan(_EMPLOYER_CUE, _EMPLOYER_FIRST, text):
            span = self._capitalised_run(text, m.end())
            if span is None:
                continue
            start, end = span
            value = text[start:end]
            words = value.split()
            if value.lower() in self.terms:
                continue
            low = value.lower()
            if len(words) == 1 and low in self.english and low not in self.places:
                continue  # "I work for Free", "works at Home": one ordinary word, no firm
            kind = "LOCATION" if low in self.places or low in towns() else "ORGANIZATION"
            out.append(self._result(kind, start, end, 0.7, "employer"))
        return out

    def _capitalised_run(self, text: str, pos: int, limit: int = 6) -> tuple[int, int] | None:
        """The run of capitalised words at ``pos`` (joined by "&", "and", "de" ...), or None.

        Ends before a lower-case word, a sentence end, a day or month name or a pronoun.
        """
        end = pos
        n = 0
        for wm in _RUN_WORD.finditer(text, pos):
            gap = text[end : wm.start()]
            if n and (gap.strip() or "\n" in gap):
                break
            raw = wm.group(0)
            word = raw.rstrip(".,")
            low = word.lower()
            if not n and not (word[:1].isupper() or word[:1].isdigit()):
                return None
            if word[:1].isupper() and low not in _PLACE_STOP and low not in _PRONOUNS:
                n += 1
                end = wm.start() + len(word)
                if raw.endswith(".") and re.search(r"\.\w", raw) is None and len(word) > 4:
                    break  # a sentence ends: "bei Sandmeier. Ich ..."
                if raw.endswith(","):
                    break
                if n >= limit:
                    break
                continue
            if n and low in _ORG_JOINS and raw == word:
                continue  # a join word only counts when a capitalised word follows
            break
        return (pos, end) if n else None

    def _suffixed_orgs(self, text: str) -> list[RecognizerResult]:
        """Firms named with a legal form ("Kern GmbH", "Rossi S.p.A."); uncued."""
        out = []
        for m in _LEGAL_FORM.finditer(text):
            start, end = m.span(1)
            first = text[start:end].split()[0].lower()
            if first in GREETINGS or first in _PRONOUNS or first in ("the", "a", "an"):
                if len(text[start:end].split()) < 3:
                    continue
                start += len(text[start:end].split()[0]) + 1
            out.append(self._result("ORGANIZATION", start, end, 0.35, "legal", uncued=True))
        return out

    def _fields(self, text: str) -> list[RecognizerResult]:
        """Towns and employers under their key or column header, in any of the 8 languages.

        "City: Truro", ``"ville": "Angers"``, "Wohnort: Passau", "Company: Narayanan
        Textiles", ``"empresa": "..."``, a CSV column headed city / Ort / miasto / employer
        (``data/places_field_labels.txt``, ``data/places_org_field_labels.txt``). The value
        must open with a capital and not be an ordinary word ("None", "Remote").
        """
        spans = [(k, a, b) for k, a, b in labelled_fields(text)]
        for key, cells in table_columns(text):
            kind = field_kind(key)
            if kind in ("LOCATION", "ORGANIZATION"):
                spans.extend((kind, a, b) for a, b in cells)
        out = []
        for kind, start, end in spans:
            if kind not in ("LOCATION", "ORGANIZATION"):
                continue
            value = text[start:end]
            words = value.split()
            low = " ".join(w.lower() for w in words)
            if not words or len(words) > 6 or not (value[:1].isupper() or value[:1].isdigit()):
                continue
            if sum(ch.isdigit() for ch in value) > 2:
                continue
            if kind == "ORGANIZATION" and low in self.terms:
                continue  # "Company: Kubernetes"; a city key says its value is a town
            if kind == "LOCATION":
                end = start + self._place_prefix(value)
                low = text[start:end].lower()
                if not low:
                    continue
            if low in _PLACE_STOP:
                continue  # "None", "Remote", "N/A"
            known = low in self.places or low in towns()
            if (
                kind == "ORGANIZATION"
                and not known
                and all(w.lower().strip(".,") in self.english for w in words)
            ):
                continue  # "Head Office", "Self Employed"
            out.append(self._result(kind, start, end, 0.7, "field"))
        return out

    def _place_prefix(self, value: str) -> int:
        """Length of the place name that opens a labelled value ("Johannesburg Country Club"
        -> "Johannesburg"): the longest known prefix, else the words up to the first ordinary
        capitalised English word after the first."""
        words = list(re.finditer(r"\S+", value))
        known = towns()
        for n in range(len(words), 0, -1):
            if value[: words[n - 1].end()].lower().rstrip(".,") in known | self.places:
                return words[n - 1].end()
        end = words[0].end()
        for wm in words[1:]:
            w = wm.group(0)
            if not w.isupper() and w.lower().strip(".,") in self.english:
                break
            end = wm.end()
        return end

    def _signature(self, text: str) -> list[RecognizerResult]:
        """The company and town lines of an e-mail signature.

        After a sign-off line ("Best regards,", "Viele Grüße", "Cordialement,", "--") and the
        name line come short lines (or " | "-separated pieces) with a job title, a company and
        a town: a known town is a LOCATION, a line of capitalised words with no job-title
        word (``data/names_job_titles.txt``) and not only ordinary English words is the
        company. Lines with digits or "@" (phones, e-mail) are left to their recognizers.
        """
        if "\n" not in text:
            return []
        out = []
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+|(?<=\n)(?=\n)", text)]
        for i, (s0, e0) in enumerate(lines):
            first = " ".join(text[s0:e0].strip(" \t>,.!").lower().split())
            if first not in _SIGNOFFS:
                continue
            block = lines[i + 1 : i + 6]
            pieces: list[tuple[int, int]] = []
            for k, (s1, e1) in enumerate(block):
                line = text[s1:e1]
                if not line.strip() or len(line) > 80:
                    break
                cut = s1
                for sep in [*_PIECE_SPLIT.finditer(line), None]:
                    stop = s1 + sep.start() if sep else e1
                    pieces.append((cut, stop))
                    cut = s1 + sep.end() if sep else e1
                if k == 0:
                    a, b = pieces.pop(0)  # the name line
                    name = text[a:b].strip()
                    words = name.split()
                    if (
                        2 <= len(words) <= 4
                        and all(w[:1].isupper() and w.isalpha() for w in words)
                        and not any(w.lower().startswith(_TITLE_STEMS) for w in words)
                        and not all(w.lower() in self.english for w in words)
                    ):
                        a += text[a:b].index(name)
                        out.append(self._result("PERSON", a, a + len(name), 0.7, "signature"))
            for a, b in pieces:
                out.extend(self._signature_piece(text, a, b))
        return out

    def _signature_piece(self, text: str, a: int, b: int) -> list[RecognizerResult]:
        while a < b and text[a] in " \t>|,":
            a += 1
        while b > a and text[b - 1] in " \t,":
            b -= 1
        value = text[a:b]
        if not value or any(ch.isdigit() or ch in "@:/" for ch in value) or len(value) > 50:
            return []
        words = value.replace(",", " ").split()
        lows = [w.lower().strip(".") for w in words]
        if lows[0] in towns() or value.lower() in towns():
            return [self._result("LOCATION", a, b, 0.7, "signature")]
        if any(w.startswith(_TITLE_STEMS) for w in lows):
            return []
        if not all(w[:1].isupper() or w.lower() in _ORG_JOINS for w in words):
            return []
        if all(w in self.english for w in lows) or value.lower() in self.terms:
            return []
        return [self._result("ORGANIZATION", a, b, 0.7, "signature")]

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
