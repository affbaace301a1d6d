"""Regenerate the fresh presidio-evaluator samples in ``tests/data/pii/generated/``.

A development script, not part of the project: it needs ``presidio-evaluator`` (0.3.2, MIT,
with Faker, MIT), which is installed in the development venv but is no dependency of
Hybrid Desktop. It runs offline: the templates and the fake-person records ship inside the
presidio-evaluator wheel and Faker generates everything else locally.

For each seed fixed below (chosen on 2026-12-01, before the detector was run on any sample)
it writes ``generated/seed_<SEED>.json`` in the format of ``synth_dataset_v2.json``: a JSON list
of ``{"full_text", "spans": [{"entity_type", "entity_value", "start_position",
"end_position"}], "template_id"}``. The files are frozen by sha256 in
``tests/core/privacy/test_heldout_frozen.py``; regenerating must reproduce them byte for byte.

    PYTHONPATH=. <venv with presidio-evaluator>/bin/python tests/data/pii/make_generated.py [--check] [--dev]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

#: Fixed before any result on them was looked at. Never change or add to them to get a figure.
SEEDS = (101, 202, 303)
#: A separate pool that MAY be tuned on (its dev templates only): ``--dev`` writes it to
#: ``generated_dev/``. Other seeds, so the held-out seeds above stay untouched.
DEV_SEEDS = (1, 2)
NUM_SAMPLES = 300
LOCALE = "en_US"
LOWER_CASE_RATIO = 0.05
OUT_DIR = Path(__file__).resolve().parent / "generated"
DEV_OUT_DIR = Path(__file__).resolve().parent / "generated_dev"
#: Faker draws dates between 1970 and "now"; "now" is frozen so that a rerun is byte-identical.
FROZEN_NOW = (2026, 12, 1, 0, 0, 0)

#: presidio-evaluator's output type -> the name the synthetic set (and so the scorer in
#: ``tests/benchmarks/bench_privacy.py``) uses. In 0.3.2 its default mapping already emits the
#: synthetic set's names for every template entity; the entries below cover the names it emits
#: for types outside that mapping (it upper-cases them) and Presidio's own names, so a newer
#: version still lands on the scorer's GOLD_TO_OURS / NON_IDENTIFYING sets.
TYPE_TO_SYNTH = {
    "LOCATION": "GPE",
    "CITY": "GPE",
    "COUNTRY": "GPE",
    "STATE": "GPE",
    "ADDRESS": "STREET_ADDRESS",
    "STREET_NAME": "STREET_ADDRESS",
    "URL": "DOMAIN_NAME",
    "DOMAIN": "DOMAIN_NAME",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "SSN": "US_SSN",
    "IBAN": "IBAN_CODE",
    "ZIPCODE": "ZIP_CODE",
    "POSTCODE": "ZIP_CODE",
    "ORG": "ORGANIZATION",
    "COMPANY": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "DATE_OF_BIRTH": "DATE_TIME",
    "JOB": "TITLE",
    "PREFIX": "TITLE",
    "NATIONALITY": "NRP",
    "RELIGION": "NRP",
}


def _seed_everything(seed: int) -> None:
    """Seed every generator presidio-evaluator draws from, before it builds its records.

    ``PresidioSentenceFaker`` seeds itself only after loading its person records, which already
    draw from ``random`` (middle initials), so seeding first is what makes a run reproducible.
    """
    import numpy as np
    from faker import Faker

    random.seed(seed)
    np.random.seed(seed)
    Faker.seed(seed)


def _no_wikidata() -> None:
    """Keep the hospital provider offline: it queries WikiData unless given a file.

    No template of 0.3.2 uses hospitals; its own fallback when the query fails is this list, so
    the output is the same with or without a network.
    """
    from presidio_evaluator.data_generator.faker_extensions import providers

    def default_list(self: Any) -> list[str]:
        return list(self.default_list)

    providers.HospitalProvider.load_wiki_hospitals = default_list  # type: ignore[method-assign]


def _freeze_clock() -> None:
    """Make Faker's date provider see a fixed "now", in UTC, whatever the machine's clock and zone."""
    import datetime as dt
    import time

    from faker.providers import date_time

    os.environ["TZ"] = "UTC"
    if hasattr(time, "tzset"):
        time.tzset()

    class FrozenDatetime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            moment = cls(*FROZEN_NOW, tzinfo=dt.timezone.utc)
            return moment.replace(tzinfo=None) if tz is None else moment.astimezone(tz)

    class FrozenDate(dt.date):
        @classmethod
        def today(cls) -> FrozenDate:
            return cls(*FROZEN_NOW[:3])

    date_time.datetime = FrozenDatetime  # type: ignore[misc]
    date_time.dtdate = FrozenDate  # type: ignore[misc]


def generate(seed: int) -> list[dict[str, Any]]:
    """``NUM_SAMPLES`` samples for one seed, in the synthetic set's format.

    With ``lower_case_ratio`` presidio-evaluator lower-cases a span's ``entity_value`` but not
    the sentence, so the value written is the text at the span's offsets (checked to be the
    same up to case).
    """
    from presidio_evaluator.data_generator import PresidioSentenceFaker

    _no_wikidata()
    _freeze_clock()
    _seed_everything(seed)
    faker = PresidioSentenceFaker(
        locale=LOCALE, lower_case_ratio=LOWER_CASE_RATIO, random_seed=seed
    )
    samples = faker.generate_new_fake_sentences(num_samples=NUM_SAMPLES)
    out: list[dict[str, Any]] = []
    for sample in samples:
        text = sample.full_text
        spans = []
        for span in sorted(sample.spans, key=lambda s: (s.start_position, s.end_position)):
            start, end = int(span.start_position), int(span.end_position)
            value = text[start:end]
            if value.casefold() != str(span.entity_value).casefold():
                raise ValueError(f"span offsets do not match its value in {text!r}")
            spans.append(
                {
                    "entity_type": TYPE_TO_SYNTH.get(span.entity_type, span.entity_type),
                    "entity_value": value,
                    "start_position": start,
                    "end_position": end,
                }
            )
        out.append({"full_text": text, "spans": spans, "template_id": int(sample.template_id)})
    return out


def _dump(samples: list[dict[str, Any]]) -> bytes:
    return (json.dumps(samples, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="regenerate in memory and compare with the files"
    )
    parser.add_argument(
        "--dev", action="store_true", help="the tuning pool (DEV_SEEDS) into generated_dev/"
    )
    args = parser.parse_args(argv)
    seeds, out_dir = (DEV_SEEDS, DEV_OUT_DIR) if args.dev else (SEEDS, OUT_DIR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    out_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    for seed in seeds:
        data = _dump(generate(seed))
        path = out_dir / f"seed_{seed}.json"
        digest = hashlib.sha256(data).hexdigest()
        if args.check:
            same = path.exists() and path.read_bytes() == data
            print(f"{path.name}: {'identical' if same else 'DIFFERENT'} ({digest})")
            status |= 0 if same else 1
        else:
            path.write_bytes(data)
            print(f"wrote {path.name}: {digest}")
    return status


if __name__ == "__main__":
    sys.exit(main())
