"""Pseudonymisation: swap personal data for placeholders before a prompt leaves the device, and
put the originals back into the reply.

The :class:`Vault` (one conversation's mapping, ``<PERSON_1>`` -> "Ada Lovelace") and the
placeholder naming live in :mod:`.vault` and are re-exported here; this module does the
text replacement both ways.

:func:`pseudonymize` does the swap through presidio-anonymizer's own extension point: an
``AnonymizerEngine`` with a custom operator that asks the vault. Presidio (which pulls in spaCy,
about 0.9 s) is imported on first use, never when this module is imported.

:func:`restore` and :class:`StreamRestorer` undo it. Models do not always copy a placeholder
verbatim, so these also accept ``<person_1>``, ``< PERSON_1 >``, ``\\<PERSON\\_1\\>``,
``&lt;PERSON_1&gt;`` and a bare ``PERSON_1`` (upper or title case, as a whole word). Only
placeholders of entity types the vault knows are recognised; an unknown number is left as it is.
A backslash before ``<`` is read as part of the placeholder only when ``>`` is escaped too, so
the backslash of a path or an escape that precedes a value stays (``C:\\Users\\<USERNAME_1>``),
and :func:`pseudonymize` never hands out a placeholder the text already holds as a word.

The streaming restorer holds back only a tail that could still become a placeholder, at most
:attr:`StreamRestorer.max_hold` characters, and its output for any chunking is exactly
``restore(full_text)``: it decides with the very same regular expression, scanning the unsent
text with the preceding character as context, and emits text only up to a point that no later
chunk can change (see :meth:`StreamRestorer._safe_end`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hybrid_desktop.core.privacy.vault import (
    VAULT_FORMAT,
    Vault,
    VaultEntry,
    check_entity_type,
    normalize_value,
)
from hybrid_desktop.domain import Finding, Replacement

if TYPE_CHECKING:
    from presidio_anonymizer import AnonymizerEngine

__all__ = [
    "VAULT_FORMAT",
    "VAULT_OPERATOR",
    "StreamRestorer",
    "Vault",
    "VaultEntry",
    "anonymizer_engine",
    "check_entity_type",
    "check_findings",
    "normalize_value",
    "pseudonymize",
    "restore",
]

#: The name the vault operator is registered under in presidio's operator factory.
VAULT_OPERATOR = "hybrid_desktop_vault"
_MAX_DIGITS = 6


# pseudonymize ----------------------------------------------------------------------------------


def check_findings(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """The findings in text order, after checking they can be replaced as they are."""
    ordered = sorted(findings, key=lambda f: (f.start, f.end))
    previous_end = 0
    for finding in ordered:
        check_entity_type(finding.type)
        if not (0 <= finding.start < finding.end <= len(text)):
            raise ValueError(
                f"A {finding.type} finding spans {finding.start}..{finding.end}, "
                f"outside a text of {len(text)} characters."
            )
        if finding.start < previous_end:
            raise ValueError(
                f"A {finding.type} finding at {finding.start}..{finding.end} "
                "overlaps the one before it."
            )
        if text[finding.start : finding.end] != finding.text:
            raise ValueError(
                f"A {finding.type} finding at {finding.start}..{finding.end} "
                "does not match the text at those offsets."
            )
        previous_end = finding.end
    return ordered


@functools.cache
def anonymizer_engine() -> AnonymizerEngine:
    """Presidio's engine with the vault operator registered (built once, on first use)."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import InvalidParamError
    from presidio_anonymizer.operators import Operator, OperatorType

    class VaultOperator(Operator):
        """Replaces a span with the placeholder the conversation's vault gives it."""

        def operate(self, text: str, params: dict[Any, Any] | None = None) -> str:
            assert params is not None  # validate() ran first
            vault: Vault = params["vault"]
            return vault.placeholder_for(params["entity_type"], text)

        def validate(self, params: dict[Any, Any] | None = None) -> None:
            if not params or not isinstance(params.get("vault"), Vault):
                raise InvalidParamError("The vault operator needs a 'vault' parameter.")

        def operator_name(self) -> str:
            return VAULT_OPERATOR

        def operator_type(self) -> OperatorType:
            return OperatorType.Anonymize

    engine = AnonymizerEngine()  # type: ignore[no-untyped-call]
    engine.add_anonymizer(VaultOperator)
    return engine


