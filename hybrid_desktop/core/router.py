"""Where a request runs, and why, in one sentence the user sees on the answer.

This version has only the local tier. ``auto`` therefore means local; ``cloud`` is refused with a
clear message until the cloud tier exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from hybrid_desktop.core.errors import RouteUnavailableError

ROUTES = ("auto", "local", "cloud")


@dataclass(frozen=True)
class RouteDecision:
    route: str
    reason: str


def decide_route(requested: str) -> RouteDecision:
    if requested not in ROUTES:
        raise RouteUnavailableError(
            f"Unknown route {requested!r}.", f"Use one of: {', '.join(ROUTES)}."
        )
    if requested == "cloud":
        raise RouteUnavailableError(
            "The cloud tier is not available in this version of Hybrid Desktop.",
            "Use the route auto or local; the on-device model answers.",
        )
    if requested == "local":
        return RouteDecision("local", "Local: you chose the on-device model.")
    return RouteDecision(
        "local", "Local: the cloud tier is not set up, so the on-device model answered."
    )
