"""ID_NUMBER: reference numbers an organisation gives a person, written with their label.

Staff, employee, patient, customer, member, account, policy and case numbers have no format of
their own ("E40217", "884-221", "4711"), so they are recognised by their label only: a complete
label (``data/ids_labels.txt``: "MRN", "Personalnummer", "n° client", "numero cliente",
"klantnummer", "numer klienta") or a noun for a person followed by a number word
(``data/ids_label_heads.txt`` + ``data/ids_number_words.txt``: "staff no.", "patient ID",
"member #"). The value must hold at least three digits. A bare number is never reported, and
software numbers (issues, pull requests, tickets, builds, ports) have no label here: they are
not about a person.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .cue_lists import alternation, first_words, labelled_value, read_list, scan

_ENTITY = "ID_NUMBER"
#: A value that is a date or a time, not a reference number.
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")


class LabelledIdRecognizer(EntityRecognizer):
    """ID_NUMBER: a value with digits right after a staff, patient, customer or case label."""

    def __init__(self) -> None:
        labels = read_list("ids_labels.txt")
        heads = read_list("ids_label_heads.txt")
        self.regexes = (
            (labelled_value(alternation(labels)), first_words(labels)),
            (labelled_value(alternation(heads), number_word=True), first_words(heads)),
        )
        self.label: str = "LabelledIdRecognizer"
        super().__init__(
            supported_entities=[_ENTITY], name="LabelledIdRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: the regexes are compiled at construction."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Labelled personal reference numbers in ``text``."""
        results: list[RecognizerResult] = []
        for regex, words in self.regexes:
            for match in scan(regex, words, text):
                value = match.group("value").rstrip()
                if sum(ch.isdigit() for ch in value) < 3 or _DATE_LIKE.match(value):
                    continue
                start = match.start("value")
                results.append(
                    RecognizerResult(
                        entity_type=_ENTITY,
                        start=start,
                        end=start + len(value),
                        score=0.9,
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.label,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return results


def build() -> list[EntityRecognizer]:
    """The labelled-ID recognizer."""
    return [LabelledIdRecognizer()]
