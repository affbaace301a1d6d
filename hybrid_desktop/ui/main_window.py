"""The main window: conversations on the left, the chat on the right, model state below.

It only shows. The turn controller asks and answers, the app state holds what is shared, the
message bridge carries what the user should know to the banner; the window lays out the panels,
builds the menus, and keeps its geometry.

It is built in two steps, so that it is on screen as soon as Qt can map a window: the shell
(title, size, saved geometry; this module imports only Qt) is shown first, and :meth:`build`
imports and lays out the panels after the first paint (``ui.launch``).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtWidgets import QMainWindow

from hybrid_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QDialog

    from hybrid_desktop.core.privacy.gate import GateVerdict
    from hybrid_desktop.ui import message
    from hybrid_desktop.ui.audit_window import AuditWindow
    from hybrid_desktop.ui.chat_panel import ChatPanel
    from hybrid_desktop.ui.cloud_status import CloudStatus
    from hybrid_desktop.ui.conversations import ConversationsPanel
    from hybrid_desktop.ui.search_panel import SearchPanel
    from hybrid_desktop.ui.state import AppState, SettingsController
    from hybrid_desktop.ui.status import StatusReadouts
    from hybrid_desktop.ui.turns import TurnController

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    shown = Signal()  # the first time the window is exposed on screen
    settings_requested = Signal()  # the Settings dialog is wanted (the app opens it)

    def __init__(self, config_dir: Path) -> None:
        """The shell: a titled, sized window that can be shown at once (see :meth:`build`)."""
        super().__init__()
        self.config_dir = config_dir
        #: perf_counter() when the window was first exposed on screen.
        self.shown_at: float | None = None
        #: Set when the user quits (from the tray); closing then really closes.
        self.quitting = False
        #: Whether closing hides to a tray (set by the desktop integration when there is one).
        self.has_tray = False
        self.built = False
        self.setWindowTitle(APP_NAME)
        self.resize(1000, 700)
        geometry = self._window_state().value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def build(self, state: AppState, turns: TurnController, settings: SettingsController) -> None:
        """The panels, the status bar and the menus, wired to the app's state and controller."""
        from PySide6.QtWidgets import QSplitter

        from hybrid_desktop.ui import message
        from hybrid_desktop.ui.chat_panel import ChatPanel
        from hybrid_desktop.ui.cloud_status import CloudStatus
        from hybrid_desktop.ui.conversations import ConversationsPanel
        from hybrid_desktop.ui.search_panel import SearchPanel
        from hybrid_desktop.ui.status import StatusReadouts

        self.state = state
        self.turns = turns
        self.settings_controller = settings
        self.conversations: ConversationsPanel = ConversationsPanel(state, turns)
        self.chat_panel: ChatPanel = ChatPanel(state, turns)
        self.conversations.new_requested.connect(self.chat_panel.new_conversation)
        self.conversations.open_requested.connect(self.chat_panel.open_conversation)
        self.conversations.deleted.connect(self.chat_panel.conversation_deleted)
        self.search: SearchPanel = SearchPanel(state)
        self.conversations.add_search(self.search)
        self.search.hit_activated.connect(self.open_hit)
        splitter = QSplitter()
        splitter.addWidget(self.conversations)
        splitter.addWidget(self.chat_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 760])
        self.splitter = splitter
        self.setCentralWidget(splitter)
        self.readouts: StatusReadouts = StatusReadouts(self.statusBar(), state, turns)
        self._build_menus()
        self.cloud_status: CloudStatus = CloudStatus(self, state, settings)
        self.menuBar().addMenu(self.help_menu)  # keep Help last
        self.chat_panel.banner.settings_requested.connect(self.settings_requested)
        bridge = message.bridge()
        bridge.shown.connect(self._show_message)
        bridge.cleared.connect(self.chat_panel.banner.hide)
        for backlog in bridge.listen():
            self._show_message(backlog)
        state.window_requested.connect(self.bring_to_front)
        splitter_state = self._window_state().value("splitter")
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)
        self.built = True
        self.chat_panel.input.setFocus()

    # showing -------------------------------------------------------------------------------------

    def watch_first_expose(self) -> None:
        """Emit :attr:`shown` once the window is on screen (its first expose). Call it after
        ``show()``: the native window it watches exists from then on."""
        handle = self.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self.shown_at is None:
            handle = self.windowHandle()
            if handle is not None and handle.isExposed():
                self.shown_at = time.perf_counter()
                handle.removeEventFilter(self)
                self.shown.emit()
        return super().eventFilter(watched, event)

    def _show_message(self, shown: message.Message) -> None:
        self.chat_panel.banner.show_message(
            shown.text, error=shown.error, offer_settings=shown.offer_settings
        )

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    # menus ---------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        # QtGui's Python module costs ~20 ms to import: after the first paint, not before.
        from PySide6.QtGui import QAction, QDesktopServices, QKeySequence

        chat, conversations = self.chat_panel, self.conversations
        file_menu = self.menuBar().addMenu("&File")
        new = QAction("&New Chat", self, shortcut=QKeySequence(QKeySequence.StandardKey.New))
        new.triggered.connect(chat.new_conversation)
        settings = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.settings_requested)
        models = QAction("&Models…", self, shortcut=QKeySequence("Ctrl+Shift+M"))
        models.triggered.connect(self.open_models)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        private = QAction("New &Private Conversation", self, shortcut=QKeySequence("Ctrl+Shift+N"))
        private.setToolTip("A conversation kept in memory only: nothing of it is saved to disk")
        private.triggered.connect(chat.new_private_conversation)
        file_menu.addActions([new, private, models, settings])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        chat_menu = self.menuBar().addMenu("&Conversation")
        rename = QAction("&Rename…", self, shortcut=QKeySequence("F2"))
        rename.triggered.connect(conversations.rename_current)
        delete = QAction("&Delete…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(conversations.delete_current)
        stop = QAction("&Stop Answer", self, shortcut=QKeySequence("Esc"))
        stop.triggered.connect(chat.stop)
        find = QAction("&Find in History…", self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self.search.focus_search)
        chat_menu.addActions([find, rename, delete, stop])
        conversations.conversation_list.addActions([rename, delete])
        self.addAction(stop)

        privacy_menu = self.menuBar().addMenu("&Privacy")
        preview = QAction("&Preview What Would Be Sent…", self)
        preview.setShortcut(QKeySequence("Ctrl+Shift+P"))
        preview.triggered.connect(self.preview_outgoing)
        audit = QAction("&Audit Log…", self)
        audit.triggered.connect(self.open_audit_log)
        workload = QAction("&Workload Audit…", self)
        workload.triggered.connect(self.open_workload_audit)
        privacy_menu.addActions([preview, audit, workload])

        help_menu = self.help_menu = self.menuBar().addMenu("&Help")
        logs = QAction("Open &Log Folder", self)
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.state.services.paths.log_dir))
            )
        )
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._about)
        help_menu.addActions([logs, about])

    def open_hit(self, conversation_id: int, message_id: int) -> None:
        """A search hit: open its conversation, scrolled to the message and highlighted."""
        self.chat_panel.open_conversation(conversation_id)
        if self.state.current_id == conversation_id and not self.chat_panel.private:
            self.chat_panel.chat.show_message(message_id)

    # privacy -------------------------------------------------------------------------------------

    def preview_outgoing(self) -> None:
        """Show exactly what the message in the input box would send to the cloud."""
        from hybrid_desktop.ui import message

        text = self.chat_panel.input.toPlainText()
        if not text.strip():
            message.info("Type a message first, then preview what would be sent.")
            return
        gate = self.state.services.gate
        self.state.tasks.run(
            lambda: gate.check(text), self._show_preview, self.turns.gate_failed, tag="preview"
        )

    def _show_preview(self, verdict: GateVerdict) -> None:
        from hybrid_desktop.ui.privacy_dialogs import EgressPreview

        if self.state.gate_state != "ready":  # the check just loaded it: say so
            self.turns.gate_loaded(self.state.services.gate.load())
        panel = self.chat_panel
        panel.preview_dialog = EgressPreview(verdict, parent=self)
        panel.preview_dialog.open()
        panel.preview_ready.emit(verdict)

    def open_audit_log(self) -> QDialog | None:
        from hybrid_desktop.storage.privacy import PrivacyStore
        from hybrid_desktop.ui.privacy_dialogs import AuditLogDialog

        history = self.state.history
        if history is None:
            return None
        dialog = AuditLogDialog(PrivacyStore(history), self)
        dialog.open()
        return dialog

    def open_workload_audit(self) -> AuditWindow:
        """The Workload Audit window (one, kept while the app runs; read afresh when reopened)."""
        from hybrid_desktop.ui.audit_window import AuditWindow

        window = getattr(self, "audit_window", None)
        if window is None:
            window = self.audit_window = AuditWindow(self.state, self)
            window.conversation_requested.connect(self.open_hit)
            window.conversation_requested.connect(lambda *_: self.bring_to_front())
        else:
            window.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    # models --------------------------------------------------------------------------------------

    def open_models(self) -> QDialog:
        """The Models dialog (one, kept while the app runs: its downloads go on when hidden)."""
        from hybrid_desktop.ui.models_dialog import ModelsDialog

        dialog = getattr(self, "models_dialog", None)
        if dialog is None:
            dialog = self.models_dialog = ModelsDialog(self.state, self.settings_controller, self)
        else:
            dialog.refresh()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # lifetime ------------------------------------------------------------------------------------

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        paths = self.state.services.paths
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>A private AI assistant that answers on this "
            f"device first.<br><br>Data: {paths.data_dir}<br>Logs: {paths.log_dir}",
        )

    def _window_state(self) -> QSettings:
        return QSettings(str(self.config_dir / "window.ini"), QSettings.Format.IniFormat)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.built:  # closed before the panels were built: nothing else to keep
            self._window_state().setValue("geometry", self.saveGeometry())
            super().closeEvent(event)
            return
        settings = self.state.settings
        if self.has_tray and settings.close_to_tray and not self.quitting:
            # Keep running in the tray; say so once.
            event.ignore()
            self.hide()
            if not settings.tray_notice_shown:
                self.state.tray_notice.emit(
                    "Hybrid Desktop keeps running in the tray. Open it or ask a Quick Prompt "
                    f"({settings.hotkey or 'from the tray menu'}); Quit is in the tray menu."
                )
                self.settings_controller.update(tray_notice_shown=True)
            return
        self.chat_panel.stop()
        self.cloud_status.shutdown()
        if getattr(self, "models_dialog", None) is not None:
            self.models_dialog.shutdown()
        state = self._window_state()
        state.setValue("geometry", self.saveGeometry())
        state.setValue("splitter", self.splitter.saveState())
        state.sync()
        super().closeEvent(event)
