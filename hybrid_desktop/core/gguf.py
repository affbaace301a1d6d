"""Read and check the header of a GGUF model file without loading the model.

:func:`inspect_gguf` walks a GGUF file's header, metadata and tensor table, checks that the file
is long enough to hold every tensor, and returns a :class:`GGUFInfo` with the metadata the app
shows or needs (name, architecture, context length, chat template...). It never loads tensor
data and never holds the file in memory: it reads the file in small chunks and jumps over the
parts it does not need, so checking a multi-gigabyte model takes milliseconds.

Every problem is reported as a :class:`~hybrid_desktop.core.errors.ModelNotFoundError` (no such
file) or a :class:`~hybrid_desktop.core.errors.ModelFileError` (directory, empty, unreadable, not
GGUF, truncated, corrupt) whose message names the file and says in plain words what is wrong.

This module uses only the standard library: no Qt and no llama.cpp.

The format (all numbers little-endian)::

    "GGUF"  uint32 version  uint64 tensor_count  uint64 metadata_kv_count
    metadata_kv_count times: string key, uint32 value_type, value
    tensor_count times: string name, uint32 n_dims, n_dims uint64 dims, uint32 ggml_type,
                        uint64 offset
    padding to a multiple of general.alignment (default 32), then the tensor data

where a string is a uint64 byte length followed by UTF-8 bytes, and tensor offsets are relative
to the start of the data section.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, BinaryIO, Final

from hybrid_desktop.core.errors import ModelFileError, ModelNotFoundError

__all__ = [
    "GGML_TYPE_TRAITS",
    "ArrayInfo",
    "GGMLTypeTraits",
    "GGUFInfo",
    "GGUFValueType",
    "inspect_gguf",
]

GGUF_MAGIC: Final = b"GGUF"
SUPPORTED_VERSIONS: Final = (2, 3)
DEFAULT_ALIGNMENT: Final = 32

# Limits that separate "damaged" from "merely large". The first two are llama.cpp's own limits
# (GGUF_MAX_STRING_LENGTH and GGUF_MAX_ARRAY_ELEMENTS in gguf.cpp); a value above them cannot be
# loaded anyway. The others are far above anything a real model has.
_MAX_STRING_LENGTH: Final = 1 << 30
_MAX_ARRAY_LENGTH: Final = 1 << 30
_MAX_KEY_LENGTH: Final = 1 << 16
_MAX_TENSOR_NAME_LENGTH: Final = 63  # GGML_MAX_NAME - 1
_MAX_DIMS: Final = 4  # GGML_MAX_DIMS
_MAX_KV_COUNT: Final = 1 << 20
_MAX_TENSOR_COUNT: Final = 1 << 24
_MAX_PLAUSIBLE_SIZE: Final = 1 << 48  # 256 TiB: a tensor ending beyond this is a garbage offset
_INT64_MAX: Final = (1 << 63) - 1
_GARBAGE_VERSION: Final = 1000  # a version at least this large is noise, not a future format

# Metadata strings longer than this are checked but not kept (a chat template is a few kB).
_MAX_KEPT_STRING: Final = 1 << 20

_HEADER_SIZE: Final = 24  # magic + version + tensor count + metadata count
_CHUNK_SIZE: Final = 1 << 20

_U32: Final = struct.Struct("<I")
_U64: Final = struct.Struct("<Q")
_ARRAY_HEADER: Final = struct.Struct("<IQ")
_TENSOR_TAIL: Final = struct.Struct("<IQ")  # ggml type, offset
_DIMS: Final = tuple(struct.Struct(f"<{n}Q") for n in range(5))  # up to GGML_MAX_DIMS

_SKIPPED: Final = object()  # _read_value's result for a value not kept in the metadata


class GGUFValueType(IntEnum):
    """The type tag of a metadata value."""

    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


_SCALAR_STRUCTS: Final[dict[int, struct.Struct]] = {
    GGUFValueType.UINT8: struct.Struct("<B"),
    GGUFValueType.INT8: struct.Struct("<b"),
    GGUFValueType.UINT16: struct.Struct("<H"),
    GGUFValueType.INT16: struct.Struct("<h"),
    GGUFValueType.UINT32: struct.Struct("<I"),
    GGUFValueType.INT32: struct.Struct("<i"),
    GGUFValueType.FLOAT32: struct.Struct("<f"),
    GGUFValueType.BOOL: struct.Struct("<?"),
    GGUFValueType.UINT64: struct.Struct("<Q"),
    GGUFValueType.INT64: struct.Struct("<q"),
    GGUFValueType.FLOAT64: struct.Struct("<d"),
}


@dataclass(frozen=True)
class ArrayInfo:
    """Stands in for an array metadata value: its element type and length, not its contents."""

    element_type: GGUFValueType
    length: int


@dataclass(frozen=True)
class GGMLTypeTraits:
    """How a ggml tensor type is stored: ``type_size`` bytes per block of ``block_size`` values."""

    name: str
    block_size: int
    type_size: int


def _traits(name: str, block_size: int, type_size: int) -> GGMLTypeTraits:
    return GGMLTypeTraits(name, block_size, type_size)


# From llama.cpp's ggml/include/ggml.h (type ids) and ggml/src/ggml.c type_traits (blck_size,
# type_size = sizeof(block_*) from ggml-common.h). Ids 4, 5, 31-33 and 36-38 were removed.
GGML_TYPE_TRAITS: Final[dict[int, GGMLTypeTraits]] = {
    0: _traits("F32", 1, 4),
    1: _traits("F16", 1, 2),
    2: _traits("Q4_0", 32, 18),
    3: _traits("Q4_1", 32, 20),
    6: _traits("Q5_0", 32, 22),
    7: _traits("Q5_1", 32, 24),
    8: _traits("Q8_0", 32, 34),
    9: _traits("Q8_1", 32, 36),
    10: _traits("Q2_K", 256, 84),
    11: _traits("Q3_K", 256, 110),
    12: _traits("Q4_K", 256, 144),
    13: _traits("Q5_K", 256, 176),
    14: _traits("Q6_K", 256, 210),
    15: _traits("Q8_K", 256, 292),
    16: _traits("IQ2_XXS", 256, 66),
    17: _traits("IQ2_XS", 256, 74),
    18: _traits("IQ3_XXS", 256, 98),
    19: _traits("IQ1_S", 256, 50),
    20: _traits("IQ4_NL", 32, 18),
    21: _traits("IQ3_S", 256, 110),
    22: _traits("IQ2_S", 256, 82),
    23: _traits("IQ4_XS", 256, 136),
    24: _traits("I8", 1, 1),
    25: _traits("I16", 1, 2),
    26: _traits("I32", 1, 4),
    27: _traits("I64", 1, 8),
    28: _traits("F64", 1, 8),
    29: _traits("IQ1_M", 256, 56),
    30: _traits("BF16", 1, 2),
    34: _traits("TQ1_0", 256, 54),
    35: _traits("TQ2_0", 256, 66),
    39: _traits("MXFP4", 32, 17),
    40: _traits("NVFP4", 64, 36),
    41: _traits("Q1_0", 128, 18),
    42: _traits("Q2_0", 64, 18),
}


@dataclass(frozen=True)
class GGUFInfo:
    """What :func:`inspect_gguf` learned about a valid GGUF file.

    ``metadata`` holds every scalar and string value by key. An array value is represented by an
    :class:`ArrayInfo` (element type and length) rather than its contents, and a string longer
    than 1 MiB is left out.
    """

    path: Path
    version: int
    file_size: int
    tensor_count: int
    data_end: int
    """Byte offset where the last tensor's data ends (never more than ``file_size``)."""
    metadata: dict[str, object]
    data_offset: int = 0
    """Byte offset where the (aligned) tensor data section starts."""
    alignment: int = DEFAULT_ALIGNMENT

    @property
    def name(self) -> str:
        """The model's ``general.name``, or the file name without its extension."""
        value = self.metadata.get("general.name")
        if isinstance(value, str) and value.strip():
            return value.strip()
        return self.path.stem

    @property
    def architecture(self) -> str | None:
        """``general.architecture``, e.g. ``"llama"``."""
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) and value else None

    @property
    def context_length(self) -> int | None:
        """The context length the model was trained with (``<architecture>.context_length``)."""
        arch = self.architecture
        if arch is None:
            return None
        value = self.metadata.get(f"{arch}.context_length")
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        return None

    @property
    def chat_template(self) -> str | None:
        """The Jinja chat template embedded in the file (``tokenizer.chat_template``)."""
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value else None


