"""The app's icons at run time: the packaged SVGs when present, else drawn here.

Tray states (busy, offline, edge, cloud) get their own icon so the state shows at a glance.
"""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

log = logging.getLogger(__name__)

STATE_COLOURS = {
    "idle": "#2563eb",
    "busy": "#d97706",
    "offline": "#6b7280",
    "cloud": "#7c3aed",
    "edge": "#0f766e",
}


#: The app icon sizes drawn by hand on the pixel grid (resources/icons); others render the SVG.
FITTED_SIZES = (16, 24)


def _packaged(name: str) -> QIcon | None:
    try:
        from hybrid_desktop.resources import icon_path

        path = icon_path(name)
    except Exception:
        return None
    if path is None or not path.exists():
        return None
    icon = QIcon(str(path))
    return None if icon.isNull() else icon


def _drawn(colour: str) -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(8, int(size * 0.62)))
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "H")
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@cache
def app_icon() -> QIcon:
    """The SVG, rendered at the device pixels asked for (crisp at 1x to 3x), with the
    pixel-fitted PNGs used where they match exactly (16 and 24 px at 1x)."""
    try:
        from hybrid_desktop.resources import APP_ICON, icon_path

        icon = QIcon(str(icon_path(APP_ICON)))
        for size in FITTED_SIZES:
            icon.addFile(str(icon_path(APP_ICON, size=size)))
        if not icon.isNull():
            return icon
    except Exception:
        log.debug("packaged app icons unavailable", exc_info=True)
    return _packaged("hybrid-desktop") or _drawn(STATE_COLOURS["idle"])


@cache
def tray_icon(state: str) -> QIcon:
    return _packaged(f"tray-{state}") or _drawn(STATE_COLOURS.get(state, STATE_COLOURS["idle"]))
