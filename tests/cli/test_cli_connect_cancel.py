"""Ctrl+C while the cloud request's TCP connect hangs: the real CLI as a subprocess, an endpoint
on 127.0.0.1 that answers the network probe and then stops taking connections
(tests/support/slow_connect.py)."""

from __future__ import annotations

import contextlib
import json
import math
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cli.helpers import assert_no_traceback
from tests.conftest import TEST_KEY
from tests.support.slow_connect import slow_connect

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGINT, and /proc/net/tcp")

HARD = (
    "Prove that there are infinitely many primes, then derive the prime number theorem's "
    "leading term step by step, with a rigorous argument for each step."
)


@pytest.mark.parametrize("route", ["cloud", "auto"])
def test_ctrl_c_during_a_hanging_connect_stops_within_a_second(
    app_home: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    (app_home / "config").mkdir(parents=True, exist_ok=True)
    (app_home / "config" / "settings.json").write_text(
        json.dumps({"schema_version": 1, "cloud_timeout_s": 60.0})
    )
    with slow_connect(probes=1) as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        proc = subprocess.Popen(
            [sys.executable, "-m", "hybrid_desktop", "ask", "--json", "--route", route, HARD],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[tuple[float, str]] = []
        printed: list[tuple[float, str]] = []
        readers = [
            threading.Thread(
                target=lambda: lines.extend((time.monotonic(), ln) for ln in proc.stderr or ()),
                daemon=True,
            ),
            threading.Thread(
                target=lambda: printed.extend((time.monotonic(), ln) for ln in proc.stdout or ()),
                daemon=True,
            ),
        ]
        for reader in readers:
            reader.start()
        try:
            server.wait_connecting()
            time.sleep(0.5)  # inside the connect, whose timeout is 5 s
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=60)
            exited = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(10)
    out = "".join(line for _, line in printed)
    err = "".join(line for _, line in lines)
    # The answer's JSON line: what the user sees, printed once the turn has stopped.
    noted = next((t - sent for t, line in printed if '"status"' in line), math.inf)
    print(f"answer printed {noted * 1000:.0f} ms after Ctrl+C, exit after {exited:.2f} s")
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    assert proc.returncode == 130, err
    assert_no_traceback(done)
    data = json.loads(out.splitlines()[-1])
    assert data["route"] == "cloud" and data["status"] == "stopped"
    assert data["fallback"] is None  # stopped: no local answer after it
    assert noted < 1.0, noted