def pseudonymize(
    text: str, findings: Sequence[Finding], vault: Vault
) -> tuple[str, list[Replacement]]:
    """Replace each finding's span with its placeholder; returns the text to send and the
    replacements in text order. Raises ``ValueError`` for findings that are out of range,
    overlap, or do not match the text."""
    ordered = check_findings(text, findings)
    if not ordered:
        return text, []
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    engine = anonymizer_engine()
    # Number placeholders in reading order (presidio operates from the end of the text), and
    # never as one the text already holds ("use PERSON_1 as the slot"): restoring the reply
    # would turn that into the value.
    taken = _placeholders_around(text, ordered)
    replacements = [
        Replacement(f, vault.placeholder_for(f.type, f.text, avoid=taken)) for f in ordered
    ]
    results = [RecognizerResult(f.type, f.start, f.end, f.score) for f in ordered]
    engine_result = engine.anonymize(
        text,
        results,
        operators={"DEFAULT": OperatorConfig(VAULT_OPERATOR, {"vault": vault})},
        # The findings are already disjoint; presidio must not merge "Ada" "Lovelace" into one.
        merge_entities_with_spaces=False,
    )
    produced = [item.text for item in sorted(engine_result.items, key=lambda i: i.start)]
    if produced != [r.placeholder for r in replacements]:
        raise RuntimeError("Presidio did not replace the findings one for one.")
    return str(engine_result.text), replacements


def _placeholders_around(text: str, ordered: Sequence[Finding]) -> frozenset[str]:
    """The placeholders (``<TYPE_N>``) that :func:`restore` would read in ``text`` outside the
    findings, for the findings' types. Each finding is blanked with a non-word character, as its
    placeholder is bracketed by ``<`` and ``>``: word boundaries stay as they will be sent."""
    grammar = _grammar(frozenset(f.type for f in ordered))
    pieces, cursor = [], 0
    for f in ordered:
        pieces += [text[cursor : f.start], "\0"]
        cursor = f.end
    pieces.append(text[cursor:])
    skeleton = "".join(pieces)
    taken = set()
    for match in grammar.match.finditer(skeleton):
        raw_type = match["t1"] if match["t1"] is not None else match["t2"]
        number = match["n1"] if match["n1"] is not None else match["n2"]
        entity_type = raw_type.replace("\\", "").upper()
        taken.add(f"<{entity_type}_{int(number)}>")
    return frozenset(taken)


# restore ---------------------------------------------------------------------------------------


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else re.escape(c) for c in word)


class _Grammar:
    """The placeholder forms accepted for one set of entity types, as regular expressions.

    ``match`` finds placeholders. ``partial`` fully matches a string that a match could still
    grow from: a proper prefix of a bracketed form, or any prefix of a bare form (a complete
    ``PERSON_1`` may yet become ``PERSON_12``, or stop being a whole word).
    """

    _OPEN = (r"\\?<", r"&[lL][tT];")
    _CLOSE = (r"\\?>", r"&[gG][tT];")
    _SPACE = r"[ \t]{0,3}"

    def __init__(self, entity_types: frozenset[str]) -> None:
        names = sorted(entity_types, key=len, reverse=True)
        name_full = "|".join(r"\\?_".join(_any_case(p) for p in n.split("_")) for n in names)
        number = f"[0-9]{{1,{_MAX_DIGITS}}}"
        opening, closing = "|".join(self._OPEN), "|".join(self._CLOSE)
        inside = f"{self._SPACE}(?P<t1>{name_full})\\\\?_(?P<n1>{number}){self._SPACE}"
        bracketed = f"(?:{opening}){inside}(?:{closing})"
        # A backslash before "<" is the model's Markdown escape only when the closing is escaped
        # too ("\<PERSON\_1\>"); otherwise it belongs to the text before the placeholder
        # ("C:\Users\<USERNAME_1>") and must stay.
        paired = f"(?:(?P<esc>\\\\)<|<|&[lL][tT];){inside}(?(esc)\\\\>|(?:\\\\?>|&[gG][tT];))"
        bare = rf"(?<!\w)(?P<t2>{name_full})\\?_(?P<n2>{number})(?!\w)"
        self.match = re.compile(f"{paired}|{bare}")
        #: Any closed bracketed form, paired or not: it cannot grow into a longer match.
        self.complete_bracketed = re.compile(bracketed)

        name_prefix = "|".join(_prefix_of_name(n) for n in names)
        # Each part below: "this much is complete, and what follows is a prefix of the rest".
        after_number = f"[0-9]{{0,{_MAX_DIGITS}}}"
        after_name = rf"(?:\\(?:_{after_number})?|_{after_number})?"
        name_then_rest = f"(?:{name_full}){after_name}|(?:{name_prefix})"
        closing_prefix = r"(?:\\>?|>|&(?:[gG](?:[tT];?)?)?)?"
        bracketed_prefix = (
            rf"(?:\\<?|<|&(?:[lL](?:[tT];?)?)?)"  # a prefix of an opening
            rf"|(?:{opening}){self._SPACE}"
            rf"(?:(?:{name_full})\\?_{number}{self._SPACE}{closing_prefix}"
            rf"|{name_then_rest})?"
        )
        bare_prefix = rf"(?<!\w)(?:{name_then_rest})"
        self.partial = re.compile(f"{bracketed_prefix}|{bare_prefix}")
        first = {ch for n in names for ch in (n[0], n[0].lower())}
        self.starts = frozenset(first | {"<", "\\", "&"})
        longest = max(len(n) + n.count("_") for n in names)
        #: No match or partial match is longer than this.
        self.longest = len("&lt;") * 2 + 3 * 2 + longest + 2 + _MAX_DIGITS

    def is_partial(self, text: str, pos: int) -> bool:
        return (
            text[pos] in self.starts
            and self.partial.fullmatch(text, pos) is not None
            and self.complete_bracketed.fullmatch(text, pos) is None
        )


