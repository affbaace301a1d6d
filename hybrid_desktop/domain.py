"""Plain domain types and constants shared by every layer (a leaf module: it imports nothing of ours).

The privacy gate's vocabulary: what detection finds, what pseudonymisation produced, and the
actions a policy can take per entity type.

Entity types (the names used in placeholders, policies, the audit log and ``redact --json``):

    PERSON            people's names, any culture, any case, single given names in context
    STREET_ADDRESS    street addresses (any country), including multi-line ones
    POSTCODE          postal/zip codes in an address or personal context
    LOCATION          cities, regions and countries *in a personal context* ("I live in Lyon")
    ORGANIZATION      organisations in a personal context ("I work at Acme Corp")
    PHONE_NUMBER      phone numbers, national and international formats
    EMAIL_ADDRESS     e-mail addresses
    CREDIT_CARD       payment card numbers (Luhn-checked)
    IBAN_CODE         IBANs (checksum-checked)
    NATIONAL_ID       US SSN and other national ID numbers
    PASSPORT          passport numbers (in context)
    DRIVER_LICENSE    driving licence numbers (in context)
    IP_ADDRESS        IPv4 and IPv6 addresses
    DOMAIN_NAME       personal domain names / URLs that identify someone
    ID_NUMBER         staff, patient, customer, record and account numbers given with their label
    DATE_OF_BIRTH     a date next to a birth cue ("DOB 14/02/1987", "geboren am 03.11.1975")
    USERNAME          a login name in a log, login or connection context ("for user mbrzezinski")
    SECRET            API keys, tokens, private keys, passwords given in text
    CUSTOM            a term from the user's deny-list (client names, project code names)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ENTITY_TYPES = (
    "PERSON",
    "STREET_ADDRESS",
    "POSTCODE",
    "LOCATION",
    "ORGANIZATION",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "NATIONAL_ID",
    "PASSPORT",
    "DRIVER_LICENSE",
    "IP_ADDRESS",
    "DOMAIN_NAME",
    "ID_NUMBER",
    "DATE_OF_BIRTH",
    "USERNAME",
    "SECRET",
    "CUSTOM",
)


@dataclass(frozen=True)
class Finding:
    """One detected span of personal data. Offsets index the original text (``text[start:end]``)."""

    type: str
    start: int
    end: int
    score: float
    text: str
    #: Which recognizer found it (for debugging and the benchmark; never shown to the cloud).
    source: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Replacement:
    """A finding as it was replaced: the placeholder sent instead of the original value."""

    finding: Finding
    placeholder: str


#: Where a request may be answered, as the user chooses it (Auto lets the router decide).
ROUTES = ("auto", "local", "edge", "cloud")

#: What a privacy policy can do with one entity type.
ACTIONS = ("replace", "block", "allow")


def validate_actions(actions: Mapping[str, object]) -> list[str]:
    """Problems with a policy mapping (unknown types or actions), for settings validation."""
    problems = []
    for entity_type, action in actions.items():
        if entity_type not in ENTITY_TYPES:
            problems.append(f"unknown entity type {entity_type!r}")
        if action not in ACTIONS:
            problems.append(
                f"unknown action {action!r} for {entity_type} (use {', '.join(ACTIONS)})"
            )
    return problems
