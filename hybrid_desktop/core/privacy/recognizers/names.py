"""People: PERSON findings, in any letter case.

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

The lists and cue phrases are in ``name_lexicon``, the token-level rules in ``name_tokens``;
places and organisations in a personal context are found by ``places``.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .name_lexicon import (
    ASKED_ABOUT,
    CAP_LIST,
    DESCRIBED,
    INTRODUCED,
    KIN_OF,
    LIST_SEP,
    LIST_WORDS,
    LOWER_LIST,
    NAME_TOKEN,
    NAMING_CUES,
    NOT_SPEAKERS,
    PERSON_CUE,
    PERSON_ONLY_CUES,
    PERSON_PREDICATE,
    SAID_TO,
    SPEAKER,
    SURNAME_SUFFIX,
    TOPIC_AFTER,
    TOPIC_BEFORE,
    VOCATIVE,
    WEAK_CUES,
    NameLists,
)
from .name_tokens import TOPIC, UNCUED, NameTokenRules, clean_span, lower_case_text, plural_of


class PersonRecognizer(NameTokenRules):
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
        lower_text = lower_case_text(letters, n_upper)
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
                span = clean_span(text, start_char, end_char)
                if span and self._plausible_ner(doc[first:last]):
                    results.append(self._result(*span, 0.85, "ner", uncued=famous))
            elif ent.label_ in ("LOCATION", "ORGANIZATION", "NRP"):
                if ent.label_ != "NRP" and self._name_shaped(
                    text, doc[ent.start : ent.end], upper_text, ent.label_
                ):
                    span = clean_span(text, ent.start_char, ent.end_char)
                    if span:
                        results.append(self._result(*span, 0.7, "shape"))
                    continue
                other_label.update(dict.fromkeys(range(ent.start, ent.end), ent.end))
                if ent.label_ != "ORGANIZATION":
                    places.update(range(ent.start, ent.end))

        cues = {m.end(): m.group(0).strip(" .,:\t\n").lower() for m in PERSON_CUE.finditer(text)}
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            low = tok.lower_
            if not NAME_TOKEN.match(tok.text) or tok.is_stop or names.never_name(tok.text, mixed):
                i += 1
                continue
            cap = self._capitalised(tok.text, upper_text)
            ambiguous = (
                low in names.ambiguous
                or (low in names.english and not names.is_known(low))
                or (not names.is_known(low) and plural_of(low, names.english))
            )
            cue_word = cues.get(tok.idx)
            cue = cue_word is not None
            weak_cue = cue_word in WEAK_CUES
            known = names.is_known(low)
            start_ok = False
            score = 0.0
            if (
                cue
                and not weak_cue
                and ((known and (cap or not ambiguous)) or (cap and low not in names.english))
            ):
                start_ok, score = True, 0.8
            elif cue_word in PERSON_ONLY_CUES and (cap or lower_text) and low in names.given:
                start_ok, score = True, 0.7  # "please change it to Sofia Lima"
            elif cue and NAMING_CUES.match(cue_word or "") and low not in names.english:
                start_ok, score = True, 0.8  # "my name is vitoria", "people call me višeslav"
            elif (
                cap
                and i not in places
                and low in names.given
                and low not in names.ambiguous
                and PERSON_PREDICATE.match(text, tok.idx + len(tok.text))
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
                and SURNAME_SUFFIX.search(low)
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
            span = clean_span(text, tok.idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text))
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
        pattern = LOWER_LIST if lower_text else CAP_LIST
        out = []
        names = self.names
        for m in pattern.finditer(text):
            members = list(re.finditer(r"[^\W\d_][\w'’\-]*", m.group(0)))
            words = [w.group(0) for w in members if w.group(0).lower() not in LIST_WORDS]
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
                if w.group(0).lower() in LIST_WORDS:
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
        for pattern in (VOCATIVE, *DESCRIBED, ASKED_ABOUT, KIN_OF, SAID_TO, INTRODUCED):
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
                    tok_at = {t.idx: t for t in doc}  # type: ignore[attr-defined]
                tok = tok_at.get(start)
                if tok is not None and (
                    tok.is_stop or (tok.i in places and not names.is_known(low))
                ):
                    continue
                out.append(self._result(start, m.end("name"), 0.65, "position"))
        return out

    def _speakers(self, text: str, upper_text: bool) -> list[RecognizerResult]:
        """Speaker labels of a dialogue ("Ubul: What a wife." / "Nicole: Remember me?").

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
            if cue is not None and cue not in WEAK_CUES:
                if r.recognition_metadata.get(UNCUED):
                    r.recognition_metadata[UNCUED] = False
                    r.score = max(r.score, 0.8)
                continue
            line_start = max(text.rfind(ch, 0, r.start) for ch in ".?!\n") + 1
            value = text[r.start : r.end]
            if (
                TOPIC_BEFORE.search(text, line_start, r.start)
                or TOPIC_AFTER.match(text[r.end :])
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
            if tok.idx in starts or not NAME_TOKEN.match(t) or not t[:1].isupper():
                continue
            if tok.is_stop or self.names.never_name(t, mixed) or t.lower() in self.names.english:
                continue
            before = text[max(0, tok.idx - 6) : tok.idx]
            for cut in range(len(before)):
                if tok.idx - len(before) + cut in ends and LIST_SEP.match(before[cut:]):
                    added.append(self._result(tok.idx, tok.idx + len(t), 0.6, "list"))
                    ends.add(tok.idx + len(t))
                    break
        return results + added
