"""Token and price accounting for cloud requests, and the user's budget caps.

Prices are US dollars per million tokens, from Anthropic's public price list; an unknown model is
priced like the most expensive family it could belong to, so estimates err on the high side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hybrid_desktop.storage.history import HistoryStore

#: (input, output) USD per million tokens, matched by model-id prefix (longest first), from
#: Anthropic's published price list (checked 2026-11). Haiku 5.5 is priced for prompts up to
#: 100k tokens.
PRICES: dict[str, tuple[float, float]] = {
    "claude-fable-5": (10.0, 50.0),
    "claude-opus-5": (5.0, 25.0),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-opus-4-6": (5.0, 25.0),
    "claude-opus-4-7": (5.0, 25.0),
    "claude-opus-4-8": (5.0, 25.0),
    "claude-opus": (15.0, 75.0),
    "claude-sonnet-5": (2.0, 10.0),
    "claude-sonnet": (3.0, 15.0),
    "claude-haiku-5": (0.10, 0.50),
    "claude-haiku-4": (1.0, 5.0),
    "claude-3-5-haiku": (0.8, 4.0),
    "claude-3-haiku": (0.25, 1.25),
    "claude-haiku": (1.0, 5.0),
}
UNKNOWN_PRICE = (15.0, 75.0)  # the highest Claude price: estimates err on the safe side


def price_of(model: str) -> tuple[float, float]:
    for prefix in sorted(PRICES, key=len, reverse=True):
        if model.startswith(prefix):
            return PRICES[prefix]
    return UNKNOWN_PRICE


def cost_usd(model: str, input_tokens: int, output_tokens: int) -> float:
    price_in, price_out = price_of(model)
    return (input_tokens * price_in + output_tokens * price_out) / 1_000_000


@dataclass(frozen=True)
class Budget:
    """Spend so far and the user's caps (0 = no cap)."""

    spent_today: float = 0.0
    spent_month: float = 0.0
    daily_cap: float = 0.0
    monthly_cap: float = 0.0

    def allows(self, estimate: float) -> tuple[bool, str]:
        """Whether a request costing ``estimate`` fits; if not, the sentence that says why."""
        if self.daily_cap and self.spent_today + estimate > self.daily_cap:
            return False, (
                f"today's cloud budget is used up (${self.spent_today:.2f} of "
                f"${self.daily_cap:.2f})"
            )
        if self.monthly_cap and self.spent_month + estimate > self.monthly_cap:
            return False, (
                f"this month's cloud budget is used up (${self.spent_month:.2f} of "
                f"${self.monthly_cap:.2f})"
            )
        return True, ""

    def label(self) -> str:
        if self.daily_cap:
            return f"Today ${self.spent_today:.2f} of ${self.daily_cap:.2f}"
        return f"Today ${self.spent_today:.2f}"


def format_cost(usd: float) -> str:
    if usd < 0.01:
        return f"${usd:.4f}".rstrip("0").rstrip(".") if usd else "$0"
    return f"${usd:.2f}"


def current_budget(history: HistoryStore, daily_cap: float, monthly_cap: float) -> Budget:
    """Spend so far (from the usage records of ``history``) against the user's caps."""
    from hybrid_desktop.storage.usage import UsageStore

    today, month = UsageStore(history).spent()
    return Budget(
        spent_today=today, spent_month=month, daily_cap=daily_cap, monthly_cap=monthly_cap
    )
