"""On a real X display (Xvfb) with a real tray host (trayer): the tray icon docks, Ctrl+Alt+Space
shows the Quick Prompt, a typed question is answered by the embedded model and stored, and a
second ``--quick-prompt`` reaches the running instance."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.conftest import log_text, wait_for

TOOLS = ("Xvfb", "trayer", "xdotool", "xwininfo")


def _free_display() -> int:
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def x_display() -> Iterator[dict[str, str]]:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt: xvfb trayer xdotool x11-utils)")
    number = _free_display()
    env = {**os.environ, "DISPLAY": f":{number}"}
    xvfb = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists(), 15, "Xvfb")
    tray = subprocess.Popen(
        [
            "trayer",
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "pixel",
            "--width",
            "120",
            "--height",
            "32",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: '"panel"' in _tree(env), 15, "the trayer panel")
    try:
        yield {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    finally:
        for proc in (tray, xvfb):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _tree(env: dict[str, str]) -> str:
    done = subprocess.run(
        ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True, check=False
    )
    return done.stdout


def _docked(env: dict[str, str]) -> bool:
    """Is a window of our app a descendant of trayer's panel?"""
    lines = _tree(env).splitlines()
    for index, line in enumerate(lines):
        if '("panel" "trayer")' in line:
            depth = len(line) - len(line.lstrip())
            for child in lines[index + 1 :]:
                if child.strip() and len(child) - len(child.lstrip()) <= depth:
                    break
                if '"Hybrid Desktop"' in child:
                    return True
    return False


def _xdotool(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["xdotool", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def _quick_prompt_windows(env: dict[str, str]) -> list[str]:
    done = _xdotool(env, "search", "--onlyvisible", "--name", "^Quick Prompt$")
    return done.stdout.split()


def test_tray_hotkey_quick_prompt_and_handover_on_x11(
    x_display, launch_app, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, **x_display}
    app = launch_app(env=x_display)
    wait_for(lambda: "tray icon shown" in log_text(app_home), 60, "the tray icon")
    wait_for(
        lambda: "global hotkey Ctrl+Alt+Space registered" in log_text(app_home),
        30,
        "the global hotkey",
    )
    wait_for(lambda: _docked(env), 15, "the tray icon to dock in trayer")

    assert _quick_prompt_windows(x_display) == []
    _xdotool(x_display, "key", "ctrl+alt+space")
    wait_for(lambda: bool(_quick_prompt_windows(x_display)), 15, "the Quick Prompt window")
    (window_id,) = _quick_prompt_windows(x_display)

    _xdotool(x_display, "windowfocus", "--sync", window_id)
    _xdotool(x_display, "type", "--delay", "20", "What is the capital of France?")
    _xdotool(x_display, "key", "Return")

    def answered() -> bool:
        out = subprocess.run(
            [sys.executable, "-m", "hybrid_desktop", "history", "list", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            return False
        conversations = json.loads(out.stdout)["conversations"]
        return any(c["title"] == "Quick prompts" and c["message_count"] >= 2 for c in conversations)

    wait_for(answered, 120, "the answer to be stored")
    shown = subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", "history", "show", "1", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    messages = json.loads(shown.stdout)["messages"]
    assert messages[0]["content"] == "What is the capital of France?"
    assert messages[1]["role"] == "assistant" and messages[1]["content"].strip()
    assert messages[1]["route"] == "local"

    # Esc hides it; a second launch with --quick-prompt brings it back in the same process.
    _xdotool(x_display, "key", "Escape")
    wait_for(lambda: _quick_prompt_windows(x_display) == [], 10, "the Quick Prompt to hide")
    second = subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", "--quick-prompt"],
        env={**os.environ, **x_display},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    wait_for(lambda: bool(_quick_prompt_windows(x_display)), 15, "the Quick Prompt again")
    assert app.poll() is None
    assert _instances(app_home) == [app.pid], "only the first instance should be running"


def _instances(home: Path) -> list[int]:
    """Processes of the app (any launch) that use this test's HYBRID_DESKTOP_HOME."""
    marker = f"HYBRID_DESKTOP_HOME={home}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"hybrid_desktop" in cmdline and marker in environ.split(b"\0"):
            found.append(int(proc.name))
    return sorted(found)


def test_a_hotkey_held_by_another_program_is_reported(
    x_display, launch_app, app_home: Path
) -> None:  # type: ignore[no-untyped-def]
    from Xlib import XK, X, display

    other = display.Display(x_display["DISPLAY"])
    root = other.screen().root
    keycode = other.keysym_to_keycode(XK.string_to_keysym("space"))
    root.grab_key(keycode, X.ControlMask | X.Mod1Mask, True, X.GrabModeAsync, X.GrabModeAsync)
    other.sync()
    try:
        launch_app(env=x_display)
        wait_for(
            lambda: "already taken by another application" in log_text(app_home),
            60,
            "the conflict to be reported",
        )
        assert "global hotkey Ctrl+Alt+Space registered" not in log_text(app_home)
    finally:
        other.close()
