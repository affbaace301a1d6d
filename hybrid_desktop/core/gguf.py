"""Read and check the header of a GGUF model file without loading the model.

:func:`inspect_gguf` reads a GGUF file's header, metadata and tensor table with
:class:`gguf.GGUFReader` (the reader of the llama.cpp project), checks that the file holds every
tensor, and returns a :class:`GGUFInfo` with the metadata the app shows or needs (name,
architecture, context length, chat template...). Tensor data is never read.

Every problem is reported as a :class:`~hybrid_desktop.errors.ModelNotFoundError` (no such
file) or a :class:`~hybrid_desktop.errors.ModelFileError` (directory, empty, unreadable, not
GGUF, truncated, corrupt) whose message names the file and says in plain words what is wrong.

The reader is a subclass (see :func:`_reader`) that checks every read against the end of the
file (``GGUFReader`` returns short arrays there, or loops on a bogus array length), names the
damaged key or tensor, skips tensors of a ggml type ``gguf`` does not know yet, and keeps each
array value as one block: one numpy view per element makes ``GGUFReader`` take 3 s on the
embedded model's 49k-token vocabulary. ``gguf`` and numpy are imported on first use (0.15 s).
The file's memory map is released before :func:`inspect_gguf` returns or raises.
"""

from __future__ import annotations

import math
import os
import stat
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from hybrid_desktop.errors import ModelFileError, ModelNotFoundError

if TYPE_CHECKING:
    from gguf import GGUFValueType

    GGML_TYPE_TRAITS: dict[int, GGMLTypeTraits]

__all__ = [
    "GGML_TYPE_TRAITS",
    "ArrayInfo",
    "GGMLTypeTraits",
    "GGUFInfo",
    "GGUFValueType",
    "inspect_gguf",
]

DEFAULT_ALIGNMENT: Final = 32
_MAX_LENGTH: Final = 1 << 30  # llama.cpp's limit for a string or array (gguf.cpp)
# Far above anything a real model has: beyond them a number is damage, not size.
_MAX_KV_COUNT: Final = 1 << 20
_MAX_TENSOR_COUNT: Final = 1 << 24
_MAX_PLAUSIBLE_SIZE: Final = 1 << 48
_GARBAGE_VERSION: Final = 1000
_MAX_KEPT_STRING: Final = 1 << 20  # longer metadata strings are checked but not kept
_HEADER: Final = struct.Struct("<4sIQQ")  # magic, version, tensor count, metadata count
_U64: Final = struct.Struct("<Q")


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
    #: Weights in the tensors the reader knows (0 when the file has none it can count).
    parameter_count: int = 0

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


