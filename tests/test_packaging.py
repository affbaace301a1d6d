"""The wheel carries everything the app reads at run time (not only the checkout has it)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_contains_runtime_data(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("hybrid_desktop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    runtime_files = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "hybrid_desktop").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    assert runtime_files, "expected data files in the package"
    missing = [f for f in runtime_files if f not in names]
    assert missing == [], f"not in the wheel: {missing}"
    assert "hybrid_desktop/core/privacy/data/given_names.txt" in names
