"""llama.cpp's AMX weight buffers are kept off on AMX CPUs (they crash the process here)."""

from __future__ import annotations

import llama_cpp

from hybrid_desktop.core.engines.cpu_buffers import guard_amx, reports_amx


def test_the_system_report_is_read_field_by_field() -> None:
    assert reports_amx("CPU : SSE3 = 1 | AVX512 = 1 | AMX_INT8 = 1 | LLAMAFILE = 1 |")
    assert not reports_amx("CPU : SSE3 = 1 | AVX2 = 1 | LLAMAFILE = 1 | REPACK = 1 |")
    assert not reports_amx("CPU : AMX_INT8 = 0 |")
    assert not reports_amx("")


def test_on_an_amx_cpu_models_load_without_extra_buffers() -> None:
    amx = guard_amx(llama_cpp)
    assert amx == reports_amx(llama_cpp.llama_print_system_info().decode())
    assert guard_amx(llama_cpp) is amx  # once per process
    params = llama_cpp.llama_cpp.llama_model_default_params()
    assert params.use_extra_bufts is (not amx)
