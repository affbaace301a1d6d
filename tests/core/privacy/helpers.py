"""Small helpers the privacy tests share: how much of a span the findings cover, findings as
readable pairs, and known gaps marked as xfail with their reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from hybrid_desktop.domain import Finding


def covered(findings: Sequence[Finding], start: int, end: int) -> int:
    """Characters of ``[start, end)`` that at least one finding covers."""
    marks = bytearray(max(0, end - start))
    for f in findings:
        for i in range(max(f.start, start), min(f.end, end)):
            marks[i - start] = 1
    return sum(marks)


def covers(findings: Sequence[Finding], text: str, value: str, types: frozenset[str]) -> bool:
    """Whether one finding of one of ``types`` covers the first ``value`` in ``text`` whole."""
    start = text.index(value)
    end = start + len(value)
    return any(f.type in types and f.start <= start and f.end >= end for f in findings)


def shown(findings: Sequence[Finding]) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in findings]


def marked(values: Sequence[tuple[object, ...]], key: int, gaps: Mapping[str, str]) -> list[object]:
    """``values`` as pytest params; a case whose text (field ``key``, or a text in field 3) is a
    known gap is marked xfail (not strict) with the gap's reason."""
    out: list[object] = []
    for v in values:
        texts = [str(v[key])] + [str(x) for x in (v[3] if len(v) > 3 else ())]  # type: ignore[attr-defined]
        reason = next((gaps[t] for t in texts if t in gaps), None)
        marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
        out.append(pytest.param(*v, marks=marks))
    return out
