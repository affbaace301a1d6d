"""The model catalogue: the packaged file, its schema check, and recommendations."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from hybrid_desktop.core.capability import TIERS
from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.model_manager.catalogue import (
    CatalogueEntry,
    load_catalogue,
    recommend,
)
from hybrid_desktop.core.model_manager.fit import Calibration, estimate_fit
from hybrid_desktop.core.model_manager.hardware import HardwareProfile, hardware_profile
from hybrid_desktop.errors import CatalogueError

GB = 1_000_000_000
PACKAGED = Path(__file__).parents[3] / "hybrid_desktop/core/model_manager/data/catalogue.yaml"


def machine(available_gb: float, disk_gb: float = 100) -> HardwareProfile:
    return HardwareProfile(
        ram_total_bytes=int(available_gb * 1.6 * GB),
        ram_available_bytes=int(available_gb * GB),
        cpu_physical_cores=4,
        cpu_logical_cores=8,
        simd=("AVX2",),
        gpu_backends=(),
        disk_free_bytes=int(disk_gb * GB),
        system_info="CPU : AVX2 = 1 |",
    )


def test_packaged_catalogue_is_valid_and_covers_the_range() -> None:
    version, entries = load_catalogue()
    assert version == 1 and 12 <= len(entries) <= 18
    sizes = [e.parameters_b for e in entries]
    assert min(sizes) <= 0.5 and max(sizes) >= 7.5
    thresholds = {name: low for name, low, _ in TIERS}
    for e in entries:
        assert e.url.startswith("https://huggingface.co/") and "/resolve/main/" in e.url
        assert e.sha256 is None  # no hash is known offline, and none is invented
        # The tier follows capability.py's thresholds for the weight count.
        level = max(i for i, (_n, low, _s) in enumerate(TIERS) if e.parameters_b >= low)
        assert e.tier == TIERS[level][0], e.name
        assert thresholds[e.tier] <= e.parameters_b
        assert e.heads % e.kv_heads == 0 and e.head_dim in (64, 96, 128, 256)
    assert {e.license for e in entries} >= {"apache-2.0", "llama3.2", "gemma", "mit"}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def good_entry() -> dict[str, object]:
    return yaml.safe_load(PACKAGED.read_text())["models"][0]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"layers": None}, "lacks the field 'layers'"),
        ({"layers": "thirty"}, "'layers' must be a int"),
        ({"size_bytes": -5}, "'size_bytes' must be positive"),
        ({"tier": "huge"}, "tier must be one of tiny, small, medium, large"),
        ({"url": "http://example.invalid/x.bin"}, "https:// address of a .gguf file"),
        ({"sha256": "abc"}, "sha256 must be 64 lowercase hex digits"),
        ({"kv_heads": 4}, "heads must be a multiple of kv_heads"),
        ({"colour": "blue"}, "unknown field(s): colour"),
        ({"name": "a b"}, "the name may hold only"),
    ],
)
def test_schema_errors_name_the_entry_and_field(
    tmp_path: Path, change: dict[str, object], words: str
) -> None:
    entry = {**good_entry(), **change}
    entry = {k: v for k, v in entry.items() if v is not None}
    with pytest.raises(CatalogueError) as err:
        load_catalogue(write(tmp_path, {"version": 1, "models": [entry]}))
    assert words in err.value.message
    assert "model #1" in err.value.message and err.value.hint


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="version 2"):
        load_catalogue(write(tmp_path, {"version": 2, "models": [good_entry()]}))
    with pytest.raises(CatalogueError, match="twice"):
        load_catalogue(write(tmp_path, {"version": 1, "models": [good_entry(), good_entry()]}))
    (tmp_path / "bad.yaml").write_text("version: 1\nmodels: [\n")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(tmp_path / "bad.yaml")
    with pytest.raises(CatalogueError, match="cannot be read"):
        load_catalogue(tmp_path / "missing.yaml")


def names(ranked: list[tuple[CatalogueEntry, object]]) -> list[str]:
    return [e.name for e, _ in ranked]


def test_16_gb_machine_gets_a_large_model_first() -> None:
    ranked = recommend(machine(16))
    first, fit = ranked[0]
    assert first.tier == "large" and fit.label == "fits"
    assert all(f.label == "fits" for _, f in ranked)
    tiers = [e.tier_level for e, _ in ranked]
    assert tiers == sorted(tiers, reverse=True)  # bigger tiers first when all fit


def test_8_gb_machine_with_5_gb_free() -> None:
    ranked = recommend(machine(5))
    labels = [f.label for _, f in ranked]
    first, fit = ranked[0]
    # 7-8B Q4 models need 5.0-5.5 GB: tight or worse with 5 GB free, so a 3B model leads.
    assert fit.label == "fits" and first.tier == "medium"
    order = {"fits": 0, "tight": 1, "won't fit": 2}
    assert [order[x] for x in labels] == sorted(order[x] for x in labels)
    assert "won't fit" in labels


def test_4_gb_machine_never_gets_a_model_that_wont_fit_first() -> None:
    ranked = recommend(machine(2))
    assert ranked[0][1].label == "fits"
    assert ranked[0][0].tier in ("small", "tiny")
    tail = [e for e, f in ranked if f.label == "won't fit"]
    assert tail and tail[-1].parameters_b >= 7  # the biggest need last


def test_ties_in_a_tier_go_to_the_faster_model() -> None:
    cal = Calibration(200.0, 100_000_000, 4, 8, "CPU : AVX2 = 1 |", "SmolLM2", "t")
    ranked = recommend(machine(16), calibration=cal)
    small = [e for e, _ in ranked if e.tier == "small"]
    speeds = [e.estimate(machine(16), cal).tokens_per_s or 0 for e in small]
    assert speeds == sorted(speeds, reverse=True)
    q4 = names(ranked).index("Llama-3.2-1B-Instruct-Q4_K_M")
    assert q4 < names(ranked).index("Llama-3.2-1B-Instruct-Q8_0")


def test_no_room_on_disk_ranks_after_the_models_that_fit() -> None:
    ranked = recommend(machine(16, disk_gb=1.0))
    assert ranked[0][0].size_bytes <= 1 * GB
    first_big = next(i for i, (e, _) in enumerate(ranked) if e.size_bytes > GB)
    assert all(e.size_bytes <= GB for e, _ in ranked[:first_big])


def test_real_machine_and_the_real_embedded_model(tmp_path: Path, embedded_model: Path) -> None:
    profile = hardware_profile(tmp_path)
    ranked = recommend(profile)
    assert len(ranked) == len(load_catalogue()[1])
    if any(f.label != "won't fit" for _, f in ranked):
        assert ranked[0][1].label != "won't fit"
    # The embedded model, from its real file, fits wherever the tests run.
    own = estimate_fit(inspect_gguf(embedded_model), n_ctx=4096, profile=profile)
    assert own.label == "fits"
    # A catalogue model is planned from the same formulas: the 360M entry needs more than 135M.
    tiny = next(e for e, _ in ranked if e.name.startswith("SmolLM2-360M"))
    assert tiny.estimate(profile).total_bytes > own.total_bytes
    # With no memory free nothing fits, and the list still holds every entry.
    starved = recommend(replace(profile, ram_available_bytes=1))
    assert {f.label for _, f in starved} == {"won't fit"} and len(starved) == len(ranked)
