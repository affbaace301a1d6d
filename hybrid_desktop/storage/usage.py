"""Cloud usage: tokens, price and latency of every cloud request, and spend against the budget.

Shares the calling thread's history connection (pass the :class:`HistoryStore`). Days and months
are the user's local calendar days and months.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import sqlite_utils

from hybrid_desktop.core.costs import Budget
from hybrid_desktop.core.errors import StorageError
from hybrid_desktop.storage.db import utc_now
from hybrid_desktop.storage.history import HistoryStore


def create_usage_table(db: sqlite_utils.Database) -> None:
    """Migration body (see storage.db): one row per cloud request."""
    for statement in (
        """CREATE TABLE usage (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            model TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            latency_ms REAL,
            status TEXT NOT NULL,
            conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL
        )""",
        "CREATE INDEX usage_by_time ON usage(created_at)",
    ):
        db.execute(statement)


def _local_midnight_utc(now: datetime, month: bool = False) -> str:
    local = now.astimezone()
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if month:
        start = start.replace(day=1)
    return start.astimezone(timezone.utc).isoformat(timespec="milliseconds")


class UsageStore:
    def __init__(self, history: HistoryStore) -> None:
        self.db = history.db

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
        try:
            with self.db.conn:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute(
                    "INSERT INTO usage (created_at, model, input_tokens, output_tokens, cost_usd,"
                    " latency_ms, status, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        utc_now(),
                        model,
                        input_tokens,
                        output_tokens,
                        cost_usd,
                        latency_ms,
                        status,
                        conversation_id,
                    ],
                )
        except sqlite3.Error as exc:
            raise StorageError(f"Could not record cloud usage: {exc}.") from exc

    def spent_since(self, since_utc: str) -> float:
        row = self.db.execute(
            "SELECT COALESCE(SUM(cost_usd), 0) FROM usage WHERE created_at >= ?", [since_utc]
        ).fetchone()
        return float(row[0])

    def budget(self, daily_cap: float, monthly_cap: float, now: datetime | None = None) -> Budget:
        now = now or datetime.now(timezone.utc)
        return Budget(
            spent_today=self.spent_since(_local_midnight_utc(now)),
            spent_month=self.spent_since(_local_midnight_utc(now, month=True)),
            daily_cap=daily_cap,
            monthly_cap=monthly_cap,
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
