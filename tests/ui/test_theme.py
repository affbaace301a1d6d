"""The light and dark palettes: WCAG contrast of every text/background pair, the choice from the
system's scheme or the setting, and live switching in the running app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from hybrid_desktop.config.settings import Settings, load_settings
from hybrid_desktop.errors import SettingsError
from hybrid_desktop.ui import theme
from hybrid_desktop.ui.markdown import code_style
from hybrid_desktop.ui.theme import (
    DISABLED_PAIRS,
    MIN_CONTRAST,
    MIN_DISABLED_CONTRAST,
    TEXT_PAIRS,
    apply_theme,
    contrast_ratio,
    dark_palette,
    is_dark,
    light_palette,
    readable_on,
)

Group = QPalette.ColorGroup


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    apply_theme(qapp, "system")  # the next test starts as a launch would


def _window(app: QApplication) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name()


def test_contrast_ratio_follows_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)  # order does not matter
    assert contrast_ratio("#123456", "#123456") == pytest.approx(1.0)
    # Published reference values: #767676 is the lightest grey that passes AA on white.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < MIN_CONTRAST
    assert contrast_ratio("#0000ff", "#ffffff") == pytest.approx(8.59, abs=0.01)


def test_readable_on_keeps_good_colours_and_fixes_poor_ones() -> None:
    assert readable_on("#1d4ed8", "#ffffff") == "#1d4ed8"
    fixed = readable_on("#bbbbbb", "#ffffff")
    assert contrast_ratio(fixed, "#ffffff") >= MIN_CONTRAST
    fixed = readable_on("#333333", "#101010")
    assert contrast_ratio(fixed, "#101010") >= MIN_CONTRAST


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_text_role_meets_wcag_aa_on_its_backgrounds(name: str) -> None:
    palette = light_palette() if name == "light" else dark_palette()
    for group in (Group.Active, Group.Inactive):
        for text, background in TEXT_PAIRS:
            ratio = contrast_ratio(palette.color(group, text), palette.color(group, background))
            assert ratio >= MIN_CONTRAST, f"{name} {text.name} on {background.name}: {ratio:.2f}"
    for text, background in DISABLED_PAIRS:
        ratio = contrast_ratio(
            palette.color(Group.Disabled, text), palette.color(Group.Disabled, background)
        )
        assert ratio >= MIN_DISABLED_CONTRAST, f"{name} disabled {text.name}: {ratio:.2f}"
        # Disabled text looks different from enabled text.
        assert palette.color(Group.Disabled, text) != palette.color(Group.Active, text)


def test_the_code_blocks_stand_out_from_their_windows_scheme() -> None:
    """A dark answer's code block is dark, a light one light, like the window around it."""
    assert is_dark_colour(code_style(True).background)
    assert not is_dark_colour(code_style(False).background)
    assert is_dark_colour(dark_palette().color(QPalette.ColorRole.Window).name())
    assert not is_dark_colour(light_palette().color(QPalette.ColorRole.Window).name())


def is_dark_colour(colour: str) -> bool:
    return contrast_ratio(colour, "#000000") < contrast_ratio(colour, "#ffffff")


def test_the_setting_overrides_the_system_and_is_dark_tells(app: QApplication) -> None:
    assert apply_theme(app, "dark") is True
    assert _window(app) == dark_palette().color(QPalette.ColorRole.Window).name()
    assert is_dark()
    assert apply_theme(app, "light") is False
    assert _window(app) == light_palette().color(QPalette.ColorRole.Window).name()
    assert not is_dark()


