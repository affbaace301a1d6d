"""Where the app keeps its data, settings, logs and cache.

By default these are the per-user folders of the OS (platformdirs). When the environment variable
``HYBRID_DESKTOP_HOME`` is set, everything lives below that one folder instead: tests and portable
installs use it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from hybrid_desktop import APP_ID
from hybrid_desktop.errors import DataDirError

HOME_ENV = "HYBRID_DESKTOP_HOME"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "history.db"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"{APP_ID}.log"

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        return cls(root / "data", root / "config", root / "logs", root / "cache")

    def ensure(self) -> None:
        """Create the folders (0700, files 0600), and prove the data folder is writable.

        Raises :class:`DataDirError` naming the folder and the OS's reason; a full disk is not
        one (reading needs no space, and each write reports it).
        """
        from hybrid_desktop.config.private import make_private_dir, repair

        folders = (self.data_dir, self.config_dir, self.log_dir, self.cache_dir)
        for folder in folders:
            try:
                make_private_dir(folder)
            except OSError as exc:
                raise DataDirError(
                    f"Cannot create the folder {folder}: {exc.strerror or exc}."
                ) from exc
        repair(folders)  # an earlier version made them readable by everyone
        probe = self.data_dir / f".write-test-{os.getpid()}"
        try:
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            with contextlib.suppress(OSError):
                probe.unlink(missing_ok=True)  # created, then the write failed
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                # Full, not unwritable: history still opens for reading, and a write says why.
                return
            raise DataDirError(
                f"Cannot write to the data folder {self.data_dir}: {exc.strerror or exc}."
            ) from exc


def default_paths() -> AppPaths:
    """The paths in force for this process (``HYBRID_DESKTOP_HOME`` first, then the OS's)."""
    home = os.environ.get(HOME_ENV)
    if home:
        return AppPaths.under(Path(home).expanduser())
    import platformdirs

    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_ID, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)),
    )
