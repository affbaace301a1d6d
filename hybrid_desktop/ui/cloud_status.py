"""The cloud tier's place in the window: Online / Offline / Offline mode, today's spend, and the
Offline mode switch.

Connectivity is probed on a background thread, first a few seconds after start-up and then every
minute, so the window never waits on the network. With Offline mode on, nothing is probed and
nothing is sent: it is a hard switch.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.errors import HybridDesktopError
from hybrid_desktop.core.network import NetworkMonitor, NetworkState, endpoint_url
from hybrid_desktop.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from hybrid_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FIRST_PROBE_MS = 3_000
PROBE_EVERY_MS = 60_000


class CloudStatus:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        settings = window.settings
        self.network = NetworkMonitor(endpoint_url(settings.cloud_base_url or None))
        self.network.offline_mode = settings.offline_mode
        self.tasks = TaskRunner(1)
        self.net_label = QLabel()
        self.spend_label = QLabel()
        status = window.statusBar()
        status.addPermanentWidget(self.net_label)
        status.addPermanentWidget(self.spend_label)
        self.offline_action = QAction("&Offline Mode", window)
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(settings.offline_mode)
        self.offline_action.setToolTip("No network call of any kind while this is on.")
        self.offline_action.toggled.connect(self.set_offline_mode)
        menu = window.menuBar().addMenu("C&loud")
        menu.addAction(self.offline_action)
        check = QAction("Check &Connection", window)
        check.triggered.connect(lambda: self.probe(force=True))
        menu.addAction(check)
        self._timer = QTimer(window)
        self._timer.setInterval(PROBE_EVERY_MS)
        self._timer.timeout.connect(self.probe)
        self.show_state(self.network.state())

    def destination(self) -> str:
        url = self.network.url
        return urlsplit(url).netloc or url

    def start(self) -> None:
        """After the window is up: spend from history, then the first probe a little later."""
        self.refresh_spend()
        QTimer.singleShot(FIRST_PROBE_MS, self.probe)
        self._timer.start()

    def probe(self, force: bool = False) -> None:
        if self.network.offline_mode or self.tasks.busy:
            self.show_state(self.network.state())
            return
        self.tasks.run(
            lambda: self.network.check(force=force),
            self.show_state,
            lambda exc: log.warning("network probe failed: %s", exc),
        )

    def show_state(self, state: NetworkState) -> None:
        self.net_label.setText(state.label())
        self.net_label.setToolTip(
            {
                "online": f"The cloud endpoint {self.destination()} answers.",
                "offline": f"The cloud cannot be reached ({state.detail}); answers are local.",
                "offline_mode": "Offline mode is on: nothing leaves this device.",
            }.get(state.status, "Checking the connection…")
        )

    def refresh_spend(self) -> None:
        history = self.window.history
        if history is None:
            return
        from hybrid_desktop.storage.usage import UsageStore

        settings = self.window.settings
        try:
            budget = UsageStore(history).budget(
                settings.daily_budget_usd, settings.monthly_budget_usd
            )
        except HybridDesktopError as exc:
            self.spend_label.setText("")
            self.spend_label.setToolTip(exc.user_text())
            return
        self.spend_label.setText(budget.label())
        self.spend_label.setToolTip(
            f"Cloud spend this month: ${budget.spent_month:.2f}"
            + (f" of ${budget.monthly_cap:.2f}" if budget.monthly_cap else "")
        )

    def set_offline_mode(self, on: bool) -> None:
        if on == self.window.settings.offline_mode:
            self.network.offline_mode = on
            self.show_state(self.network.state())
            return
        self.window.apply_settings(dataclasses.replace(self.window.settings, offline_mode=on))

    def apply_settings(self, settings: Settings) -> None:
        self.network.url = endpoint_url(settings.cloud_base_url or None)
        self.network.offline_mode = settings.offline_mode
        if self.offline_action.isChecked() != settings.offline_mode:
            self.offline_action.blockSignals(True)
            self.offline_action.setChecked(settings.offline_mode)
            self.offline_action.blockSignals(False)
        self.show_state(self.network.state())
        self.refresh_spend()
        if not settings.offline_mode:
            self.probe(force=True)

    def shutdown(self) -> None:
        self._timer.stop()
        self.tasks.wait(5_000)
