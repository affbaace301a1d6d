"""Checks of the Qt binding itself that the app depends on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    token = Signal(int, str)


def test_signal_emit_keeps_reference_counts(qapp) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0's emit() decrefs True on every call; at ~150 tokens/s the interpreter dies
    with 'bool_dealloc' within a minute of streaming. pyproject.toml excludes it; this guards it."""
    emitter = _Emitter()
    received: list[str] = []
    emitter.token.connect(lambda _i, text: received.append(text))
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(2000):
        emitter.token.emit(1, "x")
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(received) == 2000
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50
