"""A real full disk for tests: a small tmpfs mounted as the app's home, filled until ENOSPC.

Use the ``full_disk`` fixture (import it into the test module, or through a conftest). It mounts
a tmpfs of ``SIZE`` bytes, points ``HYBRID_DESKTOP_HOME`` at it, and unmounts it afterwards.
Mounting needs root (or CAP_SYS_ADMIN); elsewhere the tests that use it skip, saying why.

    def test_something(full_disk: FullDisk) -> None:
        ...                       # set up history while there is space
        full_disk.fill()          # now every write fails with "No space left on device"
        ...
        full_disk.free()          # space again
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: The tmpfs size: room for the app's folders, a history and its log, not much more.
SIZE = 16 * 1024 * 1024
PAGE = 4096


@dataclass
class FullDisk:
    """A mounted tmpfs whose free space the test controls."""

    mount: Path

    @property
    def home(self) -> Path:
        """The app's home on the tmpfs (``HYBRID_DESKTOP_HOME``)."""
        return self.mount / "home"

    @property
    def filler(self) -> Path:
        return self.mount / "filler.bin"

    def free_bytes(self) -> int:
        stats = os.statvfs(self.mount)
        return stats.f_bavail * stats.f_frsize

    def fill(self) -> None:
        """Write to the filler file until the disk refuses (ENOSPC), then check it is full."""
        with self.filler.open("ab", buffering=0) as out:
            for chunk in (1024 * 1024, 64 * 1024, PAGE, 512, 1):
                block = b"\0" * chunk
                while True:
                    try:
                        out.write(block)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        assert self.free_bytes() == 0, f"{self.free_bytes()} bytes still free"

    def leave(self, pages: int) -> None:
        """Fill the disk, then give back exactly ``pages`` pages (4 KiB each)."""
        self.fill()
        size = self.filler.stat().st_size
        keep = (size // PAGE - pages) * PAGE
        os.truncate(self.filler, max(keep, 0))

    def free(self) -> None:
        """Space again: remove the filler."""
        self.filler.unlink(missing_ok=True)


def mount_tmpfs(mount: Path, size: int = SIZE) -> str | None:
    """Mount a tmpfs of ``size`` bytes at ``mount``; None on success, else why not."""
    if shutil.which("mount") is None:
        return "the mount command is not installed"
    mount.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mount)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"mount failed: {exc}"
    if done.returncode != 0:
        return f"mounting a tmpfs is not permitted here ({done.stderr.strip() or done.returncode})"
    return None


def unmount(mount: Path) -> None:
    done = subprocess.run(["umount", str(mount)], capture_output=True, timeout=30, check=False)
    if done.returncode != 0:  # something still holds a file open: detach it lazily
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=30, check=False)


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    """A tmpfs mounted as the app's home (not yet full: call ``fill()``); unmounted afterwards."""
    mount = tmp_path / "tmpfs"
    why = mount_tmpfs(mount)
    if why is not None:
        pytest.skip(f"needs a tmpfs to fill: {why}")
    disk = FullDisk(mount)
    monkeypatch.setenv("HYBRID_DESKTOP_HOME", str(disk.home))
    try:
        yield disk
    finally:
        unmount(mount)
