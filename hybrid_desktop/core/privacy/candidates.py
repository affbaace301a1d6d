"""The detector's candidate findings, and how they are combined before they are reported.

:class:`Candidate` is one raw detection with the context flags the recognizers set.
:func:`merge_address_blocks` joins a street with the postcode and city pieces right next to
it into one STREET_ADDRESS, :func:`contact_block_lines` reports the unlabelled lines of a
contact block that opens with a name (employer, city), :func:`merge_overlaps` unions
overlapping spans (the best-scoring type wins), and :func:`outside_code` keeps code intact
(names are not looked for on identifiers, placeholders never split a token). Pure Python, no
Presidio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from hybrid_desktop.domain import Finding

from .code_spans import CodeMap

_ADDRESS_PARTS = frozenset({"STREET_ADDRESS", "POSTCODE", "LOCATION"})
_ADDRESS_GAP = re.compile(r"^[\s,>;|-]{0,12}$")


@dataclass
class Candidate:
    """One raw detection: its type, span, score, recognizer and context flags."""

    type: str
    start: int
    end: int
    score: float
    source: str
    uncued: bool = False
    #: A person named as the topic of a general-knowledge question: needs other personal data.
    topic: bool = False


_LINE = re.compile(r"^[ \t>?*\-]*(.*?)[ \t]*$", re.MULTILINE)
_LABEL_LINE = re.compile(r"^[\w .'-]{1,20}:")
_BLOCK_ENDS = frozenset({"STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS"})
#: A line that is only a name: two to four capitalised words or initials.
_NAME_LINE = re.compile(r"(?:[^\W\d_][\w'’\-]*\.?[ \t]+){1,3}[^\W\d_][\w'’\-]*$")


def _contact_follows(text: str, cands: list[Candidate], end: int) -> bool:
    """Whether a street address starts within the next three lines after ``end``."""
    limit = end
    for _ in range(3):
        nxt = text.find("\n", limit + 1)
        limit = len(text) if nxt < 0 else nxt
    return any(c.type == "STREET_ADDRESS" and end < c.start <= limit for c in cands)


def contact_block_lines(
    text: str, cands: list[Candidate], places: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Short unlabelled lines of a contact block (signature, letterhead) that opens with a name.

    In "Jane Roe / Acme Analytics / 12 High St ..." the line between the name and the address is
    the employer (or job title, city, country): personal data because of where it stands, though
    no recognizer knows the word. Only blocks whose first line is entirely a found PERSON count.
    """
    if "\n" not in text or not cands:
        return []
    lines = [(m.start(1), m.end(1)) for m in _LINE.finditer(text)]
    out: list[Candidate] = []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        whole = any(c.type == "PERSON" and c.start <= start and c.end >= end for c in cands)
        shaped = bool(_NAME_LINE.match(text, start, end)) and (
            whole
            or any(c.type == "PERSON" and start <= c.start < end for c in cands)
            or _contact_follows(text, cands, end)
        )
        if start == end or not (whole or shaped):
            i += 1
            continue
        # The block: following lines, allowing one blank line in a row, up to eight lines.
        block: list[tuple[int, int]] = []
        blanks = 0
        j = i + 1
        while j < len(lines) and len(block) < 8:
            s2, e2 = lines[j]
            if s2 == e2:
                blanks += 1
                if blanks > 1:
                    break
            else:
                blanks = 0
                block.append((s2, e2))
            j += 1
        covered = [any(c.start < e2 and c.end > s2 for c in cands) for s2, e2 in block]
        ends_in_contact = any(
            c.type in _BLOCK_ENDS and any(c.start < e2 and c.end > s2 for s2, e2 in block)
            for c in cands
        )
        # A postal block without a street: "Przemek Kucharski / ALFRICK / United Kingdom".
        ends_in_place = (
            bool(block)
            and len(block) <= 3
            and " ".join(text[block[-1][0] : block[-1][1]].lower().split()) in places
        )
        if block and (ends_in_contact or ends_in_place):
            if not whole:
                out.append(Candidate("PERSON", start, end, 0.7, "ContactBlock"))
            seen_address = False
            for (s2, e2), cov in zip(block, covered, strict=True):
                value = text[s2:e2]
                if cov:
                    seen_address = seen_address or any(
                        c.type == "STREET_ADDRESS" and c.start < e2 and c.end > s2 for c in cands
                    )
                    continue
                words = value.split()
                if (
                    1 <= len(words) <= 6
                    and len(value) <= 50
                    and not _LABEL_LINE.match(value)
                    and not value.endswith(("?", "!", ":"))
                    and any(ch.isalpha() for ch in value)
                ):
                    kind = "LOCATION" if seen_address or ends_in_place else "ORGANIZATION"
                    out.append(Candidate(kind, s2, e2, 0.6, "ContactBlock"))
        i = j if block else i + 1
    return out


