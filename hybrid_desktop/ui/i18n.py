"""The window's language: Qt translators for our catalogue and Qt's own strings.

    install_translations(app, settings.language)   # before the first window is built

``"system"`` follows the system's UI languages (``QLocale.system().uiLanguages()``, which reads
``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG`` on Linux and the user's preferred languages on
Windows and macOS) and takes the first one we have; English, the source language, otherwise. A
language chosen in Settings applies at the next start: widgets keep the text they were built with.
A missing or unreadable catalogue is logged and the window stays in English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from hybrid_desktop.resources import TRANSLATIONS, translation_path

log = logging.getLogger(__name__)

#: Each language's name in that language, for the Settings choice.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}

_installed: list[QTranslator] = []


def resolve_language(setting: str, ui_languages: list[str] | None = None) -> str:
    """The language code a ``language`` setting means on this system: ``"en"`` or one of
    ``TRANSLATIONS``."""
    if setting == "en" or setting in TRANSLATIONS:
        return setting
    for tag in QLocale.system().uiLanguages() if ui_languages is None else ui_languages:
        code = tag.replace("_", "-").split("-")[0].lower()
        if code == "en" or code in TRANSLATIONS:
            return code
    return "en"


def install_translations(app: QCoreApplication, setting: str) -> str:
    """Install the translators for ``setting`` (replacing any installed before) and return the
    language in use."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = resolve_language(setting)
    path = translation_path(language)
    ours = QTranslator(app)
    if language == "en":  # the source text, with its plural forms ("1 message", "2 messages")
        if ours.load(str(path)):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("the English plural forms %s could not be loaded", path)
        return "en"
    if not ours.load(str(path)):
        log.warning(
            "the %s translation %s could not be loaded; the window stays in English", language, path
        )
        return "en"
    app.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", folder):  # standard buttons, context menus, dialogs
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    else:
        log.info("Qt's own %s strings are not installed in %s", language, folder)
    log.info("window language: %s", language)
    return language
