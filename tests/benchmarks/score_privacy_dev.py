"""Score the privacy gate on the hand-written DEVELOPMENT sets (``tests/data/pii/dev/``).

These are tuning data: read their misses, change rules, run again. They are never reported as
the gate's quality; ``bench_privacy.py --heldout`` is. Batch 1 is ``*_prompts.jsonl``, batches 2
and 3 ``*_prompts_2.jsonl`` and ``*_prompts_3.jsonl`` (written blind, see the folder's README).

    .venv/bin/python tests/benchmarks/score_privacy_dev.py [--batch 1|2|3] [--misses]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_privacy import load_jsonl, score_clean, score_realistic  # noqa: E402

DEV = ROOT / "tests" / "data" / "pii" / "dev"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", choices=("1", "2", "3"), default="1")
    parser.add_argument("--misses", action="store_true", help="list leaks, misses and alterations")
    args = parser.parse_args(argv)
    suffix = "" if args.batch == "1" else f"_{args.batch}"

    from hybrid_desktop.core.privacy.detector import Detector

    detector = Detector()

    def ours(text: str) -> list[tuple[int, int, str, str]]:
        return [(f.start, f.end, f.type, f.text) for f in detector.detect(text)]

    for name in ("secrets", "pii"):
        rows = load_jsonl(DEV / f"{name}_prompts{suffix}.jsonl")
        sec = score_realistic(rows, [ours(r["text"]) for r in rows])
        print(
            f"{name} (batch {args.batch}, {len(rows)} prompts): recall {sec['recall']:.3f}, "
            f"precision {sec['precision']:.3f}, secrets leaked {sec['secrets_leaked']} of "
            f"{sec['secrets']}"
        )
        if args.misses:
            for row_id, value, _text in sec["leaked"]:
                print(f"  leaked {row_id}: {value!r}")
            for row_id, kind, value, _text in sec["misses"]:
                if kind != "SECRET":
                    print(f"  missed {row_id} {kind}: {value!r}")
    rows = load_jsonl(DEV / f"clean_prompts{suffix}.jsonl")
    clean = score_clean(rows, [ours(r["text"]) for r in rows])
    print(f"clean (batch {args.batch}): altered {clean['altered']} of {clean['prompts']}")
    if args.misses:
        for row_id, lang, shape, found in clean["list"]:
            print(f"  altered {row_id} ({lang}, {shape}): {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
