"""How hard a request is, estimated on the device in well under a millisecond.

The router asks :func:`estimate` whether a prompt needs the large cloud model. The answer is a
:class:`Complexity`: a score in 0..1, the verdict (``score >= CLOUD_THRESHOLD``), a short phrase
for the decision sentence ("multi-step maths", "code", "long document", "quick everyday task"),
the names of every signal that fired, and token estimates for the cost line.

It is a hand-set linear model over cheap features: regular expressions and phrase lexicons for
maths, code, long documents, long answers, expert domains, reasoning, planning, data and
constraints (evidence for the cloud), and for greetings, short facts, definitions, rewrites,
phrase translations, conversions and quick lists (evidence for the device). The evidence is
summed and squashed with a logistic, so each weight reads as "how much this signal moves the
odds". Only the standard library is used: no model, no network, nothing slow to import.

Very long prompts are scanned in part (the head and the tail, where the instruction usually is);
their length alone is already the strongest signal. The weights were set by hand against
``tests/data/routing/labelled.jsonl``; ``tests/data/routing/heldout.jsonl`` measures them honestly
(``tests/benchmarks/bench_router.py``).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from hybrid_desktop.core.complexity_cues import (
    _ARITHMETIC,
    _BRIEF,
    _CHAT,
    _CODE_ASK,
    _CODE_CJK,
    _CODE_CJK_ASK,
    _CODE_FENCE,
    _CODE_LINE,
    _CODE_WORD,
    _COMPARE,
    _CONSTRAINT,
    _CONVERT,
    _CSV_LINE,
    _DATA,
    _DEFINE,
    _DOMAINS,
    _DURATION,
    _ERROR,
    _ERROR_CASED,
    _GREETING,
    _HARD_FACT,
    _HOWTO,
    _ITEMS_ASKED,
    _LANG,
    _LIST,
    _LONG_OUT_ADJ,
    _LONG_OUT_NOUN,
    _MATH_EXPR,
    _MATH_WORD,
    _NUMBER,
    _NUMBER_WORDS,
    _PERSONAL,
    _PLAN,
    _PRIME_Q,
    _PROOF,
    _QUANTITY_Q,
    _QUESTION_START,
    _RATIO_WORDS,
    _REASON,
    _REWRITE,
    _SHORT_CREATIVE,
    _STEP_WORD,
    _SUMMARISE,
    _TRANSLATE,
    _TRANSLATE_HARD,
    _WORDS_ASKED,
)
from hybrid_desktop.core.complexity_lexicon import (
    _Words,
)
from hybrid_desktop.core.tokens import estimate_tokens

__all__ = ["CLOUD_THRESHOLD", "Complexity", "estimate"]

#: Scores at or above this go to the cloud (when the router may send them there at all).
CLOUD_THRESHOLD = 0.5

# Evidence before any signal: an unremarkable request stays on the device.
_BIAS = -1.0
# Characters scanned for cues: the head and the tail of a long prompt.
_HEAD_CHARS = 1500
_TAIL_CHARS = 500


# Cues are matched against the lower-cased text: case-insensitive matching is about four times
# slower in ``re``. Only the code and error patterns look at the original case.
@dataclass(frozen=True)
class Complexity:
    score: float
    needs_cloud: bool
    category: str
    signals: tuple[str, ...]
    prompt_tokens: int
    est_output_tokens: int

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["signals"] = list(self.signals)
        return data


@dataclass
class _Evidence:
    """The running sum of weights, and which groups of signals contributed to each side."""

    total: float = _BIAS
    cloud: dict[str, float] = field(default_factory=dict)
    local: dict[str, float] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)

    def add(self, signal: str, weight: float, group: str) -> None:
        self.total += weight
        self.signals.append(signal)
        side = self.cloud if weight > 0 else self.local
        side[group] = side.get(group, 0.0) + abs(weight)


def _scan_window(prompt: str) -> str:
    """The part of the prompt searched for cues: all of it, or the head and tail of a long one."""
    if len(prompt) <= _HEAD_CHARS + _TAIL_CHARS:
        return prompt
    return prompt[:_HEAD_CHARS] + "\n" + prompt[-_TAIL_CHARS:]


def _asked_output_tokens(text: str) -> int | None:
    """Tokens the user asked for explicitly ("in 1500 words", "5 pages", "3 paragraphs")."""
    best: int | None = None
    for number, unit in _WORDS_ASKED.findall(text):
        n = int(number.replace(",", "") or 0)
        unit = unit.lower()
        if unit.startswith(("page",)):
            tokens = n * 500 * 4 // 3
        elif unit.startswith(("paragraph",)):
            tokens = n * 120
        elif unit == "字":
            tokens = n
        else:
            tokens = n * 4 // 3
        if tokens > 0 and (best is None or tokens > best):
            best = tokens
    return None if best is None else min(best, 16000)


_OUTPUT_BY_CATEGORY = {
    "greeting": 20,
    "quick everyday task": 120,
    "short factual question": 50,
    "short definition": 70,
    "short translation": 30,
    "unit conversion": 30,
    "simple arithmetic": 20,
    "short creative task": 60,
    "short summary": 50,
    "multi-step maths": 300,
    "maths": 300,
    "proof": 400,
    "code": 450,
    "long document": 400,
    "long answer": 1500,
    "reasoning": 500,
    "comparison": 600,
    "planning": 900,
    "data analysis": 500,
    "several constraints": 450,
    "long translation": 0,  # the length of the text to translate
}

_CLOUD_CATEGORY = {
    "maths": "multi-step maths",
    "proof": "proof",
    "code": "code",
    "long_document": "long document",
    "long_answer": "long answer",
    "reasoning": "reasoning",
    "comparison": "comparison",
    "planning": "planning",
    "data": "data analysis",
    "constraints": "several constraints",
    "translation": "long translation",
}
_LOCAL_CATEGORY = {
    "greeting": "greeting",
    "factual": "short factual question",
    "definition": "short definition",
    "rewrite": "short rewrite",
    "translation": "short translation",
    "conversion": "unit conversion",
    "arithmetic": "simple arithmetic",
    "creative": "short creative task",
    "summary": "short summary",
    "everyday": "quick everyday task",
}


def estimate(prompt: str, history_tokens: int = 0) -> Complexity:
    """How hard ``prompt`` is for the on-device model, with the signals that say so."""
    text = _scan_window(prompt)
    request = text.strip()
    if not request:
        return Complexity(0.0, False, "quick everyday task", ("empty",), 0, 0)
    tokens = estimate_tokens(prompt)
    words = len(request.split())  # of the scanned window: a long prompt is decided by `tokens`
    ev = _Evidence()
    words_in = _Words(text)
    low = words_in.text
    req_low = low.strip()

    # -- length of what was pasted ---------------------------------------------------------
    if tokens >= 700:
        ev.add("long_input", 5.0, "long_document")
    elif tokens >= 350:
        ev.add("long_input", 2.0, "long_document")
    elif words > 60:
        ev.add("medium_input", 0.3 + min(words, 250) / 250, "long_document")
    if history_tokens >= 3000:
        ev.add("long_history", 1.0, "long_document")

    # -- code ------------------------------------------------------------------------------
    code_lines = len(_CODE_LINE.findall(text))
    lang = bool(_LANG.found(words_in))
    code_words = len(_CODE_WORD.found(words_in))
    code_word = code_words > 0 or _CODE_CJK.search(low) is not None
    if _CODE_FENCE.search(text):
        ev.add("code_block", 3.0, "code")
    if code_lines >= 2:
        ev.add("code_syntax", min(1.5 + 0.5 * code_lines, 4.0), "code")
    elif code_lines == 1:
        ev.add("code_syntax", 1.0, "code")
    if _ERROR_CASED.search(text) or _ERROR.search(low):
        ev.add("error_message", 3.0, "code")
    if _CODE_ASK.search(low) or _CODE_CJK_ASK.search(low):
        ev.add("code_request", 3.0, "code")
    if (lang and code_word) or code_words >= 2:
        ev.add("programming_topic", 2.5, "code")
    elif lang or code_word:
        ev.add("tech_word", 0.6, "code")

    # -- maths -----------------------------------------------------------------------------
    numbers = _NUMBER.findall(low)
    n_numbers = len(numbers) + _RATIO_WORDS.count(words_in) + _NUMBER_WORDS.count(words_in) // 2
    math_words = len(_MATH_WORD.found(words_in))
    if _PROOF.search(low):
        ev.add("proof", 4.0, "proof")
    if math_words:
        ev.add("maths", min(1.5 + 1.0 * math_words, 3.5), "maths")
    if _MATH_EXPR.search(low):
        ev.add("math_expression", 1.5, "maths")
    quantity_q = _QUANTITY_Q.search(low) is not None
    steps = _STEP_WORD.count(words_in)
    if n_numbers >= 2 and (quantity_q or steps >= 2) and words >= 10:
        weight = 1.5 + 0.6 * min(n_numbers, 6) + 0.4 * min(steps, 4)
        ev.add("word_problem", min(weight, 5.0), "maths")
        if n_numbers >= 3 or steps >= 2:
            ev.add("multi_step", 1.0, "maths")
    elif n_numbers >= 3 and words < 12:
        ev.add("multi_step", 2.0, "maths")
    prime = _PRIME_Q.search(low)
    if prime and (
        any(c in prime.group(1) for c in "^*+-")
        or int(re.sub(r"\D", "", prime.group(1)) or 0) >= 50
    ):
        ev.add("hard_number_fact", 3.0, "maths")
    if _HARD_FACT.search(low):
        ev.add("hard_fact", 3.0, "reasoning")

    # -- long answers asked for ------------------------------------------------------------
    asked = _asked_output_tokens(low)
    if asked is not None and asked >= 400:
        ev.add("long_output_asked", 4.0, "long_answer")
    if _LONG_OUT_NOUN.found(words_in):
        ev.add("long_output_kind", 2.5, "long_answer")
    if _LONG_OUT_ADJ.found(words_in):
        ev.add("detail_asked", 1.0, "long_answer")

    # -- expert domains --------------------------------------------------------------------
    personal = _PERSONAL.search(low) is not None

    domain_weight = {
        name: 2.0 * len(strong.found(words_in)) + 0.8 * len(weak.found(words_in))
        for name, (strong, weak) in _DOMAINS.items()
    }
    top_domain = max(domain_weight, key=lambda k: domain_weight[k])
    if domain_weight[top_domain]:
        weight = min(domain_weight[top_domain], 3.5)
        if personal and words >= 8 and weight >= 2.0:
            weight += 0.6
        ev.add(f"domain_{top_domain}", weight, f"domain:{top_domain}")

    # -- reasoning, comparison, planning, data, constraints --------------------------------
    if _COMPARE.search(low):
        ev.add("comparison", 2.5, "comparison")
    if _REASON.search(low):
        ev.add("reasoning", 2.0, "reasoning")
    if _PLAN.search(low):
        ev.add("planning", 1.8 + (0.8 if _DURATION.search(low) else 0.0), "planning")
    if _DATA.search(low):
        ev.add("data_analysis", 2.0, "data")
    if len(_CSV_LINE.findall(low)) >= 3:
        ev.add("table_data", 2.5, "data")
    n_constraints = len({m.lower() for m in _CONSTRAINT.findall(low)})
    n_constraints += text.count(",") // 3
    if n_constraints >= 3:
        ev.add("several_constraints", min(1.0 + 0.6 * n_constraints, 3.5), "constraints")

    # -- translation -----------------------------------------------------------------------
    translation = _TRANSLATE.search(low) is not None
    if translation:
        if _TRANSLATE_HARD.found(words_in) or words > 40:
            ev.add("translate_long", 3.0, "translation")
        else:
            ev.add("translate_phrase", -3.0, "translation")

    # -- cues for the device (only while nothing strong says cloud) ------------------------
    strong = ev.total - _BIAS
    short = words <= 14
    # A "what is ..." that names maths or code is not a dictionary question.
    technical = bool(math_words) or "math_expression" in ev.signals or code_word or lang
    if _GREETING.search(req_low) and words <= 8:
        ev.add("greeting", -3.0, "greeting")
    if _CHAT.search(req_low) and words <= 14:
        ev.add("chit_chat", -2.5, "greeting")
    if _DEFINE.search(req_low) and words <= 8 and not technical:
        ev.add("definition", -2.5, "definition")
    if _REWRITE.search(req_low) and words <= 60 and code_lines < 2:
        ev.add("short_rewrite", -2.5, "rewrite")
    if _CONVERT.search(req_low) and words <= 14:
        ev.add("unit_conversion", -2.5, "conversion")
    if _SHORT_CREATIVE.found(words_in) and words <= 25:
        ev.add("short_creative", -2.0, "creative")
    if _SUMMARISE.search(req_low) and words <= 80:
        ev.add("short_summary", -2.0, "summary")
    if _HOWTO.search(req_low) and short:
        ev.add("everyday_howto", -1.0, "everyday")
    if _LIST.search(req_low) and words <= 14:
        ev.add("quick_list", -1.5, "everyday")
    if _QUESTION_START.search(req_low) and short and not technical:
        ev.add("short_question", -1.0, "factual")
    if short and len(numbers) <= 2 and not math_words and _ARITHMETIC.search(req_low):
        ev.add("simple_arithmetic", -1.0, "arithmetic")
    if _BRIEF.search(req_low) and words <= 40:
        ev.add("brief_answer", -1.0, "everyday")
    if short and strong < 1.0:
        ev.add("short_prompt", -0.5, "everyday")

    score = round(1.0 / (1.0 + math.exp(-ev.total)), 3)
    needs_cloud = score >= CLOUD_THRESHOLD
    category = _category(ev, needs_cloud)
    out = _asked_output_tokens(low)
    if out is None:
        out = _OUTPUT_BY_CATEGORY.get(category, 500 if needs_cloud else 80)
        if category in ("long translation", "short rewrite") or (
            category == "long document" and tokens < 1000
        ):
            out = max(out, round(tokens * 1.2) + 20)
        items = _ITEMS_ASKED.search(low)
        if items and not needs_cloud:
            out = max(out, 30 + 25 * _word_number(items.group(1)))
    return Complexity(
        score=score,
        needs_cloud=needs_cloud,
        category=category,
        signals=tuple(dict.fromkeys(ev.signals)),
        prompt_tokens=tokens,
        est_output_tokens=int(min(out, 16000)),
    )


_WORD_NUMBERS = {
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def _word_number(token: str) -> int:
    return int(token) if token.isdigit() else _WORD_NUMBERS.get(token.lower(), 3)


def _category(ev: _Evidence, needs_cloud: bool) -> str:
    """The phrase for the decision sentence: the group that moved the score most that way."""
    if needs_cloud:
        if not ev.cloud:
            return "reasoning"
        group = max(ev.cloud, key=ev.cloud.__getitem__)
        if group.startswith("domain:"):
            return "expert domain: " + group.split(":", 1)[1]
        if group == "maths" and not {"word_problem", "multi_step"} & set(ev.signals):
            return "maths"
        return _CLOUD_CATEGORY.get(group, "reasoning")
    if ev.local:
        return _LOCAL_CATEGORY.get(max(ev.local, key=ev.local.__getitem__), "quick everyday task")
    return "quick everyday task"
