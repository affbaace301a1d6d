"""The route badge on a chat message and its tooltip: where the answer came from (``local``,
``cloud``, ``Edge (office-gpu)``), the model, how it ended, and the router's reason and figures.

The words are the user's language (context ``ChatBadges``); the routes behind them stay data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import Message

#: Shown on the badge of an answer that did not complete (translated where shown).
STATUS_LABELS = {
    "stopped": QT_TRANSLATE_NOOP("ChatBadges", "stopped"),
    "error": QT_TRANSLATE_NOOP("ChatBadges", "interrupted by an error"),
}
#: How a route is named on a badge (translated where shown); an edge server is named with it.
ROUTE_WORDS = {
    "local": QT_TRANSLATE_NOOP("ChatBadges", "local"),
    "cloud": QT_TRANSLATE_NOOP("ChatBadges", "cloud"),
    "edge": QT_TRANSLATE_NOOP("ChatBadges", "Edge"),
}


class ChatBadges(QObject):
    """The plural texts of the badges (lupdate reads a plural only in a ``self.tr`` call)."""

    def speed(self, tokens: int, rate: str) -> str:
        return self.tr("%n token(s) at {rate} tokens/s", "", tokens).format(rate=rate)


def _t(text: str) -> str:
    """``text`` (a source string marked in context ChatBadges) in the user's language."""
    return QCoreApplication.translate("ChatBadges", text)


#: The router names an edge server at the start of its reason: "Edge (office-gpu): code review".
_EDGE_REASON = re.compile(r"^Edge \(([A-Za-z0-9][A-Za-z0-9._-]*)\)")


def route_label(route: str | None, edge_server: str | None = None) -> str:
    """How a route is named on a badge: ``local``, ``cloud``, ``Edge (office-gpu)`` (in the
    user's language; a route with no word of its own as it is)."""
    if route == "edge" and edge_server:
        return QCoreApplication.translate("ChatBadges", "Edge ({server})").format(
            server=edge_server
        )
    route = route or "local"
    return _t(str(ROUTE_WORDS[route])) if route in ROUTE_WORDS else route


def edge_server_of(reason: str | None) -> str | None:
    """The edge server a routing reason names, if it names one."""
    found = _EDGE_REASON.match(reason or "")
    return found.group(1) if found else None


def badge_for(message: Message) -> tuple[str, str]:
    """The short route badge on an answer and its tooltip (the router's reason and the figures)."""
    if message.role != "assistant":
        return "", ""
    server = message.meta.get("edge_server") if message.meta else None
    parts = [route_label(message.route, str(server) if server else edge_server_of(message.reason))]
    if message.model:
        parts.append(message.model)
    status = STATUS_LABELS.get(message.status)
    if status:
        parts.append(_t(str(status)))
    if not message.saved:
        parts.append(QCoreApplication.translate("ChatBadges", "not saved yet (disk full)"))
    tooltip = message.reason or ""
    tps = message.meta.get("tokens_per_s") if message.meta else None
    if tps:
        tokens = int(message.meta.get("completion_tokens", 0) or 0)
        tooltip += "\n" + ChatBadges().speed(tokens, f"{tps:.0f}")
    confidence = message.meta.get("confidence") if message.meta else None
    if confidence is not None:
        own = QCoreApplication.translate("ChatBadges", "the model's own confidence: {confidence}")
        tooltip += "\n" + own.format(confidence=f"{confidence:.0%}")
    return " · ".join(parts), tooltip.strip()
