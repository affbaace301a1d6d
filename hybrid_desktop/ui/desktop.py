"""Desktop integration around the main window: the Quick Prompt, the tray icon, the global hotkey
and the single-instance server. Kept apart from :mod:`ui.launch` so tests can build the window
without any of it. Each part talks to the app state and the turn controller, not to the window's
widgets."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from hybrid_desktop.ui import message
from hybrid_desktop.ui.answer_notice import AnswerNotifier
from hybrid_desktop.ui.quick_prompt import QuickPrompt
from hybrid_desktop.ui.tray import NO_TRAY_REASON, Tray, tray_available
from hybrid_desktop.workers.hotkey import Hotkey, HotkeyListener

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.main_window import MainWindow
    from hybrid_desktop.ui.single_instance import InstanceServer
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)


@dataclass
class Desktop:
    state: AppState
    quick: QuickPrompt
    tray: Tray | None = None
    hotkey: HotkeyListener | None = None
    server: InstanceServer | None = None
    #: One sentence each, for Settings → General: why there is no tray / what the hotkey does.
    tray_status: str = ""
    hotkey_status: str = ""
    #: Announces completed answers, and notifies from the tray when no window has the focus.
    notifier: AnswerNotifier | None = None

    def handle(self, action: str) -> None:
        """A request from another launch (or the hotkey): ``show`` or ``quick-prompt``."""
        if action == "quick-prompt":
            self.quick.summon()
        else:
            self.state.window_requested.emit()

    def restart_hotkey(self) -> None:
        if self.hotkey is not None:
            self.hotkey.stop()
            self.hotkey = None
        _start_hotkey(self)

    def _settings_changed(self, new: Settings, old: Settings) -> None:
        if new.hotkey != old.hotkey:
            self.restart_hotkey()

    def shutdown(self) -> None:
        if self.hotkey is not None:
            self.hotkey.stop()
        if self.server is not None:
            self.server.close()
        if self.tray is not None:
            self.tray.hide()
        self.quick.hide()


def attach_desktop(window: MainWindow, server: InstanceServer | None = None) -> Desktop:
    state = window.state
    quick = QuickPrompt(state, window.turns, window.windowIcon())
    desktop = Desktop(state, quick, server=server)
    if tray_available():
        tray = Tray(state, window.settings_controller, window, quick)
        if tray.show():
            desktop.tray = tray
            window.has_tray = True
            desktop.tray_status = QCoreApplication.translate("Desktop", "The tray icon is shown.")
            log.info("tray icon shown")
        else:
            desktop.tray_status = QCoreApplication.translate("Tray", NO_TRAY_REASON)
    else:
        desktop.tray_status = QCoreApplication.translate("Tray", NO_TRAY_REASON)
        log.info("no system tray: %s", NO_TRAY_REASON)
    if server is not None:
        server.requested.connect(desktop.handle)
    notify = desktop.tray.notify if desktop.tray is not None else None
    desktop.notifier = AnswerNotifier(state, window.turns, notify, announce_to=window)
    state.settings_changed.connect(desktop._settings_changed)
    _start_hotkey(desktop)
    return desktop


def _start_hotkey(desktop: Desktop) -> None:
    hotkey_text = desktop.state.settings.hotkey.strip()
    if not hotkey_text:
        desktop.hotkey_status = QCoreApplication.translate("Desktop", "The global hotkey is off.")
        return
    try:
        listener = HotkeyListener(Hotkey.parse(hotkey_text))
    except ValueError as exc:
        desktop.hotkey_status = str(exc)
        return
    desktop.hotkey = listener
    desktop.hotkey_status = QCoreApplication.translate(
        "Desktop", "Starting the global hotkey {hotkey}…"
    ).format(hotkey=hotkey_text)
    listener.pressed.connect(lambda: desktop.handle("quick-prompt"))

    def ready(key: str) -> None:
        desktop.hotkey_status = QCoreApplication.translate(
            "Desktop", "Press {key} anywhere to open the Quick Prompt."
        ).format(key=key)
        log.info("global hotkey %s registered", key)

    def failed(text: str) -> None:
        desktop.hotkey_status = text
        log.warning("global hotkey: %s", text)
        if "taken" in text:  # a conflict is reported, never silent
            message.info(text, offer_settings=True)

    listener.ready.connect(ready)
    listener.failed.connect(failed)
    listener.start()
