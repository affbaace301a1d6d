"""Take the README's screenshot of the Quick Prompt answering with the embedded model.

python tests/tools/screenshot_quick_prompt.py resources/screenshots/quick-prompt.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "quick-prompt.png")
    from PySide6.QtCore import QEventLoop

    from hybrid_desktop.app import build_gui_services
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.desktop import attach_desktop
    from hybrid_desktop.ui.launch import start_app

    running = start_app(
        build_gui_services(
            AppPaths.under(Path(tempfile.mkdtemp())), Settings(max_tokens=120, hotkey="")
        )
    )
    window = running.window
    loop = QEventLoop()
    window.turns.model_ready.connect(loop.quit)
    if window.state.model_state == "loading":
        loop.exec()
    quick = attach_desktop(window).quick
    quick.summon()
    quick.input.setText("Give me three tips for a good night's sleep.")
    done = QEventLoop()
    quick.answered.connect(done.quit)
    quick.send()
    done.exec()
    quick.input.setText("Give me three tips for a good night's sleep.")
    running.app.processEvents()
    quick.grab().save(str(out))
    print(f"saved {out}")
    window.close()
    running.shutdown()


if __name__ == "__main__":
    main()
