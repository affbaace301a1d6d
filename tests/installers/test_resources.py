"""The desktop-integration resources: icons in every size, the .desktop entry, AppStream metainfo,
and the runtime copies of the icons that reach the installed wheel and the bundles."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "resources"
INSTALLERS = REPO / "installers"
sys.path.insert(0, str(INSTALLERS))

import make_icons  # noqa: E402
import sync_resources  # noqa: E402

from hybrid_desktop.resources import (  # noqa: E402
    APP_ICON_SIZES,
    TRAY_STATES,
    app_icon_files,
    icon_path,
)

METAINFO = RESOURCES / "io.github.hybriddesktop.HybridDesktop.metainfo.xml"
DESKTOP = RESOURCES / "hybrid-desktop.desktop"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_package_icons_are_the_resources_copies() -> None:
    stale, stray = sync_resources.differences()
    assert not stale and not stray, (
        f"stale: {stale}, not in resources/: {stray}; run python installers/sync_resources.py"
    )


def test_rendered_icons_match_the_svgs() -> None:
    proc = subprocess.run(
        [sys.executable, str(INSTALLERS / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("size", make_icons.PNG_SIZES)
def test_png_sizes(size: int) -> None:
    assert png_size(make_icons.png_path(size).read_bytes()) == (size, size)


def test_ico_holds_every_windows_size() -> None:
    data = make_icons.ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, _h, _c, _r, _planes, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert bpp == 32 and offset + length <= len(data)
        sizes.append(w or 256)
    assert sorted(sizes) == sorted(make_icons.ICO_SIZES)


def test_icns_holds_png_entries_up_to_1024() -> None:
    data = make_icons.ICNS.read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    entries, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        entries[kind] = png_size(data[pos + 8 : pos + length])
        pos += length
    assert entries[b"ic07"] == (128, 128)
    assert entries[b"ic10"] == (1024, 1024)
    assert set(entries) == {kind for kind, _ in make_icons.ICNS_TYPES}


def test_icon_path_api() -> None:
    app = icon_path("hybrid-desktop")
    assert app.suffix == ".svg" and app.is_file()
    assert b"<svg" in app.read_bytes()
    for state in TRAY_STATES:
        assert icon_path(f"tray-{state}").is_file()
    for size in APP_ICON_SIZES:
        assert png_size(icon_path("hybrid-desktop", size=size).read_bytes()) == (size, size)
    assert icon_path("hybrid-desktop-32.png") == icon_path("hybrid-desktop", size=32)
    assert app_icon_files()[-1] == app and len(app_icon_files()) == len(APP_ICON_SIZES) + 1
    with pytest.raises(FileNotFoundError):
        icon_path("no-such-icon")
    with pytest.raises(ValueError):
        icon_path("../hybrid-desktop.svg")


def test_every_svg_renders_in_qt() -> None:
    from PySide6.QtSvg import QSvgRenderer

    svgs = [*RESOURCES.glob("*.svg"), *RESOURCES.glob("tray/*.svg"), icon_path("hybrid-desktop")]
    for svg in svgs:
        assert QSvgRenderer(str(svg)).isValid(), svg


def test_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Name"] == "Hybrid Desktop"
    assert main["Exec"] == "hybrid-desktop"
    assert main["Icon"] == "hybrid-desktop"
    assert main["Categories"] == "Utility;Office;"
    # Qt sets the Wayland app id from QGuiApplication.setDesktopFileName("hybrid-desktop") and
    # the X11 WM_CLASS instance from the executable's name: both "hybrid-desktop".
    assert main["StartupWMClass"] == "hybrid-desktop"
    assert "quick-prompt" in main["Actions"].split(";")
    action = entry["Desktop Action quick-prompt"]
    assert action["Name"] == "Quick Prompt"
    assert action["Exec"] == "hybrid-desktop --quick-prompt"


def test_desktop_entry_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    if not tool:
        pytest.skip("desktop-file-validate not installed (apt install desktop-file-utils)")
    proc = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_metainfo() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.hybriddesktop.HybridDesktop"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "Apache-2.0"
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("content_rating") is not None
    assert [r.get("version") for r in root.iter("release")] == ["0.1.0"]
    screenshot = root.find("screenshots/screenshot/image").text
    assert screenshot.endswith("/resources/screenshots/main-window.png")
    assert "resources/screenshots/main-window.png" in (REPO / "README.md").read_text()


def test_metainfo_validates() -> None:
    tool = shutil.which("appstreamcli")
    if not tool:
        pytest.skip("appstreamcli not installed (apt install appstream)")
    proc = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


BUILD_PY = """
import sys, tomllib
from setuptools import Distribution, find_packages
conf = tomllib.load(open("pyproject.toml", "rb"))["tool"]["setuptools"]
dist = Distribution({
    "name": "hybrid-desktop",
    "packages": find_packages(include=conf["packages"]["find"]["include"]),
    "package_data": conf["package-data"],
})
dist.script_name = "setup.py"
cmd = dist.get_command_obj("build_py")
cmd.build_lib = sys.argv[1]
cmd.ensure_finalized()
cmd.run()
"""


def test_icons_reach_the_installed_package(tmp_path: Path) -> None:
    """The installed app, not the checkout, must find its icons: they are package data. This
    runs setuptools' build_py (what a wheel build runs) with pyproject.toml's package-data,
    offline, and looks at what it copied."""
    pytest.importorskip("tomllib")
    pytest.importorskip("setuptools")
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_PY, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    icons = tmp_path / "hybrid_desktop" / "resources" / "icons"
    for name in sync_resources.runtime_files():
        assert (icons / name).is_file(), f"{name} would not be installed"
    assert (tmp_path / "hybrid_desktop" / "resources" / "__init__.py").is_file()
