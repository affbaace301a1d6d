"""core, storage and config never import Qt, the UI or the workers (one direction of imports)."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import hybrid_desktop

PACKAGE = Path(hybrid_desktop.__file__).parent
QT_FREE = ("core", "storage", "config")
FORBIDDEN = ("PySide6", "shiboken6", "hybrid_desktop.ui", "hybrid_desktop.workers")


def modules_of(subpackage: str) -> list[str]:
    root = PACKAGE / subpackage
    names = [f"hybrid_desktop.{subpackage}"]
    for info in pkgutil.walk_packages([str(root)], prefix=f"hybrid_desktop.{subpackage}."):
        names.append(info.name)
    return names


def test_no_forbidden_import_statements() -> None:
    offenders = []
    for sub in QT_FREE:
        for path in (PACKAGE / sub).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [
                    f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.startswith(FORBIDDEN)
                ]
    assert offenders == []


def test_qt_free_packages_import_with_pyside_blocked() -> None:
    modules = [m for sub in QT_FREE for m in modules_of(sub)]
    script = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError("Qt is blocked in this test: " + name)
sys.meta_path.insert(0, Block())
import importlib
for name in {modules!r}:
    importlib.import_module(name)
import hybrid_desktop.cli
assert not any(m.startswith("PySide6") for m in sys.modules)
print("ok", len({modules!r}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
