"""Workload audit benchmark: ``storage.audit``'s SQL aggregation and paging over 100,000 request
records, against the same figures computed by Python over the fetched rows, in the same run.

    python tests/benchmarks/bench_audit.py [--json] [--records 100000] [--seed 0] [--repeat 5]

The history is a real file made by the app's migrations, filled with ``--records`` synthetic
records over 90 days (``tests/support/audit_data.fill_requests``: about 70 % local, 20 % cloud,
10 % edge, with conversations, messages, fallbacks, PII and costs; :func:`simple_fill` while that
file is absent — the report's ``fill`` names the one used). Timed, each ``--repeat``
times (median and max reported, in milliseconds):

- **summary**: ``audit.summary`` (the ``audit --json`` body); baseline **summary_python**:
  ``SELECT *`` of every row, then the same counts, costs, percentiles, PII and reasons in Python.
  The two must agree (``agree`` in the report);
- **page_first**, **page_middle**, **page_last**, **page_filtered** (route cloud, reason text):
  ``audit.page`` of 100 rows; baseline **page_python**: every row fetched, sorted and sliced;
- **route_share_day/week/month**, **spend_day**, **latency_percentiles**;
- **export_all**: ``audit.iter_rows`` over every record with its ``sent`` matched (once).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from hybrid_desktop.storage import audit
    from hybrid_desktop.storage.history import HistoryStore

    fill_requests, fill_name = _fill_function()

    report: dict[str, Any] = {"records": args.records, "repeat": args.repeat, "fill": fill_name}
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder) / "history.db")
        try:
            started = time.perf_counter()
            fill_requests(store.db, args.records, seed=args.seed)
            report["fill_s"] = round(time.perf_counter() - started, 2)
            db = store.db
            n = int(db.execute("SELECT COUNT(*) FROM requests").fetchone()[0])
            report["records"] = n
            prices: dict[str, Any] = {"price_in_per_mtok": 3.0, "price_out_per_mtok": 15.0}

            def timed(name: str, call: Callable[[], Any], repeat: int = args.repeat) -> Any:
                result, times = None, []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    result = call()
                    times.append((time.perf_counter() - t0) * 1000)
                report[name] = {
                    "median_ms": round(statistics.median(times), 2),
                    "max_ms": round(max(times), 2),
                }
                return result

            sql = timed("summary", lambda: audit.summary(db, None, **prices))
            py = timed("summary_python", lambda: python_summary(db, **prices))
            report["agree"] = _agree(sql, py)
            timed("page_first", lambda: audit.page(db, limit=100))
            timed("page_middle", lambda: audit.page(db, offset=n // 2, limit=100))
            timed("page_last", lambda: audit.page(db, offset=max(0, n - 100), limit=100))
            timed("page_filtered", lambda: audit.page(db, route="cloud", reason="a", limit=100))
            timed("page_python", lambda: python_page(db, n // 2))
            for bucket in ("day", "week", "month"):
                timed(
                    f"route_share_{bucket}",
                    lambda b=bucket: audit.route_share_over_time(db, b, None),  # type: ignore[misc]
                )
            timed("spend_day", lambda: audit.spend_over_time(db, "day", None))
            timed("latency_percentiles", lambda: audit.latency_percentiles(db, None))
            exported = timed("export_all", lambda: sum(1 for _ in audit.iter_rows(db, None)), 1)
            report["exported"] = exported
        finally:
            store.close()
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>22}: {value}")
    return 0 if report["agree"] else 1


def _fill_function() -> tuple[Callable[..., None], str]:
    """``tests/support/audit_data.fill_requests`` (the suite's realistic fill); until that file
    exists, the simpler fill below, and the report's ``fill`` says which one ran."""
    try:
        from tests.support.audit_data import fill_requests
    except ImportError:
        return simple_fill, "bench_audit.simple_fill"
    return fill_requests, "tests.support.audit_data.fill_requests"


def simple_fill(db: Any, n: int, seed: int = 0, days: int = 90) -> None:
    """``n`` records over ``days`` days (70 % local, 20 % cloud, 10 % edge; 5 % with a fallback,
    20 % with a PERSON finding, 10 % errors), one conversation per four records, and an audit row
    for every record that left the device; one transaction."""
    import random
    from datetime import datetime, timedelta, timezone

    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    stamp = now.isoformat(timespec="milliseconds")
    conn = db.conn
    with conn:
        conn.executemany(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
            [(f"conversation {i}", stamp, stamp) for i in range(max(1, n // 4))],
        )
        ids = [row[0] for row in conn.execute("SELECT id FROM conversations")]
        requests, audits = [], []
        for _ in range(n):
            at = now - timedelta(seconds=rng.uniform(0, days * 86400))
            created = at.isoformat(timespec="milliseconds")
            route = rng.choices(["local", "cloud", "edge"], [70, 20, 10])[0]
            conversation = rng.choice(ids)
            fallbacks = (
                [{"route": "cloud", "server": None, "error": rng.choice(["timeout", "rate limit"])}]
                if rng.random() < 0.05
                else []
            )
            pii = {"PERSON": 1} if rng.random() < 0.2 else {}
            cost = rng.uniform(0.001, 0.02) if route == "cloud" else 0.0
            requests.append(
                (
                    created,
                    conversation,
                    route,
                    "auto",
                    f"{route.title()}: reason {rng.randint(1, 5)}; est. $0.01.",
                    json.dumps(fallbacks),
                    len(fallbacks),
                    rng.randint(10, 500),
                    rng.randint(10, 500),
                    rng.uniform(50, 900),
                    rng.uniform(100, 9000),
                    cost,
                    "priced" if route == "cloud" else "local_zero_cost",
                    json.dumps(pii),
                    sum(pii.values()),
                    "none" if route == "local" else "sent",
                    "error" if rng.random() < 0.1 else "complete",
                )
            )
            if route != "local":
                text = json.dumps({"model": "m", "messages": [{"role": "user", "content": "x"}]})
                audits.append((created, "api.example", "m", conversation, text, "{}", 1, "sent"))
        conn.executemany(
            "INSERT INTO requests (created_at, conversation_id, route, requested, reason,"
            " fallbacks, fallback_count, prompt_tokens, completion_tokens, ttft_ms, latency_ms,"
            " cost_usd, cost_source, pii, pii_count, gate_action, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            requests,
        )
        conn.executemany(
            "INSERT INTO audit_log (created_at, destination, model, conversation_id,"
            " redacted_text, entity_counts, bytes, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            audits,
        )


def _percentile(values: list[float], p: float) -> float | None:
    """Nearest rank, as storage.audit computes it."""
    if not values:
        return None
    values = sorted(values)
    rank = (len(values) * int(p * 100) + 99) // 100
    return values[max(rank, 1) - 1]


def python_summary(db: Any, price_in_per_mtok: float, price_out_per_mtok: float) -> dict[str, Any]:
    """The summary's main figures the slow way: every row into Python."""
    cursor = db.execute("SELECT * FROM requests")
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    routes = Counter(r["route"] for r in rows)
    tokens_in = sum(r["prompt_tokens"] for r in rows if r["route"] != "cloud")
    tokens_out = sum(r["completion_tokens"] for r in rows if r["route"] != "cloud")
    pii: Counter[str] = Counter()
    fallback_reasons: Counter[str] = Counter()
    latency: dict[str, dict[str, Any]] = {}
    for r in rows:
        pii.update(json.loads(r["pii"]))
        for f in json.loads(r["fallbacks"]):
            fallback_reasons[f.get("error") or ""] += 1
    for route in ("local", "edge", "cloud"):
        values = [
            r["latency_ms"]
            for r in rows
            if r["route"] == route and r["latency_ms"] is not None and r["status"] != "error"
        ]
        latency[route] = {
            "p50": _percentile(values, 0.5),
            "p95": _percentile(values, 0.95),
            "n": len(values),
        }
    return {
        "requests": len(rows),
        "routes": {k: routes.get(k, 0) for k in ("local", "edge", "cloud")},
        "cost_usd": round(sum(r["cost_usd"] for r in rows if r["cost_source"] == "priced"), 8),
        "estimated_cost_avoided_usd": round(
            (tokens_in * price_in_per_mtok + tokens_out * price_out_per_mtok) / 1e6, 8
        ),
        "latency_ms": latency,
        "pii": dict(pii),
        "fallbacks": sum(fallback_reasons.values()),
    }


def _agree(sql: dict[str, Any], py: dict[str, Any]) -> bool:
    same = all(sql[k] == py[k] for k in ("requests", "routes", "latency_ms", "pii", "fallbacks"))
    close = all(
        abs(sql[k] - py[k]) <= 1e-6 * max(1.0, abs(py[k]))
        for k in ("cost_usd", "estimated_cost_avoided_usd")
    )
    return same and close


def python_page(db: Any, offset: int) -> list[tuple[Any, ...]]:
    rows = db.execute("SELECT * FROM requests").fetchall()
    rows.sort(key=lambda r: (r[1], r[0]), reverse=True)  # created_at, id
    return list(rows[offset : offset + 100])


if __name__ == "__main__":
    raise SystemExit(main())
