"""Quantize and prune (core.model_manager.quantize): the layer rules, and the real llama.cpp path's
failures, cancel and disk check, each leaving nothing behind.

The successful path (the embedded model requantized and pruned, reloaded, answering, with a
receipt) runs through the CLI in tests/cli/test_cli_models_derive.py.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hybrid_desktop.core.model_manager.quantize import (
    KEEP_TYPE,
    PROTECT_FIRST,
    PROTECT_LAST,
    QUANT_TYPES,
    prune_order,
    quantize,
    smoke_test,
    suggested_prune_layers,
    validate_prune_layers,
)
from hybrid_desktop.errors import ModelFileError, QuantizeCancelledError, QuantizeError

# -- suggested layers -----------------------------------------------------------------------------


@given(st.integers(min_value=5, max_value=160), st.data())
def test_suggested_layers_are_sorted_unique_and_spare_the_ends(
    n_layers: int, data: st.DataObject
) -> None:
    order = prune_order(n_layers)
    count = data.draw(st.integers(min_value=1, max_value=len(order)))
    chosen = suggested_prune_layers(n_layers, count)
    assert chosen == sorted(set(chosen))
    assert len(chosen) == count
    assert all(PROTECT_FIRST <= n < n_layers - PROTECT_LAST for n in chosen)


@given(st.integers(min_value=5, max_value=160), st.data())
def test_a_larger_count_extends_a_smaller_ones_choice(n_layers: int, data: st.DataObject) -> None:
    order = prune_order(n_layers)
    count = data.draw(st.integers(min_value=1, max_value=len(order) - 1)) if len(order) > 1 else 1
    smaller = set(suggested_prune_layers(n_layers, count))
    larger = set(suggested_prune_layers(n_layers, min(count + 1, len(order))))
    assert smaller <= larger


@given(st.integers(min_value=5, max_value=160))
def test_the_order_covers_every_middle_layer_once(n_layers: int) -> None:
    order = prune_order(n_layers)
    assert sorted(order) == list(range(PROTECT_FIRST, n_layers - PROTECT_LAST))


def test_the_embedded_models_suggestion_starts_at_three_quarters_depth() -> None:
    # 30 layers: round(0.75 * 29) = 22, then deeper first: 23, 21, 24, 20, ...
    assert prune_order(30)[:5] == [22, 23, 21, 24, 20]
    assert suggested_prune_layers(30, 2) == [22, 23]


@pytest.mark.parametrize(("n_layers", "count"), [(4, 1), (30, 0), (30, 27)])
def test_impossible_counts_are_plain_errors(n_layers: int, count: int) -> None:
    with pytest.raises(QuantizeError) as caught:
        suggested_prune_layers(n_layers, count)
    assert caught.value.hint


@pytest.mark.parametrize(
    ("layers", "words"),
    [
        ([30], "does not exist"),
        ([-1], "does not exist"),
        ([3, 3], "more than once"),
        ([], "No layers"),
        (list(range(30)), "leaves no model"),
    ],
)
def test_explicit_layers_are_checked(layers: list[int], words: str) -> None:
    with pytest.raises(QuantizeError, match=words):
        validate_prune_layers(30, layers)


def test_explicit_layers_are_sorted_for_llama_cpp() -> None:
    assert validate_prune_layers(30, [11, 10, 0]) == (0, 10, 11)


# -- the real path's failures ---------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_source_that_is_not_gguf_is_refused_before_anything_runs(tmp_path: Path) -> None:
    source = tmp_path / "notes.gguf"
    source.write_text("these are not the weights you are looking for\n" * 20)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ModelFileError):
        quantize(source, out / "x.gguf", qtype="Q4_0")
    assert _leftovers(out) == []


def test_an_unsupported_type_is_a_plain_error(embedded_model: Path, tmp_path: Path) -> None:
    with pytest.raises(QuantizeError, match="not a quantization type") as caught:
        quantize(embedded_model, tmp_path / "x.gguf", qtype="IQ1_S")
    assert all(t in caught.value.hint for t in QUANT_TYPES)
    assert _leftovers(tmp_path) == []


def _unknown_architecture_gguf(path: Path) -> Path:
    """A well-formed GGUF file of an architecture llama.cpp does not know."""
    import numpy as np
    from gguf import GGUFWriter

    writer = GGUFWriter(str(path), "notarealarch")
    writer.add_block_count(2)
    writer.add_tensor("token_embd.weight", np.zeros((8, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_a_quantize_that_llama_cpp_refuses_leaves_nothing(tmp_path: Path) -> None:
    source = _unknown_architecture_gguf(tmp_path / "odd.gguf")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QuantizeError, match=r"llama\.cpp cannot quantize odd\.gguf") as caught:
        quantize(source, out / "x.gguf", qtype="Q8_0")
    assert "notarealarch" in caught.value.message
    assert _leftovers(out) == []


def test_a_file_that_does_not_load_fails_the_smoke_test(tmp_path: Path) -> None:
    broken = _unknown_architecture_gguf(tmp_path / "odd.gguf")
    with pytest.raises(QuantizeError, match="cannot use it"):
        smoke_test(broken)


def test_not_enough_disk_is_said_before_writing(embedded_model: Path, tmp_path: Path) -> None:
    with pytest.raises(QuantizeError, match="Not enough free disk"):
        quantize(embedded_model, tmp_path / "x.gguf", qtype="Q8_0", free_bytes=50_000_000)
    assert _leftovers(tmp_path) == []


def test_an_existing_destination_is_never_overwritten(embedded_model: Path, tmp_path: Path) -> None:
    dest = tmp_path / "x.gguf"
    dest.write_bytes(b"mine")
    with pytest.raises(QuantizeError, match="already exists"):
        quantize(embedded_model, dest, qtype="Q8_0")
    assert dest.read_bytes() == b"mine"


def test_cancel_ends_the_child_and_leaves_nothing(embedded_model: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    seen: list[tuple[float, str]] = []

    def progress(fraction: float, message: str) -> None:
        seen.append((fraction, message))
        if message.startswith("quantizing"):  # the real run is writing tensors
            cancel.set()

    with pytest.raises(QuantizeCancelledError):
        quantize(
            embedded_model,
            tmp_path / "x.gguf",
            qtype="Q8_0",
            prune_layers=[5],
            progress=progress,
            cancel=cancel,
        )
    assert any(m.startswith("quantizing") for _f, m in seen)
    assert _leftovers(tmp_path) == []


def test_keep_type_is_accepted(embedded_model: Path, tmp_path: Path) -> None:
    """The copy mode is validated like a type (the prune default); here only its disk check runs."""
    with pytest.raises(QuantizeError, match="Not enough free disk"):
        quantize(
            embedded_model, tmp_path / "x.gguf", qtype=KEEP_TYPE, prune_layers=[3], free_bytes=1
        )
    assert _leftovers(tmp_path) == []


def test_the_apps_own_entry_point_runs_a_child_job_as_a_bundle_would() -> None:
    """A PyInstaller bundle has no ``python -m``: ``hybrid-desktop --model-job JSON`` runs the
    child (here a job with an unknown mode, which the child refuses in its own words)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", "--model-job", '{"mode": "nope"}'],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "bad job" in proc.stderr
