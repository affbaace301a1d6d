"""The cascade: a weak local answer on Auto asked of the cloud model too, both answers kept
(Settings ``escalate_weak_answers``, off by default: see the README's measure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from hybrid_desktop.core.cloud_tier import ask_cloud
from hybrid_desktop.core.turns import TurnPlan, TurnRequest, TurnResult
from hybrid_desktop.errors import CloudError, HybridDesktopError

if TYPE_CHECKING:
    from hybrid_desktop.core.chat import ChatService


def escalated(
    self: ChatService,
    request: TurnRequest,
    plan: TurnPlan,
    local: TurnResult,
    on_text: Callable[[str], None] | None,
    notice: Callable[[str], None],
) -> TurnResult | None:
    """The cascade: a weak local answer asked of the cloud too, both kept. None when the
    setting is off, the answer is confident, or the cloud cannot answer now (said)."""
    settings, confidence = self.settings, local.stats.confidence
    if (
        not settings.escalate_weak_answers
        or request.route != "auto"
        or self.cloud is None
        or local.status != "complete"
        or confidence is None
        or confidence >= settings.escalate_below
    ):
        return None
    why = f"the local answer's confidence was {confidence:.2f}, below {settings.escalate_below:.2f}"
    cloud_request = replace(request, route="cloud", conversation_id=local.conversation_id)
    try:
        cloud_plan = self.plan(cloud_request, history=plan.history)
    except HybridDesktopError as exc:
        notice(f"Not asked of the cloud model ({why}): {exc.message}")
        return None
    decision = replace(
        cloud_plan.decision, reason=f"Cloud: {why}, so the cloud model answered too."
    )
    cloud_plan = replace(cloud_plan, decision=decision)
    if on_text is not None:
        on_text("\n\n")
    self._trace.escalated = True
    self._trace.decision = decision
    self._trace.sent_to(cloud_plan.verdict)
    try:
        assert self.cloud is not None
        result = ask_cloud(
            self.cloud,
            self.history,
            settings,
            cloud_request,
            cloud_plan,
            local.conversation_id,
            local.user_message_id,
            on_text,
            list(local.notices),
            self._store_answer,
            ledger=self.ledger,
        )
    except CloudError as exc:
        notice(
            f"The cloud model could not answer as well ({exc.message}); the local answer stands."
        )
        return None
    result.escalated_from = local.assistant_message_id
    result.notices.append(f"Both answers are kept: {why}.")
    return result
