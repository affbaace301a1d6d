"""Start at login, the way each OS expects it.

- Linux (and other XDG desktops): ``$XDG_CONFIG_HOME/autostart/hybrid-desktop.desktop``.
- Windows: the ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` value ``HybridDesktop``.
- macOS: a LaunchAgent ``~/Library/LaunchAgents/io.github.hybriddesktop.plist``.

The command started is the one running now (the frozen executable, or this Python with
``-m hybrid_desktop``), with ``--minimized`` so login does not pop a window up.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from pathlib import Path

from hybrid_desktop.errors import SettingsError

ENTRY_NAME = "hybrid-desktop"
RUN_VALUE = "HybridDesktop"
AGENT_LABEL = "io.github.hybriddesktop"


def launch_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "hybrid_desktop", "--minimized"]


def _xdg_file() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "autostart" / f"{ENTRY_NAME}.desktop"


def _agent_file() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def is_enabled() -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import winreg

        try:
            with winreg.OpenKey(
                winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run"
            ) as key:
                winreg.QueryValueEx(key, RUN_VALUE)
            return True
        except OSError:
            return False
    if sys.platform == "darwin":
        return _agent_file().exists()
    return _xdg_file().exists()


def set_enabled(enabled: bool) -> Path | str:
    """Turn start-at-login on or off; returns where it is recorded. Raises SettingsError."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            import subprocess
            import winreg

            with winreg.OpenKey(
                winreg.HKEY_CURRENT_USER,
                r"Software\Microsoft\Windows\CurrentVersion\Run",
                0,
                winreg.KEY_SET_VALUE,
            ) as key:
                if enabled:
                    winreg.SetValueEx(
                        key, RUN_VALUE, 0, winreg.REG_SZ, subprocess.list2cmdline(launch_command())
                    )
                else:
                    with contextlib.suppress(FileNotFoundError):
                        winreg.DeleteValue(key, RUN_VALUE)
            return rf"HKCU\...\Run\{RUN_VALUE}"
        if sys.platform == "darwin":
            path = _agent_file()
            if enabled:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(
                    plistlib.dumps(
                        {
                            "Label": AGENT_LABEL,
                            "ProgramArguments": launch_command(),
                            "RunAtLoad": True,
                            "ProcessType": "Interactive",
                        }
                    )
                )
            else:
                path.unlink(missing_ok=True)
            return path
        path = _xdg_file()
        if enabled:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                "[Desktop Entry]\n"
                "Type=Application\n"
                "Name=Hybrid Desktop\n"
                f"Exec={shlex.join(launch_command())}\n"
                "Icon=hybrid-desktop\n"
                "X-GNOME-Autostart-enabled=true\n"
                "NoDisplay=false\n",
                encoding="utf-8",
            )
        else:
            path.unlink(missing_ok=True)
        return path
    except OSError as exc:
        raise SettingsError(
            f"Could not change start at login: {exc.strerror or exc}.",
            "Check that your user's configuration folder is writable.",
        ) from exc
