"""The README's screenshots are made by the real window on a real X display: the script that makes
them runs here (the first-run and German shots) and writes a picture of the whole window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.desktop.test_x11_desktop import x_display  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests" / "tools" / "screenshot_looks.py"


@pytest.mark.parametrize(
    ("shot", "filename"), [("first-run", "first-run.png"), ("german", "german-ui.png")]
)
def test_the_screenshot_script_takes_the_window(
    x_display: dict[str, str],  # noqa: F811
    tmp_path: Path,
    shot: str,
    filename: str,
) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), "--only", shot],
        env={**os.environ, **x_display},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    image = QImage(str(tmp_path / filename))
    assert (image.width(), image.height()) == (1100, 720)
    # A real picture, not an empty frame: many colours (text, buttons, the panel).
    colours = {image.pixel(x, y) for x in range(0, 1100, 7) for y in range(0, 720, 7)}
    assert len(colours) > 20
