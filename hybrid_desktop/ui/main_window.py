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
    settings_page_requested = Signal(str)  # ... on one page: "cloud"

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
        self._first_run(state, settings)
        self._order_tabs()
        self.built = True
        self.chat_panel.input.setFocus()

    def _order_tabs(self) -> None:
        """Tab goes as the eye reads: New chat, the search box and its filter, the hits or the
        conversations, then the chat panel (the search is inserted above the list after the
        list was made, so the order is set here)."""
        from itertools import pairwise

        search, conversations = self.search, self.conversations
        order = [
            conversations.new_button,
            search.box,
            search.route_box,
            search.results,
            conversations.conversation_list,
        ]
        run = self.first_run
        order += [run.dismiss_button, run.get_button, run.cloud_button, run.preview_button]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)

    # the first-run panel -------------------------------------------------------------------------

    def _first_run(self, state: AppState, settings: SettingsController) -> None:
        """The welcome above the chat (``ui/first_run.py``): read once the model has loaded, so
        it never slows the start."""
        from PySide6.QtWidgets import QVBoxLayout

        from hybrid_desktop.ui.first_run import FirstRunPanel

        panel = self.first_run = FirstRunPanel(state)
        layout = self.chat_panel.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.chat_panel.chat), panel)
        panel.get_model.connect(self._get_model)
        panel.cloud_settings_requested.connect(lambda: self.settings_page_requested.emit("cloud"))
        panel.preview_requested.connect(self.preview_example)
        panel.dismissed.connect(lambda: settings.update(first_run_dismissed=True))
        panel.dismissed.connect(lambda: self.chat_panel.input.setFocus())
        state.settings_changed.connect(
            lambda new, old: (
                panel.setVisible(not new.first_run_dismissed)
                if new.first_run_dismissed != old.first_run_dismissed
                else None
            )
        )
        panel.setVisible(not state.settings.first_run_dismissed)
        state.model_changed.connect(
            lambda status: (
                panel.refresh()
                if status != "loading" and panel.facts is None and not panel.isHidden()
                else None
            )
        )

    def show_first_run(self) -> None:
        """Help → Getting Started: the welcome again, read afresh."""
        self.settings_controller.update(first_run_dismissed=False)
        self.first_run.show()
        self.first_run.refresh()
        self.first_run.dismiss_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _get_model(self, target: object) -> None:
        dialog = self.open_models()
        if target is not None:
            dialog.download(target)  # type: ignore[attr-defined]

    def preview_example(self) -> None:
        """The preview of the message in the box, or of an example with personal data in it."""
        from hybrid_desktop.ui.first_run import example_prompt

        if not self.chat_panel.input.toPlainText().strip():
            self.chat_panel.input.setPlainText(example_prompt())
        self.preview_outgoing()

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

        keys = QKeySequence.StandardKey
        chat, conversations = self.chat_panel, self.conversations

        def action(text: str, tip: str, *shortcut: QKeySequence.StandardKey | str) -> QAction:
            """A menu action with its description (tooltip and status tip) and its shortcuts:
            each standard key's bindings on this platform, and the spelled-out ones (some
            platforms bind no standard Quit or Preferences key)."""
            made = QAction(text, self)
            made.setToolTip(tip)
            made.setStatusTip(tip)
            sequences: list[QKeySequence] = []
            for key in shortcut:
                bound = QKeySequence.keyBindings(key) if isinstance(key, keys) else []
                for sequence in bound or ([QKeySequence(key)] if isinstance(key, str) else []):
                    if not sequence.isEmpty() and sequence not in sequences:
                        sequences.append(sequence)
            if sequences:
                made.setShortcuts(sequences)
            return made

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        new = action(self.tr("&New Chat"), self.tr("Start a new conversation"), keys.New, "Ctrl+N")
        new.triggered.connect(chat.new_conversation)
        settings = action(
            self.tr("&Settings…"),
            self.tr("Open the settings: model, privacy, cloud, colours and more"),
            "Ctrl+,",
            keys.Preferences,
        )
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings.triggered.connect(self.settings_requested)
        models = action(
            self.tr("&Models…"),
            self.tr("Choose, download and manage the local models"),
            "Ctrl+Shift+M",
        )
        models.triggered.connect(self.open_models)
        quit_action = action(
            self.tr("&Quit"), self.tr("Quit {app}").format(app=APP_NAME), keys.Quit, "Ctrl+Q"
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        private = action(
            self.tr("New &Private Conversation"),
            self.tr("A conversation kept in memory only: nothing of it is saved to disk"),
            "Ctrl+Shift+N",
        )
        private.triggered.connect(chat.new_private_conversation)
        file_menu.addActions([new, private, models, settings])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        chat_menu = self.menuBar().addMenu(self.tr("&Conversation"))
        rename = action(self.tr("&Rename…"), self.tr("Rename the selected conversation"), "F2")
        rename.triggered.connect(conversations.rename_current)
        delete = action(
            self.tr("&Delete…"), self.tr("Delete the selected conversation"), keys.Delete
        )
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(conversations.delete_current)
        stop = action(self.tr("&Stop Answer"), self.tr("Stop the answer being written"), "Esc")
        stop.triggered.connect(chat.stop)
        find = action(
            self.tr("&Find in History…"),
            self.tr("Search the messages of every conversation"),
            keys.Find,
            "Ctrl+F",
        )
        find.triggered.connect(self.search.focus_search)
        chat_menu.addActions([find, rename, delete, stop])
        conversations.conversation_list.addActions([rename, delete])
        self.addAction(stop)

        privacy_menu = self.menuBar().addMenu(self.tr("&Privacy"))
        preview = action(
            self.tr("&Preview What Would Be Sent…"),
            self.tr("Show exactly what the message in the input box would send to the cloud"),
            "Ctrl+Shift+P",
        )
        preview.triggered.connect(self.preview_outgoing)
        audit = action(
            self.tr("&Audit Log…"),
            self.tr("Every request that left this device: when, where, and what was replaced"),
        )
        audit.triggered.connect(self.open_audit_log)
        workload = action(
            self.tr("&Workload Audit…"),
            self.tr("What was answered where, what it cost and what the privacy gate did"),
        )
        workload.triggered.connect(self.open_workload_audit)
        privacy_menu.addActions([preview, audit, workload])

        help_menu = self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        logs = action(self.tr("Open &Log Folder"), self.tr("Open the folder with the app's logs"))
        logs.triggered.connect(
            lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(self.state.services.paths.log_dir))
            )
        )
        about = action(
            self.tr("&About {app}").format(app=APP_NAME),
            self.tr("The version, and where {app} keeps its data").format(app=APP_NAME),
        )
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._about)
        started = action(
            self.tr("&Getting Started"),
            self.tr("Show the welcome: the model answering now, a better one, the cloud, privacy"),
        )
        started.triggered.connect(self.show_first_run)
        help_menu.addActions([started, logs, about])
        self.menu_actions = [new, private, models, settings, quit_action]
        self.menu_actions += [find, rename, delete, stop, preview, audit, workload, started]
        self.menu_actions += [logs, about]

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
            message.info(self.tr("Type a message first, then preview what would be sent."))
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
        from html import escape

        from PySide6.QtWidgets import QMessageBox

        paths = self.state.services.paths
        QMessageBox.about(
            self,
            self.tr("About {app}").format(app=APP_NAME),
            self.tr(
                "<b>{app}</b> {version}<br>A private AI assistant that answers on this "
                "device first.<br><br>Data: {data}<br>Logs: {logs}"
            ).format(
                app=APP_NAME,
                version=__version__,
                data=escape(str(paths.data_dir)),
                logs=escape(str(paths.log_dir)),
            ),
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
                    self.tr(
                        "Hybrid Desktop keeps running in the tray. Open it or ask a Quick Prompt "
                        "({hotkey}); Quit is in the tray menu."
                    ).format(hotkey=settings.hotkey or self.tr("from the tray menu"))
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
