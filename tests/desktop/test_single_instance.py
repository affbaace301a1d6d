"""A second launch hands over to the first over a local socket; a stale socket doesn't block."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.desktop.conftest import log_text, wait_for

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}


def second_launch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", *args],
        env={**__import__("os").environ, **OFFSCREEN},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_second_launch_hands_over_and_exits(launch_app, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    first = launch_app(env=OFFSCREEN)
    wait_for(lambda: "listening for other launches" in log_text(app_home), 60, "the first instance")
    started = time.perf_counter()
    quick = second_launch("--quick-prompt")
    assert quick.returncode == 0, quick.stdout + quick.stderr
    assert time.perf_counter() - started < 30
    wait_for(lambda: "another launch asked to quick-prompt" in log_text(app_home), 10, "handover")
    wait_for(lambda: "quick prompt shown" in log_text(app_home), 10, "the Quick Prompt")
    plain = second_launch()
    assert plain.returncode == 0
    wait_for(lambda: "another launch asked to show" in log_text(app_home), 10, "show handover")
    assert first.poll() is None, "the first instance must keep running"


def test_a_stale_socket_from_a_crash_does_not_block_start_up(launch_app, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    crashed = launch_app(env=OFFSCREEN)
    wait_for(lambda: "listening for other launches" in log_text(app_home), 60, "the instance")
    crashed.send_signal(signal.SIGKILL)  # leaves its socket file behind
    crashed.wait(10)
    from hybrid_desktop.ui.single_instance import server_name

    socket_file = Path(tempfile.gettempdir()) / server_name(str(app_home / "data"))
    assert socket_file.exists(), "the crashed instance should have left its socket behind"
    (app_home / "logs" / "hybrid-desktop.log").write_text("")
    fresh = launch_app(env=OFFSCREEN)
    wait_for(lambda: "listening for other launches" in log_text(app_home), 60, "a new instance")
    handed = second_launch("--quick-prompt")
    assert handed.returncode == 0
    wait_for(lambda: "quick prompt shown" in log_text(app_home), 10, "the Quick Prompt")
    assert fresh.poll() is None


def test_quick_prompt_with_no_instance_starts_the_app_with_it(launch_app, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    proc = launch_app("--quick-prompt", env=OFFSCREEN)
    wait_for(lambda: "quick prompt shown" in log_text(app_home), 60, "the Quick Prompt")
    assert proc.poll() is None
