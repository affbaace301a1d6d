"""The package's imports run one way, and none of them goes round in a circle.

- The import-linter contracts in ``pyproject.toml`` (layers, and the CLI's forbidden list) hold,
  type-only imports included.
- No cycle among module-level imports. Imports inside functions are counted too (a cycle hidden
  in a function is still a cycle); only ``if TYPE_CHECKING:`` blocks are left out, since they
  never run.
"""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import hybrid_desktop

PACKAGE = Path(hybrid_desktop.__file__).parent
REPO = PACKAGE.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, top_level_only: bool) -> set[str]:
    found: set[str] = set()

    def target(name: str) -> None:
        # The longest of our modules the name refers to (``a.b.c`` may be ``a.b``'s attribute c).
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)

    def visit(nodes: list[ast.stmt], depth: int) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                visit(node.orelse, depth)
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target(alias.name)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: level 1 is this module's package, 2 its parent, ...
                    parts = module.split(".")
                    if MODULES[module].name != "__init__.py":
                        parts.pop()
                    package = ".".join(parts[: len(parts) - node.level + 1])
                    base = f"{package}.{base}" if base else package
                for alias in node.names:
                    target(f"{base}.{alias.name}")
            is_def = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if is_def and top_level_only and not isinstance(node, ast.ClassDef):
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit(
                        [c for c in children if isinstance(c, ast.stmt | ast.ExceptHandler)],
                        depth + 1,
                    )
            if isinstance(node, ast.ExceptHandler):
                visit(node.body, depth + 1)

    assert isinstance(tree, ast.Module)
    visit(tree.body, 0)
    return found


def graph(top_level_only: bool) -> dict[str, set[str]]:
    return {
        name: _imports(ast.parse(path.read_text(encoding="utf-8")), name, top_level_only)
        for name, path in MODULES.items()
    }


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return None


def test_the_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache", "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_level_import_cycle() -> None:
    assert cycle_in(graph(top_level_only=True)) is None


def test_no_import_cycle_hidden_in_a_function() -> None:
    assert cycle_in(graph(top_level_only=False)) is None


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check itself can fail: a planted two-module cycle is reported."""
    edges = graph(top_level_only=True)
    edges["hybrid_desktop.errors"] = {"hybrid_desktop.storage.db"}
    found = cycle_in(edges)
    assert found is not None and "hybrid_desktop.errors" in found


def test_relative_imports_are_resolved() -> None:
    """``from .x import y`` inside a package counts as an import of that package's ``x``."""
    imports = graph(top_level_only=False)
    assert "hybrid_desktop.core.privacy.recognizers._base" in set().union(
        *(imports[m] for m in MODULES if m.startswith("hybrid_desktop.core.privacy.recognizers."))
    )
