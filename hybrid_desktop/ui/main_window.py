"""The main window: conversations on the left, the chat on the right, model state below.

It owns no model and does no slow work: the model worker (its own thread) loads and answers,
and history reads here are single indexed queries on the window's own connection.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop import APP_NAME, __version__
from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.config.settings import Settings, save_settings
from hybrid_desktop.core.chat import LOW_CONFIDENCE, TurnRequest, TurnResult
from hybrid_desktop.core.errors import HybridDesktopError
from hybrid_desktop.core.privacy.gate import GateVerdict, PrivacyGate, PrivacyPolicy
from hybrid_desktop.ui.chat_view import ChatView, badge_for
from hybrid_desktop.ui.markdown import render_markdown
from hybrid_desktop.ui.widgets import Banner, ConversationList, InputBox
from hybrid_desktop.workers.local_worker import ModelInfo, TurnFailure, WorkerThread
from hybrid_desktop.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.ui.desktop import Desktop
    from hybrid_desktop.ui.tray import Tray

log = logging.getLogger(__name__)

MODEL_FIELDS = ("model_path", "n_ctx", "n_threads")


@dataclass
class ActiveTurn:
    request_id: int
    request: TurnRequest
    conversation_id: int | None
    visible: bool = True
    notices_shown: list[str] = field(default_factory=list)


class MainWindow(QMainWindow):
    model_ready = Signal(object)  # ModelInfo
    model_failed = Signal(str)
    turn_finished = Signal(object)  # TurnResult or TurnFailure
    gate_ready = Signal(str)  # the spaCy model in use
    preview_ready = Signal(object)  # GateVerdict, once its dialog is open
    shown = Signal()  # the first time the window is exposed on screen

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        worker: WorkerThread,
        startup_problems: list[str] | None = None,
    ) -> None:
        """Build the widgets only; :meth:`finish_startup` opens history and loads the model."""
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.history: HistoryStore | None = None
        #: perf_counter() when the window was first exposed on screen.
        self.shown_at: float | None = None
        self._startup_problems = list(startup_problems or [])
        self.worker_thread = worker
        self.worker = worker.worker
        self.gate = PrivacyGate(PrivacyPolicy.from_settings(settings))
        self.gate_state = "not loaded"
        self.tasks = TaskRunner(1)
        self.preview_dialog: QDialog | None = None
        #: Set by ui.desktop when the desktop has a tray; closing then hides to it.
        self.tray: Tray | None = None
        self.desktop: Desktop | None = None
        self.quitting = False
        self.model_state = "loading"
        self.model_info: ModelInfo | None = None
        self.current_id: int | None = None
        self.active: ActiveTurn | None = None
        self._request_ids = itertools.count(1)
        self.setWindowTitle(APP_NAME)
        self.resize(1000, 700)
        self._build()
        from hybrid_desktop.ui.cloud_status import CloudStatus

        self.cloud_status = CloudStatus(self)
        self.worker.cloud = (self.gate, self.cloud_status.network)
        self.menuBar().addMenu(self.help_menu)  # keep Help last
        self._connect_worker()
        self._restore_geometry()
        self.input.setFocus()

    def schedule_startup(self) -> None:
        """Run :meth:`finish_startup` once the window is on screen (its first expose)."""
        handle = self.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        # In case the platform never reports an expose (a minimised start, some offscreen setups).
        QTimer.singleShot(500, self.finish_startup)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self.shown_at is None:
            handle = self.windowHandle()
            if handle is not None and handle.isExposed():
                self.shown_at = time.perf_counter()
                handle.removeEventFilter(self)
                self.shown.emit()
                QTimer.singleShot(0, self.finish_startup)
        return super().eventFilter(watched, event)

    def finish_startup(self) -> None:
        """The work deferred until the window shows: history, then the model (idempotent)."""
        if self.history is not None:
            return
        from hybrid_desktop.ui.launch import open_history

        self.paths, self.history = open_history(self.paths, self._startup_problems)
        self.worker.database = self.paths.database
        self.refresh_conversations()
        self.cloud_status.start()
        for problem in self._startup_problems:
            self.banner.show_message(problem, error=True)
        self.load_model()
        # Build the Markdown parser now, not in the middle of the first streamed answer.
        QTimer.singleShot(0, lambda: render_markdown("warm *up*"))

    # construction ------------------------------------------------------------------------------

    def _build(self) -> None:
        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        self.new_button = QPushButton("New chat")
        self.new_button.setToolTip("Start a new conversation (Ctrl+N)")
        self.new_button.clicked.connect(self.new_conversation)
        left_layout.addWidget(self.new_button)
        self.conversation_list = ConversationList()
        self.conversation_list.currentItemChanged.connect(self._conversation_clicked)
        self.conversation_list.renamed.connect(self.rename_conversation)
        left_layout.addWidget(self.conversation_list)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 8, 8, 8)
        self.chat = ChatView()
        self.chat.ask_cloud_requested.connect(self.ask_cloud)
        right_layout.addWidget(self.chat, 1)
        self.banner = Banner()
        self.banner.settings_requested.connect(self.open_settings)
        right_layout.addWidget(self.banner)
        row = QHBoxLayout()
        self.input = InputBox()
        self.input.submitted.connect(self.send)
        row.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        self.route_box = QComboBox()
        for label, route in (("Auto", "auto"), ("Local", "local"), ("Cloud", "cloud")):
            self.route_box.addItem(label, route)
        self.route_box.setToolTip(
            "Where this message is answered: Auto lets the router choose (and says why), "
            "Local keeps it on this device, Cloud asks the cloud model."
        )
        buttons.addWidget(self.route_box)
        self.send_button = QPushButton("Send")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.setToolTip("Stop the answer (Esc)")
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        row.addLayout(buttons)
        right_layout.addLayout(row)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 760])
        self.splitter = splitter
        self.setCentralWidget(splitter)

        status = self.statusBar()
        self.model_label = QLabel("Starting…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.speed_label = QLabel("")
        self.gate_label = QLabel("")
        status.addWidget(self.model_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.gate_label)
        status.addPermanentWidget(self.speed_label)
        self._build_menus()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        new = QAction("&New Chat", self, shortcut=QKeySequence(QKeySequence.StandardKey.New))
        new.triggered.connect(self.new_conversation)
        settings = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addActions([new, settings])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        chat_menu = self.menuBar().addMenu("&Conversation")
        rename = QAction("&Rename…", self, shortcut=QKeySequence("F2"))
        rename.triggered.connect(self._rename_current)
        delete = QAction("&Delete…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_current)
        stop = QAction("&Stop Answer", self, shortcut=QKeySequence("Esc"))
        stop.triggered.connect(self.stop)
        chat_menu.addActions([rename, delete, stop])
        self.conversation_list.addActions([rename, delete])
        self.addAction(stop)

        privacy_menu = self.menuBar().addMenu("&Privacy")
        preview = QAction("&Preview What Would Be Sent…", self)
        preview.setShortcut(QKeySequence("Ctrl+Shift+P"))
        preview.triggered.connect(self.preview_outgoing)
        audit = QAction("&Audit Log…", self)
        audit.triggered.connect(self.open_audit_log)
        privacy_menu.addActions([preview, audit])

        help_menu = self.help_menu = self.menuBar().addMenu("&Help")
        logs = QAction("Open &Log Folder", self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.log_dir)))
        )
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._about)
        help_menu.addActions([logs, about])

    def _connect_worker(self) -> None:
        w = self.worker
        w.loading.connect(self._model_loading)
        w.loaded.connect(self._model_loaded)
        w.load_failed.connect(self._model_load_failed)
        w.turn_started.connect(self._turn_started)
        w.token.connect(self._token)
        w.notice.connect(self._notice)
        w.finished.connect(self._finished)
        w.fallback.connect(self._fallback)
        w.routed.connect(self._routed)
        w.planned.connect(self._planned)
        w.failed.connect(self._failed)

    # model -------------------------------------------------------------------------------------

    def load_model(self) -> None:
        self.model_state = "loading"
        self.model_label.setText("Loading the model…")
        self.progress.show()
        self.worker.request_load.emit(self.settings)

    def _model_loading(self, stage: str) -> None:
        self.model_label.setText(stage)

    def _model_loaded(self, info: ModelInfo) -> None:
        self.model_state = "ready"
        self.model_info = info
        self.progress.hide()
        self.model_label.setText(f"Model ready: {info.name}")
        self.load_gate()
        self.model_label.setToolTip(
            f"{info.path}\ncontext {info.n_ctx:,} tokens · {info.n_threads} threads · "
            f"loaded in {info.load_ms:.0f} ms"
        )
        self.model_ready.emit(info)

    def _model_load_failed(self, message: str) -> None:
        self.model_state = "failed"
        self.model_info = None
        self.progress.hide()
        self.model_label.setText("Model not loaded")
        self.model_label.setToolTip(message)
        self.banner.show_message(message, offer_settings=True)
        self.model_failed.emit(message)

    # privacy gate ------------------------------------------------------------------------------

    def load_gate(self) -> None:
        """Warm the privacy gate in the background (spaCy and Presidio take about a second)."""
        if self.gate_state in ("loading", "ready"):
            return
        self.gate_state = "loading"
        self.gate_label.setText("Privacy gate: loading…")
        self.tasks.run(self.gate.load, self._gate_loaded, self._gate_failed)

    def _gate_loaded(self, detector: object) -> None:
        self.gate_state = "ready"
        model = str(getattr(detector, "model_name", ""))
        self.gate_label.setText("Privacy gate: ready")
        self.gate_label.setToolTip(f"Personal data is found on this device ({model}).")
        self.gate_ready.emit(model)

    def _gate_failed(self, error: BaseException) -> None:
        self.gate_state = "failed"
        log.error("privacy gate failed", exc_info=error)
        self.gate_label.setText("Privacy gate: unavailable")
        message = (
            error.user_text()
            if isinstance(error, HybridDesktopError)
            else f"The privacy gate could not run ({type(error).__name__}); nothing will be "
            "sent off this device. Details are in the log file."
        )
        self.gate_label.setToolTip(message)
        self.banner.show_message(message)

    def preview_outgoing(self) -> None:
        """Show exactly what the message in the input box would send to the cloud."""
        text = self.input.toPlainText()
        if not text.strip():
            self.banner.show_message(
                "Type a message first, then preview what would be sent.", error=False
            )
            return
        self.tasks.run(lambda: self.gate.check(text), self._show_preview, self._gate_failed)

    def _show_preview(self, verdict: GateVerdict) -> None:
        from hybrid_desktop.ui.privacy_dialogs import EgressPreview

        if self.gate_state != "ready":
            self._gate_loaded(self.gate.load())
        self.preview_dialog = EgressPreview(verdict, parent=self)
        self.preview_dialog.open()
        self.preview_ready.emit(verdict)

    def open_audit_log(self) -> QDialog | None:
        from hybrid_desktop.storage.privacy import PrivacyStore
        from hybrid_desktop.ui.privacy_dialogs import AuditLogDialog

        if self.history is None:
            return None
        dialog = AuditLogDialog(PrivacyStore(self.history), self)
        dialog.open()
        return dialog

    # conversations -----------------------------------------------------------------------------

    def refresh_conversations(self) -> None:
        if self.history is None:
            return
        try:
            conversations = self.history.list_conversations()
        except HybridDesktopError as exc:
            self.banner.show_message(exc.user_text())
            return
        self.conversation_list.fill(conversations, self.current_id)

    def new_conversation(self) -> None:
        self._leave_stream()
        self.current_id = None
        self.conversation_list.select_id(None)
        self.chat.clear()
        self.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.current_id or self.history is None:
            return
        self._leave_stream()
        try:
            messages = self.history.messages(conversation_id)
        except HybridDesktopError as exc:
            self.banner.show_message(exc.user_text())
            return
        self.current_id = conversation_id
        self.conversation_list.select_id(conversation_id)
        self.chat.show_messages(messages)
        if self.active is not None and self.active.conversation_id == conversation_id:
            self.chat.add_message("assistant", "", "generating… (shown when complete)")

    def _conversation_clicked(self, current: object, _previous: object) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is not None:
            self.open_conversation(conversation_id)

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        if self.history is None:
            return
        try:
            self.history.rename_conversation(conversation_id, title)
        except HybridDesktopError as exc:
            self.banner.show_message(exc.user_text())
        self.refresh_conversations()

    def delete_conversation(self, conversation_id: int) -> bool:
        if self.active is not None and self.active.conversation_id == conversation_id:
            self.banner.show_message(
                "This conversation is still answering. Stop the answer, then delete it.",
                error=False,
            )
            return False
        if self.history is None:
            return False
        try:
            self.history.delete_conversation(conversation_id)
        except HybridDesktopError as exc:
            self.banner.show_message(exc.user_text())
            return False
        if conversation_id == self.current_id:
            self.current_id = None
            self.chat.clear()
        self.refresh_conversations()
        return True

    def _rename_current(self) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is None:
            return
        old = self.conversation_list.currentItem().text()
        title, ok = QInputDialog.getText(self, "Rename Conversation", "Title:", text=old)
        if ok:
            self.rename_conversation(conversation_id, title)

    def _delete_current(self) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is None:
            return
        title = self.conversation_list.currentItem().text()
        answer = QMessageBox.question(
            self,
            "Delete Conversation",
            f"Delete “{title}” and all its messages? This cannot be undone.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_conversation(conversation_id)

    # sending -----------------------------------------------------------------------------------

    def send(self) -> None:
        if self.active is not None:
            return
        text = self.input.toPlainText()
        if not text.strip():
            self.banner.show_message(
                "The message is empty. Type a question or instruction first.", error=False
            )
            return
        if self.model_state == "failed":
            self.banner.show_message(self.model_label.toolTip(), offer_settings=True)
            return
        self.banner.hide()
        self.finish_startup()  # a no-op unless a message beats the deferred start-up
        route = str(self.route_box.currentData())
        request = TurnRequest(prompt=text, conversation_id=self.current_id, route=route)
        self.active = ActiveTurn(self.next_request_id(), request, self.current_id)
        self.chat.add_message("user", text)
        stream = self.chat.begin_stream()
        if self.model_state == "loading":
            stream.set_badge("waiting for the model to load…")
        self.input.clear()
        self._set_busy(True)
        if self.settings.confirm_cloud_send and route != "local":
            # Decide first; a cloud send then waits for the user's look at what would leave.
            stream.set_badge("checking what would be sent…")
            self.worker.request_plan.emit(self.active.request_id, request)
        else:
            self.worker.request_turn.emit(self.active.request_id, request, None)

    def _planned(self, request_id: int, plan: object) -> None:
        from hybrid_desktop.core.chat import TurnPlan
        from hybrid_desktop.ui.privacy_dialogs import EgressPreview

        if not self._is_active(request_id) or not isinstance(plan, TurnPlan):
            return
        assert self.active is not None
        request = self.active.request
        if plan.decision.route != "cloud" or plan.verdict is None:
            self.worker.request_turn.emit(request_id, request, plan)
            return
        dialog = EgressPreview(
            plan.verdict, self.cloud_status.destination(), confirm=True, parent=self
        )
        self.preview_dialog = dialog

        def answered(code: int) -> None:
            if not self._is_active(request_id):
                return
            if code == EgressPreview.SEND:
                self.worker.request_turn.emit(request_id, request, plan)
            elif code == EgressPreview.LOCAL:
                request.route = "local"
                self.worker.request_turn.emit(request_id, request, None)
            else:
                self._cancel_unsent()

        dialog.finished.connect(answered)
        dialog.open()
        self.preview_ready.emit(plan.verdict)

    def _cancel_unsent(self) -> None:
        """The user cancelled at the confirmation: nothing was stored; give the text back."""
        assert self.active is not None
        active, self.active = self.active, None
        self.chat.end_stream()
        self._reload_current()
        if not self.input.toPlainText().strip():
            self.input.setPlainText(active.request.prompt)
        self._set_busy(False)

    def _routed(self, request_id: int, route: str, reason: str) -> None:
        if self._is_active(request_id) and self.chat.streaming is not None:
            self.chat.streaming.set_badge(f"{route} · answering…", reason)
        if self.tray is not None:
            self.tray.update(cloud=route == "cloud")

    def _fallback(self, request_id: int, reason: str) -> None:
        """The cloud failed mid-turn: keep its partial answer, marked, and stream the local one."""
        if not (self._is_active(request_id) and self.active is not None and self.active.visible):
            return
        self.chat.flush()
        streaming = self.chat.streaming
        if streaming is not None and not streaming.plain_text():
            streaming.set_badge("local · answering instead…", reason)  # nothing came: reuse it
            return
        self.chat.end_stream(badge="cloud · interrupted", tooltip=reason)
        stream = self.chat.begin_stream()
        stream.set_badge("local · answering instead…", reason)

    def next_request_id(self) -> int:
        return next(self._request_ids)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def spend_label_text(self) -> str:
        return self.cloud_status.spend_label.text()

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
            self.active.request.cancel.set()

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)

    def _leave_stream(self) -> None:
        """The view is switching away from the conversation being answered."""
        if self.active is not None and self.active.visible:
            self.active.visible = False
            self.chat.clear()

    def _is_active(self, request_id: int) -> bool:
        return self.active is not None and self.active.request_id == request_id

    def _turn_started(self, request_id: int, conversation_id: int) -> None:
        if not self._is_active(request_id):
            return
        assert self.active is not None
        self.active.conversation_id = conversation_id
        if self.active.visible:
            self.current_id = conversation_id
            if self.chat.streaming is not None:
                self.chat.streaming.set_badge("generating…")
        self.refresh_conversations()

    def _token(self, request_id: int, text: str) -> None:
        if self._is_active(request_id) and self.active is not None and self.active.visible:
            self.chat.append_stream(text)

    def _notice(self, request_id: int, text: str) -> None:
        if self._is_active(request_id) and self.active is not None and self.active.visible:
            self.active.notices_shown.append(text)
            self.chat.add_notice(text)

    def _finished(self, request_id: int, result: TurnResult) -> None:
        if not self._is_active(request_id):
            return
        assert self.active is not None
        if self.active.visible:
            from hybrid_desktop.storage.history import Message

            message = Message(
                result.assistant_message_id or 0,
                result.conversation_id,
                "assistant",
                result.text,
                result.status,
                route=result.route,
                reason=result.reason,
                model=result.model,
                meta=result.stats.to_json(),
            )
            self.chat.end_stream(result.text, *badge_for(message))
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
                if notice not in self.active.notices_shown:
                    self.chat.add_notice(notice)
        stats = result.stats
        if stats.completion_tokens:
            self.speed_label.setText(
                f"{stats.tokens_per_s:.1f} tokens/s · first token {stats.ttft_ms:.0f} ms"
            )
        self.active = None
        self._set_busy(False)
        self.refresh_conversations()
        if self.tray is not None:
            self.tray.update()
        if result.route == "cloud" or result.fallback:
            self.cloud_status.refresh_spend()
        self.turn_finished.emit(result)

    def _failed(self, request_id: int, failure: TurnFailure) -> None:
        if not self._is_active(request_id):
            return
        assert self.active is not None
        active, self.active = self.active, None
        if active.visible:
            self.chat.end_stream(badge="failed")
            if not failure.stored:
                # Nothing was stored: take the message back out and return it to the input box.
                self._reload_current()
                if not self.input.toPlainText().strip():
                    self.input.setPlainText(active.request.prompt)
        self.banner.show_message(failure.message, offer_settings=self.model_state == "failed")
        self._set_busy(False)
        if self.tray is not None:
            self.tray.update()
        self.refresh_conversations()
        self.turn_finished.emit(failure)

    def _reload_current(self) -> None:
        if self.current_id is None or self.history is None:
            self.chat.clear()
        else:
            self.chat.show_messages(self.history.messages(self.current_id))

    # settings and lifetime ---------------------------------------------------------------------

    def open_settings(self) -> None:
        from hybrid_desktop.ui.settings_dialog import SettingsDialog

        desktop = self.desktop
        dialog = SettingsDialog(
            self.settings,
            self,
            tray_status=desktop.tray_status if desktop else "",
            hotkey_status=desktop.hotkey_status if desktop else "",
        )
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> bool:
        try:
            save_settings(new, self.paths.settings_file)
        except HybridDesktopError as exc:
            self.banner.show_message(exc.user_text())
            return False
        reload = any(getattr(new, f) != getattr(self.settings, f) for f in MODEL_FIELDS)
        old = self.settings
        self.settings = new
        if new.start_at_login != old.start_at_login:
            from hybrid_desktop.config.autostart import set_enabled

            try:
                set_enabled(new.start_at_login)
            except HybridDesktopError as exc:
                self.banner.show_message(exc.user_text())
        if new.hotkey != old.hotkey and self.desktop is not None:
            self.desktop.restart_hotkey()
        self.gate.set_policy(PrivacyPolicy.from_settings(new))
        self.cloud_status.apply_settings(new)
        if reload or self.model_state == "failed":
            self.stop()
            self.banner.hide()
            self.load_model()
        else:
            # Sampling settings take effect on the next turn; no reload needed.
            self.worker.request_settings.emit(new)
        return True

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>A private AI assistant that answers on this "
            f"device first.<br><br>Data: {self.paths.data_dir}<br>Logs: {self.paths.log_dir}",
        )

    def _window_state(self) -> QSettings:
        return QSettings(str(self.paths.config_dir / "window.ini"), QSettings.Format.IniFormat)

    def _restore_geometry(self) -> None:
        state = self._window_state()
        geometry = state.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = state.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tray is not None and self.settings.close_to_tray and not self.quitting:
            # Keep running in the tray; say so once.
            event.ignore()
            self.hide()
            if not self.settings.tray_notice_shown:
                self.tray.notify(
                    APP_NAME,
                    "Hybrid Desktop keeps running in the tray. Open it or ask a Quick Prompt "
                    f"({self.settings.hotkey or 'from the tray menu'}); Quit is in the tray menu.",
                )
                self.apply_settings(dataclasses.replace(self.settings, tray_notice_shown=True))
            return
        self.stop()
        self.tasks.wait()
        self.cloud_status.shutdown()
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("splitter", self.splitter.saveState())
        state.sync()
        super().closeEvent(event)