def merge_address_blocks(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Join a street with the postcode/city pieces right next to it into one STREET_ADDRESS."""
    parts = sorted((c for c in cands if c.type in _ADDRESS_PARTS), key=lambda c: c.start)
    others = [c for c in cands if c.type not in _ADDRESS_PARTS]
    groups: list[list[Candidate]] = []
    for c in parts:
        if groups:
            last = groups[-1]
            end = max(x.end for x in last)
            if c.start <= end or _ADDRESS_GAP.match(text[end : c.start]):
                last.append(c)
                continue
        groups.append([c])
    out = others
    for group in groups:
        if len(group) > 1 and any(c.type == "STREET_ADDRESS" for c in group):
            start = min(c.start for c in group)
            end = max(c.end for c in group)
            score = max(c.score for c in group)
            out.append(Candidate("STREET_ADDRESS", start, end, score, "AddressBlock"))
        else:
            out.extend(group)
    return out


def merge_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Union overlapping spans; the type of the strongest (then longest) member wins."""
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    clusters: list[list[Candidate]] = []
    for c in cands:
        if clusters and c.start < max(x.end for x in clusters[-1]):
            clusters[-1].append(c)
        else:
            clusters.append([c])
    merged = []
    for cluster in clusters:
        best = max(cluster, key=lambda c: (c.score >= 0.9, c.end - c.start, c.score))
        start = min(c.start for c in cluster)
        end = max(c.end for c in cluster)
        merged.append(replace(best, start=start, end=end, score=max(c.score for c in cluster)))
    return merged


#: Types that name things in words. In code they are identifiers (a class ``Victoria``, a table
#: ``customers``, a module ``os.path``) unless they sit in a string literal or a comment.
_LANGUAGE_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION", "DOMAIN_NAME"})
_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_PIECE_EDGE = " \t\r\n.,;:!?\"'`()[]{}<>“”‘’«»"


def outside_code(text: str, cands: list[Candidate], code: CodeMap) -> list[Candidate]:
    """Keep code intact: names found on identifiers are dropped, other findings cover tokens.

    A PERSON, LOCATION or ORGANIZATION (or a DOMAIN_NAME such as ``sympy.solve``) is cut down
    to its parts that lie in free text (prose, string literals, comments); a finding left with
    nothing is dropped. Every other type (secrets, e-mail addresses, phones, IDs) is kept, and
    widened to whole identifier tokens when it starts or ends inside one, so that a placeholder
    never splits a token in two.
    """
    if not code:
        return cands
    out: list[Candidate] = []
    for c in cands:
        if c.type not in _LANGUAGE_TYPES:
            out.append(_whole_tokens(text, c, code))
            continue
        # A web address in prose is not a code token: only regions count for DOMAIN_NAME.
        parts = code.code_parts(c.start, c.end, tokens=c.type != "DOMAIN_NAME")
        if not parts:
            out.append(c)
            continue
        cursor = c.start
        for s, e in [*parts, (c.end, c.end)]:
            start, end = cursor, s
            while start < end and text[start] in _PIECE_EDGE:
                start += 1
            while end > start and text[end - 1] in _PIECE_EDGE:
                end -= 1
            if sum(ch.isalnum() for ch in text[start:end]) >= 2:
                out.append(replace(c, start=start, end=end))
            cursor = max(cursor, e)
    return out


def _whole_tokens(text: str, c: Candidate, code: CodeMap) -> Candidate:
    """``c`` widened to the whole identifier tokens of code that it starts or ends inside."""
    start, end = c.start, c.end
    inside = _IDENT_CHARS
    if start > 0 and text[start - 1] in inside and text[start] in inside and code.is_code(start):
        while start > 0 and text[start - 1] in inside:
            start -= 1
    if (
        end < len(text)
        and text[end] in inside
        and text[end - 1] in inside
        and code.is_code(end - 1)
    ):
        while end < len(text) and text[end] in inside:
            end += 1
    if (start, end) == (c.start, c.end):
        return c
    return replace(c, start=start, end=end)


def non_overlapping(findings: list[Finding]) -> list[Finding]:
    """Findings of overlapping windows, the longest of each overlapping run kept."""
    out: list[Finding] = []
    for f in findings:
        if out and f.start < out[-1].end:
            if f.end - f.start > out[-1].end - out[-1].start:
                out[-1] = f
            continue
        out.append(f)
    return out
