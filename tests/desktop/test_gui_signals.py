"""SIGTERM and SIGHUP (logout, shutdown) reach the real GUI process while it is answering: it quits
cleanly and the partial answer is saved as *stopped*, as Stop or Ctrl+C would keep it.

The app runs as its own process, offscreen, through its real entry point (``app.main``); a small
driver only types a prompt into the window once the model is ready, and prints a line when the
first token arrives."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import Settings, save_settings
from hybrid_desktop.storage.history import HistoryStore
from tests.desktop.conftest import log_text

PROMPT = "Count from 1 to 1000, one number per line, and say nothing else."

DRIVER = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from hybrid_desktop.ui.launch import ensure_application
from hybrid_desktop.ui.main_window import MainWindow

tokens = []

def first_token(_request_id, _text):
    if not tokens:
        tokens.append(1)
        print("FIRST TOKEN", flush=True)

def ask_when_ready():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.built and window.state.model_state == "ready":
            window.turns.token.connect(first_token)
            window.chat_panel.input.setPlainText({PROMPT!r})
            window.chat_panel.send()
            return
    QTimer.singleShot(100, ask_when_ready)

ensure_application()
QTimer.singleShot(100, ask_when_ready)
from hybrid_desktop.app import main
sys.exit(main([]))
"""


def _wait_for_line(proc: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    assert proc.stdout is not None
    seen = b""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < deadline:
            if selector.select(timeout=1):
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
    return seen


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, getattr(signal, "SIGHUP", 1)], ids=["TERM", "HUP"]
)
def test_a_signal_quits_the_gui_and_keeps_the_partial_answer(
    signum: int, app_home: Path, tmp_path: Path
) -> None:
    paths = default_paths()
    paths.ensure()
    save_settings(Settings(max_tokens=2000, close_to_tray=False), paths.settings_file)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(driver)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        seen = _wait_for_line(proc, b"FIRST TOKEN", 120)
        assert b"FIRST TOKEN" in seen, seen.decode(errors="replace")
        proc.send_signal(signum)
        started = time.monotonic()
        rest, _ = proc.communicate(timeout=60)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = (seen + rest).decode(errors="replace")
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
    assert took < 30, f"quitting took {took:.1f} s"
    assert f"{signal.Signals(signum).name} received" in log_text(app_home)

    store = HistoryStore(paths.database)
    try:
        conversations = store.list_conversations()
        assert len(conversations) == 1
        messages = store.messages(conversations[0].id)
    finally:
        store.close()
    assert [m.role for m in messages] == ["user", "assistant"]
    answer = messages[1]
    assert answer.status == "stopped", answer
    assert answer.content.strip()
    assert answer.meta["stop_reason"] == "cancelled"
    assert answer.meta["completion_tokens"] < 2000
