"""The Quick Prompt: a small window that answers without switching to the main window.

Opened by the global hotkey (Ctrl+Alt+Space by default), the tray menu, or
``hybrid-desktop --quick-prompt``. It asks through the app's turn controller, so the same router,
privacy gate and history serve it: its turns go to a conversation titled "Quick prompts", and
"Open in main window" continues that conversation there (through the app state, never the main
window's widgets).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.core.turns import TurnRequest
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.chat_view import FLUSH_MS
from hybrid_desktop.ui.markdown import render_markdown

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from hybrid_desktop.core.turns import TurnResult
    from hybrid_desktop.ui.state import AppState
    from hybrid_desktop.ui.turns import TurnController
    from hybrid_desktop.workers.local_worker import TurnFailure

log = logging.getLogger(__name__)

#: The window title and the conversation its turns go to (marked for translation: both are
#: translated where they are shown; the conversation is found by either title). ``str()``: the
#: Qt stubs type the marker's result as ``object``.
TITLE = str(QT_TRANSLATE_NOOP("QuickPrompt", "Quick Prompt"))
CONVERSATION_TITLE = str(QT_TRANSLATE_NOOP("QuickPrompt", "Quick prompts"))


class QuickPrompt(QWidget):
    answered = Signal(object)  # TurnResult or TurnFailure

    def __init__(self, state: AppState, turns: TurnController, icon: QIcon | None = None) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.state = state
        self.turns = turns
        self.setWindowTitle(self.tr(TITLE))
        if icon is not None:
            self.setWindowIcon(icon)
        self.resize(640, 360)
        self.conversation_id: int | None = None
        self.request_id: int | None = None
        self.request: TurnRequest | None = None
        self._text = ""
        self._buffer: list[str] = []
        layout = QVBoxLayout(self)
        self.input = described(
            QLineEdit(),
            self.tr("Type a question; Enter sends it, Esc hides this window"),
            name=self.tr("Question"),
        )
        self.input.setPlaceholderText(self.tr("Ask anything…  (Enter sends, Esc hides)"))
        self.input.returnPressed.connect(self.send)
        layout.addWidget(self.input)
        self.badge = QLabel()
        self.badge.setAccessibleName(self.tr("Answer status"))
        self.badge.setStyleSheet("color: #4b5563; font-size: small;")
        layout.addWidget(self.badge)
        self.answer = described(
            QTextBrowser(),
            self.tr("The answer to your question, as it is written"),
            name=self.tr("Answer"),
        )
        self.answer.setOpenExternalLinks(False)
        layout.addWidget(self.answer, 1)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy Answer"))
        self.copy_button.setToolTip(self.tr("Copy the answer (Ctrl+Shift+C)"))
        described(self.copy_button, self.tr("Copy the answer to the clipboard"))
        self.copy_button.clicked.connect(self.copy_answer)
        self.open_button = QPushButton(self.tr("Open in Main Window"))
        described(self.open_button, self.tr("Continue this conversation in the main window"))
        self.open_button.clicked.connect(self.open_in_main_window)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        QWidget.setTabOrder(self.input, self.answer)
        QWidget.setTabOrder(self.answer, self.copy_button)
        QWidget.setTabOrder(self.copy_button, self.open_button)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_answer)
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)
        turns.token.connect(self._token)
        turns.turn_started.connect(self._started)
        turns.finished.connect(self._finished)
        turns.failed.connect(self._failed)
        turns.fallback.connect(self._fallback)

    # showing -------------------------------------------------------------------------------------

    def summon(self) -> None:
        """Show centred on the screen under the mouse, on top, with the input focused."""
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.center() - self.rect().center())
        self.show()
        self.raise_()
        self.activateWindow()
        self.input.setFocus()
        self.input.selectAll()
        log.info("quick prompt shown")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    # asking --------------------------------------------------------------------------------------

    def _quick_conversation(self) -> int | None:
        history = self.state.history
        if history is None:
            return None
        if self.conversation_id is not None:
            try:
                history.get_conversation(self.conversation_id)
                return self.conversation_id
            except HybridDesktopError:  # deleted meanwhile
                self.conversation_id = None
        titles = {CONVERSATION_TITLE, self.tr(CONVERSATION_TITLE)}
        for conversation in history.list_conversations():
            if conversation.title in titles:
                self.conversation_id = conversation.id
                return conversation.id
        self.conversation_id = history.create_conversation(self.tr(CONVERSATION_TITLE)).id
        return self.conversation_id

    def send(self) -> None:
        text = self.input.text().strip()
        if not text or self.request_id is not None:
            return
        state = self.state
        state.start_requested.emit()
        if state.model_state == "failed":
            self.badge.setText(state.model_message)
            return
        try:
            conversation_id = self._quick_conversation()
        except HybridDesktopError as exc:
            self.badge.setText(exc.user_text())
            return
        self.request = TurnRequest(prompt=text, conversation_id=conversation_id, route=state.route)
        self._text = ""
        self._buffer.clear()
        self.answer.clear()
        self.badge.setText(self.tr("thinking…"))
        self._timer.start()
        self.request_id = self.turns.ask(self.request, "quick")

    def _token(self, request_id: int, text: str) -> None:
        if request_id == self.request_id:
            self._buffer.append(text)

    def _flush(self) -> None:
        if self._buffer:
            self._text += "".join(self._buffer)
            self._buffer.clear()
            self.answer.setHtml(render_markdown(self._text))
            bar = self.answer.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _started(self, request_id: int, conversation_id: int) -> None:
        if request_id == self.request_id:
            self.conversation_id = conversation_id
            self.badge.setText(self.tr("answering…"))

    def _fallback(self, request_id: int, reason: str) -> None:
        if request_id == self.request_id:
            self._flush()
            self._text += "\n\n---\n\n"
            self.badge.setText(reason)

    def _finished(self, request_id: int, result: TurnResult) -> None:
        if request_id != self.request_id:
            return
        self._timer.stop()
        self._buffer.clear()
        self._text = result.text
        self.answer.setHtml(render_markdown(result.text))
        self.badge.setText(result.reason)
        self.badge.setToolTip(result.reason)
        self.request_id = None
        self.input.clear()
        self.answered.emit(result)

    def _failed(self, request_id: int, failure: TurnFailure) -> None:
        if request_id != self.request_id:
            return
        self._timer.stop()
        self.request_id = None
        self.badge.setText(failure.message)
        self.answered.emit(failure)

    # actions -------------------------------------------------------------------------------------

    def copy_answer(self) -> None:
        if self._text:
            QGuiApplication.clipboard().setText(self._text)
            self.badge.setText(self.tr("Copied."))

    def open_in_main_window(self) -> None:
        if self.conversation_id is not None:
            self.state.open_conversation(self.conversation_id)
        self.state.window_requested.emit()
        self.hide()
