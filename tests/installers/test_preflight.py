"""The bundle's runtime hook that explains a Qt platform plugin that cannot load."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOOK = REPO / "installers" / "pyinstaller" / "rthook_qt_preflight.py"


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("rthook_qt_preflight", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not frozen: the check itself does not run on import
    return module


def test_only_the_window_is_checked(hook) -> None:
    assert hook.gui_requested([])
    assert hook.gui_requested(["--self-test"])
    assert hook.gui_requested(["--quick-prompt"])
    assert not hook.gui_requested(["--version"])
    assert not hook.gui_requested(["ask", "hello"])
    assert not hook.gui_requested(["key", "status"])


def test_platform_order(hook) -> None:
    assert hook.candidate_platforms({}) == ["xcb"]
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert hook.candidate_platforms(wayland) == ["wayland", "xcb"]
    assert hook.candidate_platforms({"QT_QPA_PLATFORM": "offscreen"}) == ["offscreen"]
    assert hook.candidate_platforms({"QT_QPA_PLATFORM": "wayland;xcb"}) == ["wayland", "xcb"]


def test_no_display_is_explained(hook, tmp_path: Path) -> None:
    message = hook.preflight([], {}, str(tmp_path))
    assert message and "no graphical display" in message
    assert hook.preflight(["--self-test"], {}, str(tmp_path)) is None  # goes offscreen itself
    assert hook.preflight(["ask", "x"], {}, str(tmp_path)) is None
    assert hook.preflight([], {"QT_QPA_PLATFORM": "offscreen"}, str(tmp_path)) is None
    assert hook.preflight([], {"HYBRID_DESKTOP_SKIP_PREFLIGHT": "1"}, str(tmp_path)) is None


def test_apt_packages_are_named(hook) -> None:
    message = hook.message_for("xcb", ["libxcb-cursor.so.0", "libEGL.so.1"])
    assert "sudo apt install libegl1 libxcb-cursor0" in message
    assert "libxcb-cursor.so.0" in message


def test_a_missing_library_is_named(hook, tmp_path: Path) -> None:
    """A copy of Qt's xcb plugin whose libxcb-cursor dependency is renamed to one that exists
    nowhere: the check must name it instead of letting Qt abort."""
    import PySide6

    real = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not real.is_file():
        pytest.skip("no Linux xcb plugin in this PySide6")
    data = real.read_bytes()
    needed = b"libxcb-cursor.so.0\x00"
    assert data.count(needed) == 1
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (platforms / "libqxcb.so").write_bytes(data.replace(needed, b"libxcb-cursoX.so.0\x00"))
    message = hook.preflight([], {"DISPLAY": ":0"}, str(tmp_path / "plugins"))
    assert message and "libxcb-cursoX.so.0" in message
    assert "cannot open its window" in message


def test_the_real_plugin_passes_where_its_libraries_are_installed(hook) -> None:
    import PySide6

    plugins = Path(PySide6.__file__).parent / "Qt" / "plugins"
    if not (plugins / "platforms" / "libqxcb.so").is_file() or not shutil.which("ldd"):
        pytest.skip("no Linux xcb plugin or no ldd")
    missing = hook.missing_libraries(str(plugins / "platforms" / "libqxcb.so"))
    if missing:
        pytest.skip(f"this machine lacks {missing} (the X11 test libraries of .ci/run)")
    assert hook.preflight([], {"DISPLAY": ":0"}, str(plugins)) is None
