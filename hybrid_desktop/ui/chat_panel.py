"""The chat side of the main window: the conversation on show, the input box, the route choice,
Send and Stop, and the window's own turn as it streams in.

A turn is asked through the turn controller and shown from its signals; what the panel keeps is
only what the view needs (which request is the window's, whether it is on screen). History is
read through the app state; nothing here writes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from hybrid_desktop.core.turns import LOW_CONFIDENCE, TurnPlan, TurnRequest, TurnResult
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui import message
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.chat_badges import badge_for, edge_server_of, route_label
from hybrid_desktop.ui.chat_view import ChatView, PrivateBanner
from hybrid_desktop.ui.state import route_choices
from hybrid_desktop.ui.widgets import Banner, InputBox

if TYPE_CHECKING:
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.ui.state import AppState
    from hybrid_desktop.ui.turns import TurnController
    from hybrid_desktop.workers.local_worker import TurnFailure

log = logging.getLogger(__name__)

#: How often answers kept in memory on a full disk are offered to the disk again.
UNSAVED_RETRY_MS = 15_000


@dataclass
class ShownTurn:
    request_id: int
    request: TurnRequest
    conversation_id: int | None
    visible: bool = True
    notices_shown: list[str] = field(default_factory=list)
    #: Where the answer streams from (the last ``routed``), for the badge of a cut answer.
    route: str = ""
    edge_server: str | None = None
    #: How many messages and notices the view showed before this turn's (to take it back).
    items_before: int = 0


class ChatPanel(QWidget):
    turn_finished = Signal(object)  # TurnResult or TurnFailure, for the window's own turns
    preview_ready = Signal(object)  # GateVerdict, once its dialog is open

    def __init__(self, state: AppState, turns: TurnController) -> None:
        super().__init__()
        self.state = state
        self.turns = turns
        self.active: ShownTurn | None = None
        self.preview_dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)
        #: A "don't keep" conversation is on show (core.private): its id is the chat worker's
        #: in-memory history's (``private_id``), never ``state.current_id``.
        self.private = False
        self.private_id: int | None = None
        self.private_banner = PrivateBanner()
        layout.addWidget(self.private_banner)
        self.chat = ChatView()
        self.chat.ask_cloud_requested.connect(self.ask_cloud)
        layout.addWidget(self.chat, 1)
        self.banner = Banner()
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        self.input = InputBox()  # named and described by itself (widgets)
        self.input.submitted.connect(self.send)
        row.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        self.route_box = QComboBox()
        for label, route in route_choices():  # the labels in the user's language
            self.route_box.addItem(label, route)
        described(
            self.route_box,
            self.tr(
                "Where this message is answered: Auto lets the router choose (and says why), "
                "Local keeps it on this device, Edge asks a server on your network, Cloud asks "
                "the cloud model."
            ),
            name=self.tr("Route"),
        )
        self.route_box.currentIndexChanged.connect(
            lambda: setattr(state, "route", str(self.route_box.currentData()))
        )
        state.route_changed.connect(
            lambda route: self.route_box.setCurrentIndex(self.route_box.findData(route))
        )
        self._offer_edge(state.settings)
        state.settings_changed.connect(lambda new, _old: self._offer_edge(new))
        buttons.addWidget(self.route_box)
        self.send_button = QPushButton(self.tr("Send"))
        described(self.send_button, self.tr("Send the message to the model (Enter)"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        described(self.stop_button, self.tr("Stop the answer (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        row.addLayout(buttons)
        layout.addLayout(row)
        turns.turn_started.connect(self._turn_started)
        turns.routed.connect(self._routed)
        turns.token.connect(self._token)
        turns.notice.connect(self._notice)
        turns.fallback.connect(self._fallback)
        turns.finished.connect(self._finished)
        turns.failed.connect(self._failed)
        turns.confirm_needed.connect(self._confirm)
        turns.cancelled.connect(self._cancelled)
        state.conversation_reload.connect(self._reload)
        #: Runs while answers wait in memory for disk space (see :meth:`save_unsaved`).
        self.unsaved_timer = QTimer(self)
        self.unsaved_timer.setInterval(UNSAVED_RETRY_MS)
        self.unsaved_timer.timeout.connect(self.save_unsaved)

    def _offer_edge(self, settings: Settings) -> None:
        """Edge can be chosen only when a server is configured (and on); the item says why not."""
        index = self.route_box.findData("edge")
        model = self.route_box.model()
        if index < 0 or not isinstance(model, QStandardItemModel):
            return
        names = [s.name for s in settings.edge() if s.enabled]
        item = model.item(index)
        item.setEnabled(bool(names))
        if len(names) > 1:
            tip = self.tr("Ask the edge servers: {names}.").format(names=", ".join(names))
        elif names:
            tip = self.tr("Ask the edge server: {names}.").format(names=names[0])
        elif settings.edge():
            tip = self.tr("Every edge server is switched off: turn one on in Settings → Edge.")
        else:
            tip = self.tr("No edge server is set up: add one in Settings → Edge.")
        item.setToolTip(tip)
        if not names and self.route_box.currentData() == "edge":
            self.route_box.setCurrentIndex(self.route_box.findData("auto"))

    # conversations -----------------------------------------------------------------------------

    def new_conversation(self) -> None:
        self._leave_stream()
        self._set_private(False)
        self.state.current_id = None
        self.chat.clear()
        self.input.setFocus()

    def new_private_conversation(self) -> None:
        """A "don't keep" conversation: in memory only, gone once the view leaves it."""
        self._leave_stream()
        self.state.current_id = None
        self.chat.clear()
        self._set_private(True)
        self.input.setFocus()

    def _set_private(self, private: bool) -> None:
        self.private = private
        self.private_id = None
        self.private_banner.setVisible(private)

    def open_conversation(self, conversation_id: int) -> None:
        history = self.state.history
        if conversation_id == self.state.current_id or history is None:
            return
        self._leave_stream()
        try:
            messages = history.messages(conversation_id)
        except HybridDesktopError as exc:
            message.error(exc.user_text())
            return
        self._set_private(False)
        self.state.current_id = conversation_id
        self.chat.show_messages(messages)
        if self.turns.answering(conversation_id):
            self.chat.add_message("assistant", "", self.tr("generating… (shown when complete)"))

    def _reload(self, conversation_id: int) -> None:
        """Show ``conversation_id`` afresh (its turns came from elsewhere: the Quick Prompt)."""
        if self.state.current_id == conversation_id:
            self.state.current_id = None
        self.open_conversation(conversation_id)

    def conversation_deleted(self, conversation_id: int) -> None:
        if conversation_id == self.state.current_id:
            self.state.current_id = None
            self.chat.clear()

    def _leave_stream(self) -> None:
        """The view is switching away from the conversation being answered."""
        if self.active is not None and self.active.visible:
            self.active.visible = False
            self.chat.clear()

    def _drop_unstored_turn(self) -> None:
        """Nothing of the last turn was stored: show the conversation as it is without it."""
        if not self.private:
            self._reload_current()
        elif self.active is not None and self.active.visible:  # the view is the only copy
            self.chat.remove_last(self.chat.item_count() - self.active.items_before)

    def _reload_current(self) -> None:
        if self.private:  # in the chat worker's memory, not readable here; the view shows it
            return
        history = self.state.history
        if self.state.current_id is None or history is None:
            self.chat.clear()
        else:
            self.chat.show_messages(history.messages(self.state.current_id))

    # sending -----------------------------------------------------------------------------------

    def send(self) -> None:
        if self.active is not None:
            return
        text = self.input.toPlainText()
        if not text.strip():
            message.info(self.tr("The message is empty. Type a question or instruction first."))
            return
        state = self.state
        if state.model_state == "failed":
            message.error(state.model_message, offer_settings=True)
            return
        message.clear()
        state.start_requested.emit()  # a no-op unless a message beats the deferred start-up
        route = str(self.route_box.currentData())
        conversation_id = self.private_id if self.private else state.current_id
        request = TurnRequest(
            prompt=text, conversation_id=conversation_id, route=route, private=self.private
        )
        confirm = state.settings.confirm_cloud_send and route != "local"
        items_before = self.chat.item_count()
        self.chat.add_message("user", text)
        stream = self.chat.begin_stream()
        if state.model_state == "loading":
            stream.set_badge(self.tr("waiting for the model to load…"))
        if confirm:
            # Decide first; a cloud send then waits for the user's look at what would leave.
            stream.set_badge(self.tr("checking what would be sent…"))
        self.input.clear()
        self._set_busy(True)
        request_id = self.turns.ask(request, "window", confirm=confirm)
        self.active = ShownTurn(request_id, request, conversation_id, items_before=items_before)

    def ask_cloud(self, prompt: str) -> None:
        """'Ask the cloud model': the same question again, in this conversation, Cloud forced."""
        if self.active is not None or not prompt.strip():
            return
        self.input.setPlainText(prompt)
        previous = self.route_box.currentIndex()
        self.route_box.setCurrentIndex(self.route_box.findData("cloud"))
        try:
            self.send()
        finally:
            self.route_box.setCurrentIndex(previous)

    def stop(self) -> None:
        if self.active is not None:
            self.turns.stop(self.active.request_id)

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)

    def _mine(self, request_id: int) -> bool:
        return self.active is not None and self.active.request_id == request_id

    def _shown(self, request_id: int) -> bool:
        return self._mine(request_id) and self.active is not None and self.active.visible

    def _confirm(self, request_id: int, plan: TurnPlan) -> None:
        from hybrid_desktop.ui.privacy_dialogs import EgressPreview

        if not self._mine(request_id) or plan.verdict is None:
            return
        dialog = EgressPreview(
            plan.verdict, self.state.services.cloud.destination, confirm=True, parent=self
        )
        self.preview_dialog = dialog

        def answered(code: int) -> None:
            choice = {EgressPreview.SEND: "send", EgressPreview.LOCAL: "local"}.get(code, "cancel")
            self.turns.confirm(request_id, choice, plan)

        dialog.finished.connect(answered)
        dialog.open()
        self.preview_ready.emit(plan.verdict)

    def _cancelled(self, request_id: int, request: TurnRequest) -> None:
        """The user cancelled at the confirmation: nothing was stored; give the text back."""
        if not self._mine(request_id):
            return
        self.chat.end_stream()
        self._drop_unstored_turn()
        self.active = None
        if not self.input.toPlainText().strip():
            self.input.setPlainText(request.prompt)
        self._set_busy(False)

    def _routed(self, request_id: int, route: str, reason: str) -> None:
        if not self._mine(request_id):
            return
        assert self.active is not None
        self.active.route = route
        self.active.edge_server = edge_server_of(reason) if route == "edge" else None
        if self.chat.streaming is not None:
            label = route_label(route, self.active.edge_server)
            self.chat.streaming.set_badge(
                self.tr("{route} · answering…").format(route=label), reason
            )

    def _fallback(self, request_id: int, reason: str) -> None:
        """The cloud or an edge server failed mid-turn: keep its partial answer, marked, and
        stream the next tier's (a later ``routed`` names it when it is not the local model)."""
        if not self._shown(request_id):
            return
        assert self.active is not None
        self.chat.flush()
        # The next tier: an edge server (cloud -> edge) or this device.
        route = "edge" if reason.startswith("Edge (") else "local"
        server = edge_server_of(reason) if route == "edge" else None
        instead = self.tr("{route} · answering instead…").format(route=route_label(route, server))
        streaming = self.chat.streaming
        failed = route_label(self.active.route or "cloud", self.active.edge_server)
        self.active.route, self.active.edge_server = route, server
        if streaming is not None and not streaming.plain_text():
            streaming.set_badge(instead, reason)  # nothing came: reuse it
            return
        self.chat.end_stream(
            badge=self.tr("{route} · interrupted").format(route=failed), tooltip=reason
        )
        stream = self.chat.begin_stream()
        stream.set_badge(instead, reason)

    def _turn_started(self, request_id: int, conversation_id: int) -> None:
        if not self._mine(request_id):
            return
        assert self.active is not None
        self.active.conversation_id = conversation_id
        if self.active.request.private:
            if self.active.visible:
                self.private_id = conversation_id
                if self.chat.streaming is not None:
                    self.chat.streaming.set_badge(self.tr("generating…"))
            return
        if self.active.visible:
            self.state.current_id = conversation_id
            if self.chat.streaming is not None:
                self.chat.streaming.set_badge(self.tr("generating…"))

    def _token(self, request_id: int, text: str) -> None:
        if self._shown(request_id):
            self.chat.append_stream(text)

    def _notice(self, request_id: int, text: str) -> None:
        if self._shown(request_id):
            assert self.active is not None
            self.active.notices_shown.append(text)
            self.chat.add_notice(text)

    def _finished(self, request_id: int, result: TurnResult) -> None:
        if not result.saved:  # a full disk: the answer waits in memory; offer it again later
            self.unsaved_timer.start()
            message.error(
                self.tr(
                    "The disk is full, so the answer is not saved yet. It stays here and is saved "
                    "as soon as there is space again; free some space on the disk that holds the "
                    "data folder (Copy keeps the answer elsewhere meanwhile)."
                )
            )
        if not self._mine(request_id):
            return
        assert self.active is not None
        active, self.active = self.active, None
        if active.visible:
            from hybrid_desktop.storage.history import Message

            shown_message = Message(
                result.assistant_message_id or 0,
                result.conversation_id,
                "assistant",
                result.text,
                result.status,
                route=result.route,
                reason=result.reason,
                model=result.model,
                meta=_meta_of(result),
                saved=result.saved,
            )
            self.chat.end_stream(result.text, *badge_for(shown_message))
            confidence = result.stats.confidence
            shown = self.chat.messages()[-1] if self.chat.messages() else None
            if (
                shown is not None
                and result.route == "local"
                and confidence is not None
                and confidence < LOW_CONFIDENCE
            ):
                shown.mark_low_confidence(confidence)
            for notice in result.notices:
                if notice not in active.notices_shown:
                    self.chat.add_notice(notice)
        self._set_busy(False)
        self.turn_finished.emit(result)

    def save_unsaved(self) -> None:
        """Offer the answers kept in memory (a full disk) to the disk again; once all are
        saved, say so and show the conversation as stored."""
        history = self.state.history
        if history is None or not len(history.unsaved):
            self.unsaved_timer.stop()
            return
        try:
            history.save_unsaved()
        except HybridDesktopError as exc:
            log.warning("saving the waiting answers failed: %s", exc.message)
            return
        if len(history.unsaved):
            return  # still full
        self.unsaved_timer.stop()
        message.info(
            self.tr("There is space on the disk again: the answers that were waiting are saved.")
        )
        if self.active is None:
            self._reload_current()
        self.state.conversations_changed.emit()

    def _failed(self, request_id: int, failure: TurnFailure) -> None:
        if not self._mine(request_id):
            return
        assert self.active is not None
        active = self.active
        if active.visible:
            self.chat.end_stream(badge=self.tr("failed"))
            if not failure.stored:
                # Nothing was stored: take the message back out and return it to the input box.
                self._drop_unstored_turn()
                if not self.input.toPlainText().strip():
                    self.input.setPlainText(active.request.prompt)
        self.active = None
        message.error(failure.message, offer_settings=self.state.model_state == "failed")
        self._set_busy(False)
        self.turn_finished.emit(failure)


def _meta_of(result: TurnResult) -> dict[str, object]:
    """What history keeps in a message's meta, for the answer just shown."""
    meta: dict[str, object] = dict(result.stats.to_json())
    if result.edge_server:
        meta["edge_server"] = result.edge_server
    return meta