def __getattr__(name: str) -> object:
    """``GGUFValueType`` and ``GGML_TYPE_TRAITS`` come from ``gguf``, imported on first use."""
    if name == "GGUFValueType":
        from gguf import GGUFValueType

        return GGUFValueType
    if name == "GGML_TYPE_TRAITS":
        from gguf import GGML_QUANT_SIZES

        return {int(t): GGMLTypeTraits(t.name, *s) for t, s in GGML_QUANT_SIZES.items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def inspect_gguf(path: str | os.PathLike[str]) -> GGUFInfo:
    """Validate the header, metadata and tensor table of a GGUF file and summarise it.

    Also checks that the file is long enough to hold all tensor data, which is never read.

    Raises:
        ModelNotFoundError: nothing exists at ``path``.
        ModelFileError: ``path`` is a directory, is empty, cannot be read, is not a GGUF file,
            uses an unsupported GGUF version, is truncated or is corrupt.
    """
    file_path = Path(path)
    shown = str(file_path)
    head = b""
    try:
        st = file_path.stat()
        if stat.S_ISREG(st.st_mode) and st.st_size:
            with file_path.open("rb") as f:
                head = f.read(64)
    except (FileNotFoundError, NotADirectoryError):
        raise ModelNotFoundError(f"The model file {shown} does not exist.") from None
    except ValueError:  # e.g. a NUL character in the path
        raise ModelNotFoundError(f"The model path {shown!r} is not a valid file path.") from None
    except OSError as exc:
        raise _unreadable(file_path, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise ModelFileError(f"The model path {shown} is a directory, not a GGUF model file.")
    if not stat.S_ISREG(st.st_mode):
        raise ModelFileError(f"The model path {shown} is not a regular file.")
    if st.st_size == 0:
        raise ModelFileError(f"The model file {shown} is empty (0 bytes).")
    version, tensor_count = _check_header(file_path, head, st.st_size)

    # Raised after the except blocks and without their tracebacks: those hold the reader, whose
    # memory map would keep the file open (and undeletable on Windows) while the error is shown.
    failure: ModelFileError | None = None
    try:
        return _reader()(file_path, version, tensor_count)
    except ModelFileError as exc:
        failure = exc.with_traceback(None)
        failure.__context__ = None
    except OSError as exc:  # the file changed since it was opened above
        failure = _unreadable(file_path, exc)
    except (ValueError, KeyError, IndexError, OverflowError) as exc:
        failure = _corrupt(file_path, f"gguf cannot read it ({type(exc).__name__}: {exc})")
    raise failure


def _unreadable(path: Path, exc: OSError) -> ModelFileError:
    reason = (exc.strerror or str(exc) or type(exc).__name__).rstrip(".").lower()
    return ModelFileError(f"The model file {path} cannot be read: {reason}.")


def _corrupt(path: Path, detail: str) -> ModelFileError:
    return ModelFileError(f"The model file {path} is corrupt: {detail}.")


def _truncated(path: Path, size: int, section: str, need: int) -> ModelFileError:
    return ModelFileError(
        f"The model file {path} is truncated: it has {size:,} bytes but {section} "
        f"need{'' if section.endswith('tensors') else 's at least'} {need:,}."
    )


def _check_header(path: Path, head: bytes, size: int) -> tuple[int, int]:
    """Check the magic, version and counts; return the version and the tensor count."""
    if not head.startswith(b"GGUF"):
        if size < 4 and b"GGUF".startswith(head):
            raise _truncated(path, size, "its header", _HEADER.size)
        raise ModelFileError(_not_gguf_message(path, head))
    if size < _HEADER.size:
        raise _truncated(path, size, "its header", _HEADER.size)
    _, version, tensor_count, kv_count = _HEADER.unpack_from(head)
    if version & 0xFFFF == 0 and version:
        raise ModelFileError(
            f"The model file {path} cannot be used: it is a big-endian GGUF file (its version "
            f"field reads {version:,}), and only little-endian GGUF files are supported."
        )
    if version == 1:
        raise ModelFileError(
            f"The model file {path} uses GGUF version 1, which is too old to load "
            "(llama.cpp reads versions 2 and 3; a newer conversion of the model will work)."
        )
    if 3 < version < _GARBAGE_VERSION:
        raise ModelFileError(
            f"The model file {path} uses GGUF version {version}, which is newer than this "
            "app supports (versions 2 and 3)."
        )
    if version not in (2, 3):
        raise _corrupt(path, f"its GGUF version number is {version:,}; expected 2 or 3")
    if kv_count > _MAX_KV_COUNT:
        raise _corrupt(path, f"it claims to have {kv_count:,} metadata entries")
    if tensor_count > _MAX_TENSOR_COUNT:
        raise _corrupt(path, f"it claims to have {tensor_count:,} tensors")
    return version, tensor_count


@cache
def _reader() -> Callable[[Path, int, int], GGUFInfo]:
    """Import ``gguf``, define the checking reader, and return a function that runs it."""
    import numpy as np
    import numpy.typing as npt
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFReader, ReaderField
    from gguf import GGUFValueType as VT

    Array = npt.NDArray[Any]
    value_types = {int(t) for t in VT}
    type_sizes = {int(t): sizes for t, sizes in GGML_QUANT_SIZES.items()}

    class Reader(GGUFReader):
        def __init__(self, path: Path) -> None:
            self.path, self.section, self.key = path, "its metadata", ""
            self.header_end = self.unknown_end = 0
            super().__init__(path)

        def corrupt(self, detail: str) -> ModelFileError:
            if self.key:
                return _corrupt(self.path, f"the metadata entry {self.key!r} {detail}")
            if self.section == "its metadata":
                return _corrupt(self.path, f"metadata entry #{len(self.fields) - 2} {detail}")
            return _corrupt(self.path, f"its tensor table {detail}")

        def _get(
            self, offset: int, dtype: Any, count: int = 1, override_order: Any = None
        ) -> Array:
            nbytes, size = np.dtype(dtype).itemsize * int(count), len(self.data)
            if self.section == "its tensors":
                if offset + nbytes > size:  # tensor data is never read: a stand-in that size
                    return np.broadcast_to(np.zeros((), dtype), (int(count),))
            elif nbytes > _MAX_LENGTH:
                raise self.corrupt(f"claims {nbytes:,} bytes, which is not plausible")
            elif offset + nbytes > size:
                raise _truncated(self.path, size, self.section, offset + nbytes)
            return super()._get(offset, dtype, count, override_order)

        def _get_str(self, offset: int) -> tuple[Array, Array]:
            parts = super()._get_str(offset)
            if self.section == "its metadata" and not self.key:  # the key of the next entry
                if not len(parts[1]):
                    raise self.corrupt("has an empty key")
                self.key = bytes(parts[1]).decode("utf-8", errors="replace")
            return parts

        def _push_field(self, field: ReaderField, skip_sum: bool = False) -> int:
            self.key = ""
            if field.name in self.fields:
                raise _corrupt(self.path, f"the metadata entry {field.name!r} appears twice")
            return super()._push_field(field, skip_sum)

        def _get_field_parts(
            self, offs: int, raw_type: int
        ) -> tuple[int, list[Array], list[int], list[VT]]:
            if int(raw_type) not in value_types:
                raise self.corrupt(f"has unknown value type {int(raw_type):,}")
            if raw_type != VT.ARRAY:
                return super()._get_field_parts(offs, raw_type)
            # The array as one block, not GGUFReader's one numpy view per element (3 s).
            item_type, count = self._get(offs, np.uint32), self._get(offs + 4, np.uint64)
            etype, n, start = int(item_type[0]), int(count[0]), offs + 12
            if etype == VT.ARRAY:
                raise ModelFileError(
                    f"The model file {self.path} cannot be used: its metadata entry "
                    f"{self.key!r} is an array of arrays, which llama.cpp does not support."
                )
            if n > _MAX_LENGTH:
                raise self.corrupt(f"claims an array of {n:,} elements, which is not plausible")
            if etype == VT.STRING:
                block = self._get(start, np.uint8, self._skip_strings(start, n) - start)
            elif etype in value_types and VT(etype) in self.gguf_scalar_to_np:
                block = self._get(start, self.gguf_scalar_to_np[VT(etype)], n)
            else:
                raise self.corrupt(f"is an array of unknown type {etype:,}")
            return 12 + block.nbytes, [item_type, count, block], [2], [VT.ARRAY, VT(etype)]

        def _skip_strings(self, pos: int, count: int) -> int:
            unpack, limit = _U64.unpack_from, _MAX_LENGTH  # the hot loop for vocabularies
            with self.data.data as view:
                try:
                    for _ in range(count):
                        n: int = unpack(view, pos)[0]
                        if n > limit:
                            raise self.corrupt(f"contains a string of {n:,} bytes")
                        pos += 8 + n
                except struct.error:  # a length prefix beyond the end of the file
                    raise _truncated(self.path, len(view), self.section, pos + 8) from None
            return pos

        def _build_tensor_info(self, offs: int, count: int) -> tuple[int, list[ReaderField]]:
            self.section = "its tensor table"
            self.header_end, fields = super()._build_tensor_info(offs, count)
            align = self.fields.get("general.alignment")  # llama.cpp aborts on another type
            if align is not None and align.types != [VT.UINT32]:
                kind = align.types[0].name.lower()
                raise _corrupt(self.path, f"its general.alignment is stored as {kind}, not uint32")
            value = int(align.parts[-1][0]) if align else DEFAULT_ALIGNMENT
            if value == 0 or value & (value - 1):
                raise _corrupt(self.path, f"its general.alignment is {value}, not a power of two")
            return self.header_end, fields

        def _build_tensors(self, start_offs: int, fields: list[ReaderField]) -> None:
            names: set[str] = set()
            known: list[ReaderField] = []
            # llama.cpp wants each tensor where the one before ends, padded to the alignment;
            # None once a tensor of unknown type makes that position unknowable.
            expected: int | None = 0
            for field in fields:
                offset, ggml_type = int(field.parts[5][0]), int(field.parts[4][0])
                problem = _tensor_problem(field, names, expected)
                if problem:
                    raise _corrupt(self.path, f"tensor {field.name!r} {problem}")
                names.add(field.name)
                if ggml_type not in type_sizes:  # newer than this gguf: count only its start
                    expected, self.unknown_end = None, max(self.unknown_end, start_offs + offset)
                    continue
                if expected is not None:
                    align = int(self.alignment)
                    expected += -(-_tensor_size(field) // align) * align
                known.append(field)
            self.section = "its tensors"
            super()._build_tensors(start_offs, known)

    def _tensor_size(field: ReaderField) -> int:
        block, type_size = type_sizes.get(int(field.parts[4][0]), (1, 0))
        return math.prod(int(d) for d in field.parts[3]) // block * type_size

    def _tensor_problem(field: ReaderField, names: set[str], expected: int | None) -> str | None:
        dims = [int(d) for d in field.parts[3]]
        ggml_type, offset = int(field.parts[4][0]), int(field.parts[5][0])
        block = type_sizes.get(ggml_type, (1, 0))[0]
        if field.name in names:
            return "appears twice"
        if len(field.parts[1]) > 63:  # GGML_MAX_NAME - 1
            return f"has a name of {len(field.parts[1]):,} bytes (at most 63 are allowed)"
        if len(dims) > 4:  # GGML_MAX_DIMS
            return f"has {len(dims):,} dimensions (at most 4 are allowed)"
        if math.prod(dims) >= 1 << 63 or max(dims, default=0) >= 1 << 63:
            return f"has an impossible shape {tuple(dims)}"
        if offset + _tensor_size(field) > _MAX_PLAUSIBLE_SIZE:
            return f"claims to end {offset + _tensor_size(field):,} bytes into the data section"
        if expected is not None and offset != expected:
            return (
                f"starts at byte {offset:,} of the data section, "
                f"but the tensors before it end at byte {expected:,}"
            )
        if (dims[0] if dims else 1) % block:
            return (
                f"of type {GGMLQuantizationType(ggml_type).name} has {dims[0]:,} values per "
                f"row, which is not a multiple of its block size {block}"
            )
        return None

    def read(path: Path, version: int, tensor_count: int) -> GGUFInfo:
        with np.errstate(all="ignore"):
            reader = Reader(path)
        metadata: dict[str, object] = {}
        for key, field in list(reader.fields.items())[3:]:  # after version and counts
            if field.types[0] == VT.ARRAY:
                metadata[key] = ArrayInfo(field.types[-1], int(field.parts[4][0]))
            elif field.types[0] != VT.STRING:
                metadata[key] = field.parts[-1][0].item()
            elif len(field.parts[-1]) <= _MAX_KEPT_STRING:
                metadata[key] = bytes(field.parts[-1]).decode("utf-8", errors="replace")
        start = end = reader.header_end  # a vocabulary-only file needs no data section
        if reader.tensors or reader.unknown_end:
            start = reader.data_offset
            end = max([reader.unknown_end, *(t.data_offset + t.n_bytes for t in reader.tensors)])
        size = len(reader.data)
        if end > size:
            raise _truncated(path, size, "its tensors", end)
        alignment = int(reader.alignment)
        params = sum(int(t.n_elements) for t in reader.tensors)
        return GGUFInfo(path, version, size, tensor_count, end, metadata, start, alignment, params)

    return read


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
