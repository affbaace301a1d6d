"""Helpers for tests that run the real app as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def log_text(home: Path) -> str:
    path = home / "logs" / "hybrid-desktop.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


@pytest.fixture
def launch_app(app_home: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start ``python -m hybrid_desktop ARGS`` (the GUI) as a process; killed afterwards."""
    started: list[subprocess.Popen[str]] = []

    def launch(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hybrid_desktop", *args],
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(proc)
        return proc

    yield launch
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
