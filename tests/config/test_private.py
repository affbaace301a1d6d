"""Private files: under the usual umask 022, the CLI still creates its folders 0700 and its files
0600, and an install from before is repaired at start-up. POSIX only (Windows uses ACLs)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from hybrid_desktop.config.private import repair
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _modes(root: Path) -> dict[str, int]:
    out = {}
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            out[str(path.relative_to(root.parent))] = stat.S_IMODE(path.stat().st_mode)
    return out


def _umask_022() -> list[str]:
    """A prefix that runs the command under umask 022, as a login shell usually does."""
    return ["/bin/sh", "-c", 'umask 022 && exec "$0" "$@"']


def test_cli_creates_private_folders_and_files_under_umask_022(app_home: Path) -> None:
    result = run_cli("ask", "--route", "local", "--max-tokens", "4", "hi", prefix=_umask_022())
    assert result.returncode == 0, result.stderr
    modes = _modes(app_home)
    folders = {
        p: m for p, m in modes.items() if (app_home.parent / p).is_dir() and p != app_home.name
    }
    files = {p: m for p, m in modes.items() if (app_home.parent / p).is_file()}
    assert any(p.endswith("history.db") for p in files), modes
    assert any(p.endswith(".log") for p in files), modes
    assert all(m == 0o700 for m in folders.values()), folders
    assert all(m == 0o600 for m in files.values()), files


def test_an_old_install_is_repaired_at_start_up(app_home: Path) -> None:
    data = app_home / "data"
    data.mkdir(parents=True)
    os.chmod(data, 0o755)
    old = data / "history.db"
    old.write_bytes(b"")
    os.chmod(old, 0o644)
    result = run_cli("history", "list", prefix=_umask_022())
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_repair_leaves_links_alone_and_counts_what_it_changed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.chmod(outside, 0o644)
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    os.chmod(folder / "a.txt", 0o644)
    (folder / "link").symlink_to(outside)
    assert repair([folder]) >= 1
    assert stat.S_IMODE((folder / "a.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert repair([folder]) == 0
    assert sys.platform != "win32"
