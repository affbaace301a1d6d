"""Shared types of the privacy gate: what detection finds and what pseudonymisation produced.

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
    SECRET            API keys, tokens, private keys, passwords given in text
    CUSTOM            a term from the user's deny-list (client names, project code names)
"""

from __future__ import annotations

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
