"""Files the running app loads that are not code: the window and tray icons.

They are package data (``hybrid_desktop/resources/icons/``), so they reach the installed wheel and
the PyInstaller bundles. The copies here are made from ``resources/`` (the source of truth) by
``installers/sync_resources.py``; a test fails when the two differ. No Qt in this module: callers
build their ``QIcon`` from the paths.

    icon_path("hybrid-desktop")            # the app icon, SVG
    icon_path("hybrid-desktop", size=16)   # a pre-rendered PNG (pixel-fitted at 16 and 24 px)
    icon_path("tray-busy")                 # a tray state: tray-idle, -busy, -offline, -cloud
    app_icon_files()                       # every app icon file: add them all to one QIcon
    translation_path("de")                 # the compiled German UI catalogue (.qm)

The ``.qm`` catalogues are compiled from ``resources/translations/*.ts`` by
``installers/translations.py release``.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from pathlib import Path

__all__ = [
    "APP_ICON",
    "APP_ICON_SIZES",
    "TRANSLATIONS",
    "TRAY_STATES",
    "app_icon_files",
    "icon_path",
    "translation_path",
]

APP_ICON = "hybrid-desktop"
#: Sizes of the pre-rendered app icon PNGs.
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: Tray icon states; the icon of state ``s`` is ``icon_path(f"tray-{s}")``.
TRAY_STATES = ("idle", "busy", "offline", "cloud")

#: The UI languages with a translation catalogue, besides English (the source language).
TRANSLATIONS = ("de",)

_files = contextlib.ExitStack()
atexit.register(_files.close)


def _package_dir(name: str) -> Path:
    folder = resources.files(__name__) / name
    if isinstance(folder, Path):  # an ordinary install, an editable one, or a PyInstaller bundle
        return folder
    # Imported from a zip: extract once for the life of the process.
    return Path(_files.enter_context(resources.as_file(folder)))


def icon_path(name: str, size: int | None = None) -> Path:
    """The file of icon ``name``: its SVG, or with ``size`` its PNG of that many pixels.

    ``name`` is an icon name (``"hybrid-desktop"``, ``"tray-idle"``) or a file name with its
    extension (``"hybrid-desktop-32.png"``). Raises ``FileNotFoundError`` for an unknown icon.
    """
    if size is not None:
        filename = f"{name}-{size}.png"
    elif "." in name:
        filename = name
    else:
        filename = f"{name}.svg"
    if "/" in filename or "\\" in filename:
        raise ValueError(f"not an icon name: {name!r}")
    path = _package_dir("icons") / filename
    if not path.is_file():
        raise FileNotFoundError(f"no packaged icon {filename!r} in {path.parent}")
    return path


def app_icon_files() -> list[Path]:
    """The app icon's PNGs, smallest first, then its SVG (for a ``QIcon`` with every size)."""
    return [icon_path(APP_ICON, size=s) for s in APP_ICON_SIZES] + [icon_path(APP_ICON)]


def translation_path(language: str) -> Path:
    """The compiled catalogue of ``language`` (``"de"``; ``"en"`` holds only the English plural
    forms, "1 message" / "2 messages"); it may be missing in a source checkout that was never
    released, which callers report and survive."""
    if language != "en" and language not in TRANSLATIONS:
        raise ValueError(f"no translation for {language!r}")
    return _package_dir("translations") / f"hybrid_desktop_{language}.qm"