def test_following_the_system_scheme_live(app: QApplication) -> None:
    apply_theme(app, "system")
    hints = app.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # as the platform does on a change
    assert is_dark()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark()
    # An explicit choice is kept whatever the system does.
    apply_theme(app, "light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not is_dark()


def test_system_means_the_systems_own_scheme(app: QApplication) -> None:
    assert apply_theme(app, "system") is theme.system_is_dark()
    assert theme.wants_dark("system", True) and not theme.wants_dark("system", False)
    assert theme.wants_dark("dark", False) and not theme.wants_dark("light", True)


def test_the_setting_is_validated_like_its_neighbours(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert Settings().color_scheme == "system"
    Settings(color_scheme="dark").validate()
    with pytest.raises(SettingsError, match="color_scheme"):
        Settings(color_scheme="blue").validate()
    path = tmp_path / "settings.json"
    path.write_text('{"color_scheme": "purple", "max_tokens": 64}', encoding="utf-8")
    settings = load_settings(path)
    assert settings.color_scheme == "system" and settings.max_tokens == 64
    assert any("color_scheme" in problem for problem in settings.problems)


def test_changing_the_setting_repaints_the_running_window_live(make_app, qtbot) -> None:  # type: ignore[no-untyped-def]
    running = make_app(Settings(max_tokens=16, color_scheme="light"))
    window = running.window
    qtbot.waitUntil(lambda: window.isVisible(), timeout=5000)
    light_window = light_palette().color(QPalette.ColorRole.Window).name()
    dark_window = dark_palette().color(QPalette.ColorRole.Window).name()
    assert window.palette().color(QPalette.ColorRole.Window).name() == light_window
    assert running.settings.update(color_scheme="dark")
    assert is_dark()
    # The widgets already on screen take the new palette, no restart.
    qtbot.waitUntil(
        lambda: window.palette().color(QPalette.ColorRole.Window).name() == dark_window,
        timeout=2000,
    )
    assert load_settings(running.services.paths.settings_file).color_scheme == "dark"
    assert running.settings.update(color_scheme="light")
    qtbot.waitUntil(
        lambda: window.palette().color(QPalette.ColorRole.Window).name() == light_window,
        timeout=2000,
    )


def test_answers_code_blocks_and_bubbles_follow_the_scheme_live(app: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui.chat_view import SURFACES, BodyLabel, ChatView, MessageWidget

    light_code = f'bgcolor="{code_style(False).background}"'
    dark_code = f'bgcolor="{code_style(True).background}"'
    answer_text = "Here:\n\n```python\nprint('hi')\n```\n"
    apply_theme(app, "light")
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    shown = view.add_message("assistant", answer_text)
    notice = view.add_notice("The oldest turns were left out.")

    def body(message: MessageWidget) -> str:
        return "".join(label.text() for label in message.findChildren(BodyLabel))

    assert light_code in body(shown) and SURFACES[False]["assistant"] in shown.styleSheet()
    apply_theme(app, "dark")
    # The answer already shown is rendered again in the dark style once the palette changes.
    qtbot.waitUntil(lambda: dark_code in body(shown), timeout=2000)
    assert light_code not in body(shown)
    assert SURFACES[True]["assistant"] in shown.styleSheet()
    assert SURFACES[True]["chat"] in view.widget().styleSheet()
    assert SURFACES[True]["notice_back"] in notice.styleSheet()  # notices too, not fixed amber
    # A new answer is rendered dark from the start; so is a streamed one.
    assert dark_code in body(view.add_message("assistant", answer_text))
    streamed = view.begin_stream()
    view.append_stream(answer_text + "\nmore")
    view.end_stream(None, "local")
    assert dark_code in body(streamed) and light_code not in body(streamed)
    # Every text on the chat's own colours stays readable in both schemes.
    for dark, palette in ((False, light_palette()), (True, dark_palette())):
        colours = SURFACES[dark]
        text = palette.color(QPalette.ColorRole.WindowText).name()
        for surface in ("user", "assistant", "chat"):
            assert contrast_ratio(text, colours[surface]) >= MIN_CONTRAST
        for muted, on in (("muted", "user"), ("muted", "assistant"), ("placeholder", "chat")):
            assert contrast_ratio(colours[muted], colours[on]) >= MIN_CONTRAST
        assert contrast_ratio(colours["warning"], colours["assistant"]) >= MIN_CONTRAST
        assert contrast_ratio(colours["notice"], colours["notice_back"]) >= MIN_CONTRAST
    apply_theme(app, "light")
    qtbot.waitUntil(lambda: light_code in body(shown), timeout=2000)
