"""The GUI's shared state, with signals: the open conversation, the route choice, the model and
gate status, the settings in force. The window, the Quick Prompt, the tray and the status bar
read it and listen to it; none of them reaches into another's widgets.

:class:`SettingsController` is the one place new settings are applied: saved to disk, start at
login switched, the services updated, and ``settings_changed`` emitted for the parts that follow
them (the model worker, the hotkey, the cloud status).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from hybrid_desktop.config.settings import Settings, save_settings
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui import message

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.workers.tasks import TaskRunner

log = logging.getLogger(__name__)

#: (label, route) of the route choices. The labels are marked for translation in the context
#: ``RouteChoice``: show them through :func:`route_choices` (or translate each label with
#: ``QCoreApplication.translate("RouteChoice", label)``); the routes are data. ``str()``: the
#: Qt stubs type the marker's result as ``object``.
ROUTE_CHOICES = (
    (str(QT_TRANSLATE_NOOP("RouteChoice", "Auto")), "auto"),
    (str(QT_TRANSLATE_NOOP("RouteChoice", "Local")), "local"),
    (str(QT_TRANSLATE_NOOP("RouteChoice", "Edge")), "edge"),
    (str(QT_TRANSLATE_NOOP("RouteChoice", "Cloud")), "cloud"),
)


def route_choices() -> list[tuple[str, str]]:
    """:data:`ROUTE_CHOICES` with the labels in the user's language (call it when showing)."""
    return [
        (QCoreApplication.translate("RouteChoice", label), route) for label, route in ROUTE_CHOICES
    ]


class AppState(QObject):
    conversation_changed = Signal(object)  # the open conversation's id, or None
    conversation_reload = Signal(int)  # show this conversation afresh from history
    conversations_changed = Signal()  # the list of conversations needs a refresh
    route_changed = Signal(str)
    settings_changed = Signal(object, object)  # new, old Settings
    model_changed = Signal(str)  # "loading" | "ready" | "failed"
    gate_changed = Signal(str)  # "not loaded" | "loading" | "ready" | "failed"
    busy_changed = Signal(bool)  # some turn (window or Quick Prompt) is answering
    cloud_in_use = Signal(bool)  # a cloud answer streams
    route_in_use = Signal(str)  # where a streaming answer comes from ("" : nothing streams)
    window_requested = Signal()  # bring the main window to the front
    start_requested = Signal()  # finish the deferred start-up now (a message beat the first paint)
    quit_requested = Signal()
    tray_notice = Signal(str)  # a one-time word from the tray (closing hides to it)
    network_changed = Signal(object)  # NetworkState, after each probe
    turn_spent = Signal()  # a cloud turn (or its fallback) ended: the spend read-out refreshes

    def __init__(self, services: Services, tasks: TaskRunner) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks
        self._current_id: int | None = None
        self._route = "auto"
        self.model_state = "loading"
        #: What the status bar shows about the model: its info, or why it failed.
        self.model_info: Any = None
        self.model_message = ""
        self.gate_state = "not loaded"
        self.gate_message = ""
        self.busy = False

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def history(self) -> HistoryStore | None:
        """The GUI thread's history (reads; its writes go to the serial writer), once open."""
        return self.services.history() if self.services.storage_open else None

    @property
    def current_id(self) -> int | None:
        return self._current_id

    @current_id.setter
    def current_id(self, conversation_id: int | None) -> None:
        if conversation_id != self._current_id:
            self._current_id = conversation_id
            self.conversation_changed.emit(conversation_id)

    def open_conversation(self, conversation_id: int) -> None:
        """Show ``conversation_id`` in the main window, read afresh from history."""
        self.conversations_changed.emit()
        self.conversation_reload.emit(conversation_id)

    @property
    def route(self) -> str:
        return self._route

    @route.setter
    def route(self, route: str) -> None:
        if route != self._route:
            self._route = route
            self.route_changed.emit(route)

    def set_model(self, status: str, info: Any = None, message_text: str = "") -> None:
        self.model_state = status
        self.model_info = info
        self.model_message = message_text
        self.model_changed.emit(status)

    def set_gate(self, status: str, message_text: str = "") -> None:
        self.gate_state = status
        self.gate_message = message_text
        self.gate_changed.emit(status)

    def set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)


class SettingsController(QObject):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state

    def apply(self, new: Settings) -> bool:
        """Save and apply ``new``; False (with a message) when it could not be saved."""
        services = self.state.services
        try:
            save_settings(new, services.paths.settings_file)
        except HybridDesktopError as exc:
            message.error(exc.user_text())
            return False
        old = services.settings
        if new.start_at_login != old.start_at_login:
            from hybrid_desktop.config.autostart import set_enabled

            try:
                set_enabled(new.start_at_login)
            except HybridDesktopError as exc:
                message.error(exc.user_text())
        services.update_settings(new)
        self.state.settings_changed.emit(new, old)
        return True

    def update(self, **changes: Any) -> bool:
        import dataclasses

        return self.apply(dataclasses.replace(self.state.settings, **changes))
