"""The foundation benchmark runs to the end and reports every figure (timings are not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("bench_foundation.py")
KEYS = {
    "window_ms",
    "bare_window_ms",
    "window_ratio",
    "model_load_ms",
    "app_tokens_per_s",
    "raw_tokens_per_s",
    "decode_ratio",
    "ui_stall_p99_ms",
    "ui_stall_max_ms",
    "stop_ms",
}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="start-up timing reads /proc")
def test_benchmark_completes_with_all_figures() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report.keys() >= KEYS
    assert all(report[k] > 0 for k in KEYS)
