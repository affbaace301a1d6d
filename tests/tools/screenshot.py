"""Take the README's screenshot of the real main window answering with the embedded model.

    python tests/tools/screenshot.py resources/screenshots/main-window.png

Runs offscreen in a throwaway HYBRID_DESKTOP_HOME; the answer is whatever the model says.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "main-window.png")
    from PySide6.QtCore import QEventLoop

    from hybrid_desktop.app import build_gui_services
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.launch import start_app

    home = Path(tempfile.mkdtemp())
    running = start_app(build_gui_services(AppPaths.under(home), Settings(max_tokens=200)))
    window = running.window
    window.resize(1100, 720)

    def wait(signal: object) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        loop.exec()

    if window.state.model_state == "loading":
        wait(window.turns.model_ready)
    for prompt in (
        "What is the capital of France?",
        "Show me a Python function that reverses a string.",
    ):
        window.chat_panel.input.setPlainText(prompt)
        window.chat_panel.send()
        wait(window.chat_panel.turn_finished)
    window.chat_panel.input.setPlainText("Thanks! Can you explain slicing?")
    running.app.processEvents()
    window.grab().save(str(out))
    print(f"saved {out}")
    window.close()
    running.shutdown()


if __name__ == "__main__":
    main()
