"""The app's light and dark palettes, chosen from the system's colour scheme or the user's choice.

``Settings.color_scheme`` is ``"system"`` (follow ``QStyleHints.colorScheme()``, live), ``"light"``
or ``"dark"``. :func:`apply_theme` sets the palette on the application and keeps following the
system while the setting is ``"system"``; :func:`follow_settings` re-applies it when the setting
changes. Every widget that draws with palette roles follows at once; :func:`is_dark` tells the
parts that build their own colours (the code blocks of :mod:`ui.markdown`) which scheme is shown.

Each text colour meets WCAG AA against the backgrounds it is drawn on (:data:`TEXT_PAIRS`: at
least 4.5:1, disabled text at least 3:1); ``tests/ui/test_theme.py`` checks every pair with
:func:`contrast_ratio`, the WCAG 2 formula.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from hybrid_desktop.config.settings import COLOR_SCHEMES

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)

SCHEMES = COLOR_SCHEMES

#: WCAG AA for normal text; disabled controls are exempt in WCAG, 3:1 keeps them legible.
MIN_CONTRAST = 4.5
MIN_DISABLED_CONTRAST = 3.0

Role = QPalette.ColorRole

#: Each text role with the backgrounds it is drawn on.
TEXT_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (Role.WindowText, Role.Window),
    (Role.WindowText, Role.Base),
    (Role.WindowText, Role.Button),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.Text, Role.Window),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.HighlightedText, Role.Accent),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base),
    (Role.LinkVisited, Role.Window),
    (Role.BrightText, Role.Dark),
)
#: The text roles a disabled control greys out.
DISABLED_PAIRS: tuple[tuple[QPalette.ColorRole, QPalette.ColorRole], ...] = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.ButtonText, Role.Button),
)

_LIGHT = {
    Role.Window: "#f3f4f6",
    Role.WindowText: "#111827",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f3f4f6",
    Role.Text: "#111827",
    Role.PlaceholderText: "#6b7280",
    Role.Button: "#e5e7eb",
    Role.ButtonText: "#111827",
    Role.BrightText: "#ffffff",
    Role.ToolTipBase: "#1f2937",
    Role.ToolTipText: "#f9fafb",
    Role.Highlight: "#2563eb",
    Role.HighlightedText: "#ffffff",
    Role.Accent: "#2563eb",
    Role.Link: "#1d4ed8",
    Role.LinkVisited: "#6d28d9",
    Role.Light: "#ffffff",
    Role.Midlight: "#f3f4f6",
    Role.Mid: "#9ca3af",
    Role.Dark: "#4b5563",
    Role.Shadow: "#1f2937",
}
_LIGHT_DISABLED = {
    Role.WindowText: "#6b7280",
    Role.Text: "#6b7280",
    Role.ButtonText: "#6b7280",
    Role.Highlight: "#9ca3af",
    Role.HighlightedText: "#111827",
}

_DARK = {
    Role.Window: "#202124",
    Role.WindowText: "#e8eaed",
    Role.Base: "#17181a",
    Role.AlternateBase: "#26282b",
    Role.Text: "#e8eaed",
    Role.PlaceholderText: "#9aa0a6",
    Role.Button: "#303134",
    Role.ButtonText: "#e8eaed",
    Role.BrightText: "#ffffff",
    Role.ToolTipBase: "#3c4043",
    Role.ToolTipText: "#f1f3f4",
    Role.Highlight: "#2563eb",
    Role.HighlightedText: "#ffffff",
    Role.Accent: "#2563eb",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
    Role.Light: "#4a4d51",
    Role.Midlight: "#3c4043",
    Role.Mid: "#2a2b2e",
    Role.Dark: "#111214",
    Role.Shadow: "#000000",
}
_DARK_DISABLED = {
    Role.WindowText: "#8a8f96",
    Role.Text: "#8a8f96",
    Role.ButtonText: "#8a8f96",
    Role.Highlight: "#3c4043",
    Role.HighlightedText: "#c4c7cc",
}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour (``#rrggbb`` or a QColor), 0 to 1."""
    qcolour = QColor(colour)
    return (
        0.2126 * _channel(qcolour.red())
        + 0.7152 * _channel(qcolour.green())
        + 0.0722 * _channel(qcolour.blue())
    )


