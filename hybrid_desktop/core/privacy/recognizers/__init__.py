"""The gate's Presidio recognizers, one module per family, and the list the detector registers.

Modules: ``nlp`` (the spaCy engine), ``names`` (people; with ``name_lexicon``, the name lists
and cue phrases, and ``name_tokens``, the token-level rules), ``places`` (places/organisations in
a personal context), ``addresses`` (streets and postcodes; patterns in ``address_patterns``),
``identifiers`` (e-mail, cards, IBAN, passports, IP, URLs), ``phones`` (phone numbers through
``phonenumbers``), ``national_ids`` (national ID numbers), ``dates`` (dates of birth),
``labelled_ids`` (staff, patient, customer numbers; any field under a key or column header),
``cue_lists`` (reading the cue-word data files), ``secrets`` (keys, tokens, passwords),
``usernames`` (login names), ``custom`` (the user's deny-list).
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from . import addresses, dates, identifiers, labelled_ids, national_ids, phones, secrets
from .name_lexicon import NameLists
from .names import PersonRecognizer
from .org_heads import OrganizationShapeRecognizer
from .places import PersonalPlaceRecognizer
from .usernames import UsernameRecognizer


def build_recognizers(names: NameLists) -> list[EntityRecognizer]:
    """Every recognizer the gate uses (the deny-list one is added per request)."""
    usernames = UsernameRecognizer(names.english)
    return [
        *secrets.build(),
        usernames,
        *identifiers.build(),
        *phones.build(),
        *national_ids.build(),
        *dates.build(names.is_famous),
        *labelled_ids.build(usernames.is_labelled_login),
        *addresses.build(),
        PersonRecognizer(names),
        PersonalPlaceRecognizer(names.english, names.terms, names.places),
        OrganizationShapeRecognizer(names.english, names.is_famous),
    ]
