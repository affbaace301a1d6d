"""The conversation side of the main window: New chat, the list, rename and delete.

Reads go through the app state's history; renames and deletes are writes, which that store hands
to the serial writer (the GUI thread never writes SQLite).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton, QVBoxLayout, QWidget

from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui import message
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.widgets import ConversationList

if TYPE_CHECKING:
    from hybrid_desktop.ui.search_panel import SearchPanel
    from hybrid_desktop.ui.state import AppState
    from hybrid_desktop.ui.turns import TurnController


class ConversationsPanel(QWidget):
    new_requested = Signal()
    open_requested = Signal(int)
    deleted = Signal(int)

    def __init__(self, state: AppState, turns: TurnController) -> None:
        super().__init__()
        self.state = state
        self.turns = turns
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        self.new_button = QPushButton(self.tr("New chat"))
        described(self.new_button, self.tr("Start a new conversation (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)
        layout.addWidget(self.new_button)
        self.conversation_list = ConversationList()  # named and described by itself (widgets)
        self.conversation_list.currentItemChanged.connect(self._clicked)
        self.conversation_list.renamed.connect(self.rename_conversation)
        layout.addWidget(self.conversation_list)
        state.conversations_changed.connect(self.refresh)
        state.conversation_changed.connect(self.conversation_list.select_id)

    def add_search(self, search: SearchPanel) -> None:
        """The history search above the list; its hits take the list's place while it has text."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, search)

        def searching(active: bool) -> None:
            self.conversation_list.setVisible(not active)
            layout.setStretchFactor(search, 1 if active else 0)
            layout.setStretchFactor(self.conversation_list, 0 if active else 1)

        searching(False)  # the list, not the search box, takes the height
        search.active_changed.connect(searching)

    def refresh(self) -> None:
        history = self.state.history
        if history is None:
            return
        try:
            conversations = history.list_conversations()
        except HybridDesktopError as exc:
            message.error(exc.user_text())
            return
        self.conversation_list.fill(conversations, self.state.current_id)

    def _clicked(self, _current: object, _previous: object) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is not None:
            self.open_requested.emit(conversation_id)

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        history = self.state.history
        if history is None:
            return
        try:
            history.rename_conversation(conversation_id, title)
        except HybridDesktopError as exc:
            message.error(exc.user_text())
        self.refresh()

    def delete_conversation(self, conversation_id: int) -> bool:
        if self.turns.answering(conversation_id):
            message.info(
                self.tr("This conversation is still answering. Stop the answer, then delete it.")
            )
            return False
        history = self.state.history
        if history is None:
            return False
        try:
            history.delete_conversation(conversation_id)
        except HybridDesktopError as exc:
            message.error(exc.user_text())
            return False
        self.deleted.emit(conversation_id)
        self.refresh()
        return True

    def rename_current(self) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is None:
            return
        old = self.conversation_list.currentItem().text()
        title, ok = QInputDialog.getText(
            self, self.tr("Rename Conversation"), self.tr("Title:"), text=old
        )
        if ok:
            self.rename_conversation(conversation_id, title)

    def delete_current(self) -> None:
        conversation_id = self.conversation_list.current_id()
        if conversation_id is None:
            return
        title = self.conversation_list.currentItem().text()
        answer = QMessageBox.question(
            self,
            self.tr("Delete Conversation"),
            self.tr("Delete “{title}” and all its messages? This cannot be undone.").format(
                title=title
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_conversation(conversation_id)
