"""The system-tray icon: a menu (Quick Prompt, Open Hybrid Desktop, Models, Offline mode, Quit)
and the app's state at a glance (busy, offline, an edge server or the cloud in use) in its icon
and tooltip.

Some Linux desktops, and the offscreen platform, have no tray: then there is no icon, closing the
window quits, and Settings says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from hybrid_desktop import APP_NAME
from hybrid_desktop.ui.icons import tray_icon

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.quick_prompt import QuickPrompt
    from hybrid_desktop.ui.state import AppState, SettingsController

#: Why there is no tray icon (translate where shown: ``QCoreApplication.translate("Tray", …)``).
NO_TRAY_REASON = str(
    QT_TRANSLATE_NOOP(
        "Tray",
        "This desktop has no system tray (some Linux desktops need an extension such as "
        "AppIndicator support), so closing the main window quits Hybrid Desktop.",
    )
)


def tray_available() -> bool:
    return bool(QSystemTrayIcon.isSystemTrayAvailable())


class Tray:
    """Talks to the app state (busy, cloud, network, offline mode) and the Quick Prompt; the main
    window is only shown, hidden or brought to the front."""

    def __init__(
        self,
        state: AppState,
        settings: SettingsController,
        window: QWidget,
        quick: QuickPrompt,
    ) -> None:
        self.app = state
        self.settings = settings
        self.window = window
        self.quick = quick
        #: What the icon shows: idle, busy, cloud or offline.
        self.icon_state = ""
        self._cloud = False
        #: Where the answer streaming now comes from ("" : nothing streams).
        self._route = ""
        self.icon = QSystemTrayIcon(tray_icon("idle"), window)
        self.icon.setToolTip(APP_NAME)
        menu = QMenu()
        self.menu = menu
        quick_action = QAction(QCoreApplication.translate("Tray", "Quick Prompt"), menu)
        quick_action.setToolTip(
            QCoreApplication.translate("Tray", "Ask a question in a small window")
        )
        quick_action.triggered.connect(quick.summon)
        open_action = QAction(QCoreApplication.translate("Tray", "Open Hybrid Desktop"), menu)
        open_action.setToolTip(QCoreApplication.translate("Tray", "Show the main window"))
        open_action.triggered.connect(state.window_requested)
        models_action = QAction(QCoreApplication.translate("Tray", "Models…"), menu)
        models_action.setToolTip(
            QCoreApplication.translate("Tray", "Choose, download and manage the local models")
        )
        models_action.triggered.connect(self._open_models)
        self.offline_action = QAction(QCoreApplication.translate("Tray", "Offline Mode"), menu)
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(state.settings.offline_mode)
        self.offline_action.setToolTip(
            QCoreApplication.translate("Tray", "No network call of any kind while this is on.")
        )
        self.offline_action.toggled.connect(self._offline_toggled)
        quit_action = QAction(QCoreApplication.translate("Tray", "Quit"), menu)
        quit_action.setToolTip(
            QCoreApplication.translate("Tray", "Quit {app}").format(app=APP_NAME)
        )
        quit_action.triggered.connect(self.quit)
        menu.addAction(quick_action)
        menu.addAction(open_action)
        menu.addAction(models_action)
        menu.addSeparator()
        menu.addAction(self.offline_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(state.window_requested)  # a notification: open the app
        state.busy_changed.connect(lambda _busy: self.update())
        state.cloud_in_use.connect(self._cloud_in_use)
        state.route_in_use.connect(self._route_in_use)
        state.network_changed.connect(lambda _state: self.update())
        state.settings_changed.connect(self._settings_changed)
        state.tray_notice.connect(lambda text: self.notify(APP_NAME, text))
        self.update()

    def show(self) -> bool:
        self.icon.show()
        return self.icon.isVisible()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.app.window_requested.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.quick.summon()

    def _open_models(self) -> None:
        """The main window's Models dialog, over the window brought to the front."""
        self.app.window_requested.emit()
        open_models = getattr(self.window, "open_models", None)
        if callable(open_models):
            open_models()

    def _offline_toggled(self, on: bool) -> None:
        if on != self.app.settings.offline_mode:
            self.settings.update(offline_mode=on)

    def _settings_changed(self, new: Settings, _old: Settings) -> None:
        if self.offline_action.isChecked() != new.offline_mode:
            self.offline_action.blockSignals(True)
            self.offline_action.setChecked(new.offline_mode)
            self.offline_action.blockSignals(False)
        self.update()

    def _cloud_in_use(self, cloud: bool) -> None:
        self._cloud = cloud
        self.update()

    def _route_in_use(self, route: str) -> None:
        self._route = route
        self.update()

    def update(self) -> None:
        """Recompute the state: busy (answering), cloud or edge (such an answer streams),
        offline."""
        network = self.app.services.network.state()
        if self.app.busy:
            state = "cloud" if self._cloud else "edge" if self._route == "edge" else "busy"
        elif network.status in ("offline", "offline_mode"):
            state = "offline"
        else:
            state = "idle"
        words = {
            "idle": QCoreApplication.translate("Tray", "ready"),
            "busy": QCoreApplication.translate("Tray", "answering on this device"),
            "cloud": QCoreApplication.translate("Tray", "answering with the cloud model"),
            "edge": QCoreApplication.translate("Tray", "answering with an edge server"),
            "offline": network.label().lower(),
        }
        self.icon_state = state
        self.icon.setIcon(tray_icon(state))
        self.icon.setToolTip(
            QCoreApplication.translate("Tray", "{app} — {state}").format(
                app=APP_NAME, state=words[state]
            )
        )

    def notify(self, title: str, message: str) -> None:
        self.icon.showMessage(title, message, tray_icon("idle"), 8000)

    def quit(self) -> None:
        self.quick.hide()
        self.app.quit_requested.emit()

    def hide(self) -> None:
        self.icon.hide()
