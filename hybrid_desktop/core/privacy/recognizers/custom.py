"""The user's deny-list: terms always reported as CUSTOM (case-insensitive, whole word)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._base import RegexRecognizer, Rule


def deny_recognizer(terms: Iterable[str]) -> RegexRecognizer | None:
    """A recognizer for ``terms``, or None when there are none."""
    cleaned = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in cleaned)
    regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    return RegexRecognizer("DenyListRecognizer", [Rule("CUSTOM", regex, 1.0)])
