"""Keep llama.cpp off its AMX weight buffers, which crash the process on some machines.

On a CPU that reports AMX (Intel Xeon, Sapphire Rapids and later) llama.cpp moves the weights into
an "AMX" extra buffer type and runs its AMX kernels. Seen here (Xeon with AMX_INT8 under a
Firecracker VM, llama-cpp-python 0.3.36 built natively): the first ``decode`` of the embedded
SmolLM2 model ends the whole process with a segmentation fault, while the same model with extra
buffer types off answers normally. A crash that takes the window and the unsaved answer with it
is worse than a slower matrix multiply, and laptops (our users) have no AMX, so on an AMX CPU the
extra buffer types are turned off.

``Llama`` has no argument for ``llama_model_params.use_extra_bufts``, so the default-parameters
function its constructor calls is wrapped, once, for the process (see :func:`guard_amx`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_DONE: list[bool] = []


def reports_amx(system_info: str) -> bool:
    """Whether llama.cpp's own system report (``llama_print_system_info``) says AMX is used."""
    fields = {}
    for part in system_info.split("|"):
        name, _, value = part.partition("=")
        fields[name.strip()] = value.strip()
    return any(name.startswith("AMX") and value == "1" for name, value in fields.items())


def guard_amx(llama_cpp: Any) -> bool:
    """Turn llama.cpp's extra buffer types off for every later model load when the CPU has AMX.
    Returns whether they were turned off. Safe to call many times and from many threads."""
    with _LOCK:
        if _DONE:
            return _DONE[0]
        info = llama_cpp.llama_print_system_info()
        text = info.decode("utf-8", "replace") if isinstance(info, bytes) else str(info)
        amx = reports_amx(text)
        if amx:
            module = llama_cpp.llama_cpp  # the module Llama's constructor reads the defaults from
            default = module.llama_model_default_params

            def without_extra_buffers() -> Any:
                params = default()
                params.use_extra_bufts = False
                return params

            module.llama_model_default_params = without_extra_buffers
            log.info("AMX CPU: llama.cpp extra buffer types are off (its AMX path crashes here)")
        _DONE.append(amx)
        return amx
