"""The app's folders and files are the user's alone: folders 0700, files 0600, whatever the umask.

History, the placeholder vault (with the originals: cards, IDs, passwords), settings and the log
would otherwise be readable by every account on the machine under the usual umask 022.
:func:`restrict_umask` makes everything the process creates private from the start;
:func:`repair` fixes what an earlier version created, at start-up. On Windows the per-user profile
folders already carry per-user ACLs, so nothing is changed there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "make_private_dir", "repair", "restrict_umask"]

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def restrict_umask() -> None:
    """New files 0600 and folders 0700 for the rest of this process (POSIX)."""
    if _POSIX:
        os.umask(0o077)


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) and make the folder itself 0700."""
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if _POSIX:
        _chmod(folder, DIR_MODE)


def repair(folders: Iterable[Path]) -> int:
    """Make every folder below and including ``folders`` 0700 and every file 0600; returns how
    many modes were changed. Symbolic links are left alone (they may point anywhere)."""
    if not _POSIX:
        return 0
    changed = 0
    for root in folders:
        if not root.is_dir() or root.is_symlink():
            continue
        changed += _chmod(root, DIR_MODE)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames:
                path = Path(dirpath, name)
                if not path.is_symlink():
                    changed += _chmod(path, DIR_MODE)
            for name in filenames:
                path = Path(dirpath, name)
                if not path.is_symlink():
                    changed += _chmod(path, FILE_MODE)
    if changed:
        log.info("made %d files and folders private (0600/0700)", changed)
    return changed


def _chmod(path: Path, mode: int) -> int:
    try:
        current = stat.S_IMODE(path.lstat().st_mode)
        if current == mode:
            return 0
        path.chmod(mode)
        return 1
    except OSError as exc:  # not ours, or a read-only medium: say so, carry on
        log.warning("cannot make %s private: %s", path, exc.strerror or exc)
        return 0


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX); Windows cannot open a folder
    for fsync, and a failure here only weakens durability, so it is ignored."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
