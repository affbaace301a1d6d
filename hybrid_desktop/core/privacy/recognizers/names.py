"""People: PERSON findings, in any letter case.

``PersonRecognizer`` combines spaCy's PERSON entities with name lists of many cultures
(``data/given_names.txt``, ``data/surnames.txt``) and cue phrases (``data/names_*cues.txt``:
greetings, thanks, requests, relations, titles and sign-offs in several languages), so that
lower-case and ALL-CAPS names and single given names are found too. Names that are also
ordinary English words ("Mark", "Grace", "Hope") only count when capitalised and next to a
surname or a cue.

Beyond the lists, a name is found from where it stands: after a naming phrase ("my name is",
"je m'appelle"); as an unknown word before a listed surname; as the labels of a dialogue or of a
labelled list ("Name: ...", "First Last - yes"); in lower-case chat notes after a chat cue or
"@" when it is a listed given name that is not an ordinary word; in the cells of a CSV/TSV
column headed surname/first name (in several languages); by surname morphology (-ov, -ska,
-enko, -escu, -ić, -sson ...); as an ORG/place entity that is really a person; as a member of
a list of mostly given names; or introduced and described at the start of a sentence. Form
fields and JSON/YAML/log keys that name a person ("Name: ...", ``"full_name": "..."``,
"Nachname: ...", "imię i nazwisko: ...", ``data/names_field_labels.txt``) give their value;
surnames run on through lower-case particles ("van der Berg", "de la Fuente", "dos Santos",
``data/names_particles.txt``); a title makes the capitalised word after it a surname ("Frau
Schwarzenbacher", "M. Petit", ``data/names_honorifics.txt``); and Polish case forms of listed
names count ("Agnieszki", "Tomaszem", "Kowalskiego").

A person named as the topic of a general-knowledge question ("Who was ...", "Newton's laws",
"the Doppler effect"), a famous person, work or character (``data/famous_people.txt``), a
famous place or firm that looks like a name, or a name whose surname the English lexicon knows
but the name lists do not (Einstein, Darwin) is flagged ``uncued`` and kept only with personal
context.

The recognizer keeps no state between calls: what it learns about a text (its letter case, the
cues in it) is passed from method to method.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .addresses import towns
from .name_fields import NameFieldRules
from .name_lexicon import (
    CAP_LIST,
    CHAT_CUES,
    DESCRIBED,
    HONORIFICS,
    INTRODUCED,
    LABELLED_LINE,
    LIST_SEP,
    LIST_WORDS,
    LOWER_LIST,
    NAME_TOKEN,
    NAMING,
    NOT_SPEAKERS,
    PARTICLES,
    PERSON_ONLY,
    SPEAKER,
    STRONG,
    SURNAME_SUFFIX,
    TOPIC_AFTER,
    TOPIC_BEFORE,
    WEAK,
    NameLists,
    find_cues,
)
from .name_tokens import TOPIC, UNCUED, TextCase, clean_span, plural_of

#: Cue end offset -> (normalised cue phrase, cue kind).
Cues = dict[int, tuple[str, str]]
_LETTER_TITLE = re.compile(r"(?<!\w)[A-Z]\.\s+$")
_WORD_BEFORE = re.compile(r"([A-Z][\w'’\-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w'’\-]*)")


class PersonRecognizer(NameFieldRules):
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
        case = TextCase.of(text)
        cues: Cues = find_cues(text)
        results, other_label, places = self._from_entities(text, doc, nlp_artifacts, case)
        results.extend(self._from_lists(text, doc, case, cues, other_label, places))
        results.extend(self._speakers(text, case))
        results.extend(self._labelled_lists(text, case))
        results.extend(self._name_lists(text, case))
        results.extend(self._by_position(text, doc, places, case))
        results.extend(self._chat_names(text, doc))
        results.extend(self._chat_handles(text))
        results.extend(self._table_columns(text))
        results.extend(self._fields(text))
        results = self._list_members(text, doc, results, case)
        return self._mark_topics(text, results, cues)

    def _from_entities(
        self, text: str, doc: Any, nlp_artifacts: NlpArtifacts, case: TextCase
    ) -> tuple[list[RecognizerResult], dict[int, int], set[int]]:
        """spaCy's PERSON entities, trimmed, and ORG/place entities that are really people.

        Returns the results, a map from each token inside another place/organisation entity to
        that entity's end, and the tokens inside place entities.
        """
        results: list[RecognizerResult] = []
        other_label: dict[int, int] = {}
        places: set[int] = set()
        for ent in nlp_artifacts.entities:
            if ent.label_ == "PERSON":
                first, last = ent.start, ent.end
                while first < last and self._not_name_token(doc[first], case):
                    first += 1
                while last > first and self._not_name_token(doc[last - 1], case):
                    last -= 1
                if first == last:
                    continue
                famous = False
                if last < ent.end and self._famous_surname(doc[last], case):
                    last += 1  # "Albert Einstein": a surname the lexicon knows from its bearer
                    famous = True
                start_char = doc[first].idx
                end_char = doc[last - 1].idx + len(doc[last - 1].text)
                span = clean_span(text, start_char, end_char)
                if span and self._plausible_ner(doc[first:last], case):
                    results.append(self._result(*span, 0.85, "ner", uncued=famous))
            elif ent.label_ in ("LOCATION", "ORGANIZATION", "NRP"):
                if ent.label_ != "NRP" and self._name_shaped(
                    text, doc[ent.start : ent.end], case, ent.label_
                ):
                    span = clean_span(text, ent.start_char, ent.end_char)
                    if span:
                        results.append(self._result(*span, 0.7, "shape"))
                    continue
                other_label.update(dict.fromkeys(range(ent.start, ent.end), ent.end))
                if ent.label_ != "ORGANIZATION":
                    places.update(range(ent.start, ent.end))
        return results, other_label, places

    def _from_lists(
        self,
        text: str,
        doc: Any,
        case: TextCase,
        cues: Cues,
        other_label: dict[int, int],
        places: set[int],
    ) -> list[RecognizerResult]:
        """Names from the name lists, the cues before them and the surnames after them."""
        names = self.names
        results: list[RecognizerResult] = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            low = tok.lower_
            phrase, kind = cues.get(tok.idx, ("", ""))
            # "M. Guillemot": a one-letter title only as written, capital and full stop.
            if len(phrase) == 1 and not _LETTER_TITLE.search(text, max(0, tok.idx - 4), tok.idx):
                phrase, kind = "", ""
            strong = kind in (STRONG, NAMING, PERSON_ONLY)
            cap = self._capitalised(tok.text, case.upper)
            if cap and not names.is_known(low):
                low = names.base_form(low) or low  # "Agnieszki", "Tomaszem": case forms
            titled = phrase in HONORIFICS and cap and not case.upper
            # A stop word is a name only when capitalised after a cue ("thanks Will").
            stop_ok = strong and cap and not case.upper and low in names.given
            if (
                not NAME_TOKEN.match(tok.text)
                or (tok.is_stop and not stop_ok)
                or names.never_name(tok.text, case.mixed)
            ):
                i += 1
                continue
            known = names.is_known(low)
            ambiguous = (
                low in names.ambiguous
                or low in CHAT_CUES  # "dev", "lead": team roles before they are names
                or (low in names.english and not known)
                or (not known and plural_of(low, names.english))
            )
            weak_cue = kind == WEAK
            start_ok = False
            score = 0.0
            town = False
            if (
                strong
                and kind != PERSON_ONLY
                and ((known and (cap or not ambiguous)) or (cap and low not in names.english))
            ) or titled:
                start_ok, score = True, 0.8  # "Frau Schwarzenbacher", "M. Petit"
            elif kind == PERSON_ONLY and (cap or case.lower) and low in names.given:
                start_ok, score = True, 0.7  # "please follow up with Hana Silva"
            elif kind == NAMING and low not in names.english:
                start_ok, score = True, 0.8  # "my name is rodrigo", "je m'appelle anouk"
            elif known:
                nxt = self._surname_end(doc, i + 1, case)
                inside_other = nxt <= other_label.get(i, -1)
                if (
                    nxt > i + 1
                    and (cap or not ambiguous or (case.lower and nxt >= i + 3))
                    and low in names.given
                    and not inside_other
                ):
                    start_ok, score = True, 0.75
                elif i not in other_label and not ambiguous and (cap or case.lower):
                    start_ok, score = True, 0.6 if not weak_cue else 0.7
                    # A lone listed name that is also a town or country ("España",
                    # "Florence") needs other personal context.
                    town = not weak_cue and low in towns()
            elif (
                cap
                and case.mixed
                and low not in names.english
                and i not in places
                and i not in other_label
                and self._listed_surname_follows(doc, i + 1, places)
            ):
                start_ok, score = True, 0.65  # "Karthika Venkataraman": unlisted given name
            elif (
                cap
                and not case.upper
                and low not in names.english
                and i not in places
                and SURNAME_SUFFIX.search(low)
            ):
                start_ok, score = True, 0.6  # "Petrenko", "Jablonska", "Babić"
            if not start_ok:
                i += 1
                continue
            end_tok = self._surname_end(doc, i + 1, case)
            famous = False
            if (
                not strong
                and low in names.given
                and end_tok < n
                and self._famous_surname(doc[end_tok], case)
            ):
                end_tok += 1
                famous = True
            end_char = doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
            span = clean_span(text, tok.idx, end_char)
            if span:
                lone_town = town and end_tok == i + 1
                results.append(self._result(*span, score, "names", uncued=famous or lone_town))
            i = end_tok
        return results

    def _listed_surname_follows(self, doc: Any, j: int, places: set[int]) -> bool:
        """Whether token ``j`` is a capitalised surname (listed, or of a surname shape such as
        -ić, -ska, -enko) that is not an ordinary word."""
        if j >= len(doc) or j in places:
            return False
        tok = doc[j]
        low = tok.lower_
        names = self.names
        return (
            bool(NAME_TOKEN.match(tok.text))
            and tok.text[:1].isupper()
            and (low in names.surnames or bool(SURNAME_SUFFIX.search(low)))
            and low not in names.english
            and low not in names.terms
            and not names.well_known(tok.text)
        )

    def _name_lists(self, text: str, case: TextCase) -> list[RecognizerResult]:
        """Every member of a list of three or more single words that are mostly given names.

        A list of given names with one unknown member: the unknown member is a name because its
        neighbours are. A list of places, languages or tools does not count.
        """
        pattern = LOWER_LIST if case.lower else CAP_LIST
        out = []
        names = self.names
        for m in pattern.finditer(text):
            members = list(re.finditer(r"[^\W\d_][\w'’\-]*", m.group(0)))
            words = [w.group(0) for w in members if w.group(0).lower() not in LIST_WORDS]
            lows = [w.lower() for w in words]
            if any(w in names.terms or w in names.orgs for w in lows):
                continue
            if sum(w in names.places for w in lows) * 2 >= len(lows) or any(
                w in names.places and w not in names.given for w in lows
            ):
                continue  # a list of cities, or of countries and firms
            given = sum(w in names.given or (w in names.surnames and len(lows) <= 3) for w in lows)
            plain = sum(w in names.english and not names.is_known(w) for w in lows)
            if len(words) < 3 or given * 2 < len(words) or plain:
                continue
            for w in members:
                if w.group(0).lower() in LIST_WORDS:
                    continue
                start = m.start() + w.start()
                out.append(self._result(start, start + len(w.group(0)), 0.65, "namelist"))
        return out

    def _by_position(
        self, text: str, doc: Any, places: set[int], case: TextCase
    ) -> list[RecognizerResult]:
        """Names no list knows, found from where they stand.

        A capitalised word that is not an English word, a technology term or a famous place is a
        person when it opens a sentence and is described with a degree word ("X is very
        reliable") or when someone introduces themself with it ("Hi, it's X.").
        """
        if case.upper:
            return []
        names = self.names
        out = []
        tok_at: dict[int, Any] | None = None
        for pattern in (DESCRIBED, INTRODUCED):
            for m in pattern.finditer(text):
                word = m.group("name")
                low = word.lower()
                if (
                    (low in names.english and low not in names.given)
                    or names.never_name(word, True)
                    or names.well_known(word)
                    or low in NOT_SPEAKERS
                ):
                    continue
                start = m.start("name")
                if tok_at is None:
                    tok_at = {t.idx: t for t in doc}
                tok = tok_at.get(start)
                if tok is not None and (
                    tok.is_stop or (tok.i in places and not names.is_known(low))
                ):
                    continue
                out.append(self._result(start, m.end("name"), 0.65, "position"))
        return out

    def _speakers(self, text: str, case: TextCase) -> list[RecognizerResult]:
        """Speaker labels of a dialogue ("Name: what they said" on two or more lines).

        A label counts when the text has two or more labelled lines (or the speech is quoted),
        at least one label is a given name from the lists, and each label is a name-list word or
        an unknown capitalised word followed by real speech (a quote or two or more words);
        "Pros: cheap", "Frontend: React" and "Q:"/"A:" are not dialogue.
        """
        found = []
        any_known = False
        for m in SPEAKER.finditer(text):
            label = m.group(1)
            words = label.split()
            low = label.lower()
            if low in NOT_SPEAKERS or words[0].lower() in NOT_SPEAKERS:
                continue
            if not all(
                self._capitalised(w, case.upper) or (w.islower() and (case.lower or w in PARTICLES))
                for w in words
            ):
                continue  # "Check my grammar: '...'": lower-case words are no name in mixed case
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

    def _labelled_lists(self, text: str, case: TextCase) -> list[RecognizerResult]:
        """Every label of a list of people with a short value each ("First Last - vote").

        Two or more consecutive lines "label - value" / "label: value" whose labels are mostly
        names (a listed given name first or a listed surname last) make a list of people: every
        label that is not an ordinary word, a field name or a famous place is a person, the
        unknown ones too. Lists of days, tools or places ("Monday - gym", "Python: 3.12",
        "Paris - 3 nights") do not count.
        """
        if "\n" not in text:
            return []
        names = self.names
        groups: list[list[re.Match[str]]] = []
        last_line = -2
        for m in LABELLED_LINE.finditer(text):
            line = text.count("\n", 0, m.start())
            if groups and line == last_line + 1:
                groups[-1].append(m)
            else:
                groups.append([m])
            last_line = line
        out = []
        for group in groups:
            if len(group) < 2:
                continue
            labels = []
            n_known = 0
            for m in group:
                words = [w.rstrip(".") for w in m.group("label").split()]
                lows = [w.lower() for w in words]
                label = " ".join(words)
                if (
                    lows[0] in NOT_SPEAKERS
                    or label.lower() in NOT_SPEAKERS
                    or any(names.never_name(w, case.mixed) for w in words)
                    or names.well_known(label)
                    or not all(self._capitalised(w, case.upper) or case.lower for w in words)
                ):
                    continue
                known = lows[0] in names.given or (len(lows) > 1 and lows[-1] in names.surnames)
                plain = all(w in names.english and not names.is_known(w) for w in lows)
                if plain or (not known and any(w in names.english for w in lows)):
                    continue
                n_known += known
                labels.append((m.start("label"), m.start("label") + len(m.group("label"))))
            if n_known * 2 < len(group) or n_known == 0:
                continue
            for start, end in labels:
                span = clean_span(text, start, end)
                if span:
                    out.append(self._result(*span, 0.7, "labelled"))
        return out

    def _chat_names(self, text: str, doc: Any) -> list[RecognizerResult]:
        """Lower-case given names in chat notes, after a chat cue or "@" ("ping marta").

        A word typed in lower case is a person only when it is a listed given name that is not
        an ordinary English word nor itself a chat cue or role ("dev", "ops"), and it stands
        right after "@", after a chat cue or team role ("ping", "cc:", "ask", "dev"), or after
        a list separator that follows such a name ("ping marta, ravi and joe").
        """
        names = self.names
        out = []
        prev_name_end = -1
        for tok in doc:
            t = tok.text.lstrip("@")
            start = tok.idx + len(tok.text) - len(t)
            low = t.lower()
            if not t or not t.islower() or not NAME_TOKEN.match(t):
                continue
            if (
                low not in names.given
                or low in names.english
                or low in names.ambiguous
                or low in CHAT_CUES
                or low in names.terms
                or tok.is_stop
            ):
                continue
            before = text[max(0, start - 30) : start]
            at_sign = before.endswith("@")
            words = re.findall(r"[\w'’]+|[,&/]", before.lower())
            after_cue = bool(words) and words[-1] in CHAT_CUES
            in_list = prev_name_end >= 0 and bool(LIST_SEP.match(text[prev_name_end:start]))
            if at_sign or after_cue or in_list:
                out.append(self._result(start, start + len(t), 0.7, "chat"))
                prev_name_end = start + len(t)
        return out

    def _mark_topics(
        self, text: str, results: list[RecognizerResult], cues: Cues
    ) -> list[RecognizerResult]:
        """People who are the topic of a general-knowledge question need outside support."""
        for r in results:
            _, kind = cues.get(r.start, ("", ""))
            if kind and kind != WEAK:
                if r.recognition_metadata.get(UNCUED):
                    r.recognition_metadata[UNCUED] = False
                    r.score = max(r.score, 0.8)
                continue
            line_start = max(text.rfind(ch, 0, r.start) for ch in ".?!\n") + 1
            value = text[r.start : r.end]
            if (
                TOPIC_BEFORE.search(text, line_start, r.start)
                or TOPIC_AFTER.match(text[r.end :])
                or self._famous_around(text, line_start, r.start, r.end)
                or self.names.well_known(value)
            ):
                r.recognition_metadata[UNCUED] = True
                r.recognition_metadata[TOPIC] = True
                r.score = min(r.score, 0.35)
        return results

    def _famous_around(self, text: str, line_start: int, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is famous, alone or with the capitalised word next to it
        ("Holmes" in "Sherlock Holmes", "Moriarty" in "Professor Moriarty")."""
        value = text[start:end]
        if self.names.is_famous(value):
            return True
        before = _WORD_BEFORE.search(text, line_start, start)
        after = _WORD_AFTER.match(text, end)
        return bool(
            (before and self.names.is_famous(f"{before.group(1)} {value}"))
            or (after and self.names.is_famous(f"{value} {after.group(1)}"))
        )

    def _list_members(
        self, text: str, doc: Any, results: list[RecognizerResult], case: TextCase
    ) -> list[RecognizerResult]:
        """Add capitalised words listed right after a found name ("Nowak, Haddad and Okafor")."""
        if not results:
            return results
        ends = {r.end for r in results}
        starts = {r.start for r in results}
        added: list[RecognizerResult] = []
        for tok in doc:
            t = tok.text
            if tok.idx in starts or not NAME_TOKEN.match(t) or not t[:1].isupper():
                continue
            if (
                tok.is_stop
                or self.names.never_name(t, case.mixed)
                or t.lower() in self.names.english
            ):
                continue
            before = text[max(0, tok.idx - 6) : tok.idx]
            for cut in range(len(before)):
                if tok.idx - len(before) + cut in ends and LIST_SEP.match(before[cut:]):
                    added.append(self._result(tok.idx, tok.idx + len(t), 0.6, "list"))
                    ends.add(tok.idx + len(t))
                    break
        return results + added
