"""The chat view: the messages of one conversation, with the answer streaming in.

Each message is a widget; only the streaming one changes. Tokens arrive far faster than the eye
reads (about 150 a second), so they are buffered and painted on a timer (``FLUSH_MS``). While an
answer streams, each finished paragraph is rendered once into its own label and only the
unfinished tail is re-rendered, so a repaint costs the same at the thousandth token as at the first.

Each code block of an answer has a Copy link (``copy:N``, N its index in the answer) that puts
exactly that block's code on the clipboard; it is reached with Tab and activated with Enter too,
and reads "Copied" for a moment afterwards (``chat_copy``). Tab walks the messages as shown,
between the view and the input box.
The chat's colours and the code blocks' style follow the palette: when it changes between light
and dark, the messages shown are styled and rendered again.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.chat_badges import STATUS_LABELS as STATUS_LABELS
from hybrid_desktop.ui.chat_badges import badge_for as badge_for
from hybrid_desktop.ui.chat_badges import edge_server_of as edge_server_of
from hybrid_desktop.ui.chat_badges import route_label as route_label
from hybrid_desktop.ui.chat_copy import CopyButton, flash_link
from hybrid_desktop.ui.markdown import code_blocks, render_markdown, render_plain, stable_split
from hybrid_desktop.ui.theme import is_dark

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import Message

FLUSH_MS = 33
#: The chat's own colours in the light (False) and the dark (True) scheme. The palette's text
#: colour meets WCAG AA (4.5:1) on every background here, and each muted text on its own.
SURFACES: dict[bool, dict[str, str]] = {
    False: {
        "user": "#eef2ff",
        "assistant": "#ffffff",
        "chat": "#f9fafb",
        "muted": "#4b5563",  # the route badge, on the messages
        "placeholder": "#6b7280",  # on the chat
        "warning": "#b45309",  # "Low confidence", on an answer
        "notice": "#92400e",  # a notice between the turns (context cut, fallback), on its own
        "notice_back": "#fef3c7",
    },
    True: {
        "user": "#1e2a44",
        "assistant": "#26282b",
        "chat": "#17181a",
        "muted": "#9aa0a6",
        "placeholder": "#9aa0a6",
        "warning": "#fbbf24",
        "notice": "#fde68a",
        "notice_back": "#3b2f12",
    },
}

_MOUSE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
)
_KEYBOARD = _MOUSE | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
COPY_DESCRIPTION = QT_TRANSLATE_NOOP(
    "BodyLabel",
    "Each code block has a Copy link: press Tab to reach it and Enter to copy its code.",
)
LINKS_DESCRIPTION = QT_TRANSLATE_NOOP(
    "BodyLabel", "Press Tab to reach its links and Enter to open one."
)


class BodyLabel(QLabel):
    """A part of a message's body: ``source`` rendered, its code blocks numbered from
    ``first_block`` (the Copy links ``copy:N``)."""

    def __init__(self) -> None:
        super().__init__()
        self.source = ""
        self.first_block = 0
        #: The code block whose link reads "Copied" for a moment (see chat_copy).
        self.copied: int | None = None
        self.copied_flashes = 0
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(_MOUSE)
        self.setOpenExternalLinks(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_html(self, source: str, first_block: int, html: str) -> None:
        self.source, self.first_block = source, first_block
        self.setText(html)
        # Only a part with links is a stop of the Tab chain (Tab then walks its links).
        linked = "<a href=" in html
        flags = _KEYBOARD if linked else _MOUSE
        if self.textInteractionFlags() != flags:
            self.setTextInteractionFlags(flags)  # StrongFocus with keyboard links, else ClickFocus
        if 'href="copy:' in html:
            description = QCoreApplication.translate("BodyLabel", str(COPY_DESCRIPTION))
        else:
            description = (
                QCoreApplication.translate("BodyLabel", str(LINKS_DESCRIPTION)) if linked else ""
            )
        if self.accessibleDescription() != description:
            self.setAccessibleDescription(description)


def _open_link(url: str) -> None:
    if url.startswith(("http://", "https://", "mailto:")):
        QDesktopServices.openUrl(QUrl(url))


class MessageWidget(QFrame):
    """One message: a header line (who, route badge, copy) and the rendered body."""

    ask_cloud = Signal()
    code_copied = Signal(int)  # the index of the code block put on the clipboard

    def __init__(self, role: str, text: str = "", badge: str = "", tooltip: str = "") -> None:
        super().__init__()
        #: The scheme the message is styled and rendered for (it follows the palette).
        self.dark = is_dark()
        self.role = role
        self.text = text
        #: The user's message this answers (for "Ask the cloud model").
        self.prompt = ""
        #: The stored message shown (``None`` while it streams, or not read from history).
        self.message_id: int | None = None
        self.low_confidence = False
        self.setObjectName(f"message-{role}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.highlighted = False
        self.set_highlighted(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(4)
        header = QHBoxLayout()
        who = QLabel(self.tr("<b>You</b>") if role == "user" else self.tr("<b>Assistant</b>"))
        header.addWidget(who)
        self.badge = QLabel()
        self._style_badge()
        header.addWidget(self.badge)
        header.addStretch(1)
        self.cloud_button = QToolButton()
        self.cloud_button.setText(self.tr("Ask the cloud model"))
        self.cloud_button.setAutoRaise(True)
        described(
            self.cloud_button,
            self.tr(
                "Not good enough? Ask the same question of the cloud model "
                "(through the privacy gate)."
            ),
        )
        self.cloud_button.clicked.connect(self.ask_cloud)
        self.cloud_button.hide()
        header.addWidget(self.cloud_button)
        self.copy_button = CopyButton(self.tr("Copy this message as Markdown"))
        self.copy_button.clicked.connect(self.copy_message)
        header.addWidget(self.copy_button)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(0)
        outer.addLayout(self.body)
        self.set_badge(badge, tooltip)
        self._frozen_len = 0  # characters of self.text already rendered into frozen labels
        self._frozen_blocks = 0  # code blocks in them
        self._tail = self._new_body()
        self.body.addWidget(self._tail)
        if text:
            self._show(self._tail, text, 0)

    @property
    def _background(self) -> str:
        return SURFACES[self.dark]["user" if self.role == "user" else "assistant"]

    def _new_body(self) -> BodyLabel:
        label = BodyLabel()
        label.linkActivated.connect(self._link_activated)
        return label

    def _render(self, text: str, first_block: int = 0, copied: int | None = None) -> str:
        if self.role == "user":
            return render_plain(text)
        return render_markdown(text, self.dark, first_block=first_block, copied=copied)

    def _show(self, label: BodyLabel, source: str, first_block: int) -> None:
        label.show_html(source, first_block, self._render(source, first_block, label.copied))

    def _show_again(self, label: BodyLabel) -> None:
        self._show(label, label.source, label.first_block)

    def _bodies(self) -> list[BodyLabel]:
        items = (self.body.itemAt(i) for i in range(self.body.count()))
        return [w for item in items if item and isinstance(w := item.widget(), BodyLabel)]

    def _link_activated(self, url: str) -> None:
        if url.startswith("copy:") and url[5:].isdigit():
            self.copy_code(int(url[5:]))
        else:
            _open_link(url)

    def copy_message(self) -> None:
        """Put the whole message (its Markdown) on the clipboard; the button says so."""
        QGuiApplication.clipboard().setText(self.text)
        self.copy_button.flash()

    def copy_code(self, index: int) -> bool:
        """Put the code of block ``index`` (its Copy link's N) on the clipboard; the link reads
        "Copied" for a moment."""
        for label in self._bodies():
            if label.first_block <= index:
                blocks = code_blocks(label.source)
                if index - label.first_block < len(blocks):
                    QGuiApplication.clipboard().setText(blocks[index - label.first_block])
                    flash_link(label, index, self._show_again)
                    self.code_copied.emit(index)
                    return True
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and is_dark() != self.dark:
            self.dark = not self.dark
            self.set_highlighted(self.highlighted)
            self._style_badge()
            if self.low_confidence:
                self._style_low_confidence()
            if self.role != "user":
                for label in self._bodies():
                    self._show_again(label)

    def _style_badge(self) -> None:
        self.badge.setStyleSheet(f"color: {SURFACES[self.dark]['muted']}; font-size: small;")

    def _style_low_confidence(self) -> None:
        warning = SURFACES[self.dark]["warning"]
        self.cloud_button.setStyleSheet(f"QToolButton {{ color: {warning}; font-weight: bold; }}")

    def set_badge(self, text: str, tooltip: str = "") -> None:
        self.badge.setText(text)
        self.badge.setToolTip(tooltip)
        self.badge.setVisible(bool(text))
        done = not text.endswith("…")
        local = text.startswith(route_label("local"))
        self.cloud_button.setVisible(
            self.role == "assistant" and done and local and bool(self.prompt)
        )

    def set_streaming_text(self, text: str) -> None:
        """Show ``text`` (the answer so far), re-rendering only what changed since the last call."""
        self.text = text
        cut = stable_split(text)
        if cut > self._frozen_len:
            frozen = self._new_body()
            part = text[self._frozen_len : cut]
            self._show(frozen, part, self._frozen_blocks)
            self.body.insertWidget(self.body.count() - 1, frozen)
            bodies = self._bodies()  # Tab order: as shown, before the tail
            QWidget.setTabOrder(bodies[-3] if len(bodies) > 2 else self.copy_button, frozen)
            self._frozen_len = cut
            if self.role != "user":
                self._frozen_blocks += len(code_blocks(part))
        self._show(self._tail, text[self._frozen_len :], self._frozen_blocks)

    def plain_text(self) -> str:
        return self.text

    def tab_stops(self) -> list[BodyLabel]:
        """The body's parts, top to bottom (those with links are stops of the Tab chain)."""
        return self._bodies()

    def last_tab_stop(self) -> QWidget:
        return self._tail

    def set_highlighted(self, highlighted: bool) -> None:
        """Outline the message in the palette's highlight colour (a search hit shown)."""
        self.highlighted = highlighted
        border = "border: 2px solid palette(highlight);" if highlighted else ""
        self.setStyleSheet(
            f"QFrame#message-{self.role} {{ background: {self._background}; "
            f"border-radius: 8px; {border} }}"
        )

    def mark_low_confidence(self, confidence: float) -> None:
        """The local model was unsure of this answer: suggest the cloud model prominently."""
        self.cloud_button.setText(self.tr("Low confidence — ask the cloud model"))
        tip = self.tr(
            "The local model's own confidence in this answer is {confidence}. The cloud "
            "model is likely to do better (the question goes through the privacy gate first)."
        ).format(confidence=f"{confidence:.0%}")
        self.cloud_button.setToolTip(tip)
        self.cloud_button.setAccessibleDescription(tip)
        self._style_low_confidence()
        self.low_confidence = True


#: The marker of a "don't keep" conversation (core.private), above its messages.
PRIVATE_TEXT = QT_TRANSLATE_NOOP(
    "PrivateBanner",
    "Private: nothing from this conversation is kept on disk; only the audit record of what "
    "left this device.",
)


class PrivateBanner(QLabel):
    """Shown above the chat while the conversation on show is a private one."""

    def __init__(self) -> None:
        super().__init__(QCoreApplication.translate("PrivateBanner", str(PRIVATE_TEXT)))
        self.setObjectName("private-banner")
        self.setWordWrap(True)
        described(
            self,
            self.tr(
                "This conversation lives in memory only and is gone when the app quits or you "
                "leave it. What is sent off this device is still written to the audit log."
            ),
            name=self.tr("Private conversation"),
        )
        # The palette's own colours, so it reads in light and dark themes alike.
        self.setStyleSheet(
            "QLabel#private-banner { background: palette(highlight); color: palette(highlighted-text); "
            "border-radius: 6px; padding: 6px; font-weight: bold; }"
        )
        self.hide()


class ChatView(QScrollArea):
    """The scrolling list of messages of the current conversation."""

    stream_painted = Signal()  # after each repaint of the streaming answer (tests, benchmarks)
    ask_cloud_requested = Signal(str)  # the user's message to ask the cloud model

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._container = QWidget()
        self._container.setObjectName("chat-container")
        self._layout = QVBoxLayout(self._container)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(10)
        self._layout.addStretch(1)
        self.setWidget(self._container)
        self._items: list[QWidget] = []  # messages and notices, in order
        self._last_prompt = ""
        # No tooltip: it would show over every message.
        self.setAccessibleName(self.tr("Conversation"))
        self.setAccessibleDescription(
            self.tr("The messages of this conversation, the newest at the bottom.")
        )
        self.placeholder = QLabel(
            "<p style='font-size:large'>{ask}</p><p>{where}</p>".format(
                ask=html.escape(self.tr("Ask anything.")),
                where=html.escape(
                    self.tr(
                        "Answers come from the model on this computer; nothing you type leaves it."
                    )
                ),
            )
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._dark = is_dark()
        self._style_chat()
        self._layout.insertWidget(0, self.placeholder)
        self._streaming: MessageWidget | None = None
        self._buffer: list[str] = []
        self._stream_text = ""
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        self.verticalScrollBar().rangeChanged.connect(self._follow)
        self._stick_to_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._remember_position)

    def _style_chat(self) -> None:
        colours = SURFACES[self._dark]
        self._container.setStyleSheet(
            f"QWidget#chat-container {{ background: {colours['chat']}; }}"
        )
        self.placeholder.setStyleSheet(f"color: {colours['placeholder']};")
        for item in self._items:
            if item.objectName() == "notice":
                item.setStyleSheet(self._notice_style())

    def _notice_style(self) -> str:
        colours = SURFACES[self._dark]
        return (
            f"QLabel#notice {{ color: {colours['notice']}; background: {colours['notice_back']};"
            " border-radius: 6px; padding: 6px; }"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and is_dark() != self._dark:
            self._dark = not self._dark
            self._style_chat()

    # content -----------------------------------------------------------------------------------

    def clear(self) -> None:
        self.end_stream()
        for widget in self._items:
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._items.clear()
        self.placeholder.show()

    def show_messages(self, messages: list[Message]) -> None:
        self.clear()
        for message in messages:
            if message.role in ("user", "assistant"):
                widget = self.add_message(message.role, message.content, *badge_for(message))
                widget.message_id = message.id
        self._stick_to_bottom = True

    def show_message(self, message_id: int) -> MessageWidget | None:
        """Scroll to the shown message ``message_id`` and highlight it (a search hit); None
        when it is not shown. The highlight stays until another message is highlighted."""
        found = next((m for m in self.messages() if m.message_id == message_id), None)
        for widget in self.messages():
            widget.set_highlighted(widget is found)
        if found is None:
            return None
        self._stick_to_bottom = False
        layout = self._container.layout()
        if layout is not None:
            layout.activate()  # positions as they will be, before the first paint
        self.ensureWidgetVisible(found, 0, 24)
        # Messages just shown are laid out again once painted: scroll to it then too.
        QTimer.singleShot(0, lambda: self._scroll_to(found))
        return found

    def _scroll_to(self, widget: MessageWidget) -> None:
        if widget in self._items:
            self._stick_to_bottom = False
            self.ensureWidgetVisible(widget, 0, 24)

    def add_message(
        self, role: str, text: str, badge: str = "", tooltip: str = ""
    ) -> MessageWidget:
        widget = MessageWidget(role, text)
        if role == "assistant":
            widget.prompt = self._last_prompt
            widget.ask_cloud.connect(lambda: self.ask_cloud_requested.emit(widget.prompt))
        else:
            self._last_prompt = text
        widget.set_badge(badge, tooltip)
        self._layout.insertWidget(self._layout.count() - 1, widget)
        # Tab walks the messages as shown, after the view and before the input box (a new
        # widget would otherwise go to the end of the window's chain).
        shown = self.messages()
        previous: QWidget = shown[-1].last_tab_stop() if shown else self
        for stop in (widget.cloud_button, widget.copy_button, *widget.tab_stops()):
            QWidget.setTabOrder(previous, stop)
            previous = stop
        self._items.append(widget)
        self.placeholder.hide()
        return widget

    def add_notice(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("notice")
        label.setWordWrap(True)
        label.setStyleSheet(self._notice_style())
        self._layout.insertWidget(self._layout.count() - 1, label)
        self._items.append(label)
        return label

    def remove_last(self, count: int) -> None:
        """Take the last ``count`` messages or notices off the view (a turn not stored)."""
        self.end_stream()
        for widget in self._items[-count:] if count > 0 else []:
            self._layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        del self._items[len(self._items) - min(count, len(self._items)) :]
        if not self._items:
            self.placeholder.show()

    def item_count(self) -> int:
        """How many messages and notices are shown."""
        return len(self._items)

    def messages(self) -> list[MessageWidget]:
        return [w for w in self._items if isinstance(w, MessageWidget)]

    def notices(self) -> list[str]:
        return [w.text() for w in self._items if isinstance(w, QLabel)]

    # streaming ---------------------------------------------------------------------------------

    def begin_stream(self) -> MessageWidget:
        self.end_stream()
        self._streaming = self.add_message("assistant", "", self.tr("generating…"))
        self._buffer.clear()
        self._stream_text = ""
        self._stick_to_bottom = True
        self._timer.start()
        return self._streaming

    def append_stream(self, text: str) -> None:
        """Queue text for the next repaint (cheap: called once per token)."""
        self._buffer.append(text)

    def flush(self) -> None:
        if self._streaming is None or not self._buffer:
            return
        self._stream_text += "".join(self._buffer)
        self._buffer.clear()
        self._streaming.set_streaming_text(self._stream_text)
        self.stream_painted.emit()

    def end_stream(self, final_text: str | None = None, badge: str = "", tooltip: str = "") -> None:
        self._timer.stop()
        if self._streaming is None:
            return
        self.flush()
        if final_text is not None and final_text != self._stream_text:
            self._streaming.set_streaming_text(final_text)
        self._streaming.set_badge(badge, tooltip)
        self._streaming = None

    @property
    def streaming(self) -> MessageWidget | None:
        return self._streaming

    # scrolling ---------------------------------------------------------------------------------

    def _remember_position(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - 24

    def _follow(self, _minimum: int, maximum: int) -> None:
        if self._stick_to_bottom:
            self.verticalScrollBar().setValue(maximum)
