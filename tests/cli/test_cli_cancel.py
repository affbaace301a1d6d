"""The CLI against hostile cloud servers: Ctrl+C during a silent cloud wait, and forced cloud
answers that fail. The real CLI as a subprocess, the real SDK, our Messages API server on
127.0.0.1 (tests/support/anthropic_server.py)."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import assert_no_traceback
from tests.conftest import TEST_KEY, run_cli
from tests.support.anthropic_server import FakeAnthropic, running_server

HARD = (
    "Prove that there are infinitely many primes, then derive the prime number theorem's "
    "leading term step by step, with a rigorous argument for each step."
)
#: How long a hostile server keeps going before it gives up on its own.
HOSTILE_S = 30.0


def write_settings(home: Path, **values: object) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text(json.dumps({"schema_version": 1, **values}))


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with running_server() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        yield server


class Interrupted:
    """A finished ``ask`` that got SIGINT 1 s after the server had its request."""

    def __init__(self, done: subprocess.CompletedProcess[str], noted: float, exited: float):
        self.done = done
        #: Seconds from the signal to the "stopped" note on stderr (what the user sees).
        self.noted = noted
        #: Seconds from the signal to the process's exit (interpreter teardown included).
        self.exited = exited


def _interrupt_once_sent(api: FakeAnthropic, *args: str) -> Interrupted:
    """Run ``ask *args`` and send SIGINT 1 s after the server has the request (the process is
    killed 60 s after the signal)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "hybrid_desktop", "ask", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[tuple[float, str]] = []
    reader = threading.Thread(
        target=lambda: lines.extend((time.monotonic(), line) for line in proc.stderr or ()),
        daemon=True,
    )
    reader.start()
    sent = math.inf
    try:
        deadline = time.monotonic() + 180
        while not api.message_requests():
            assert proc.poll() is None, "".join(line for _, line in lines)
            assert time.monotonic() < deadline, "the request never reached the server"
            time.sleep(0.05)
        time.sleep(1.0)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)
        exited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    reader.join(10)
    out = proc.stdout.read() if proc.stdout else ""
    err = "".join(line for _, line in lines)
    noted = next((t - sent for t, line in lines if "stopped" in line), math.inf)
    return Interrupted(
        subprocess.CompletedProcess(proc.args, proc.returncode, out, err), noted, exited
    )


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process is POSIX")
@pytest.mark.parametrize("mode", ["hang", "headers"])
def test_ctrl_c_stops_a_silent_forced_cloud_wait_at_once(
    app_home: Path, api: FakeAnthropic, mode: str
) -> None:
    write_settings(app_home, cloud_timeout_s=60.0)
    api.set(mode=mode, hostile_for_s=HOSTILE_S)
    run = _interrupt_once_sent(api, "--route", "cloud", HARD)
    done = run.done
    assert run.noted < 2, run.noted  # the read timeout is 60 s
    assert run.exited < 15, run.exited  # plus the interpreter's teardown, slow on a busy machine
    assert done.returncode == 130, done.stderr
    assert_no_traceback(done)
    assert "stopped; no answer text yet" in done.stderr


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_on_auto_during_the_cloud_wait_stops_the_whole_turn(
    app_home: Path, api: FakeAnthropic
) -> None:
    write_settings(app_home, cloud_timeout_s=60.0)
    api.set(mode="hang", hostile_for_s=HOSTILE_S)
    run = _interrupt_once_sent(api, "--json", HARD)
    done = run.done
    assert run.exited < 15, run.exited  # the read timeout is 60 s
    assert done.returncode == 130, done.stderr
    assert_no_traceback(done)
    data = json.loads(done.stdout.splitlines()[-1])
    # Stopped in the cloud wait: no local answer is started after it.
    assert data["route"] == "cloud" and data["status"] == "stopped"
    assert data["text"] == "" and data["fallback"] is None
    assert len(api.message_requests()) == 1


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("hang", "no first token within 1 s"),
        ("headers", "no first token within 1 s"),
        ("pings", "no first token within 1 s"),
        ("reset", "closed before it answered"),
        ("redirect", "redirected the request to 192.0.2.1"),
    ],
)
def test_forced_cloud_against_a_hostile_server_exits_1_with_a_plain_message(
    app_home: Path, api: FakeAnthropic, mode: str, words: str
) -> None:
    write_settings(app_home, cloud_timeout_s=1.0)
    api.set(mode=mode, hostile_for_s=HOSTILE_S)
    proc = run_cli("ask", "--route", "cloud", HARD, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert_no_traceback(proc)
    assert proc.stderr.startswith("error: "), proc.stderr
    assert words in proc.stderr, proc.stderr
    assert time.monotonic() - api.message_requests()[-1].at < 10
