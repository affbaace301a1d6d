"""How hard a request is for the local model: a fitted logistic model, scored in about a millisecond.

The router asks :func:`estimate` whether a prompt needs the large cloud model. The answer is a
:class:`Complexity`: a score in 0..1 (at least 0.5 means "cloud" for the loaded model's tier), a
short phrase for the decision sentence, the strongest features, and token estimates for the
cost line.

The model is a logistic regression over the features of :mod:`.route_features`, read from the
request's *instruction* (:func:`.task_text.split_task`): words, word pairs and character
n-grams, and a few named shapes (large numbers next to an operator, code, maths notation, the
sizes of the instruction and of the paste). Its weights, vocabulary and threshold are data
(``core/data/router_model.json``), fitted by ``tests/data/routing/fit_router.py`` with grouped
cross-validation from the labelled requests in ``tests/data/routing/``; the app needs nothing
but the standard library to score it. The threshold is chosen in cross-validation so that few
hard requests stay local, and moves with the local model's :class:`.capability.Tier`.

The reason names what moved the score most: a named shape ("exact arithmetic on large numbers")
or the words that carried the most weight ("wording like “tenancy”, “deposit”").
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from hybrid_desktop.core.route_features import FEATURE_PHRASES, features, grams, window, words_of
from hybrid_desktop.core.task_text import Task, asked_output_tokens, split_task
from hybrid_desktop.core.tokens import estimate_tokens

if TYPE_CHECKING:
    from hybrid_desktop.core.capability import Tier

__all__ = ["CLOUD_THRESHOLD", "MODEL_PATH", "Complexity", "RouterModel", "estimate"]

log = logging.getLogger(__name__)

#: Scores at or above this go to the cloud (when the router may send them there at all).
CLOUD_THRESHOLD = 0.5
MODEL_PATH = Path(__file__).parent / "data" / "router_model.json"
#: Words of a long instruction whose weight is looked at for the reason (the rest is too slow).
_ATTRIBUTED_WORDS = 60
#: Share of the local model's context a request may fill before it counts as too long for it.
_CONTEXT_SHARE = 0.85


@dataclass(frozen=True)
class Complexity:
    score: float
    needs_cloud: bool
    category: str
    signals: tuple[str, ...]
    prompt_tokens: int
    est_output_tokens: int
    #: The local model's tier the decision was made for (``tiny`` when unknown).
    tier: str = "tiny"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["signals"] = list(self.signals)
        return data


@dataclass(frozen=True)
class RouterModel:
    intercept: float
    #: The cloud/local cut on the model's log-odds, for the smallest tier.
    threshold_logit: float
    weights: dict[str, float]
    #: Words too common to explain a decision (never shown in a reason).
    common: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> RouterModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        common = frozenset(str(w) for w in data.get("common_words", []))
        return cls(float(data["intercept"]), float(data["threshold_logit"]), weights, common)

    def logit(self, feats: dict[str, float]) -> float:
        get = self.weights.get
        return self.intercept + sum(get(name, 0.0) * value for name, value in feats.items())


@cache
def _model() -> RouterModel | None:
    try:
        return RouterModel.load()
    except (OSError, ValueError, KeyError, TypeError):
        log.exception("the router's model %s cannot be read; the length rule decides", MODEL_PATH)
        return None


def _sigmoid(z: float) -> float:
    if z < -60:
        return 0.0
    if z > 60:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _word_weights(model: RouterModel, feats: dict[str, float], task: Task) -> dict[str, float]:
    """Each instruction word's share of the log-odds: its own weight and its n-grams'."""
    shares: dict[str, float] = {}
    weight, value = model.weights.get, feats.get
    words = [w for w in dict.fromkeys(words_of(window(task.instruction))) if w[0] != "<"]
    for word in [w for w in words if w not in model.common][:_ATTRIBUTED_WORDS]:
        total = weight(f"w:{word}", 0.0) * value(f"w:{word}", 0.0)
        for gram in grams(word):
            total += weight(f"c:{gram}", 0.0) * value(f"c:{gram}", 0.0)
        shares[word] = total
    return shares


def _category(
    model: RouterModel, feats: dict[str, float], task: Task, cloud: bool
) -> tuple[str, list[str]]:
    """The phrase for the decision sentence, and the strongest features as signals."""
    sign = 1.0 if cloud else -1.0
    weight = model.weights.get
    named = {name: weight(name, 0.0) * feats[name] for name in feats if name[:2] == "f:"}
    # Numbers of four or more digits, as words, count for the shape of large numbers.
    digits = sum(weight(f"w:<{n}d>", 0.0) * feats.get(f"w:<{n}d>", 0.0) for n in "456")
    shape = "f:big_arith" if "f:big_arith" in feats else "f:big_numbers"
    if digits:
        named[shape] = named.get(shape, 0.0) + digits
    words = _word_weights(model, feats, task)
    top_named = max(named, key=lambda n: sign * named[n], default="")
    top_words = sorted((w for w in words if sign * words[w] > 0), key=lambda w: -sign * words[w])
    signals = [f"{n.removeprefix('f:')}" for n in sorted(named, key=lambda n: -sign * named[n])]
    signals = [s for s in signals if sign * named["f:" + s] > 0][:3]
    signals += [f"word:{w}" for w in top_words[:3]]
    strongest_word = sign * words[top_words[0]] if top_words else 0.0
    named_weight = sign * named[top_named] if top_named else 0.0
    if cloud:
        # A named shape reads better than words: it is shown unless words weigh twice as much.
        if top_named in FEATURE_PHRASES and named_weight > 0 and 2 * named_weight >= strongest_word:
            return FEATURE_PHRASES[top_named], signals
        if top_words:
            shown = ", ".join(f"“{w}”" for w in top_words[:2])
            return f"wording like {shown}", signals
        return "a hard request", signals
    if task.paste:
        return "simple task on a pasted text", signals
    return "quick everyday task", signals


def _output_tokens(task: Task, cloud: bool) -> int:
    asked = asked_output_tokens(task.instruction)
    if asked is not None:
        return asked
    if cloud:
        return 600
    if task.paste:
        return min(1000, 60 + estimate_tokens(task.paste) // 2)
    return 150


def estimate(prompt: str, history_tokens: int = 0, tier: Tier | None = None) -> Complexity:
    """How hard ``prompt`` is for the loaded local model (``tier``), with the signals that say so."""
    tier_name = tier.name if tier else "tiny"
    if not prompt.strip():
        return Complexity(0.0, False, "quick everyday task", ("empty",), 0, 0, tier_name)
    tokens = estimate_tokens(prompt)
    task = split_task(prompt)
    context = tier.context if tier and tier.context else None
    if context and tokens + history_tokens > context * _CONTEXT_SHARE:
        category = "too long for the local model's context"
        out = _output_tokens(task, True)
        return Complexity(1.0, True, category, ("context",), tokens, out, tier_name)
    model = _model()
    if model is None:  # the length rule: better than nothing, and said in the log
        cloud = tokens > 300
        category = "long request" if cloud else "short request"
        out = _output_tokens(task, cloud)
        return Complexity(0.5 + 0.5 * cloud, cloud, category, ("length",), tokens, out, tier_name)
    feats = features(task)
    margin = model.logit(feats) - model.threshold_logit - (tier.logit_shift if tier else 0.0)
    cloud = margin >= 0
    score = round(_sigmoid(margin), 3)
    category, signals = _category(model, feats, task, cloud)
    return Complexity(
        score=score,
        needs_cloud=cloud,
        category=category,
        signals=tuple(signals),
        prompt_tokens=tokens,
        est_output_tokens=int(min(_output_tokens(task, cloud), 16000)),
        tier=tier_name,
    )
