"""Small widgets of the main window: the input box, the conversation list and the error banner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
)

from hybrid_desktop.ui.accessible import announce, described

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import Conversation

ID_ROLE = Qt.ItemDataRole.UserRole


class InputBox(QPlainTextEdit):
    """The message box: Enter sends, Shift+Enter starts a new line."""

    submitted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(
            self.tr("Ask anything…  (Enter sends, Shift+Enter starts a new line)")
        )
        described(
            self,
            self.tr("Type your message; Enter sends it, Shift+Enter starts a new line"),
            name=self.tr("Message"),
        )
        self.setObjectName("message_input")
        self.setTabChangesFocus(True)
        self.setFixedHeight(84)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            elif not event.isAutoRepeat():
                self.submitted.emit()
            return
        super().keyPressEvent(event)


class ConversationList(QListWidget):
    """Conversations, newest first. Double-click or F2 renames in place."""

    renamed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.setEditTriggers(
            QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setMinimumWidth(200)
        self.setObjectName("conversation_list")
        self.setAccessibleName(self.tr("Conversations"))
        self.setAccessibleDescription(
            self.tr("Your conversations, newest first; F2 renames the selected one")
        )
        self._filling = False
        self.itemChanged.connect(self._item_changed)

    def fill(self, conversations: list[Conversation], current: int | None) -> None:
        self._filling = True
        self.blockSignals(True)
        try:
            self.clear()
            for conversation in conversations:
                item = QListWidgetItem(conversation.title)
                item.setData(ID_ROLE, conversation.id)
                item.setToolTip(
                    self.tr(
                        "{title}\n%n message(s) · updated {updated} UTC",
                        "",
                        conversation.message_count,
                    ).format(
                        title=conversation.title,
                        updated=conversation.updated_at[:16].replace("T", " "),
                    )
                )
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.addItem(item)
                if conversation.id == current:
                    self.setCurrentItem(item)
        finally:
            self.blockSignals(False)
            self._filling = False

    def current_id(self) -> int | None:
        item = self.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def select_id(self, conversation_id: int | None) -> None:
        self.blockSignals(True)
        try:
            self.clearSelection()
            self.setCurrentRow(-1)
            for row in range(self.count()):
                item = self.item(row)
                if item.data(ID_ROLE) == conversation_id:
                    self.setCurrentItem(item)
                    break
        finally:
            self.blockSignals(False)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.renamed.emit(int(item.data(ID_ROLE)), item.text())


class Banner(QFrame):
    """A dismissable message above the input box: errors and what to do about them."""

    settings_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self.settings_button = described(
            QPushButton(self.tr("Open Settings")),
            self.tr("Open the settings to fix what this message is about"),
        )
        self.settings_button.setObjectName("banner_settings")
        self.settings_button.clicked.connect(self.settings_requested)
        layout.addWidget(self.settings_button)
        close = self.close_button = QToolButton()
        close.setObjectName("banner_dismiss")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Dismiss"))
        described(close, self.tr("Hide this message"), name=self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, *, error: bool = True, offer_settings: bool = False) -> None:
        colour = ("#fee2e2", "#991b1b") if error else ("#e0f2fe", "#075985")
        self.setStyleSheet(
            f"QFrame#banner {{ background: {colour[0]}; border-radius: 6px; }}"
            f"QFrame#banner QLabel {{ color: {colour[1]}; }}"
        )
        self.label.setText(text)
        self.settings_button.setVisible(offer_settings)
        self.show()
        announce(self.label, text, assertive=error)

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()
