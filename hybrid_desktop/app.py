"""The application entry point: ``hybrid-desktop`` (GUI, CLI and self-test share it).

Start-up order of the GUI (``run_gui``), chosen so the window shows before anything heavy:

1. resolve paths (``HYBRID_DESKTOP_HOME`` or the OS folders) and start the log file;
2. load settings (a broken file means defaults plus a notice, never a crash);
3. build the ``QApplication``, start the (idle) model worker thread, build the main window and
   show it; nothing heavy is imported up to here (no sqlite-utils, llama.cpp or Markdown parser);
4. on the first event-loop turn, after the first paint: open history (falling back to a temporary
   folder, with a banner, when the data folder is unusable) and queue the model load, which the
   worker thread runs (check the GGUF file, load it) while the status bar shows progress.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Console and GUI entry point: dispatches to the CLI, the self-test or the window."""
    if sys.stdout is None:  # a windowed launch on Windows has no console
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    from hybrid_desktop.cli import main as cli_main

    return cli_main(argv)


def run_gui(quick_prompt: bool = False, minimized: bool = False) -> int:
    from hybrid_desktop.ui.launch import launch

    return launch(quick_prompt=quick_prompt, minimized=minimized)


if __name__ == "__main__":
    raise SystemExit(main())
