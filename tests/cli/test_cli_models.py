"""``models list|import|verify|use|rm`` through the installed command, on a fresh app home.

The imported models are real GGUF files: a small one written with ``gguf.GGUFWriter`` and a
copy of the real embedded model, which then answers ``ask`` once it is in use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.core.models import EMBEDDED_NAME
from tests.conftest import run_cli
from tests.core.model_manager.test_registry import write_gguf


def _json(*args: str, code: int = 0) -> Any:
    done = run_cli(*args, "--json")
    assert done.returncode == code, done.stderr
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1])


def _settings(home: Path) -> dict[str, Any]:
    path = AppPaths.under(home).settings_file
    return json.loads(path.read_text()) if path.exists() else {}


def test_list_shows_the_embedded_model_in_use_with_its_fit() -> None:
    data = _json("models", "list")
    assert data["in_use"] == EMBEDDED_NAME
    [embedded] = data["models"]
    for key in ("name", "path", "size_bytes", "sha256"):
        assert embedded[key]
    assert embedded["in_use"] is True and embedded["present"] is True
    assert embedded["fit"]["label"] in ("fits", "tight", "won't fit")
    text = run_cli("models", "list")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"* {EMBEDDED_NAME}")
    assert "needs" in text.stdout  # the fit summary


def test_import_verify_use_and_remove(app_home: Path, tmp_path: Path, embedded_model: Path) -> None:
    small = _json("models", "import", str(write_gguf(tmp_path / "tiny.gguf")), "--name", "tiny")
    assert small["name"] == "tiny" and Path(small["path"]).is_file()
    assert small["size_bytes"] == Path(small["path"]).stat().st_size
    verified = _json("models", "verify", "tiny")
    assert verified["ok"] is True and verified["sha256"] == small["sha256"]

    copy = _json("models", "import", str(embedded_model), "--name", "smol-copy")
    assert copy["sha256"] == _json("models", "list")["models"][0]["sha256"]
    done = run_cli("models", "use", "smol-copy")
    assert done.returncode == 0, done.stderr
    assert _settings(app_home)["model_path"] == copy["path"]
    listing = _json("models", "list")
    assert listing["in_use"] == "smol-copy"
    assert [m["name"] for m in listing["models"] if m["in_use"]] == ["smol-copy"]

    # The model in use answers, and cannot be removed until another is chosen.
    answer = run_cli("ask", "--route", "local", "--max-tokens", "8", "--json", "Say hi.")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout.strip().splitlines()[-1])["model"] == "smol-copy"
    refused = run_cli("models", "rm", "smol-copy")
    assert refused.returncode == 1
    assert "in use" in refused.stderr and "models use embedded" in refused.stderr
    assert Path(copy["path"]).is_file()

    assert run_cli("models", "use", "embedded").returncode == 0
    assert _settings(app_home)["model_path"] is None
    removed = run_cli("models", "rm", "smol-copy")
    assert removed.returncode == 0, removed.stderr
    assert not Path(copy["path"]).exists()
    assert [m["name"] for m in _json("models", "list")["models"]] == [EMBEDDED_NAME, "tiny"]


def test_embedded_cannot_be_removed() -> None:
    done = run_cli("models", "rm", EMBEDDED_NAME)
    assert done.returncode == 1
    assert "cannot be removed" in done.stderr and "Traceback" not in done.stderr


def test_bad_import_is_explained_and_copies_nothing(app_home: Path, tmp_path: Path) -> None:
    odd = write_gguf(tmp_path / "odd.gguf", arch="notarealarch")
    done = run_cli("models", "import", str(odd))
    assert done.returncode == 1
    assert "architecture the installed llama.cpp cannot run" in done.stderr
    assert "Traceback" not in done.stderr
    folder = AppPaths.under(app_home).data_dir / "models"
    assert not any("gguf" in p.name for p in folder.iterdir())


def test_a_deleted_file_shows_as_missing(tmp_path: Path) -> None:
    entry = _json("models", "import", str(write_gguf(tmp_path / "gone.gguf")))
    Path(entry["path"]).unlink()
    text = run_cli("models", "list")
    assert "MISSING" in text.stdout and "models rm gone" in text.stdout
    failed = _json("models", "verify", "gone", code=1)
    assert failed["ok"] is False and failed["present"] is False
    assert "missing" in failed["error"]
    plain = run_cli("models", "verify", "gone")
    assert plain.returncode == 1 and "was deleted or moved" in plain.stderr
    refused = run_cli("models", "use", "gone")
    assert refused.returncode == 1 and "missing" in refused.stderr
    assert run_cli("models", "rm", "gone").returncode == 0


def test_unknown_model_name_gets_a_hint() -> None:
    done = run_cli("models", "use", "nope")
    assert done.returncode == 1
    assert "No installed model is called 'nope'" in done.stderr
    assert "models list" in done.stderr


def test_a_derived_model_carries_its_receipt_in_json() -> None:
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.core.model_manager.registry import ModelRegistry, Receipt

    registry = ModelRegistry(default_paths())
    dest = write_gguf(registry.path_for_new("derived"))
    receipt = Receipt(
        method="quantize", source=EMBEDDED_NAME, type="Q4_0", pruned_layers=(),
        perplexity=20.5, source_perplexity=18.25, kl_divergence=0.125, top1_agreement=0.75,
        size_bytes=dest.stat().st_size, source_size_bytes=98362432, decode_tps=None,
        source_decode_tps=None, tokens=512, text_sha256="0" * 64,
        measured_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    registry.add(dest, source="derived", origin=EMBEDDED_NAME, receipt=receipt)
    [listed] = [m for m in _json("models", "list")["models"] if m["name"] == "derived"]
    verified = _json("models", "verify", "derived")
    for data in (listed, verified):
        assert (data["perplexity"], data["source_perplexity"]) == (20.5, 18.25)
        assert (data["kl_divergence"], data["top1_agreement"]) == (0.125, 0.75)
        assert data["receipt"]["type"] == "Q4_0" and data["sha256"] and data["path"]
