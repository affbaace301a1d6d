"""Private ("don't keep") conversations: nothing of them goes to disk beyond the audit record of
what left the device.

Their conversations, messages and placeholder vaults live in an in-memory history owned by the
chat service (:attr:`PrivateConversations.history`; its conversation ids are its own). For the
length of a private turn the service's ``history`` is that store, and its ``ledger`` is the
history on disk: the audit log (what was sent, exactly), the usage row (so budgets hold) and a
request record with no ids, no reason and no words of the prompt (``private`` = 1). They are gone
when the app quits; nothing needs deleting.

The in-memory store is an SQLite connection of the thread that first used it: the GUI runs every
turn on its one chat worker thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from hybrid_desktop.storage.history import HistoryStore

if TYPE_CHECKING:
    from hybrid_desktop.core.chat import ChatService
    from hybrid_desktop.core.turns import TurnRequest


class PrivateConversations:
    def __init__(self) -> None:
        self._history: HistoryStore | None = None

    @property
    def history(self) -> HistoryStore:
        if self._history is None:
            self._history = HistoryStore(None)
        return self._history

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None

    @contextmanager
    def scope(self, service: ChatService, request: TurnRequest) -> Iterator[None]:
        """While a private request is planned or answered: the service's history is the
        in-memory one and its ledger the one on disk (nested scopes are one scope)."""
        if not request.private or service.ledger is not None:
            yield
            return
        on_disk = service.history
        service.history, service.ledger = self.history, on_disk
        try:
            yield
        finally:
            service.history, service.ledger = on_disk, None


def private_record(record: dict[str, Any]) -> dict[str, Any]:
    """A request record as kept for a private conversation: no ids, and none of the router's
    words (its reason and signals quote the prompt's telling words)."""
    signals = dict(record.get("signals") or {})
    for key in ("complexity_signals", "privacy_reason", "category"):
        signals.pop(key, None)
    return {
        **record,
        "conversation_id": None,
        "message_id": None,
        "user_message_id": None,
        "reason": None,
        "category": None,
        "signals": signals,
        "fallbacks": [{**f, "error": f.get("error", "")} for f in record.get("fallbacks", [])],
        "private": True,
    }
