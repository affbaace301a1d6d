"""The gate's Presidio recognizers, one module per family, and the list the detector registers.

Modules: ``nlp`` (the spaCy engine), ``names`` (people; with ``name_lexicon``, the name lists
and cue phrases, and ``name_tokens``, the token-level rules), ``places`` (places/organisations in
a personal context), ``addresses`` (streets and postcodes; patterns in ``address_patterns``),
``identifiers`` (e-mail, phone, cards, IBAN, IDs, IP, URLs), ``secrets`` (keys, tokens,
passwords), ``custom`` (the user's deny-list).
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from . import addresses, identifiers, secrets
from .name_lexicon import NameLists
from .names import PersonRecognizer
from .places import PersonalPlaceRecognizer


def build_recognizers(names: NameLists) -> list[EntityRecognizer]:
    """Every recognizer the gate uses (the deny-list one is added per request)."""
    return [
        *secrets.build(),
        *identifiers.build(),
        *addresses.build(),
        PersonRecognizer(names),
        PersonalPlaceRecognizer(names.english, names.terms, names.places),
    ]
