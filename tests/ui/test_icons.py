"""The tray and window icons read in both schemes and stay crisp from 1x to 3x: each carries its
own background (so a light or a dark panel does not matter), its glyph meets WCAG's 3:1 for
graphics on it, and the SVG is rendered at the device pixels asked for, not scaled up."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSize

from hybrid_desktop.resources import TRAY_STATES, icon_path
from hybrid_desktop.ui.icons import app_icon, tray_icon
from hybrid_desktop.ui.theme import contrast_ratio

#: WCAG 2.1 SC 1.4.11: graphical objects need 3:1 against what is next to them.
GRAPHICS_CONTRAST = 3.0


@pytest.mark.parametrize("state", TRAY_STATES)
def test_each_tray_glyph_stands_out_on_its_own_background(state: str) -> None:
    fills = re.findall(r'fill="(#[0-9a-fA-F]{6})"', icon_path(f"tray-{state}").read_text())
    background, glyph = fills[0], fills[-1]
    assert background != glyph
    assert contrast_ratio(glyph, background) >= GRAPHICS_CONTRAST


@pytest.mark.parametrize("ratio", [1.0, 2.0, 3.0])
def test_icons_are_rendered_at_the_device_pixels_of_each_scale(qapp, ratio: float) -> None:  # type: ignore[no-untyped-def]
    for icon in [app_icon(), *(tray_icon(state) for state in TRAY_STATES)]:
        for logical in (16, 24, 32):
            pixmap = icon.pixmap(QSize(logical, logical), ratio)
            want = round(logical * ratio)
            assert (pixmap.width(), pixmap.height()) == (want, want)
            assert pixmap.devicePixelRatio() == pytest.approx(ratio)
