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


PRIVACY_SCRIPT = Path(__file__).with_name("bench_privacy.py")
PRIVACY_KEYS = {"recall", "precision", "per_type", "p95_ms_300", "ms_10000", "sections"}


@pytest.mark.slow
def test_privacy_benchmark_reports_every_section() -> None:
    """The held-out report runs end to end on a few texts of each set (figures not judged)."""
    out = subprocess.run(
        [sys.executable, str(PRIVACY_SCRIPT), "--heldout", "--limit", "5", "--no-stock", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report.keys() >= PRIVACY_KEYS
    sections = report["sections"]
    assert {"synthetic_heldout", "synthetic_dev", "generated", "realistic_dev", "speed"} <= set(
        sections
    )
    assert set(sections["generated"]) == {"101", "202", "303"}
    assert sections["clean_heldout"]["ours"]["prompts"] == 5
    for seed in sections["generated"].values():
        assert {"plain", "escaped"} <= set(seed)
