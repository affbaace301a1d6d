"""The window's language: the system's, or the one chosen in Settings; German proves the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui import i18n
from hybrid_desktop.ui.i18n import install_translations, resolve_language


@pytest.fixture
def german(qapp: object) -> Iterator[None]:
    assert install_translations(qapp, "de") == "de"  # type: ignore[arg-type]
    yield
    assert install_translations(qapp, "en") == "en"  # type: ignore[arg-type]


def test_the_setting_wins_and_system_takes_the_first_language_we_have() -> None:
    assert resolve_language("de", ["en-US"]) == "de"
    assert resolve_language("en", ["de-DE"]) == "en"
    assert resolve_language("system", ["fr-FR", "de-AT", "en"]) == "de"
    assert resolve_language("system", ["en-GB", "de-DE"]) == "en"
    assert resolve_language("system", ["fr-FR", "ja"]) == "en"
    assert resolve_language("system", []) == "en"


def test_the_settings_dialog_in_german(german: None) -> None:
    from hybrid_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    assert dialog.windowTitle() == "Einstellungen"
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Modell", "Allgemein", "Cloud", "Edge", "Datenschutz"]
    # Qt's own strings come from qtbase_de
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Abbrechen"
    dialog.deleteLater()


def test_the_main_window_in_german(german: None, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8, first_run_dismissed=True, language="de")).window
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:2] == ["&Datei", "&Unterhaltung"]
    assert window.chat_panel.send_button.text() == "Senden"


def test_a_missing_catalogue_leaves_english(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(i18n, "translation_path", lambda _lang: tmp_path / "missing.qm")
    assert install_translations(qapp, "de") == "en"  # type: ignore[arg-type]
