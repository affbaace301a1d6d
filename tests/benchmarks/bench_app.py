"""Wraps ``hybrid-desktop bench`` and adds the one figure it cannot take in-process: how long the
main window takes to be mapped on a real X display, against a bare PySide6 window in the same
venv, both launched as fresh processes and both detected the same way (python-xlib, 10 ms polls).

    python tests/benchmarks/bench_app.py [--runs 5] [--json] [--window-only]

Needs Xvfb for the window part (skipped with a note otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BARE = (
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    "app = QApplication([])\n"
    "w = QLabel('hello'); w.setWindowTitle('Bare Bench Window'); w.resize(1000, 700); w.show()\n"
    "app.exec()\n"
)


def _visible_titles(d: object) -> set[str]:
    """Names of the mapped top-level windows (python-xlib)."""
    from Xlib import X

    titles = set()
    for child in d.screen().root.query_tree().children:  # type: ignore[attr-defined]
        try:
            if child.get_attributes().map_state != X.IsViewable:
                continue
            name = child.get_wm_name()
        except Exception:  # windows come and go while we look
            continue
        if name:
            titles.add(name if isinstance(name, str) else name.decode(errors="replace"))
    return titles


def _mapped_ms(command: list[str], title: str, env: dict[str, str]) -> float:
    """From spawning ``command`` to a viewable top-level window named ``title`` (10 ms polls)."""
    from Xlib import display

    d = display.Display(env["DISPLAY"])
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 120:
            if title in _visible_titles(d):
                return (time.perf_counter() - started) * 1000
            time.sleep(0.01)
        raise TimeoutError(f"no window {title!r} within 120 s")
    finally:
        proc.terminate()
        proc.wait(20)
        d.close()


def window_figures(runs: int) -> dict[str, object]:
    if not shutil.which("Xvfb"):
        return {"window_note": "Xvfb missing: window timing skipped"}
    # Xvfb picks a free display and writes its number to the pipe (a fixed one may be taken).
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_end),
            "-noreset",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = f":{pipe.readline().strip()}"
    time.sleep(0.3)
    try:
        app_ms, bare_ms = [], []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as home:
                env = {
                    **os.environ,
                    "DISPLAY": display,
                    "QT_QPA_PLATFORM": "xcb",
                    "HYBRID_DESKTOP_HOME": home,
                }
                app_ms.append(
                    _mapped_ms([sys.executable, "-m", "hybrid_desktop"], "Hybrid Desktop", env)
                )
                bare_ms.append(_mapped_ms([sys.executable, "-c", BARE], "Bare Bench Window", env))
        app, bare = statistics.median(app_ms), statistics.median(bare_ms)
        return {
            "window_mapped_ms": round(app, 1),
            "bare_window_mapped_ms": round(bare, 1),
            "window_ratio": round(app / bare, 2),
        }
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--window-only", action="store_true", help="only the real-X window timing (no bench)"
    )
    args = parser.parse_args()
    if args.window_only:
        results = window_figures(args.runs)
        print(json.dumps(results) if args.json else results)
        return
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HYBRID_DESKTOP_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "hybrid_desktop",
                "bench",
                "--json",
                *(["--quick"] if args.quick else []),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=1800,
        )
    results = json.loads(out.stdout.strip().splitlines()[-1])
    results.update(window_figures(1 if args.quick else args.runs))
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
