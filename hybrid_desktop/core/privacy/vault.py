"""The vault: one conversation's placeholders and the values they stand for.

A :class:`Vault` holds one conversation's mapping (``<PERSON_1>`` -> "Ada Lovelace"). The same value
always gets the same placeholder, in every turn, so the cloud model can still tell people apart.
The vault stays on the device (``storage.privacy`` keeps it); only placeholders are sent.

Placeholders are named ``<TYPE_N>`` after an entity type (:func:`check_entity_type` checks the
type's name), and two spellings of one value share a placeholder (:func:`normalize_value`).
A vault round-trips through JSON (:meth:`Vault.to_json`, :meth:`Vault.from_json`). Pure
Python: importing this module pulls in no Presidio.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

VAULT_FORMAT = 1

#: Entity type names: upper-case words joined by ``_`` (every name in ``domain.ENTITY_TYPES``).
_TYPE_NAME = re.compile(r"[A-Z]+(?:_[A-Z]+)*")
_CANONICAL = re.compile(r"<?(?P<type>[A-Z]+(?:_[A-Z]+)*)_(?P<n>[0-9]+)>?")
_PLACEHOLDER = re.compile(r"<(?P<type>[A-Z]+(?:_[A-Z]+)*)_(?P<n>[1-9][0-9]*)>")

# Values compared by their digits only, or by their letters and digits only (case-folded).
_DIGIT_TYPES = frozenset({"PHONE_NUMBER", "CREDIT_CARD"})
_ALNUM_TYPES = frozenset(
    {"IBAN_CODE", "NATIONAL_ID", "PASSPORT", "DRIVER_LICENSE", "ID_NUMBER", "DATE_OF_BIRTH"}
)
# Secrets are case-sensitive: "abcDEF" and "ABCdef" are different keys.
_EXACT_TYPES = frozenset({"SECRET"})


def check_entity_type(entity_type: str) -> str:
    if not _TYPE_NAME.fullmatch(entity_type):
        raise ValueError(
            f"Entity type {entity_type!r} cannot be used in a placeholder: "
            "use upper-case words joined by '_' (like EMAIL_ADDRESS)."
        )
    return entity_type


def normalize_value(entity_type: str, value: str) -> str:
    """The form two spellings of one value share (for reusing a placeholder)."""
    if entity_type in _EXACT_TYPES:
        return value.strip()
    folded = " ".join(value.split()).casefold()
    if entity_type in _DIGIT_TYPES:
        key = "".join(ch for ch in folded if ch.isdigit())
    elif entity_type in _ALNUM_TYPES:
        key = "".join(ch for ch in folded if ch.isalnum())
    else:
        key = folded
    return key or folded


@dataclass(frozen=True)
class VaultEntry:
    type: str
    placeholder: str
    value: str


class Vault:
    """One conversation's placeholders and the values they stand for. Not thread-safe: use it
    from one thread at a time (the conversation's)."""

    def __init__(self, entries: Sequence[tuple[str, str, str]] = ()) -> None:
        self._entries: list[VaultEntry] = []
        self._by_placeholder: dict[str, VaultEntry] = {}
        self._by_key: dict[tuple[str, str], VaultEntry] = {}
        self._next: dict[str, int] = {}
        for entity_type, placeholder, value in entries:
            self._add(entity_type, placeholder, value)

    def _add(self, entity_type: str, placeholder: str, value: str) -> VaultEntry:
        check_entity_type(entity_type)
        parsed = _PLACEHOLDER.fullmatch(placeholder)
        if parsed is None or parsed["type"] != entity_type:
            raise ValueError(f"{placeholder!r} is not a placeholder for {entity_type}.")
        if not value.strip():
            raise ValueError(f"The value of {placeholder} is empty.")
        if placeholder in self._by_placeholder:
            if self._by_placeholder[placeholder].value != value:
                raise ValueError(f"{placeholder} is given two different values.")
            return self._by_placeholder[placeholder]
        entry = VaultEntry(entity_type, placeholder, value)
        self._entries.append(entry)
        self._by_placeholder[placeholder] = entry
        # The first spelling seen wins; a later duplicate still restores through value_of.
        self._by_key.setdefault((entity_type, normalize_value(entity_type, value)), entry)
        number = int(parsed["n"])
        self._next[entity_type] = max(self._next.get(entity_type, 1), number + 1)
        return entry

    def placeholder_for(self, entity_type: str, value: str, avoid: Collection[str] = ()) -> str:
        """The placeholder of ``value``: the one it already has, else the next free number.

        A new placeholder is never one of ``avoid`` (those the text already holds as words).
        """
        check_entity_type(entity_type)
        if not value.strip():
            raise ValueError("An empty value cannot be given a placeholder.")
        existing = self._by_key.get((entity_type, normalize_value(entity_type, value)))
        if existing is not None:
            return existing.placeholder
        number = self._next.get(entity_type, 1)
        while f"<{entity_type}_{number}>" in avoid:
            number += 1
        return self._add(entity_type, f"<{entity_type}_{number}>", value).placeholder

    def value_of(self, placeholder: str) -> str | None:
        """The original (first-seen spelling) behind ``<TYPE_N>``; also accepts ``TYPE_N``."""
        parsed = _CANONICAL.fullmatch(placeholder.strip().upper())
        if parsed is None:
            return None
        entry = self._by_placeholder.get(f"<{parsed['type']}_{int(parsed['n'])}>")
        return entry.value if entry is not None else None

    def entity_types(self) -> frozenset[str]:
        return frozenset(entry.type for entry in self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        """(entity type, placeholder, value), in the order they were added."""
        return ((e.type, e.placeholder, e.value) for e in list(self._entries))

    def __contains__(self, placeholder: object) -> bool:
        return isinstance(placeholder, str) and self.value_of(placeholder) is not None

    def __repr__(self) -> str:
        # Never the values: a vault can end up in a log line or a traceback.
        return f"<Vault of {len(self)} placeholders>"

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VAULT_FORMAT,
            "entries": [
                {"type": e.type, "placeholder": e.placeholder, "value": e.value}
                for e in self._entries
            ],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Vault:
        """Rebuild a vault from :meth:`to_json` output (or its JSON text)."""
        if isinstance(data, str):
            data = json.loads(data)
            if not isinstance(data, Mapping):
                raise ValueError("A vault is stored as a JSON object.")
        if data.get("version") != VAULT_FORMAT:
            raise ValueError(f"Unknown vault format {data.get('version')!r}.")
        entries = data.get("entries")
        if not isinstance(entries, list):
            raise ValueError("A stored vault needs a list of entries.")
        rows: list[tuple[str, str, str]] = []
        for item in entries:
            if not isinstance(item, Mapping) or not all(
                isinstance(item.get(k), str) for k in ("type", "placeholder", "value")
            ):
                raise ValueError("Each vault entry needs a type, a placeholder and a value.")
            rows.append((item["type"], item["placeholder"], item["value"]))
        return cls(rows)
