"""The storage benchmark runs to the end and reports every figure (timings are not judged)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("bench_storage.py")
FIGURES = {"write_turn_ms", "list_ms", "show_ms", "scan_ms", "open_ms", "first_open_ms"}


@pytest.mark.slow
@pytest.mark.skipif(
    not all(shutil.which(t) for t in ("dbus-daemon", "gnome-keyring-daemon", "secret-tool")),
    reason="needs dbus, gnome-keyring and libsecret-tools",
)
def test_storage_benchmark_reports_every_figure() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--turns", "5", "--repeats", "1", "--big-mb", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["encrypted_files_are_sqlcipher"] is True
    assert report["sqlcipher"].startswith("4.")
    for side in ("plaintext", "encrypted"):
        assert report[side].keys() >= FIGURES
        assert all(report[side][k] > 0 for k in FIGURES)
    assert report["conversion"]["encrypt_s"] > 0 and report["big_conversion"]["decrypt_s"] > 0
    assert report["same_library"]["scan_ratio"] > 0
