"""The system-tray icon: a menu (Quick Prompt, Open Hybrid Desktop, Offline mode, Quit) and the
app's state at a glance (busy, offline, cloud in use) in its icon and tooltip.

Some Linux desktops, and the offscreen platform, have no tray: then there is no icon, closing the
window quits, and Settings says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from hybrid_desktop import APP_NAME
from hybrid_desktop.ui.icons import tray_icon

if TYPE_CHECKING:
    from hybrid_desktop.ui.main_window import MainWindow
    from hybrid_desktop.ui.quick_prompt import QuickPrompt

NO_TRAY_REASON = (
    "This desktop has no system tray (some Linux desktops need an extension such as "
    "AppIndicator support), so closing the main window quits Hybrid Desktop."
)


def tray_available() -> bool:
    return bool(QSystemTrayIcon.isSystemTrayAvailable())


class Tray:
    def __init__(self, window: MainWindow, quick: QuickPrompt) -> None:
        self.window = window
        self.quick = quick
        self.state = ""
        self.icon = QSystemTrayIcon(tray_icon("idle"), window)
        self.icon.setToolTip(APP_NAME)
        menu = QMenu()
        self.menu = menu
        quick_action = QAction("Quick Prompt", menu)
        quick_action.triggered.connect(quick.summon)
        open_action = QAction("Open Hybrid Desktop", menu)
        open_action.triggered.connect(window.bring_to_front)
        quit_action = QAction("Quit", menu)
        quit_action.triggered.connect(self.quit)
        menu.addAction(quick_action)
        menu.addAction(open_action)
        menu.addSeparator()
        menu.addAction(window.cloud_status.offline_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.update()

    def show(self) -> bool:
        self.icon.show()
        return self.icon.isVisible()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            if self.window.isVisible() and not self.window.isMinimized():
                self.window.hide()
            else:
                self.window.bring_to_front()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.quick.summon()

    def update(self, cloud: bool = False) -> None:
        """Recompute the state: busy (answering), cloud (a cloud answer streams), offline."""
        network = self.window.cloud_status.network.state()
        busy = self.window.active is not None or self.quick.request_id is not None
        if busy:
            state = "cloud" if cloud else "busy"
        elif network.status in ("offline", "offline_mode"):
            state = "offline"
        else:
            state = "idle"
        words = {
            "idle": "ready",
            "busy": "answering on this device",
            "cloud": "answering with the cloud model",
            "offline": network.label().lower(),
        }
        self.state = state
        self.icon.setIcon(tray_icon(state))
        self.icon.setToolTip(f"{APP_NAME} — {words[state]}")

    def notify(self, title: str, message: str) -> None:
        self.icon.showMessage(title, message, tray_icon("idle"), 8000)

    def quit(self) -> None:
        self.window.quitting = True
        self.quick.hide()
        self.window.close()
        QApplication.quit()

    def hide(self) -> None:
        self.icon.hide()