def inspect_gguf(path: str | os.PathLike[str]) -> GGUFInfo:
    """Validate the header, metadata and tensor table of a GGUF file and summarise it.

    Also checks that the file is long enough to hold all tensor data. The tensor data itself is
    never read.

    Raises:
        ModelNotFoundError: nothing exists at ``path``.
        ModelFileError: ``path`` is a directory, is empty, cannot be read, is not a GGUF file,
            uses an unsupported GGUF version, is truncated or is corrupt.
    """
    file_path = Path(path)
    shown = str(file_path)
    try:
        st = file_path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise ModelNotFoundError(f"The model file {shown} does not exist.") from None
    except PermissionError:
        raise ModelFileError(f"The model file {shown} cannot be read: permission denied.") from None
    except ValueError:  # e.g. a NUL character in the path
        raise ModelNotFoundError(f"The model path {shown!r} is not a valid file path.") from None
    except OSError as exc:
        raise ModelFileError(f"The model file {shown} cannot be read: {_reason(exc)}.") from None

    if stat.S_ISDIR(st.st_mode):
        raise ModelFileError(f"The model path {shown} is a directory, not a GGUF model file.")
    if not stat.S_ISREG(st.st_mode):
        raise ModelFileError(f"The model path {shown} is not a regular file.")
    if st.st_size == 0:
        raise ModelFileError(f"The model file {shown} is empty (0 bytes).")

    try:
        with file_path.open("rb") as f:
            return _parse(_Reader(f, st.st_size, file_path))
    except FileNotFoundError:
        raise ModelNotFoundError(f"The model file {shown} does not exist.") from None
    except PermissionError:
        raise ModelFileError(f"The model file {shown} cannot be read: permission denied.") from None
    except IsADirectoryError:
        raise ModelFileError(
            f"The model path {shown} is a directory, not a GGUF model file."
        ) from None
    except OSError as exc:
        raise ModelFileError(f"The model file {shown} cannot be read: {_reason(exc)}.") from None


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()


