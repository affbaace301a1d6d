"""Take the README's screenshots of the first run, dark mode, a highlighted code answer and the
German window, from the real window on a real X display (Xvfb) with the embedded model.

    xvfb-run -a -s "-screen 0 1280x800x24" python tests/tools/screenshot_looks.py resources/screenshots

Each shot runs in its own process (the language and the colours are chosen before the first
window, as at a real start) in a throwaway HYBRID_DESKTOP_HOME; the answers are whatever the model
says. ``--only NAME`` takes one shot (``tests/desktop/test_screenshots.py`` uses it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: Shot name -> (file name, settings, prompts asked before the picture, first-run panel shown).
SHOTS: dict[str, tuple[str, dict[str, object], tuple[str, ...], bool]] = {
    "first-run": ("first-run.png", {"color_scheme": "light", "language": "en"}, (), True),
    "dark": (
        "dark-mode.png",
        {"color_scheme": "dark", "first_run_dismissed": True, "language": "en"},
        ("What is the capital of France?", "Give me three tips for a good night's sleep."),
        False,
    ),
    "code": (
        "code-answer.png",
        {"color_scheme": "light", "first_run_dismissed": True, "language": "en"},
        ("Write a Python function that reverses a string, in a code block.",),
        False,
    ),
    "german": ("german-ui.png", {"color_scheme": "light", "language": "de"}, (), True),
}


def take(name: str, folder: Path) -> Path:
    from PySide6.QtCore import QEventLoop, QTimer

    from hybrid_desktop.app import build_gui_services
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.launch import start_app

    filename, changes, prompts, first_run = SHOTS[name]
    home = Path(tempfile.mkdtemp())
    settings = Settings(max_tokens=160, hotkey="", **changes)  # type: ignore[arg-type]
    running = start_app(build_gui_services(AppPaths.under(home), settings))
    window = running.window
    window.resize(1100, 720)

    def wait(signal: object, timeout_ms: int = 120_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    if window.state.model_state == "loading":
        wait(window.turns.model_ready)
    panel = window.first_run
    if first_run and panel.facts is None:
        wait(panel.facts_shown)
    for prompt in prompts:
        window.chat_panel.input.setPlainText(prompt)
        window.chat_panel.send()
        wait(window.chat_panel.turn_finished)
    pause = QEventLoop()
    QTimer.singleShot(300, pause.quit)  # the last paint (highlighting, scroll to the end)
    pause.exec()
    out = folder / filename
    window.grab().save(str(out))
    print(f"saved {out}")
    window.close()
    running.shutdown()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("resources/screenshots"))
    parser.add_argument("--only", choices=sorted(SHOTS))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        print("error: no X display; run it under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.only:
        take(args.only, args.folder)
        return 0
    for name in SHOTS:
        command = [sys.executable, __file__, str(args.folder), "--only", name]
        if subprocess.run(command, check=False).returncode != 0:
            print(f"error: the {name} shot failed", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
