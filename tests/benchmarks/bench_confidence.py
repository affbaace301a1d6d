"""Does the local answer's own confidence (geometric-mean token probability) tell right answers
from wrong ones? Measured before the app relies on it to suggest the cloud model.

    python tests/benchmarks/bench_confidence.py [--repeats 2] [--json]

Short factual questions with known answers are asked of the embedded model with the app's own
engine and sampling settings; an answer counts as right when it contains an accepted answer.
Reports accuracy, the area under the ROC curve of confidence for right-vs-wrong (0.5 = no signal),
and the accuracy of answers below and above the app's threshold.

It also measures the cascade ("escalate weak local answers", Settings ``escalate_below``): for
each threshold, the share of answers that would be escalated, the share of those escalations that
were needed (the local answer was wrong), the share of wrong answers caught, and the added cloud
cost per 100 requests at the default cloud model's prices (the prompt plus the app's system
overhead in, as many tokens out as the local answer had).
"""

from __future__ import annotations

import argparse
import json

QA: list[tuple[str, tuple[str, ...]]] = [
    ("What is the capital of France?", ("paris",)),
    ("What is the capital of Japan?", ("tokyo",)),
    ("What is the capital of Italy?", ("rome",)),
    ("What is the capital of Germany?", ("berlin",)),
    ("What is the capital of Spain?", ("madrid",)),
    ("What is the capital of Canada?", ("ottawa",)),
    ("What is the capital of Australia?", ("canberra",)),
    ("What is the capital of Egypt?", ("cairo",)),
    ("What is the capital of Kenya?", ("nairobi",)),
    ("What is the capital of Peru?", ("lima",)),
    ("What is the largest planet in the solar system?", ("jupiter",)),
    ("Which planet is known as the Red Planet?", ("mars",)),
    ("What gas do plants absorb from the air?", ("carbon dioxide", "co2")),
    ("What is the chemical symbol for gold?", ("au",)),
    ("What is the chemical symbol for sodium?", ("na",)),
    ("How many legs does a spider have?", ("eight", "8")),
    ("How many days are in a week?", ("seven", "7")),
    ("How many continents are there?", ("seven", "7")),
    ("What is 7 plus 5?", ("12", "twelve")),
    ("What is 9 times 6?", ("54", "fifty-four", "fifty four")),
    ("What is 100 minus 37?", ("63", "sixty-three")),
    ("What is the square root of 81?", ("9", "nine")),
    ("Who wrote Romeo and Juliet?", ("shakespeare",)),
    ("Who painted the Mona Lisa?", ("leonardo", "da vinci")),
    ("What is the boiling point of water in Celsius?", ("100",)),
    ("What is the freezing point of water in Celsius?", ("0", "zero")),
    ("What colour do you get by mixing blue and yellow?", ("green",)),
    ("What is the largest ocean on Earth?", ("pacific",)),
    ("What is the longest river in Africa?", ("nile",)),
    ("What language is mainly spoken in Brazil?", ("portuguese",)),
    ("What is the hardest natural substance?", ("diamond",)),
    ("Which animal is known as the king of the jungle?", ("lion",)),
    ("What is the tallest mountain in the world?", ("everest",)),
    ("In which year did World War II end?", ("1945",)),
    ("What is the currency of Japan?", ("yen",)),
    ("What is the currency of the United Kingdom?", ("pound",)),
    ("How many sides does a hexagon have?", ("six", "6")),
    ("How many minutes are in an hour?", ("sixty", "60")),
    ("What is the main ingredient of guacamole?", ("avocado",)),
    ("Which organ pumps blood through the body?", ("heart",)),
    ("What is H2O commonly called?", ("water",)),
    ("Which is the smallest prime number?", ("2", "two")),
    ("What is the capital of Canada's province Ontario?", ("toronto",)),
    ("Who developed the theory of relativity?", ("einstein",)),
    ("What is the closest star to Earth?", ("sun",)),
    ("How many strings does a standard guitar have?", ("six", "6")),
    ("What is the capital of Norway?", ("oslo",)),
    ("What is the capital of Argentina?", ("buenos aires",)),
]


def auroc(scores_right: list[float], scores_wrong: list[float]) -> float:
    """P(confidence of a right answer > that of a wrong one), ties counting half."""
    if not scores_right or not scores_wrong:
        return float("nan")
    wins = 0.0
    for r in scores_right:
        for w in scores_wrong:
            wins += 1.0 if r > w else 0.5 if r == w else 0.0
    return wins / (len(scores_right) * len(scores_wrong))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.chat import LOW_CONFIDENCE, params_from
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.models import embedded_model_path

    settings = Settings()
    engine = LocalEngine.load(embedded_model_path(), settings.n_ctx, settings.n_threads)
    params = params_from(settings, 48)
    from hybrid_desktop.core.costs import cost_usd

    samples: list[tuple[float, bool]] = []
    costs: list[float] = []
    for _ in range(args.repeats):
        for question, answers in QA:
            result = engine.generate([{"role": "user", "content": question}], params)
            text = result.text.lower()
            samples.append((result.stats.confidence or 0.0, any(a in text for a in answers)))
            stats = result.stats
            costs.append(
                cost_usd(settings.cloud_model, stats.prompt_tokens + 200, stats.completion_tokens)
            )
    engine.close()
    right = [c for c, ok in samples if ok]
    wrong = [c for c, ok in samples if not ok]
    low = [ok for c, ok in samples if c < LOW_CONFIDENCE]
    high = [ok for c, ok in samples if c >= LOW_CONFIDENCE]
    report = {
        "samples": len(samples),
        "accuracy": round(len(right) / len(samples), 3),
        "auroc": round(auroc(right, wrong), 3),
        "threshold": LOW_CONFIDENCE,
        "share_below_threshold": round(len(low) / len(samples), 3),
        "accuracy_below_threshold": round(sum(low) / len(low), 3) if low else None,
        "accuracy_at_or_above": round(sum(high) / len(high), 3) if high else None,
        "mean_confidence_right": round(sum(right) / len(right), 3) if right else None,
        "mean_confidence_wrong": round(sum(wrong) / len(wrong), 3) if wrong else None,
    }
    sweep = {}
    for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55):
        below = [ok for c, ok in samples if c < t]
        sweep[str(t)] = {
            "share": round(len(below) / len(samples), 3),
            "accuracy": round(sum(below) / len(below), 3) if below else None,
        }
    report["sweep"] = sweep
    cascade = {}
    wrong_total = sum(1 for _, ok in samples if not ok) or 1
    for t in (0.2, 0.3, 0.4, 0.5, 0.6):
        escalated = [(ok, cost) for (c, ok), cost in zip(samples, costs, strict=True) if c < t]
        needed = sum(1 for ok, _ in escalated if not ok)
        cascade[str(t)] = {
            "escalated_share": round(len(escalated) / len(samples), 3),
            "needed_share": round(needed / len(escalated), 3) if escalated else None,
            "wrong_caught": round(needed / wrong_total, 3),
            "added_cost_usd_per_100": round(100 * sum(c for _, c in escalated) / len(samples), 4),
        }
    report["cascade"] = cascade
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:26} {value}")


if __name__ == "__main__":
    main()