class _Reader:
    """Bounds-checked sequential reads from a file through a 1 MiB window.

    Reading in chunks (rather than with mmap) keeps memory flat and cannot crash the process
    with SIGBUS if another program shortens the file while we read it.
    """

    def __init__(self, f: BinaryIO, size: int, path: Path) -> None:
        self._f = f
        self.size = size
        self.path = path
        self.pos = 0
        self.section = "its header"
        self._buf = b""
        self._base = 0

    # -- errors ----------------------------------------------------------------------------

    def truncated(self, need: int) -> ModelFileError:
        return ModelFileError(
            f"The model file {self.path} is truncated: it has {self.size:,} bytes but "
            f"{self.section} needs at least {need:,}."
        )

    def corrupt(self, detail: str) -> ModelFileError:
        return ModelFileError(f"The model file {self.path} is corrupt: {detail}.")

    # -- reading ---------------------------------------------------------------------------

    def _fill(self, n: int) -> int:
        """Make bytes ``[pos, pos + n)`` available in ``_buf``; return ``pos``'s index in it."""
        start = self.pos
        end = start + n
        if end > self.size:
            raise self.truncated(end)
        if start >= self._base and end <= self._base + len(self._buf):
            return start - self._base
        self._f.seek(start)
        data = self._f.read(max(n, _CHUNK_SIZE))
        self._buf = data
        self._base = start
        if len(data) < n:  # the file got shorter since we measured it
            self.size = start + len(data)
            raise self.truncated(end)
        return 0

    def unpack(self, st: struct.Struct) -> tuple[Any, ...]:
        index = self._fill(st.size)
        self.pos += st.size
        return st.unpack_from(self._buf, index)

    def u32(self) -> int:
        index = self._fill(4)
        self.pos += 4
        value: int = _U32.unpack_from(self._buf, index)[0]
        return value

    def u64(self) -> int:
        index = self._fill(8)
        self.pos += 8
        value: int = _U64.unpack_from(self._buf, index)[0]
        return value

    def read_bytes(self, n: int) -> bytes:
        index = self._fill(n)
        self.pos += n
        return self._buf[index : index + n]

    def skip(self, n: int) -> None:
        end = self.pos + n
        if end > self.size:
            raise self.truncated(end)
        self.pos = end

    def skip_strings(self, count: int, what: str) -> None:
        """Skip ``count`` length-prefixed strings (the hot loop for vocabularies)."""
        unpack = _U64.unpack_from
        pos = self.pos
        buf = self._buf
        base = self._base
        last = base + len(buf) - 8  # last position whose length prefix is in the window
        for _ in range(count):
            if pos > last or pos < base:
                self.pos = pos
                self._fill(8)
                buf = self._buf
                base = self._base
                last = base + len(buf) - 8
            length: int = unpack(buf, pos - base)[0]
            if length > _MAX_STRING_LENGTH:
                raise self.corrupt(
                    f"{what} contains a string of {length:,} bytes, which is not plausible"
                )
            pos += 8 + length
        self.pos = pos
        if pos > self.size:
            raise self.truncated(pos)


