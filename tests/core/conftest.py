"""Fixtures the core tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.storage.history import HistoryStore


@pytest.fixture
def history(tmp_path: Path) -> Iterator[HistoryStore]:
    """A fresh history database in a real SQLite file, closed after the test."""
    store = HistoryStore(tmp_path / "history.db")
    yield store
    store.close()
