"""Foundation benchmark: start-up, model load, decode speed and UI stalls, each against a baseline
measured in the same run.

    python tests/benchmarks/bench_foundation.py [--runs 5] [--json]

- time to window: ``hybrid-desktop --self-test`` (from process start to the main window shown)
  against a bare PySide6 window in a fresh process of the same venv;
- model load: the embedded model through the app's worker (from the self-test report);
- decode tokens/s: the app's local engine against a bare ``Llama.generate`` loop, same model,
  threads, context and prompt;
- UI stall: lateness of a 5 ms timer on the GUI thread while an answer streams into the real
  chat view (offscreen), against the same timer with the window idle;
- stop latency: from Stop (mid-answer) to the window having the stopped, stored answer, against
  the time one token takes to decode.

Figures are medians over ``--runs``. Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE_WINDOW = r"""
import os, time
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
w = QLabel("hello"); w.setWindowTitle("hello"); w.resize(1000, 700); w.show()
app.processEvents()
fields = open("/proc/self/stat", "rb").read().rsplit(b")", 1)[1].split()
up = float(open("/proc/uptime").read().split()[0])
print((up - int(fields[19]) / os.sysconf("SC_CLK_TCK")) * 1000)
"""


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def time_to_window(runs: int) -> dict[str, float]:
    app_ms, bare_ms, load_ms = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "HYBRID_DESKTOP_HOME": home}
            out = subprocess.run(
                [sys.executable, "-m", "hybrid_desktop", "--self-test"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
            )
            report = json.loads(out.stdout.strip().splitlines()[-1])
            app_ms.append(report["window_ms"])
            load_ms.append(report["model_load_ms"])
        out = subprocess.run(
            [sys.executable, "-c", BARE_WINDOW], capture_output=True, text=True, check=True
        )
        bare_ms.append(float(out.stdout.strip().splitlines()[-1]))
    return {
        "window_ms": _median(app_ms),
        "bare_window_ms": _median(bare_ms),
        "window_ratio": round(statistics.median(app_ms) / statistics.median(bare_ms), 2),
        "model_load_ms": _median(load_ms),
    }


def decode_speed(runs: int) -> dict[str, float]:
    """The app's engine against a bare Llama.generate loop (shared with ``hybrid-desktop bench``)."""
    from hybrid_desktop.bench import bench_decode
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.models import embedded_model_path

    settings = Settings()
    figures = bench_decode(settings, embedded_model_path(), runs=runs)
    return {
        "n_threads": settings.n_threads,
        "app_tokens_per_s": figures["local_decode_tokens_per_s"],
        "raw_tokens_per_s": figures["raw_decode_tokens_per_s"],
        "decode_ratio": figures["decode_ratio"],
    }


def ui_stall(runs: int) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer

    from hybrid_desktop.app import build_gui_services
    from hybrid_desktop.bench import timer_lateness
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.launch import start_app

    tmp = tempfile.mkdtemp()
    running = start_app(
        build_gui_services(AppPaths.under(Path(tmp)), Settings(max_tokens=400, temperature=0.8))
    )
    window = running.window
    loop = QEventLoop()
    window.turns.model_ready.connect(loop.quit)
    if window.state.model_state == "loading":
        loop.exec()

    def spin(seconds: float | None) -> None:
        """Run the event loop for ``seconds``, or until the answer finishes."""
        waiter = QEventLoop()
        if seconds is None:
            window.chat_panel.turn_finished.connect(waiter.quit)
        else:
            QTimer.singleShot(int(seconds * 1000), waiter.quit)
        waiter.exec()

    idle = timer_lateness(lambda: spin(1.0))
    streaming: list[float] = []
    for _ in range(runs):
        window.chat_panel.new_conversation()
        window.chat_panel.input.setPlainText(
            "Write a long story about a dragon who learns to cook."
        )
        window.chat_panel.send()
        streaming += timer_lateness(lambda: spin(None))

    stop_ms: list[float] = []
    token_ms: list[float] = []
    for _ in range(max(3, runs)):
        window.chat_panel.new_conversation()
        window.chat_panel.input.setPlainText("Write a very long story about a lighthouse.")
        seen: list[int] = []
        waiter = QEventLoop()

        def on_token(
            _rid: int, _text: str, seen: list[int] = seen, waiter: QEventLoop = waiter
        ) -> None:
            seen.append(1)
            if len(seen) == 30:
                waiter.quit()

        window.turns.token.connect(on_token)
        window.chat_panel.send()
        waiter.exec()
        window.turns.token.disconnect(on_token)
        done = QEventLoop()
        window.chat_panel.turn_finished.connect(done.quit)
        clicked = time.perf_counter()
        window.chat_panel.stop()
        done.exec()
        window.chat_panel.turn_finished.disconnect(done.quit)
        stop_ms.append((time.perf_counter() - clicked) * 1000)
        result = window.chat_panel.chat.messages()[-1]
        assert "stopped" in result.badge.text(), result.badge.text()
        tps = window.readouts.speed_label.text().split()[0]
        token_ms.append(1000 / float(tps))
    running.window.close()
    running.shutdown()

    def p99(values: list[float]) -> float:
        return round(statistics.quantiles(values, n=100)[98], 2)

    return {
        "ui_stall_p99_ms": p99(streaming),
        "ui_stall_max_ms": round(max(streaming), 2),
        "idle_stall_p99_ms": p99(idle),
        "idle_stall_max_ms": round(max(idle), 2),
        "stall_samples": len(streaming),
        "stop_ms": _median(stop_ms),
        "stop_ms_max": round(max(stop_ms), 1),
        "token_ms": round(statistics.median(token_ms), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 (kept alive for the UI part)
    results = {
        "machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}",
        **time_to_window(args.runs),
        **decode_speed(args.runs),
        **ui_stall(max(1, args.runs // 2)),
    }
    if args.json:
        print(json.dumps(results))
        return
    rows = [
        (
            "time to window (ms)",
            results["window_ms"],
            results["bare_window_ms"],
            results["window_ratio"],
        ),
        ("model load (ms)", results["model_load_ms"], "", ""),
        (
            "decode tokens/s",
            results["app_tokens_per_s"],
            results["raw_tokens_per_s"],
            results["decode_ratio"],
        ),
        (
            "UI stall p99 while streaming (ms)",
            results["ui_stall_p99_ms"],
            results["idle_stall_p99_ms"],
            "",
        ),
        (
            "UI stall max while streaming (ms)",
            results["ui_stall_max_ms"],
            results["idle_stall_max_ms"],
            "",
        ),
        ("Stop to stored stopped answer (ms)", results["stop_ms"], results["token_ms"], ""),
    ]
    print(f"{'figure':36} {'app':>10} {'baseline':>10} {'ratio':>7}")
    for name, value, base, ratio in rows:
        print(f"{name:36} {value!s:>10} {base!s:>10} {ratio!s:>7}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
