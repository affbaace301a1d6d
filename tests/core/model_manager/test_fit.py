"""The fit planner: formulas on synthetic profiles, and the real embedded model's file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.model_manager.fit import (
    CALIBRATION_FILE,
    FIXED_OVERHEAD_BYTES,
    Calibration,
    ModelShape,
    calibrate,
    estimate_fit,
    load_calibration,
)
from hybrid_desktop.core.model_manager.hardware import HardwareProfile, hardware_profile

GB = 1_000_000_000
#: Llama 3.1 8B's published config.
LLAMA_8B = {"layers": 32, "heads": 32, "kv_heads": 8, "head_dim": 128, "embedding": 4096,
            "feed_forward": 14336, "vocab_size": 128256, "context_length": 131072}  # fmt: skip


def machine(available_gb: float, total_gb: float | None = None) -> HardwareProfile:
    return HardwareProfile(
        ram_total_bytes=int((total_gb or available_gb * 2) * GB),
        ram_available_bytes=int(available_gb * GB),
        cpu_physical_cores=4,
        cpu_logical_cores=8,
        simd=("AVX2",),
        gpu_backends=(),
        disk_free_bytes=100 * GB,
        system_info="CPU : AVX2 = 1 |",
    )


def test_kv_cache_of_llama_8b_matches_the_known_figure() -> None:
    shape = ModelShape.from_metadata(LLAMA_8B)
    assert shape is not None
    # 32 layers x 8 KV heads x 128 x (K + V) x 2 bytes = 128 KiB per token: 512 MiB at 4096.
    assert shape.kv_cache_bytes(4096) == 4096 * 131072 == 512 * 1024 * 1024


def test_labels_on_8_16_and_4_gb_machines() -> None:
    size = 4_920_000_000  # Llama 3.1 8B Q4_K_M
    fits = [
        estimate_fit(None, n_ctx=4096, profile=machine(gb), size_bytes=size, metadata=LLAMA_8B)
        for gb in (16, 8, 6, 4)
    ]
    total = fits[0].total_bytes
    assert total == size + 512 * 1024 * 1024 + fits[0].overhead_bytes
    assert [f.label for f in fits] == ["fits", "fits", "tight", "won't fit"]
    assert fits[1].summary().startswith("fits: needs 5.5 GB of 8.0 GB free")
    assert fits[3].summary().startswith("won't fit: needs 5.5 GB of 4.0 GB free")


def test_context_is_clamped_to_the_trained_one_and_grows_the_cache() -> None:
    meta = {**LLAMA_8B, "context_length": 8192}
    small = estimate_fit(None, n_ctx=2048, profile=machine(8), size_bytes=GB, metadata=meta)
    big = estimate_fit(None, n_ctx=100_000, profile=machine(8), size_bytes=GB, metadata=meta)
    assert big.n_ctx == 8192 and big.kv_cache_bytes == 4 * small.kv_cache_bytes


def test_without_shape_only_weights_and_the_fixed_part_count() -> None:
    fit = estimate_fit(None, n_ctx=4096, profile=machine(8), size_bytes=GB)
    assert (fit.kv_cache_bytes, fit.overhead_bytes) == (0, FIXED_OVERHEAD_BYTES)
    with pytest.raises(ValueError):
        estimate_fit(None, n_ctx=4096, profile=machine(8))


def test_speed_scales_with_weight_bytes() -> None:
    cal = Calibration(100.0, 100_000_000, 2, 2, "CPU : AVX2 = 1 |", "SmolLM2", "2026-01-01")
    fit = estimate_fit(
        None, n_ctx=512, profile=machine(8), size_bytes=1_000_000_000, calibration=cal
    )
    assert fit.tokens_per_s == pytest.approx(10.0)
    assert "~10 tokens/s" in fit.summary()


def test_real_embedded_model_shape_and_estimate(embedded_model: Path, tmp_path: Path) -> None:
    info = inspect_gguf(embedded_model)
    shape = ModelShape.from_gguf(info)
    assert shape is not None
    # SmolLM2-135M: 30 layers, 9 heads, 3 KV heads of 64; llama.cpp logs an 11.25 MiB cache at 512.
    assert (shape.layers, shape.heads, shape.kv_heads, shape.key_length) == (30, 9, 3, 64)
    assert shape.kv_cache_bytes(512) == int(11.25 * 1024 * 1024)
    fit = estimate_fit(info, n_ctx=2048, profile=hardware_profile(tmp_path))
    assert fit.weights_bytes == info.data_end - info.data_offset
    assert fit.label == "fits"  # 0.2 GB on any machine that runs the test suite
    assert 150e6 < fit.total_bytes < 250e6
    assert json.loads(json.dumps(fit.to_json()))["label"] == "fits"


def test_calibration_runs_the_embedded_model_and_is_cached(tmp_path: Path) -> None:
    cal = calibrate(tmp_path, n_threads=2)
    assert cal.tokens_per_s > 0 and cal.weights_bytes > 90_000_000
    assert cal.system_info.startswith("CPU")
    assert load_calibration(tmp_path) == cal
    assert calibrate(tmp_path) == cal  # from the cache: same measurement
    stored = json.loads((tmp_path / CALIBRATION_FILE).read_text())
    assert stored["version"] == 1 and len(stored["machines"]) == 1


def test_damaged_calibration_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / CALIBRATION_FILE).write_text("{not json")
    assert load_calibration(tmp_path) is None
    other = Calibration(5.0, 1000, 1, 999, "other build", "x", "t")
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps({"machines": [other.to_json()]}))
    assert load_calibration(tmp_path) is None  # another machine's entry is not ours
    bad = replace(other, tokens_per_s=-1.0).to_json()
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps({"machines": [bad]}))
    assert load_calibration(tmp_path) is None
