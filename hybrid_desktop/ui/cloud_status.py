"""The cloud tier's place in the window: Online / Offline / Sign-in page (captive portal) /
Offline mode, today's spend, and the Offline mode switch.

Connectivity is probed on the app's task pool, first a few seconds after start-up and then every
minute, so the window never waits on the network. With Offline mode on, nothing is probed and
nothing is sent: it is a hard switch. The monitor is the app's one ``NetworkMonitor`` (the chat
service uses the same one), so a probe here also serves the next turn's plan.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from hybrid_desktop.core.costs import current_budget
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.errors import HybridDesktopError

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.state import AppState, SettingsController

log = logging.getLogger(__name__)

FIRST_PROBE_MS = 3_000
PROBE_EVERY_MS = 60_000


class CloudStatus:
    def __init__(
        self, window: QMainWindow, state: AppState, settings_controller: SettingsController
    ) -> None:
        self.state = state
        self.settings_controller = settings_controller
        self.network = state.services.network
        self.net_label = QLabel()
        self.spend_label = QLabel()
        status = window.statusBar()
        status.addPermanentWidget(self.net_label)
        status.addPermanentWidget(self.spend_label)
        self.offline_action = QAction("&Offline Mode", window)
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(state.settings.offline_mode)
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
        state.settings_changed.connect(self.apply_settings)
        state.turn_spent.connect(self.refresh_spend)
        self.show_state(self.network.state())

    def start(self) -> None:
        """After the window is up: spend from history, then the first probe a little later."""
        self.refresh_spend()
        QTimer.singleShot(FIRST_PROBE_MS, self.probe)
        self._timer.start()

    def probe(self, force: bool = False) -> None:
        if self.network.offline_mode or self.state.tasks.running("probe"):
            self.show_state(self.network.state())
            return
        self.state.tasks.run(
            lambda: self.network.check(force=force),
            self.show_state,
            lambda exc: log.warning("network probe failed: %s", exc),
            tag="probe",
        )

    def show_state(self, state: NetworkState) -> None:
        self.net_label.setText(state.label())
        self.net_label.setToolTip(
            {
                "online": f"The cloud endpoint {self.state.services.cloud.destination} answers.",
                "offline": f"The cloud cannot be reached ({state.detail}); answers are local.",
                "captive_portal": "The network shows a sign-in page where the cloud service "
                f"should answer ({state.detail}). Open a web page in a browser and sign in to "
                "the network; until then answers are local. Cloud → Check Connection looks "
                "again.",
                "offline_mode": "Offline mode is on: nothing leaves this device.",
            }.get(state.status, "Checking the connection…")
        )
        self.state.network_changed.emit(state)

    def refresh_spend(self) -> None:
        history = self.state.history
        if history is None:
            return
        settings = self.state.settings
        try:
            budget = current_budget(history, settings.daily_budget_usd, settings.monthly_budget_usd)
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
        if on == self.state.settings.offline_mode:
            self.network.offline_mode = on
            self.show_state(self.network.state())
            return
        self.settings_controller.update(offline_mode=on)

    def apply_settings(self, settings: Settings, _old: Settings | None = None) -> None:
        # The services already pointed the monitor at the new endpoint (Services.update_settings).
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
