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

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow

from hybrid_desktop.core.costs import current_budget
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import described

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.costs import Budget
    from hybrid_desktop.ui.state import AppState, SettingsController

log = logging.getLogger(__name__)

FIRST_PROBE_MS = 3_000
PROBE_EVERY_MS = 60_000


def network_label(state: NetworkState) -> str:
    """The status bar's word for ``state`` (``NetworkState.label``, translated)."""
    if state.status == "online":
        if state.latency_ms is None:
            return QCoreApplication.translate("CloudStatus", "Online")
        return QCoreApplication.translate("CloudStatus", "Online ({ms} ms)").format(
            ms=f"{state.latency_ms:.0f}"
        )
    return {
        "offline_mode": QCoreApplication.translate("CloudStatus", "Offline mode"),
        "offline": QCoreApplication.translate("CloudStatus", "Offline"),
        "captive_portal": QCoreApplication.translate(
            "CloudStatus", "Sign-in page (captive portal)"
        ),
    }.get(state.status, QCoreApplication.translate("CloudStatus", "Network: checking…"))


def spend_label(budget: Budget) -> str:
    """Today's cloud spend (``Budget.label``, translated)."""
    spent = f"${budget.spent_today:.2f}"
    if budget.daily_cap:
        return QCoreApplication.translate("CloudStatus", "Today {spent} of {cap}").format(
            spent=spent, cap=f"${budget.daily_cap:.2f}"
        )
    return QCoreApplication.translate("CloudStatus", "Today {spent}").format(spent=spent)


class CloudStatus:
    def __init__(
        self, window: QMainWindow, state: AppState, settings_controller: SettingsController
    ) -> None:
        self.state = state
        self.settings_controller = settings_controller
        self.network = state.services.network
        self.net_label = described(
            QLabel(), QCoreApplication.translate("CloudStatus", "Whether the cloud can be reached")
        )
        self.spend_label = described(
            QLabel(), QCoreApplication.translate("CloudStatus", "What the cloud has cost today")
        )
        status = window.statusBar()
        status.addPermanentWidget(self.net_label)
        status.addPermanentWidget(self.spend_label)
        self.offline_action = QAction(
            QCoreApplication.translate("CloudStatus", "&Offline Mode"), window
        )
        self.offline_action.setCheckable(True)
        self.offline_action.setChecked(state.settings.offline_mode)
        self.offline_action.setToolTip(
            QCoreApplication.translate(
                "CloudStatus", "No network call of any kind while this is on."
            )
        )
        self.offline_action.toggled.connect(self.set_offline_mode)
        menu = window.menuBar().addMenu(QCoreApplication.translate("CloudStatus", "C&loud"))
        menu.addAction(self.offline_action)
        check = QAction(QCoreApplication.translate("CloudStatus", "Check &Connection"), window)
        check.setToolTip(
            QCoreApplication.translate(
                "CloudStatus", "Ask the cloud endpoint again whether it answers"
            )
        )
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
        self.net_label.setText(network_label(state))
        tips = {
            "online": QCoreApplication.translate(
                "CloudStatus", "The cloud endpoint {destination} answers."
            ),
            "offline": QCoreApplication.translate(
                "CloudStatus", "The cloud cannot be reached ({detail}); answers are local."
            ),
            "captive_portal": QCoreApplication.translate(
                "CloudStatus",
                "The network shows a sign-in page where the cloud service should answer "
                "({detail}). Open a web page in a browser and sign in to the network; until "
                "then answers are local. Cloud → Check Connection looks again.",
            ),
            "offline_mode": QCoreApplication.translate(
                "CloudStatus", "Offline mode is on: nothing leaves this device."
            ),
        }
        tip = tips.get(
            state.status, QCoreApplication.translate("CloudStatus", "Checking the connection…")
        )
        self.net_label.setToolTip(
            tip.format(destination=self.state.services.cloud.destination, detail=state.detail)
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
        self.spend_label.setText(spend_label(budget))
        month = f"${budget.spent_month:.2f}"
        self.spend_label.setToolTip(
            QCoreApplication.translate(
                "CloudStatus", "Cloud spend this month: {spent} of {cap}"
            ).format(spent=month, cap=f"${budget.monthly_cap:.2f}")
            if budget.monthly_cap
            else QCoreApplication.translate(
                "CloudStatus", "Cloud spend this month: {spent}"
            ).format(spent=month)
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
