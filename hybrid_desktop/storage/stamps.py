"""The time stamp every stored row carries: UTC, ISO 8601, to the millisecond. A leaf, so the
migrations and the row helpers they use can share it without an import cycle."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
