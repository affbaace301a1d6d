"""Cloud usage: tokens, price and latency of every cloud request, and what was spent since a time.

Shares the calling thread's history connection (pass the :class:`HistoryStore`) and its writer.
It returns plain numbers; core turns them into a ``Budget``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hybrid_desktop.storage.db import serialised, transaction, utc_now
from hybrid_desktop.storage.history import HistoryStore


def local_midnight_utc(now: datetime, month: bool = False) -> str:
    """The start of ``now``'s local calendar day (or month), as a stored UTC timestamp."""
    local = now.astimezone()
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if month:
        start = start.replace(day=1)
    return start.astimezone(timezone.utc).isoformat(timespec="milliseconds")


class UsageStore:
    def __init__(self, history: HistoryStore) -> None:
        self.db = history.db
        self.writer = history.writer

    def on(self, history: HistoryStore) -> UsageStore:
        return UsageStore(history)

    @serialised
    def record(
        self,
        model: str,
        input_tokens: int,
        output_tokens: int,
        cost_usd: float,
        latency_ms: float | None,
        status: str,
        conversation_id: int | None,
    ) -> None:
        with transaction(self.db, "cloud usage record") as db:
            db.table("usage").insert(
                {
                    "created_at": utc_now(),
                    "model": model,
                    "input_tokens": input_tokens,
                    "output_tokens": output_tokens,
                    "cost_usd": cost_usd,
                    "latency_ms": latency_ms,
                    "status": status,
                    "conversation_id": conversation_id,
                }
            )

    def spent_since(self, since_utc: str) -> float:
        row = self.db.execute(
            "SELECT COALESCE(SUM(cost_usd), 0) FROM usage WHERE created_at >= ?", [since_utc]
        ).fetchone()
        return float(row[0])

    def spent(self, now: datetime | None = None) -> tuple[float, float]:
        """(spent today, spent this month), by the user's local calendar."""
        now = now or datetime.now(timezone.utc)
        return (
            self.spent_since(local_midnight_utc(now)),
            self.spent_since(local_midnight_utc(now, month=True)),
        )

    def totals(self, days: int = 30) -> dict[str, float]:
        since = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat()
        row = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),"
            " COALESCE(SUM(cost_usd), 0) FROM usage WHERE created_at >= ?",
            [since],
        ).fetchone()
        return {
            "requests": row[0],
            "input_tokens": row[1],
            "output_tokens": row[2],
            "cost_usd": float(row[3]),
        }