def _prefix_of_name(name: str) -> str:
    """A non-empty prefix of ``name`` as it may be written (each ``_`` possibly as ``\\_``)."""

    def prefix(rest: str) -> str:  # any prefix of `rest`, the empty one included
        if not rest:
            return ""
        if rest[0] == "_":
            return rf"(?:\\|\\?_{prefix(rest[1:])})?"
        return f"(?:{_any_case(rest[0])}{prefix(rest[1:])})?"

    return _any_case(name[0]) + prefix(name[1:])


@functools.lru_cache(maxsize=64)
def _grammar(entity_types: frozenset[str]) -> _Grammar:
    return _Grammar(entity_types)


def _replace(vault: Vault, match: re.Match[str]) -> str:
    raw_type = match["t1"] if match["t1"] is not None else match["t2"]
    number = match["n1"] if match["n1"] is not None else match["n2"]
    type_text = raw_type.replace("\\", "")
    if match["t1"] is None and not (type_text.isupper() or type_text.istitle()):
        return match.group()  # a lower-case person_1 is more likely an identifier in code
    value = vault.value_of(f"<{type_text.upper()}_{int(number)}>")
    return value if value is not None else match.group()


def _restore_span(vault: Vault, grammar: _Grammar, text: str, start: int, end: int) -> str:
    """Restore ``text[start:end]``, with the matches of the whole ``text`` from ``start``."""
    out: list[str] = []
    position = start
    for match in grammar.match.finditer(text, start):
        if match.start() >= end:
            break
        out.append(text[position : match.start()])
        out.append(_replace(vault, match))
        position = match.end()
    out.append(text[position:end])
    return "".join(out)


def restore(text: str, vault: Vault) -> str:
    """Put the original values back in place of the placeholders the vault knows."""
    types = vault.entity_types()
    if not types or not text:
        return text
    return _restore_span(vault, _grammar(types), text, 0, len(text))


class StreamRestorer:
    """Restores a reply as it streams in, chunk by chunk.

    The entity types are taken from the vault when the restorer is made; values are looked up
    as they arrive. Use one restorer per reply.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        types = vault.entity_types()
        self._grammar = _grammar(types) if types else None
        self._pending = ""
        self._context = ""  # the last character already consumed: \b needs it

    @property
    def max_hold(self) -> int:
        """The most characters :meth:`feed` ever keeps back."""
        return 2 * self._grammar.longest if self._grammar is not None else 0

    @property
    def held(self) -> str:
        return self._pending

    def feed(self, chunk: str) -> str:
        """Take the next chunk; returns the restored text that is safe to show now."""
        if self._grammar is None:
            return chunk
        self._pending += chunk
        scan = self._context + self._pending
        base = len(self._context)
        end = self._safe_end(self._grammar, scan, base)
        if end == base:
            return ""
        out = _restore_span(self._vault, self._grammar, scan, base, end)
        self._context = scan[end - 1]
        self._pending = scan[end:]
        return out

    def flush(self) -> str:
        """The rest of the reply, at the end of the stream."""
        scan, base = self._context + self._pending, len(self._context)
        self._pending, self._context = "", ""  # ready for the next reply
        if self._grammar is None or len(scan) == base:
            return ""
        return _restore_span(self._vault, self._grammar, scan, base, len(scan))

    @staticmethod
    def _safe_end(grammar: _Grammar, scan: str, base: int) -> int:
        """How far ``scan`` can be restored now without any later text changing the result.

        Hold back from the first position whose remainder could still grow into a placeholder.
        Every match that ends before that point is final: the regex only failed earlier
        alternatives where the text (not the chunk) said no, else that start would be partial.
        A match that straddles the point is held back whole, from its start.
        """
        length = len(scan)
        hold = length
        for pos in range(max(base, length - grammar.longest), length):
            if grammar.is_partial(scan, pos):
                hold = pos
                break
        for match in grammar.match.finditer(scan, base):
            if match.start() >= hold:
                break
            if match.end() > hold:
                return match.start()
        return hold
