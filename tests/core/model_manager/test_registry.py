"""The model registry: the models folder, its index, imports and their checks, removals.

Model files are real GGUF files written with ``gguf.GGUFWriter`` (small: one tensor); the
embedded model is the real one. Two real processes add models at once to show the index lock.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import gguf
import numpy as np
import pytest

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.core.model_manager.registry import (
    EMBEDDED_NAME,
    ModelRegistry,
    Receipt,
    sanitize_name,
    sha256_file,
    supported_architectures,
    validate_gguf,
)
from hybrid_desktop.errors import ModelError, ModelFileError, ModelNotFoundError
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401 (a fixture)

TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
)


def write_gguf(
    path: Path, *, arch: str = "llama", template: bool = True, floats: int = 64, name: str = "Tiny"
) -> Path:
    """A small valid GGUF model file: metadata, a vocabulary and one F32 tensor."""
    writer = gguf.GGUFWriter(path, arch)
    writer.add_name(name)
    writer.add_context_length(256)
    writer.add_file_type(0)
    if template:
        writer.add_chat_template(TEMPLATE)
    writer.add_token_list(["<s>", "a", "bb"])
    writer.add_eos_token_id(0)
    writer.add_tensor("token_embd.weight", np.arange(floats, dtype=np.float32).reshape(-1, 8))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def registry() -> ModelRegistry:
    return ModelRegistry(default_paths())


def test_folder_is_private_and_embedded_listed_first(registry: ModelRegistry) -> None:
    assert registry.folder == default_paths().data_dir / "models"
    if os.name == "posix":
        assert registry.folder.stat().st_mode & 0o777 == 0o700
    entries = registry.list()
    assert entries[0].name == EMBEDDED_NAME and entries[0].source == "embedded"
    assert entries[0].present and entries[0].architecture == "llama"
    assert entries[0].sha256 == sha256_file(entries[0].path)
    assert registry.get("embedded").name == EMBEDDED_NAME


def test_import_copies_validates_and_indexes(registry: ModelRegistry, tmp_path: Path) -> None:
    source = write_gguf(tmp_path / "My Model!.gguf")
    entry = registry.import_file(source)
    assert entry.name == "My-Model"
    assert entry.path == registry.folder / "My-Model.gguf"
    assert entry.path.read_bytes() == source.read_bytes()
    assert entry.sha256 == sha256_file(source)
    assert (entry.source, entry.origin) == ("import", str(source.resolve()))
    assert (entry.architecture, entry.file_type, entry.context_length) == ("llama", "F32", 256)
    assert entry.parameter_count == 64
    assert [p.name for p in registry.folder.iterdir() if "incomplete" in p.name] == []
    index = json.loads((registry.folder / "models.json").read_text())
    assert [m["name"] for m in index["models"]] == ["My-Model"]
    # A second import of the same file gets a new name; a fresh registry sees both.
    again = registry.import_file(source)
    assert again.name == "My-Model-2"
    names = [e.name for e in ModelRegistry(default_paths()).list()]
    assert names == [EMBEDDED_NAME, "My-Model", "My-Model-2"]
    assert registry.verify("My-Model") == entry
    data = entry.to_json()
    assert data["present"] is True and data["path"] == str(entry.path)


def test_import_with_a_taken_name_copies_nothing(registry: ModelRegistry, tmp_path: Path) -> None:
    source = write_gguf(tmp_path / "a.gguf")
    registry.import_file(source, name="one")
    with pytest.raises(ModelError, match="already installed"):
        registry.import_file(source, name="one")
    with pytest.raises(ModelError, match="cannot be a model name"):
        registry.import_file(source, name="../evil")
    assert sorted(p.name for p in registry.folder.glob("*.gguf*")) == ["one.gguf"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(60)), "not a GGUF model"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: write_gguf(p, arch="notarealarch"), "architecture the installed llama.cpp"),
        (lambda p: p.write_bytes(write_gguf(p).read_bytes()[:-40]), "truncated"),
    ],
    ids=["not-gguf", "empty", "unsupported-arch", "truncated"],
)
def test_bad_files_are_refused_before_copying(
    registry: ModelRegistry, tmp_path: Path, make: object, message: str
) -> None:
    bad = tmp_path / "bad.gguf"
    make(bad)  # type: ignore[operator]
    with pytest.raises(ModelFileError, match=message) as caught:
        registry.import_file(bad)
    assert str(bad) in caught.value.message
    assert list(registry.folder.glob("*.gguf*")) == []
    assert [e.name for e in registry.list()] == [EMBEDDED_NAME]


def test_missing_file_is_not_found(registry: ModelRegistry, tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError):
        registry.import_file(tmp_path / "nothing.gguf")


def test_missing_chat_template_only_warns(
    registry: ModelRegistry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = write_gguf(tmp_path / "plain.gguf", template=False)
    with caplog.at_level(logging.WARNING):
        entry = registry.import_file(source)
    assert entry.present
    assert any("no chat template" in r.getMessage() for r in caplog.records)


def test_supported_architectures_come_from_llama_cpp() -> None:
    archs = supported_architectures()
    assert {"llama", "qwen2", "qwen3", "gemma3", "phi3", "mistral3", "smollm3"} <= archs
    assert "clip" not in archs and "(unknown)" not in archs
    # The embedded model passes the same check the imports do.
    from hybrid_desktop.core.models import embedded_model_path

    assert validate_gguf(embedded_model_path()).architecture == "llama"


def test_corrupt_index_is_moved_aside_and_rebuilt(
    registry: ModelRegistry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = registry.import_file(write_gguf(tmp_path / "first.gguf"))
    second = registry.import_file(write_gguf(tmp_path / "second.gguf", floats=128))
    index = registry.folder / "models.json"
    index.write_text('{"version": 1, "models": [{"name": ', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        entries = ModelRegistry(default_paths()).list()
    assert [e.name for e in entries] == [EMBEDDED_NAME, "first", "second"]
    assert [e.sha256 for e in entries[1:]] == [first.sha256, second.sha256]
    aside = list(registry.folder.glob("models.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    assert json.loads(index.read_text())["models"][0]["name"] == "first"
    assert any("rebuilding" in r.getMessage() for r in caplog.records)


def test_wrong_shape_index_is_recovered_too(registry: ModelRegistry) -> None:
    (registry.folder / "models.json").write_text('{"models": [{"name": "x"}]}')
    assert [e.name for e in registry.list()] == [EMBEDDED_NAME]


def test_file_deleted_behind_the_registrys_back(registry: ModelRegistry, tmp_path: Path) -> None:
    entry = registry.import_file(write_gguf(tmp_path / "gone.gguf"))
    entry.path.unlink()
    listed = registry.get("gone")
    assert listed.present is False and listed.to_json()["present"] is False
    with pytest.raises(ModelFileError, match="missing") as caught:
        registry.verify("gone")
    assert "models rm gone" in caught.value.hint
    registry.remove("gone")  # dropping a missing file's entry works
    assert [e.name for e in registry.list()] == [EMBEDDED_NAME]


def test_verify_notices_a_changed_file(registry: ModelRegistry, tmp_path: Path) -> None:
    entry = registry.import_file(write_gguf(tmp_path / "m.gguf"))
    data = bytearray(entry.path.read_bytes())
    data[-4:] = b"\x01\x02\x03\x04"  # inside the tensor data: still a valid GGUF
    entry.path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="has changed since it was added"):
        registry.verify("m")


def test_remove_refuses_embedded_and_unknown(registry: ModelRegistry) -> None:
    with pytest.raises(ModelError, match="embedded model"):
        registry.remove(EMBEDDED_NAME)
    with pytest.raises(ModelNotFoundError, match="No installed model") as caught:
        registry.remove("nope")
    assert "models list" in caught.value.hint


def test_remove_refuses_the_configured_model(registry: ModelRegistry, tmp_path: Path) -> None:
    from hybrid_desktop.config.settings import Settings, save_settings

    entry = registry.import_file(write_gguf(tmp_path / "m.gguf"))
    save_settings(Settings(model_path=str(entry.path)), default_paths().settings_file)
    with pytest.raises(ModelError, match="in use") as caught:
        registry.remove("m")
    assert "models use embedded" in caught.value.hint
    assert entry.path.is_file() and registry.find("m") is not None


def test_remove_deletes_file_and_entry(registry: ModelRegistry, tmp_path: Path) -> None:
    entry = registry.import_file(write_gguf(tmp_path / "m.gguf"))
    registry.remove("m")
    assert not entry.path.exists()
    assert registry.find("m") is None


def test_add_registers_a_derived_file_with_its_receipt(
    registry: ModelRegistry, tmp_path: Path
) -> None:
    dest = registry.path_for_new(registry.unique_name("small"))
    write_gguf(dest)
    receipt = Receipt(
        method="quantize", source=EMBEDDED_NAME, type="Q4_0", pruned_layers=(3, 4),
        perplexity=12.5, source_perplexity=11.0, kl_divergence=0.05, top1_agreement=0.9,
        size_bytes=dest.stat().st_size, source_size_bytes=1000, decode_tps=None,
        source_decode_tps=50.0, tokens=100, text_sha256="ab" * 32, measured_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    entry = registry.add(dest, source="derived", origin=EMBEDDED_NAME, receipt=receipt)
    again = ModelRegistry(default_paths()).get("small")
    assert again.receipt == receipt and again.sha256 == entry.sha256
    data = again.to_json()
    assert (data["perplexity"], data["kl_divergence"], data["top1_agreement"]) == (12.5, 0.05, 0.9)
    assert data["receipt"]["pruned_layers"] == [3, 4]
    assert registry.find(str(dest)) == again
    with pytest.raises(ModelError, match="already installed"):
        registry.path_for_new("small")
    with pytest.raises(ModelError, match="not inside the models folder"):
        registry.add(write_gguf(tmp_path / "x.gguf"), source="download", origin="x")


def test_too_little_free_space_is_refused_before_copying(
    full_disk: FullDisk,  # noqa: F811
    tmp_path: Path,
) -> None:
    registry = ModelRegistry(default_paths())  # on the 16 MiB tmpfs
    source = write_gguf(tmp_path / "big.gguf", floats=8 * 32768)  # 1 MiB of tensor data
    with pytest.raises(ModelError, match="Not enough free disk space") as caught:
        registry.import_file(source)
    assert "models rm" in caught.value.hint
    assert not any("gguf" in p.name for p in registry.folder.iterdir())


def test_disk_filling_up_during_the_copy_leaves_nothing(
    full_disk: FullDisk,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hybrid_desktop.core.model_manager.registry as registry_module

    registry = ModelRegistry(default_paths())
    registry.list()  # the index exists while there is room
    source = write_gguf(tmp_path / "big.gguf", floats=8 * 32768)
    full_disk.leave(pages=64)  # 256 KiB free: the copy starts, then the disk is full
    # Skip the up-front check, as when another program fills the disk during the copy.
    monkeypatch.setattr(registry_module.ModelRegistry, "_check_free", lambda self, size: None)
    with pytest.raises(ModelError, match="filled up while copying") as caught:
        registry.import_file(source)
    assert "nothing was added" in caught.value.hint
    assert not any("gguf" in p.name for p in registry.folder.iterdir())
    full_disk.free()
    assert [e.name for e in registry.list()] == [EMBEDDED_NAME]


def test_sanitize_name() -> None:
    assert sanitize_name("Qwen2.5 0.5B (Q4_K_M).gguf") == "Qwen2.5-0.5B-Q4_K_M"
    assert sanitize_name("...") == "model"


_ADDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.core.model_manager.registry import ModelRegistry
    registry = ModelRegistry(default_paths())
    source = Path(sys.argv[1])
    for i in range(int(sys.argv[2])):
        registry.import_file(source, name=f"{sys.argv[3]}-{i}")
    """
)


def test_two_processes_adding_at_once_lose_nothing(registry: ModelRegistry, tmp_path: Path) -> None:
    source = write_gguf(tmp_path / "m.gguf")
    count = 6
    procs = [
        subprocess.Popen([sys.executable, "-c", _ADDER, str(source), str(count), tag])
        for tag in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    names = {e.name for e in registry.list()}
    assert names == {EMBEDDED_NAME} | {f"{t}-{i}" for t in "ab" for i in range(count)}
    assert all(e.present for e in registry.list())


def test_a_damaged_receipt_is_dropped_not_the_index(
    registry: ModelRegistry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    registry.import_file(write_gguf(tmp_path / "m.gguf"))
    index = registry.folder / "models.json"
    data = json.loads(index.read_text())
    data["models"][0]["receipt"] = {"method": "quantize"}  # most fields missing
    index.write_text(json.dumps(data))
    with caplog.at_level(logging.WARNING):
        entry = registry.get("m")
    assert entry.receipt is None and entry.origin == str((tmp_path / "m.gguf").resolve())
    assert not list(registry.folder.glob("models.json.corrupt-*"))
    assert any("receipt of m is damaged" in r.getMessage() for r in caplog.records)
