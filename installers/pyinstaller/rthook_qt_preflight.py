"""PyInstaller runtime hook (Linux bundles): check the window can open before Qt tries.

When Qt's platform plugin cannot load (a system library missing on a bare Linux, no display at
all), Qt does not raise: it prints a few lines that blame "reinstalling the application" and
aborts the process with a core dump. This hook runs before any app code, only when the window is
asked for (no CLI command), and turns those cases into a plain message naming the missing
libraries and the Debian/Ubuntu packages that provide them, with exit status 1. The command line
(``hybrid-desktop ask ...``) needs none of these libraries and is never checked.

``HYBRID_DESKTOP_SKIP_PREFLIGHT=1`` turns the check off.
"""

from __future__ import annotations

import os
import sys

#: Shared library (soname) -> Debian/Ubuntu package. The X11 (xcb) platform plugin's needs first.
APT_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
#: Platforms that need no display and no extra libraries: never checked.
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "minimalegl")
CLI_WORDS = ("--version", "-h", "--help")


def gui_requested(args: list[str]) -> bool:
    """Whether these arguments open a window (no CLI command; ``--self-test`` counts)."""
    if any(a in CLI_WORDS for a in args):
        return False
    return not any(not a.startswith("-") for a in args)


def candidate_platforms(env: dict[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order, as Qt 6 picks them on Linux."""
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested:
        return [p.split(":")[0].strip() for p in requested.split(";") if p.strip()]
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def missing_libraries(plugin: str) -> list[str]:
    """Shared libraries the plugin needs that cannot be found (``ldd``; else the loader's error)."""
    import ctypes
    import shutil
    import subprocess

    try:
        ctypes.CDLL(plugin, mode=getattr(os, "RTLD_LAZY", 1) | getattr(ctypes, "RTLD_LOCAL", 0))
        return []
    except OSError as exc:
        first = str(exc)
    missing: list[str] = []
    ldd = shutil.which("ldd")
    if ldd:
        try:
            out = subprocess.run(
                [ldd, plugin], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            name, _, where = line.strip().partition(" => ")
            if where.strip() == "not found" and name not in missing:
                missing.append(name)
    if not missing:
        # "libfoo.so.1: cannot open shared object file: No such file or directory"
        head = first.split(": cannot open shared object file")[0]
        missing.append(head.rsplit(": ", 1)[-1].strip() or first)
    return missing


def message_for(platform: str, missing: list[str]) -> str:
    packages = sorted({APT_PACKAGES[m] for m in missing if m in APT_PACKAGES})
    unknown = [m for m in missing if m not in APT_PACKAGES]
    lines = [
        f"Hybrid Desktop cannot open its window: Qt's {platform} display plugin needs system "
        "libraries that are not installed:",
        *(f"    {m}" for m in missing),
    ]
    if packages:
        lines += [
            "On Debian or Ubuntu, install them with:",
            f"    sudo apt install {' '.join(packages)}",
        ]
    if unknown:
        lines.append(
            "Install the package that provides each library with your system's package manager."
        )
    lines.append(
        'The command line works without them: hybrid-desktop ask "..."; '
        "hybrid-desktop --help lists the commands."
    )
    return "\n".join(lines)


def preflight(args: list[str], env: dict[str, str], plugins_dir: str) -> str | None:
    """None when the window can be tried, else the message to print."""
    if not gui_requested(args) or env.get("HYBRID_DESKTOP_SKIP_PREFLIGHT"):
        return None
    has_display = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if not env.get("QT_QPA_PLATFORM") and not has_display:
        if "--self-test" in args:
            return None  # the self-test runs offscreen by itself when there is no display
        return (
            "Hybrid Desktop cannot open its window: there is no graphical display (neither DISPLAY "
            "nor WAYLAND_DISPLAY is set).\nStart it from a desktop session. Without a display, the "
            'command line works: hybrid-desktop ask "..."; hybrid-desktop --help lists the commands.'
        )
    problems: list[str] = []
    for platform in candidate_platforms(env):
        if platform in HEADLESS_PLATFORMS:
            return None
        plugin = os.path.join(plugins_dir, "platforms", f"libq{platform}.so")
        if not os.path.isfile(plugin):
            return None  # not a plugin we ship: let Qt report it
        if platform == "xcb" and not env.get("DISPLAY"):
            problems.append(
                "Hybrid Desktop cannot open its window: Qt's X11 display plugin needs an X "
                "display, and DISPLAY is not set."
            )
            continue
        missing = missing_libraries(plugin)
        if not missing:
            return None
        problems.append(message_for(platform, missing))
    return "\n\n".join(problems) or None


def _run() -> None:
    if not sys.platform.startswith("linux") or not getattr(sys, "frozen", False):
        return
    plugins_dir = os.path.join(getattr(sys, "_MEIPASS", ""), "PySide6", "Qt", "plugins")
    try:
        problem = preflight(sys.argv[1:], dict(os.environ), plugins_dir)
    except Exception:  # the check must never be the reason the app does not start
        return
    if problem:
        sys.stderr.write(problem + "\n")
        sys.stderr.flush()
        raise SystemExit(1)


_run()
