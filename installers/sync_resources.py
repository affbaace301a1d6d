"""Copy the icons the running app needs from ``resources/`` (the source) into the package.

    python installers/sync_resources.py           # copy what differs
    python installers/sync_resources.py --check   # exit 1 if the package copies are stale

``resources/`` holds what is not code and is the source of truth. What the app loads at run time
(window and tray icons) must also reach the installed wheel and the bundles, so a copy lives in
``hybrid_desktop/resources/icons/`` as package data, found with
``hybrid_desktop.resources.icon_path()``. ``installers/build.py`` runs this first;
``tests/installers/test_resources.py`` fails when the copies differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "resources"
TARGET = REPO / "hybrid_desktop" / "resources" / "icons"

#: Package copy name -> source file. The app icon as SVG plus the PNG sizes a window or taskbar
#: asks for (the small ones are pixel-fitted, not scaled from the SVG), and the tray states.
RUNTIME_PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
TRAY_STATES = ("idle", "busy", "offline", "cloud")


def runtime_files() -> dict[str, Path]:
    files = {"hybrid-desktop.svg": SOURCE / "hybrid-desktop.svg"}
    for size in RUNTIME_PNG_SIZES:
        files[f"hybrid-desktop-{size}.png"] = SOURCE / "icons" / f"hybrid-desktop-{size}.png"
    for state in TRAY_STATES:
        files[f"tray-{state}.svg"] = SOURCE / "tray" / f"tray-{state}.svg"
    return files


def differences() -> tuple[list[str], list[str]]:
    """(names whose package copy is missing or differs, stray files in the package folder)."""
    files = runtime_files()
    stale = []
    for name, source in files.items():
        if not source.is_file():
            raise SystemExit(f"error: source file missing: {source.relative_to(REPO)}")
        copy = TARGET / name
        if not copy.is_file() or copy.read_bytes() != source.read_bytes():
            stale.append(name)
    stray = (
        sorted(p.name for p in TARGET.glob("*") if p.is_file() and p.name not in files)
        if TARGET.is_dir()
        else []
    )
    return stale, stray


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    args = parser.parse_args(argv)
    stale, stray = differences()
    if args.check:
        for name in stale:
            print(f"stale: hybrid_desktop/resources/icons/{name}", file=sys.stderr)
        for name in stray:
            print(f"not in resources/: hybrid_desktop/resources/icons/{name}", file=sys.stderr)
        if stale or stray:
            print("Run: python installers/sync_resources.py", file=sys.stderr)
        return 1 if stale or stray else 0
    TARGET.mkdir(parents=True, exist_ok=True)
    files = runtime_files()
    for name in stale:
        (TARGET / name).write_bytes(files[name].read_bytes())
        print(f"copied resources -> hybrid_desktop/resources/icons/{name}")
    for name in stray:
        (TARGET / name).unlink()
        print(f"removed hybrid_desktop/resources/icons/{name} (not in resources/)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
