"""Texts beyond one window (issue 14): read in overlapping windows, offsets into the original,
and a value cut by a window's edge is still found whole."""

from __future__ import annotations

import itertools

import pytest

from hybrid_desktop.core.privacy import detector as detector_module
from hybrid_desktop.core.privacy.detector import Detector

FILLER = "The quarterly figures are attached and the meeting is next week. "


@pytest.mark.parametrize("shift", [-30, -12, -3, 0, 5, 17])
def test_a_value_across_a_window_edge_is_found_whole(
    detector: Detector, monkeypatch: pytest.MonkeyPatch, shift: int
) -> None:
    monkeypatch.setattr(detector_module, "CHUNK_CHARS", 2_000)
    monkeypatch.setattr(detector_module, "CHUNK_OVERLAP", 200)
    email = "anna.schmidt@example.org"
    head = (FILLER * 40)[: 2_000 - len(email) // 2 + shift]
    text = head + " " + email + " " + FILLER * 40 + "Call +44 20 7946 0958 today."
    found = detector.detect(text)
    assert all(text[f.start : f.end] == f.text for f in found)
    emails = [f for f in found if f.type == "EMAIL_ADDRESS"]
    assert [f.text for f in emails] == [email]
    assert any(f.type == "PHONE_NUMBER" for f in found)
    spans = [(f.start, f.end) for f in found]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
