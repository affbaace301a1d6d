"""What this machine offers a local model: memory, cores, disk, and how llama.cpp was built.

The fit planner (:mod:`.fit`) and the catalogue's recommendations (:mod:`.catalogue`) need the
same few facts, read once into a :class:`HardwareProfile`:

- RAM (total and available now) and physical/logical cores come from psutil, which reads them
  the same way on Linux, macOS and Windows (``/proc/meminfo``, ``host_statistics``,
  ``GlobalMemoryStatusEx``); hand-written readers for three OSes would be worse.
- The SIMD features and GPU backends are llama.cpp's own report
  (``llama_print_system_info()``, e.g. ``CPU : AVX2 = 1 | ... | Metal : EMBED_LIBRARY = 1 | ``):
  what the library will actually use, rather than what the CPU could do.
- Free disk is measured in the models folder, or its nearest existing parent when the folder
  has not been created yet (a download goes there).

Nothing here touches the network. ``llama_cpp`` is imported lazily (on first call), and a
missing or broken library leaves the SIMD and GPU fields empty instead of failing: RAM and disk
still tell the user what fits.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["HardwareProfile", "hardware_profile", "parse_system_info"]

#: Backends in llama.cpp's report that are not accelerators.
_NOT_GPU = frozenset({"CPU", "BLAS", "ACCELERATE", "RPC"})
_FEATURE = re.compile(r"([A-Za-z0-9_]+)\s*=\s*([^|]*)")
#: The CPU features worth showing (llama.cpp also reports build options such as OPENMP).
SIMD_FEATURES = (
    "SSE3",
    "SSSE3",
    "AVX",
    "AVX2",
    "AVX_VNNI",
    "F16C",
    "FMA",
    "AVX512",
    "AVX512_VBMI",
    "AVX512_VNNI",
    "AVX512_BF16",
    "AMX_INT8",
    "NEON",
    "ARM_FMA",
    "FP16_VA",
    "DOTPROD",
    "MATMUL_INT8",
    "SVE",
    "SME",
    "RVV",
    "VSX",
    "WASM_SIMD",
)


@dataclass(frozen=True)
class HardwareProfile:
    """One reading of the machine (values in bytes and counts)."""

    ram_total_bytes: int
    ram_available_bytes: int
    cpu_physical_cores: int
    cpu_logical_cores: int
    simd: tuple[str, ...]
    gpu_backends: tuple[str, ...]
    disk_free_bytes: int
    system_info: str

    def to_json(self) -> dict[str, object]:
        return {
            "ram_total_bytes": self.ram_total_bytes,
            "ram_available_bytes": self.ram_available_bytes,
            "cpu_physical_cores": self.cpu_physical_cores,
            "cpu_logical_cores": self.cpu_logical_cores,
            "simd": list(self.simd),
            "gpu_backends": list(self.gpu_backends),
            "disk_free_bytes": self.disk_free_bytes,
            "system_info": self.system_info,
        }


def parse_system_info(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The SIMD features the CPU backend uses and the non-CPU backends, from llama.cpp's report.

    The report is ``"<backend> : <KEY> = <value> | ... | <backend> : ..."``; a feature counts
    when its value is not ``0``. Every backend other than ``CPU`` is a GPU/accelerator backend
    (CUDA, Metal, Vulkan, ROCm/HIP, SYCL, OpenCL...) except BLAS/Accelerate and RPC.
    """
    simd: list[str] = []
    backends: list[str] = []
    current = ""
    for part in text.split("|"):
        colon, equals = part.find(":"), part.find("=")
        if colon >= 0 and (equals < 0 or colon < equals):
            current = part[:colon].strip()
            if current.upper() not in _NOT_GPU and current not in backends:
                backends.append(current)
            part = part[colon + 1 :]
        feature = _FEATURE.search(part)
        if not feature:
            continue
        name, value = feature.group(1).upper(), feature.group(2).strip()
        if current.upper() in ("", "CPU") and name in SIMD_FEATURES and value not in ("", "0"):
            simd.append(name)
    return tuple(simd), tuple(backends)


def llama_system_info() -> tuple[str, bool]:
    """llama.cpp's report and whether it can offload to a GPU ('' and False when unavailable)."""
    try:
        import llama_cpp
    except Exception:  # a broken install: the rest of the profile still helps
        log.warning("llama_cpp could not be imported; SIMD and GPU are unknown", exc_info=True)
        return "", False
    try:
        raw = llama_cpp.llama_print_system_info()
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        gpu = bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:
        log.warning("llama.cpp's system report failed", exc_info=True)
        return "", False
    return text.strip(), gpu


def nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists (the filesystem a new file would land on)."""
    path = path.expanduser().absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or os.sep)


def hardware_profile(models_dir: Path) -> HardwareProfile:
    """Read the machine now. ``models_dir`` need not exist yet."""
    import psutil

    memory = psutil.virtual_memory()
    logical = psutil.cpu_count(logical=True) or os.cpu_count() or 1
    physical = psutil.cpu_count(logical=False) or logical
    try:
        free = shutil.disk_usage(nearest_existing(models_dir)).free
    except OSError:
        log.warning("free disk space of %s is unknown", models_dir, exc_info=True)
        free = 0
    text, gpu_offload = llama_system_info()
    simd, backends = parse_system_info(text)
    if gpu_offload and not backends:
        backends = ("GPU",)  # offload works but the report did not name the backend
    if not gpu_offload:
        backends = ()  # a backend listed but unable to take layers does not help
    return HardwareProfile(
        ram_total_bytes=int(memory.total),
        ram_available_bytes=int(memory.available),
        cpu_physical_cores=int(physical),
        cpu_logical_cores=int(logical),
        simd=simd,
        gpu_backends=backends,
        disk_free_bytes=int(free),
        system_info=text,
    )