def contrast_ratio(foreground: str | QColor, background: str | QColor) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(colour: str, background: str, minimum: float = MIN_CONTRAST) -> str:
    """``colour`` (``#rrggbb``), or the nearest mix of it towards black or white (whichever the
    background contrasts with more) that reaches ``minimum`` against ``background``."""
    if contrast_ratio(colour, background) >= minimum:
        return colour
    towards = QColor("#000000" if relative_luminance(background) > 0.18 else "#ffffff")
    start = QColor(colour)
    for step in range(1, 21):
        t = step / 20
        mixed = QColor(
            round(start.red() + (towards.red() - start.red()) * t),
            round(start.green() + (towards.green() - start.green()) * t),
            round(start.blue() + (towards.blue() - start.blue()) * t),
        ).name()
        if contrast_ratio(mixed, background) >= minimum:
            return mixed
    return towards.name()


def _palette(
    colours: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))  # every group
    for role, colour in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    return _palette(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def system_is_dark() -> bool:
    """The system's colour scheme is dark (unknown counts as light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def wants_dark(setting: str, system_dark: bool) -> bool:
    """Whether ``setting`` ("system" | "light" | "dark") means the dark palette."""
    if setting == "system":
        return system_dark
    return setting == "dark"


def is_dark() -> bool:
    """The application's palette is a dark one (its window colour is dark)."""
    if QGuiApplication.instance() is None:
        return False
    return QGuiApplication.palette().color(Role.Window).lightness() < 128


class _Follower(QObject):
    """Re-applies the palette when the system's scheme changes (while the setting is "system")."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self.app = app
        self.setting = "system"
        app.styleHints().colorSchemeChanged.connect(self.system_changed)

    def system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.setting == "system":
            log.info("the system colour scheme is now %s", scheme.name)
            _set_palette(self.app, scheme == Qt.ColorScheme.Dark)


_followers: dict[int, _Follower] = {}


def _follower(app: QGuiApplication) -> _Follower:
    follower = _followers.get(id(app))
    if follower is None or follower.app is not app:
        follower = _followers[id(app)] = _Follower(app)
    return follower


def _set_palette(app: QGuiApplication, dark: bool) -> None:
    if dark and isinstance(app, QApplication) and app.style().name().lower() == "windowsvista":
        app.setStyle("Fusion")  # the Vista style draws with its own light colours
    app.setPalette(dark_palette() if dark else light_palette())


def apply_theme(app: QGuiApplication, setting: str) -> bool:
    """Set the palette for ``setting`` ("system", "light" or "dark") now, and follow the system's
    scheme from now on while it is "system". Returns whether the dark palette is in force."""
    if setting not in SCHEMES:
        log.warning("unknown colour scheme %r: following the system", setting)
        setting = "system"
    follower = _follower(app)
    follower.setting = setting
    hints = app.styleHints()
    # Native parts (file dialogs, title bars) follow the choice where the platform allows it.
    if setting == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if setting == "dark" else Qt.ColorScheme.Light)
    dark = wants_dark(setting, system_is_dark())
    _set_palette(app, dark)
    log.info("colour scheme %s: %s palette", setting, "dark" if dark else "light")
    return dark


def follow_settings(app: QGuiApplication, state: AppState) -> None:
    """Apply the theme again whenever the ``color_scheme`` setting changes."""

    def changed(new: Settings, old: Settings) -> None:
        if new.color_scheme != old.color_scheme:
            apply_theme(app, new.color_scheme)

    state.settings_changed.connect(changed)
