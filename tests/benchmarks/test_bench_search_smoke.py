"""The search benchmark runs to the end and reports every figure (timings are not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("bench_search.py")


def test_search_benchmark_reports_every_figure() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--messages", "2000", "--words", "4", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["messages"] == 2000 and report["queries"] > 8
    for way in ("fts", "like", "fts_by_rank", "fts_one_letter"):
        assert report[way]["n"] > 0 and report[way]["p95_ms"] > 0, way
    assert set(report["fts_filtered"]) == {"route_cloud", "one_conversation"}
    assert report["index_migration_s"] >= 0 and report["file_mb"] > 0
