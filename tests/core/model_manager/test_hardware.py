"""The hardware profile: llama.cpp's report parsed, and a real reading of this machine."""

from __future__ import annotations

import json
from pathlib import Path

from hybrid_desktop.core.model_manager.hardware import (
    hardware_profile,
    nearest_existing,
    parse_system_info,
)

CUDA_REPORT = (
    "CUDA : ARCHS = 500,610,700 | USE_GRAPHS = 1 | PEER_MAX_BATCH_SIZE = 128 | "
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 | "
    "LLAMAFILE = 1 | OPENMP = 1 | "
)
METAL_REPORT = (
    "Metal : EMBED_LIBRARY = 1 | BF16 = 1 | CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | "
    "DOTPROD = 1 | MATMUL_INT8 = 1 | ACCELERATE = 1 | REPACK = 1 | "
)


def test_cuda_report_gives_the_backend_and_only_the_features_in_use() -> None:
    simd, backends = parse_system_info(CUDA_REPORT)
    assert backends == ("CUDA",)
    assert simd == ("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA")  # AVX512 = 0 left out


def test_metal_report_on_apple_silicon() -> None:
    simd, backends = parse_system_info(METAL_REPORT)
    assert backends == ("Metal",)
    assert simd == ("NEON", "ARM_FMA", "FP16_VA", "DOTPROD", "MATMUL_INT8")


def test_blas_is_not_a_gpu_and_an_empty_report_is_empty() -> None:
    assert parse_system_info("BLAS : ACCELERATE = 1 | CPU : AVX2 = 1 |") == (("AVX2",), ())
    assert parse_system_info("") == ((), ())


def test_nearest_existing_parent(tmp_path: Path) -> None:
    assert nearest_existing(tmp_path / "a" / "b" / "models") == tmp_path
    assert nearest_existing(tmp_path) == tmp_path


def test_real_profile_of_this_machine(tmp_path: Path) -> None:
    import psutil

    profile = hardware_profile(tmp_path / "not-yet" / "models")
    assert 0 < profile.ram_available_bytes <= profile.ram_total_bytes
    assert profile.ram_total_bytes == psutil.virtual_memory().total
    assert 1 <= profile.cpu_physical_cores <= profile.cpu_logical_cores
    assert profile.disk_free_bytes > 0
    # This llama.cpp build reports its CPU backend; an x86-64 or arm64 build has some SIMD.
    assert profile.system_info.startswith("CPU") or " CPU " in f" {profile.system_info}"
    assert profile.simd
    data = json.loads(json.dumps(profile.to_json()))
    assert data["simd"] == list(profile.simd)
    assert not (tmp_path / "not-yet").exists()  # reading the profile creates nothing
