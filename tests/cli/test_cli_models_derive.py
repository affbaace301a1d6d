"""``models quantize`` and ``models prune`` through the real CLI, on the real embedded model.

The issue's Done-when: the embedded model requantized to Q4_0 and pruned by 2 layers through the
CLI loads and answers, and each derived model has a receipt. Receipts here score one window
(``--receipt-tokens 255``) to keep the run short; the README's table uses the default 2048
(tests/benchmarks/bench_receipts.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

RECEIPT_FIELDS = ("perplexity", "source_perplexity", "kl_divergence", "top1_agreement")
FAST = ("--receipt-tokens", "255")


def _models_folder(app_home: Path) -> Path:
    found = [p for p in app_home.rglob("models") if p.is_dir()]
    return found[0] if found else app_home / "absent"


def _files(app_home: Path) -> list[str]:
    folder = _models_folder(app_home)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("models.json"))


def _last_json(stdout: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return data


def _answers(path: Path) -> str:
    from hybrid_desktop.core.engines.base import GenerationParams
    from hybrid_desktop.core.engines.local import LocalEngine

    engine = LocalEngine.load(path, n_ctx=512, n_threads=2)
    try:
        result = engine.generate(
            [{"role": "user", "content": "What is the capital of Italy?"}],
            GenerationParams(max_tokens=12, temperature=0.0),
        )
    finally:
        engine.close()
    return result.text


def _check_derived(out: dict[str, Any], *, method: str, type_: str, layers: list[int]) -> Path:
    for key in ("name", "path", "size_bytes", "sha256", *RECEIPT_FIELDS):
        assert key in out, key
    receipt = out["receipt"]
    assert receipt["method"] == method and receipt["type"] == type_
    assert receipt["pruned_layers"] == layers
    assert receipt["source"] == "SmolLM2-135M-Instruct"
    assert receipt["tokens"] == 255
    assert out["kl_divergence"] > 0.0 and 0.0 < out["top1_agreement"] <= 1.0
    assert out["perplexity"] > 1.0 and out["source_perplexity"] > 1.0
    path = Path(out["path"])
    assert path.is_file() and path.stat().st_size == out["size_bytes"]
    return path


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_embedded_model_requantized_to_q4_0_loads_and_answers(app_home: Path) -> None:
    done = run_cli(
        "models", "quantize", "embedded", "--type", "Q4_0", "--json", "--yes", *FAST, timeout=1100
    )
    assert done.returncode == 0, done.stderr
    out = _check_derived(_last_json(done.stdout), method="quantize", type_="Q4_0", layers=[])
    assert "already quantized (Q4_1)" in done.stderr  # the compounding error is said
    assert "Quality receipt" in done.stderr
    assert out.name == "SmolLM2-135M-Instruct-Q4_0.gguf"
    listed = _last_json(run_cli("models", "list", "--json").stdout)["models"]
    mine = [m for m in listed if m["name"] == "SmolLM2-135M-Instruct-Q4_0"]
    assert mine and mine[0]["receipt"]["type"] == "Q4_0"
    assert _answers(out).strip()
    assert _files(app_home) == ["SmolLM2-135M-Instruct-Q4_0.gguf"]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_the_embedded_model_pruned_by_2_layers_loads_and_answers(app_home: Path) -> None:
    done = run_cli(
        "models", "prune", "embedded", "--layers", "2", "--json", "--yes", *FAST, timeout=1100
    )
    assert done.returncode == 0, done.stderr
    out = _check_derived(_last_json(done.stdout), method="prune", type_="Q4_1", layers=[22, 23])
    from hybrid_desktop.core.gguf import inspect_gguf

    info = inspect_gguf(out)
    assert info.metadata["llama.block_count"] == 28
    assert info.metadata["general.file_type"] == 3  # Q4_1 kept: the tensors were copied
    assert _answers(out).strip()
    assert _files(app_home) == ["SmolLM2-135M-Instruct-pruned2.gguf"]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_a_model_past_the_kl_warning_is_deleted_without_yes(app_home: Path) -> None:
    """Ten of thirty layers gone: far past KL_WARN. Without --yes (and no terminal to ask on)
    the model is deleted, the receipt shown, and the exit status is 1."""
    done = run_cli("models", "prune", "embedded", "--layers", "10", "--json", *FAST, timeout=1100)
    assert done.returncode == 1, done.stderr
    assert "above the warning threshold" in done.stderr
    assert "Quality receipt" in done.stderr and "--yes" in done.stderr
    out = _last_json(done.stdout)
    assert out["kept"] is False and out["kl_divergence"] > 0.45
    assert _files(app_home) == []
    listed = _last_json(run_cli("models", "list", "--json").stdout)["models"]
    assert [m["source"] for m in listed] == ["embedded"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("quantize", "no-such-model", "--type", "Q4_0"), "No installed model"),
        (("prune", "embedded", "--drop", "30"), "does not exist"),
        (("prune", "embedded", "--drop", "3,3"), "more than once"),
        (("prune", "embedded", "--layers", "27"), "can be removed"),
    ],
)
def test_bad_requests_get_a_plain_message_and_leave_nothing(
    app_home: Path, args: tuple[str, ...], words: str
) -> None:
    done = run_cli("models", *args)
    assert done.returncode == 1
    assert words in done.stderr and "Traceback" not in done.stderr
    assert _files(app_home) == []


@pytest.mark.parametrize(
    "args",
    [
        ("quantize", "embedded", "--type", "Q9_X"),
        ("quantize", "embedded"),
        ("prune", "embedded"),
        ("prune", "embedded", "--layers", "2", "--drop", "3"),
        ("prune", "embedded", "--layers", "0"),
    ],
)
def test_malformed_arguments_are_usage_errors(args: tuple[str, ...]) -> None:
    done = run_cli("models", *args)
    assert done.returncode == 2
    assert "usage:" in done.stderr and "Traceback" not in done.stderr
