"""``hybrid-desktop --self-test``: one real round trip through the real window and the model.

Open the main window, wait for the model, send a prompt through the worker thread, receive the
streamed tokens, and check the turn is in history. History goes to a temporary folder, so a
self-test leaves the user's own history alone; settings (the chosen model) are the user's.
Prints one JSON line with what it measured; exits 0 on success, 1 with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.services import Services

    MakeServices = Callable[[AppPaths, Settings], Services]

PROMPT = "Say hello in one short sentence."
TIMEOUT_S = 120.0


def process_age_ms() -> float | None:
    """Milliseconds since this process started (Linux), to time start-up from the launch itself."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        with open("/proc/uptime", "rb") as uptime:
            up = float(uptime.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        return (up - int(fields[19]) / ticks) * 1000
    except (OSError, ValueError, IndexError):
        return None


def run_self_test(make_services: MakeServices, timeout_s: float = TIMEOUT_S) -> int:
    """``make_services`` is the app's builder (``app.build_gui_services``)."""
    age = process_age_ms()
    started = time.perf_counter() - (age / 1000 if age is not None else 0.0)
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hybrid_desktop.config.paths import AppPaths, default_paths
    from hybrid_desktop.config.settings import load_settings

    user = default_paths()
    settings = load_settings(user.settings_file)
    settings.max_tokens = 48
    with tempfile.TemporaryDirectory(prefix="hybrid-desktop-selftest-") as tmp:
        paths = AppPaths(
            Path(tmp) / "data", user.config_dir, Path(tmp) / "logs", Path(tmp) / "cache"
        )
        try:
            report = _round_trip(make_services(paths, settings), started, timeout_s)
        except SelfTestFailure as exc:
            print(f"self-test FAILED: {exc}", file=sys.stderr)
            return 1
    print(json.dumps(report))
    print("self-test passed", file=sys.stderr)
    return 0


class SelfTestFailure(Exception):
    pass


def _round_trip(services: Services, started: float, timeout_s: float) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, QTimer

    from hybrid_desktop.ui.launch import start_app

    paths = services.paths
    running = start_app(services, shell_first=True)  # in the order of a real launch
    window = running.window
    state, turns, panel = running.state, running.turns, window.chat_panel
    try:
        deadline = time.perf_counter() + timeout_s
        while window.shown_at is None and time.perf_counter() < deadline:
            running.app.processEvents()
        if window.shown_at is None or not window.isVisible():
            raise SelfTestFailure("the main window did not open")
        # From process start (Linux) or from the self-test's start elsewhere.
        window_ms = (window.shown_at - started) * 1000

        def wait(signals: list[Any], what: str) -> list[Any]:
            loop = QEventLoop()
            got: list[Any] = []

            def record(*args: Any) -> None:
                got.append(args)
                loop.quit()

            for signal in signals:
                signal.connect(record)
            timer = QTimer()
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            timer.start(int(timeout_s * 1000))
            loop.exec()
            if not got:
                raise SelfTestFailure(f"timed out after {timeout_s:.0f} s waiting for {what}")
            return list(got[0])

        from hybrid_desktop.core.chat import TurnResult
        from hybrid_desktop.storage.history import HistoryStore

        if state.model_state == "loading":
            wait([turns.model_ready, turns.model_failed], "the model to load")
        if state.model_state != "ready":
            raise SelfTestFailure(f"the model did not load: {state.model_message}")
        assert state.model_info is not None
        load_ms = state.model_info.load_ms

        tokens: list[str] = []
        turns.token.connect(lambda _rid, text: tokens.append(text))
        panel.input.setPlainText(PROMPT)
        panel.send()
        (outcome,) = wait([panel.turn_finished], "the answer")
        if not isinstance(outcome, TurnResult):
            raise SelfTestFailure(f"the turn failed: {outcome.message}")
        if not tokens:
            raise SelfTestFailure("no tokens were streamed")
        check = HistoryStore(paths.database)
        try:
            stored = check.messages(outcome.conversation_id)
        finally:
            check.close()
        roles = [m.role for m in stored]
        if roles != ["user", "assistant"] or stored[0].content != PROMPT:
            raise SelfTestFailure(f"the turn was not stored as expected (found {roles})")
        shown = panel.chat.messages()
        if not shown or shown[-1].plain_text() != outcome.text:
            raise SelfTestFailure("the answer did not reach the chat view")
        return {
            "ok": True,
            "window_ms": round(window_ms, 1),
            "model": outcome.model,
            "model_load_ms": round(load_ms, 1),
            "ttft_ms": round(outcome.stats.ttft_ms, 1),
            "tokens_streamed": len(tokens),
            "completion_tokens": outcome.stats.completion_tokens,
            "tokens_per_s": round(outcome.stats.tokens_per_s, 1),
            "answer": outcome.text,
        }
    finally:
        window.close()
        running.shutdown()
