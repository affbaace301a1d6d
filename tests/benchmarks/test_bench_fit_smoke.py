"""The fit benchmark runs to the end and reports predicted against measured memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("bench_fit.py")


@pytest.mark.slow
def test_fit_benchmark_reports_predicted_and_measured_memory() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--ctx", "512", "--no-q8", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    (row,) = report["rows"]
    assert row["n_ctx"] == 512 and row["measured_bytes"] > row["weights_bytes"] * 0.9
    assert row["predicted_bytes"] == (
        row["weights_bytes"] + row["kv_cache_bytes"] + row["overhead_bytes"]
    )
    # The planner's job: within a quarter of the real growth (seen: about 2 %).
    assert abs(row["memory_error"]) < 0.25
    assert report["calibration_tokens_per_s"] > 0
