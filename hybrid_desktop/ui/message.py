"""One message bridge for the whole GUI: any part says what the user should know, the window's
banner shows it (the model is qutebrowser's ``utils/message.py``).

Callers never reach for the banner widget: they call :func:`error` or :func:`info`, which emit on
the app's one :class:`MessageBridge`. Messages said before a window listens are kept and shown
when it connects (start-up problems arrive that way).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    text: str
    error: bool = True
    #: Offer a button to Settings (the fix is there).
    offer_settings: bool = False


class MessageBridge(QObject):
    shown = Signal(object)  # Message
    cleared = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.backlog: list[Message] = []
        self.listening = False

    def say(self, message: Message) -> None:
        log.info("message to the user: %s", message.text)
        if not self.listening:
            self.backlog.append(message)
        self.shown.emit(message)

    def listen(self) -> list[Message]:
        """A window now shows messages: returns the ones said before it listened."""
        self.listening = True
        backlog, self.backlog = self.backlog, []
        return backlog


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    """The app's bridge (made on first use, in the GUI thread)."""
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def reset() -> None:
    """A fresh bridge (a new app in the same process: tests, the self-test)."""
    global _bridge
    _bridge = None


def error(text: str, *, offer_settings: bool = False) -> None:
    bridge().say(Message(text, True, offer_settings))


def info(text: str, *, offer_settings: bool = False) -> None:
    bridge().say(Message(text, False, offer_settings))


def clear() -> None:
    bridge().cleared.emit()
