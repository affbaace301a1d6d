"""An AppImage from the PyInstaller bundle, with ``appimagetool``.

``appimagetool`` is not in Debian and downloads nothing itself, but it has to be fetched from
GitHub (https://github.com/AppImage/appimagetool/releases, ``appimagetool-x86_64.AppImage``), so
``installers/build.py`` builds the AppImage only when it finds the tool (on PATH or in
``$APPIMAGETOOL``). The AppDir made here is the standard layout:

    AppDir/AppRun                      runs usr/lib/hybrid-desktop/hybrid-desktop
    AppDir/hybrid-desktop.desktop      the desktop entry (appimagetool wants it at the top)
    AppDir/hybrid-desktop.png, .DirIcon
    AppDir/usr/lib/hybrid-desktop/     the bundle
    AppDir/usr/share/applications/, icons/hicolor/, metainfo/   as in the .deb

By hand, from a checkout with a built ``dist/hybrid-desktop``:

    python installers/linux/appimage.py            # AppDir in build/AppDir, then appimagetool
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESOURCES = REPO / "resources"
METAINFO = "io.github.hybriddesktop.HybridDesktop.metainfo.xml"

APPRUN = """\
#!/bin/sh
# AppImage entry point: run the bundled executable with the arguments given.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/hybrid-desktop/hybrid-desktop" "$@"
"""


def find_appimagetool() -> str | None:
    configured = os.environ.get("APPIMAGETOOL")
    if configured and Path(configured).is_file():
        return configured
    return shutil.which("appimagetool") or shutil.which("appimagetool-x86_64.AppImage")


def make_appdir(bundle: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    lib = target / "usr" / "lib" / "hybrid-desktop"
    lib.parent.mkdir(parents=True)
    shutil.copytree(bundle, lib, symlinks=True)
    share = target / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(
        RESOURCES / "hybrid-desktop.desktop", share / "applications" / "hybrid-desktop.desktop"
    )
    (share / "metainfo").mkdir(parents=True)
    # appimagetool looks for <desktop file stem>.appdata.xml; the id stays the reverse-DNS one.
    shutil.copyfile(RESOURCES / METAINFO, share / "metainfo" / "hybrid-desktop.appdata.xml")
    for png in sorted((RESOURCES / "icons").glob("hybrid-desktop-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        dest = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "hybrid-desktop.png"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, dest)
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(RESOURCES / "hybrid-desktop.svg", scalable / "hybrid-desktop.svg")
    shutil.copyfile(RESOURCES / "hybrid-desktop.desktop", target / "hybrid-desktop.desktop")
    shutil.copyfile(RESOURCES / "icons" / "hybrid-desktop-256.png", target / "hybrid-desktop.png")
    os.symlink("hybrid-desktop.png", target / ".DirIcon")
    apprun = target / "AppRun"
    apprun.write_text(APPRUN)
    apprun.chmod(0o755)
    return target


def build_appimage(appdir: Path, dist: Path, version: str, tool: str) -> Path:
    arch = os.uname().machine
    out = dist / f"Hybrid_Desktop-{version}-{arch}.AppImage"
    out.unlink(missing_ok=True)
    env = {**os.environ, "ARCH": arch, "VERSION": version}
    # --appimage-extract-and-run: works where FUSE is not available (containers, CI).
    command = [tool, str(appdir), str(out)]
    if tool.endswith(".AppImage"):
        command.insert(1, "--appimage-extract-and-run")
    subprocess.run(command, check=True, env=env)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from hybrid_desktop import __version__

    appdir = make_appdir(REPO / "dist" / "hybrid-desktop", REPO / "build" / "AppDir")
    print(f"AppDir: {appdir}")
    tool = find_appimagetool()
    if not tool:
        raise SystemExit(
            "appimagetool not found: download appimagetool-x86_64.AppImage from "
            "https://github.com/AppImage/appimagetool/releases and set APPIMAGETOOL to its path"
        )
    print(build_appimage(appdir, REPO / "dist", __version__, tool))