def _parse(r: _Reader) -> GGUFInfo:
    version, tensor_count, kv_count = _read_header(r)
    metadata = _read_metadata(r, kv_count)
    alignment = _alignment(r, metadata)
    tensors_end = _read_tensor_table(r, tensor_count, alignment)

    header_end = r.pos
    if tensor_count:
        data_offset = _align(header_end, alignment)
        data_end = data_offset + tensors_end
    else:  # a vocabulary-only file: llama.cpp does not expect a data section at all
        data_offset = data_end = header_end
    if data_end > r.size:
        raise ModelFileError(
            f"The model file {r.path} is truncated: it has {r.size:,} bytes but its tensors "
            f"need {data_end:,}."
        )
    return GGUFInfo(
        path=r.path,
        version=version,
        file_size=r.size,
        tensor_count=tensor_count,
        data_end=data_end,
        metadata=metadata,
        data_offset=data_offset,
        alignment=alignment,
    )


def _read_header(r: _Reader) -> tuple[int, int, int]:
    """Check the magic and version; return (version, tensor count, metadata entry count)."""
    head = r.read_bytes(min(r.size, 64))
    r.pos = 0
    if head[: len(GGUF_MAGIC)] != GGUF_MAGIC:
        if r.size < len(GGUF_MAGIC) and GGUF_MAGIC.startswith(head):
            raise r.truncated(_HEADER_SIZE)
        raise ModelFileError(_not_gguf_message(r.path, head))
    r.pos = len(GGUF_MAGIC)
    version = r.u32()
    if version == 0:
        raise r.corrupt("its GGUF version number is 0")
    if version & 0xFFFF == 0:
        raise ModelFileError(
            f"The model file {r.path} cannot be used: it is a big-endian GGUF file (its version "
            f"field reads {version:,}), and only little-endian GGUF files are supported."
        )
    if version == 1:
        raise ModelFileError(
            f"The model file {r.path} uses GGUF version 1, which is too old to load "
            "(llama.cpp reads versions 2 and 3; a newer conversion of the model will work)."
        )
    if version not in SUPPORTED_VERSIONS:
        if max(SUPPORTED_VERSIONS) < version < _GARBAGE_VERSION:
            raise ModelFileError(
                f"The model file {r.path} uses GGUF version {version}, which is newer than this "
                "app supports (versions 2 and 3)."
            )
        raise r.corrupt(f"its GGUF version number is {version:,}; expected 2 or 3")

    tensor_count = r.u64()
    kv_count = r.u64()
    if kv_count > _MAX_KV_COUNT:
        raise r.corrupt(f"it claims to have {kv_count:,} metadata entries")
    if tensor_count > _MAX_TENSOR_COUNT:
        raise r.corrupt(f"it claims to have {tensor_count:,} tensors")
    return version, tensor_count, kv_count


