"""The quality receipt (core.model_manager.receipt): the numbers on exact small cases, the bundled
text and reference points, and the real measurement of the embedded model against itself."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pytest

from hybrid_desktop.core.model_manager.receipt import (
    KL_WARN,
    N_CTX,
    Tally,
    log_softmax,
    measure_receipt,
    receipt_text_path,
    reference_points,
    scored_per_window,
    text_sha256,
    window_count,
)

DATA = Path(__file__).resolve().parents[3] / "hybrid_desktop/core/model_manager/data"


def test_log_softmax_matches_the_definition() -> None:
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], dtype=np.float32)
    got = log_softmax(logits)
    first = np.log(np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum())
    assert np.allclose(got[0], first, atol=1e-6)
    assert np.allclose(got[1], [math.log(0.5), math.log(0.5), -2000.0 - math.log(2)], atol=1e-3)


def test_identical_distributions_have_no_divergence() -> None:
    logp = log_softmax(np.random.default_rng(1).normal(size=(7, 50)).astype(np.float32))
    targets = np.arange(7, dtype=np.int64)
    tally = Tally()
    tally.add(logp, logp, targets)
    out = tally.to_json()
    assert out["kl_divergence"] == pytest.approx(0.0, abs=1e-6)
    assert out["top1_agreement"] == 1.0
    assert out["perplexity"] == pytest.approx(out["source_perplexity"])
    expected_ppl = math.exp(-float(logp[np.arange(7), targets].mean()))
    assert out["perplexity"] == pytest.approx(expected_ppl, rel=1e-5)


def test_kl_and_agreement_on_a_worked_example() -> None:
    source = np.log(np.array([[0.5, 0.5], [0.9, 0.1]], dtype=np.float32))
    derived = np.log(np.array([[0.25, 0.75], [0.6, 0.4]], dtype=np.float32))
    tally = Tally()
    tally.add(source, derived, np.array([0, 1], dtype=np.int64))
    kl_1 = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    kl_2 = 0.9 * math.log(0.9 / 0.6) + 0.1 * math.log(0.1 / 0.4)
    out = tally.to_json()
    assert out["kl_divergence"] == pytest.approx((kl_1 + kl_2) / 2, rel=1e-5)
    # row 1: argmax 0 (a tie, numpy takes the first) vs 1; row 2: 0 vs 0
    assert out["top1_agreement"] == 0.5
    assert out["perplexity"] == pytest.approx(math.exp(-(math.log(0.25) + math.log(0.4)) / 2))


def test_windows_follow_llama_cpps_perplexity_tool() -> None:
    assert scored_per_window(512) == 255
    assert window_count(6099, 2048) == 8  # 8 * 255 = 2040 <= 2048
    assert window_count(6099, 100_000) == 11  # as many whole windows as the text has
    assert window_count(6099, 1) == 1  # at least one
    assert window_count(511, 2048) == 0  # not one whole window


def test_the_bundled_text_is_the_one_its_source_note_describes() -> None:
    note = (DATA / "receipt_text.SOURCE.md").read_text()
    digest = re.search(r"receipt_text.txt\s+#\s*([0-9a-f]{64})", note)
    assert digest is not None
    assert text_sha256() == digest[1]
    text = receipt_text_path().read_text("utf-8")
    assert text.startswith("                ALICE'S ADVENTURES IN WONDERLAND")
    assert "CHAPTER II" in text and "CHAPTER III" not in text
    assert hashlib.sha256(receipt_text_path().read_bytes()).hexdigest() == text_sha256()


def test_the_bundled_text_has_a_few_thousand_tokens(embedded_model: Path) -> None:
    import llama_cpp

    from hybrid_desktop.core.engines.cpu_buffers import guard_amx

    guard_amx(llama_cpp)
    vocab = llama_cpp.Llama(model_path=str(embedded_model), vocab_only=True, verbose=False)
    tokens = vocab.tokenize(receipt_text_path().read_bytes(), add_bos=False)
    assert 3000 <= len(tokens) <= 7000
    assert len(tokens) // N_CTX * scored_per_window() >= 2040  # the default 2048 are there


def test_reference_points_are_llama_cpps_scoreboard() -> None:
    refs = reference_points()
    assert "llama.cpp" in refs.source and refs.model == "LLaMA-3-8B"
    kls = [p.kl_divergence for p in refs.points]
    assert kls == sorted(kls)  # the scoreboard's order: best first
    by_type = {p.type: p for p in refs.points}
    assert by_type["Q8_0"].kl_divergence == pytest.approx(0.001355)
    assert by_type["Q4_K_M"].kl_divergence == pytest.approx(0.031273)
    assert by_type["Q2_K"].kl_divergence == pytest.approx(0.445132)
    # the warning sits at Q2_K (rounded up), above Q3_K_M
    assert by_type["Q3_K_M"].kl_divergence < by_type["Q2_K"].kl_divergence <= KL_WARN < 0.46
    assert refs.closest(0.03).type == "Q4_K_M"
    assert refs.closest(0.0).type == "Q8_0"


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_embedded_model_against_itself_measures_no_loss(
    embedded_model: Path, tmp_path: Path
) -> None:
    """The real path end to end (child process, windows, memmap, speeds) on a case with a
    known answer: a model compared with itself."""
    seen: list[float] = []
    receipt = measure_receipt(
        embedded_model,
        embedded_model,
        method="quantize",
        qtype="Q4_1",
        max_tokens=255,
        progress=lambda f, _m: seen.append(f),
        source_name="SmolLM2-135M-Instruct",
        speed_runs=1,
    )
    assert receipt.tokens == 255
    assert receipt.kl_divergence == pytest.approx(0.0, abs=1e-4)
    assert receipt.top1_agreement == 1.0
    assert receipt.perplexity == pytest.approx(receipt.source_perplexity, rel=1e-5)
    assert 1.0 < receipt.perplexity < 200.0
    assert receipt.size_bytes == receipt.source_size_bytes == embedded_model.stat().st_size
    assert receipt.decode_tps is not None and receipt.decode_tps > 0
    assert receipt.text_sha256 == text_sha256()
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
