"""The held-out set of realistic prompts with personal data is frozen.

``tests/data/pii/heldout/pii_prompts.jsonl`` was written by hand before the privacy gate was run on
it, by someone who had not read the gate's rules, and it is never tuned on. Its SHA-256 is pinned
below. Changing the file means the held-out figure is no longer held out: do not "fix" a label, add
a prompt or update the hash to make this test pass. Write a new held-out set instead, and say so
where figures are reported. See ``tests/data/pii/heldout/README.md`` for the format and the rule.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hybrid_desktop.domain import ENTITY_TYPES

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "pii" / "heldout" / "pii_prompts.jsonl"
FROZEN_SHA256 = "a67fdd3bebff344b078e7c80a5220131d8e75ca65d88b6e50afc51e092bee960"
LABEL_TYPES = frozenset(
    {
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
    }
)


def _rows() -> list[dict[str, object]]:
    with HELDOUT.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_heldout_file_is_unchanged() -> None:
    """The bytes of the held-out file hash to the value recorded when it was frozen."""
    digest = hashlib.sha256(HELDOUT.read_bytes()).hexdigest()
    assert digest == FROZEN_SHA256, (
        "tests/data/pii/heldout/pii_prompts.jsonl changed: a figure measured on it is no longer "
        "a held-out figure"
    )


def test_every_label_value_occurs_in_its_text() -> None:
    """Each labelled value is a verbatim substring of its prompt and has a known entity type."""
    rows = _rows()
    assert len(rows) >= 200
    assert len({row["id"] for row in rows}) == len(rows)
    assert LABEL_TYPES.issubset(ENTITY_TYPES)
    for row in rows:
        text = row["text"]
        assert isinstance(text, str)
        pii = row["pii"]
        assert isinstance(pii, list)
        for label in pii:
            assert label["type"] in LABEL_TYPES, (row["id"], label)
            assert label["value"] in text, (row["id"], label)
