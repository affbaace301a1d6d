"""The chat service's edge turns: an edge answer, and the edge server that takes a cloud turn
that failed on Auto (the chain cloud -> edge -> local; see ``core.chat``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from hybrid_desktop.core.edge_tier import EdgePlan, ask_edge
from hybrid_desktop.core.turns import (
    CLOUD_HISTORY_MESSAGES,
    TurnFailed,
    TurnPlan,
    TurnRequest,
    TurnResult,
)
from hybrid_desktop.errors import EdgeError

if TYPE_CHECKING:
    from hybrid_desktop.core.chat import ChatService


def edge_fallback(self: ChatService, request: TurnRequest, plan: TurnPlan) -> EdgePlan | None:
    """The edge plan for a cloud turn that failed on Auto: None when no server can take it
    (none set up, cooling down, or its trust level's policy blocks this request)."""
    if self.edge is None or self.settings.offline_mode:
        return None
    server, option = self.edge.option(lambda _tier: True)
    if server is None or option is None or option.unavailable:
        return None
    vault = plan.vault if plan.vault is not None else self._vault(request.conversation_id)
    outgoing = [*self._system(), *plan.history[-CLOUD_HISTORY_MESSAGES:]]
    outgoing.append({"role": "user", "content": request.prompt})
    edge_plan = self.edge.plan(server, outgoing, vault, request.conversation_id)
    if edge_plan.verdict is not None and edge_plan.verdict.blocked:
        return None
    return edge_plan


def edge_turn(
    self: ChatService,
    request: TurnRequest,
    plan: TurnPlan,
    conversation_id: int,
    user_message_id: int,
    on_text: Callable[[str], None] | None,
    notices: list[str],
    local_instead: Callable[[str, str], TurnResult],
) -> TurnResult:
    """An edge answer; on Auto, a failure moves on to the local model at once, saying why."""
    assert self.edge is not None and plan.edge is not None
    if plan.vault is None and plan.edge.verdict is not None:
        plan = replace(plan, vault=self._vault(request.conversation_id))
    try:
        return ask_edge(
            self.edge,
            self.history,
            self.settings,
            request,
            plan,
            plan.edge,
            plan.decision,
            conversation_id,
            user_message_id,
            on_text,
            notices,
            self._store_answer,
            ledger=self.ledger,
        )
    except EdgeError as exc:
        if request.route == "edge":
            raise TurnFailed(exc, conversation_id) from exc
        name = plan.edge.server.name
        self._trace.fell_back("edge", name, exc.message)
        why = exc.message.rstrip(".")
        result = local_instead(
            f"Local: the edge server {name} failed ({why}); answered on this device.",
            f"The edge server {name} failed: {exc.message} The local model answered instead.",
        )
        result.fallback = exc.message
        return result