def _read_metadata(r: _Reader, kv_count: int) -> dict[str, object]:
    r.section = "its metadata"
    metadata: dict[str, object] = {}
    seen: set[str] = set()
    for i in range(kv_count):
        key = _read_key(r, i)
        if key in seen:
            raise r.corrupt(f"the metadata entry {key!r} appears twice")
        seen.add(key)
        value = _read_value(r, r.u32(), key)
        if value is not _SKIPPED:
            metadata[key] = value
    return metadata


def _read_tensor_table(r: _Reader, tensor_count: int, alignment: int) -> int:
    """Check every tensor's description; return where the last one ends in the data section."""
    r.section = "its tensor table"
    names: set[str] = set()
    tensors_end = 0
    # llama.cpp requires each tensor to start where the previous one ends (padded to the
    # alignment); None once a tensor of unknown type makes that position unknowable.
    expected: int | None = 0
    for i in range(tensor_count):
        name = _read_tensor_name(r, i)
        if name in names:
            raise r.corrupt(f"the tensor name {name!r} appears twice")
        names.add(name)
        n_dims = r.u32()
        if n_dims > _MAX_DIMS:
            raise r.corrupt(
                f"tensor {name!r} has {n_dims:,} dimensions (at most {_MAX_DIMS} are allowed)"
            )
        dims: tuple[int, ...] = r.unpack(_DIMS[n_dims])
        ggml_type: int
        offset: int
        ggml_type, offset = r.unpack(_TENSOR_TAIL)
        n_bytes = _tensor_nbytes(r, name, dims, ggml_type)
        if expected is not None and offset != expected:
            raise r.corrupt(
                f"tensor {name!r} starts at byte {offset:,} of the data section, "
                f"but the tensors before it end at byte {expected:,}"
            )
        if n_bytes is None:  # a type this module does not know: count only its offset
            expected = None
            n_bytes = 0
        elif expected is not None:
            expected += _align(n_bytes, alignment)
        end = offset + n_bytes
        if end > _MAX_PLAUSIBLE_SIZE:
            raise r.corrupt(f"tensor {name!r} claims to end {end:,} bytes into the data section")
        tensors_end = max(tensors_end, end)
    return tensors_end


def _tensor_nbytes(r: _Reader, name: str, dims: tuple[int, ...], ggml_type: int) -> int | None:
    """The tensor's size in bytes, or None if its type is unknown (probably newer)."""
    n_elements = 1
    for d in dims:
        n_elements *= d
    if any(d > _INT64_MAX for d in dims) or n_elements > _INT64_MAX:
        raise r.corrupt(f"tensor {name!r} has an impossible shape {dims}")
    traits = GGML_TYPE_TRAITS.get(ggml_type)
    if traits is None:
        return None
    row = dims[0] if dims else 1
    if row % traits.block_size:
        raise r.corrupt(
            f"tensor {name!r} of type {traits.name} has {row:,} values per row, "
            f"which is not a multiple of its block size {traits.block_size}"
        )
    return n_elements // traits.block_size * traits.type_size


