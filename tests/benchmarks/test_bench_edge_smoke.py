"""The edge benchmark runs to the end and reports edge and local figures from one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("bench_edge.py")
FIGURES = ("ttft_ms", "tokens_per_s", "total_ms", "completion_tokens")


@pytest.mark.slow
def test_edge_benchmark_reports_both_sides() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--prompts", "1", "--max-tokens", "16", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    for figure in FIGURES:
        assert report[f"edge_{figure}"] > 0, figure
        assert report[f"local_{figure}"] > 0, figure
    assert report["ttft_ratio"] > 0 and report["decode_ratio"] > 0
    assert report["prompts"] == 1 and report["max_tokens"] == 16