def _read_key(r: _Reader, index: int) -> str:
    length = r.u64()
    if length == 0:
        raise r.corrupt(f"metadata entry #{index + 1} has an empty key")
    if length > _MAX_KEY_LENGTH:
        raise r.corrupt(
            f"metadata entry #{index + 1} has a key of {length:,} bytes, which is not plausible"
        )
    return r.read_bytes(length).decode("utf-8", errors="replace")


def _read_tensor_name(r: _Reader, index: int) -> str:
    length = r.u64()
    if length > _MAX_TENSOR_NAME_LENGTH:
        raise r.corrupt(
            f"tensor #{index + 1} has a name of {length:,} bytes "
            f"(at most {_MAX_TENSOR_NAME_LENGTH} are allowed)"
        )
    return r.read_bytes(length).decode("utf-8", errors="replace")


def _read_value(r: _Reader, value_type: int, key: str) -> object:
    scalar = _SCALAR_STRUCTS.get(value_type)
    if scalar is not None:
        return r.unpack(scalar)[0]
    if value_type == GGUFValueType.STRING:
        length = r.u64()
        if length > _MAX_STRING_LENGTH:
            raise r.corrupt(
                f"the metadata entry {key!r} claims a string of {length:,} bytes, "
                "which is not plausible"
            )
        if length > _MAX_KEPT_STRING:
            r.skip(length)
            return _SKIPPED
        return r.read_bytes(length).decode("utf-8", errors="replace")
    if value_type == GGUFValueType.ARRAY:
        element_type: int
        count: int
        element_type, count = r.unpack(_ARRAY_HEADER)
        if count > _MAX_ARRAY_LENGTH:
            raise r.corrupt(
                f"the metadata entry {key!r} claims an array of {count:,} elements, "
                "which is not plausible"
            )
        element = _SCALAR_STRUCTS.get(element_type)
        if element is not None:
            r.skip(count * element.size)
        elif element_type == GGUFValueType.STRING:
            r.skip_strings(count, f"the metadata entry {key!r}")
        elif element_type == GGUFValueType.ARRAY:
            raise ModelFileError(
                f"The model file {r.path} cannot be used: its metadata entry {key!r} is an "
                "array of arrays, which llama.cpp does not support."
            )
        else:
            raise r.corrupt(
                f"the metadata entry {key!r} is an array of unknown type {element_type:,}"
            )
        return ArrayInfo(GGUFValueType(element_type), count)
    raise r.corrupt(f"the metadata entry {key!r} has unknown value type {value_type:,}")


def _alignment(r: _Reader, metadata: dict[str, object]) -> int:
    value = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0 or value & (value - 1):
        raise r.corrupt(f"its general.alignment is {value!r}, which is not a power of two")
    return value


def _align(offset: int, alignment: int) -> int:
    return (offset + alignment - 1) // alignment * alignment


def _not_gguf_message(path: Path, head: bytes) -> str:
    message = (
        f"The model file {path} is not a GGUF model (it starts with {head[:4]!r}; "
        "GGUF files start with 'GGUF')."
    )
    kind = _guess_kind(head)
    return f"{message} It looks like {kind}." if kind else message


def _guess_kind(head: bytes) -> str | None:
    """Name the format of a file that is not GGUF, for the few mix-ups users actually make."""
    text = head.lstrip().lower()
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (for example a PyTorch checkpoint), not a llama.cpp model"
    if head[:4] in (b"lmgg", b"fmgg", b"tjgg"):
        return "a model in the old GGML/GGJT format, which llama.cpp no longer loads"
    if text.startswith(b"version https://git-lfs"):
        return "a Git LFS pointer; the model itself was never downloaded"
    if text.startswith((b"<!doctype html", b"<html")):
        return "a web page saved in place of the model; the download failed"
    if head[8:10] == b'{"':  # a uint64 header length, then the JSON header
        return "a safetensors file, which must be converted to GGUF first"
    if head.startswith((b"\x7fELF", b"MZ")):
        return "a program, not a model"
    return None
