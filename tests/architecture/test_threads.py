"""Only ``workers/`` makes threads: nothing else names a thread or pool class."""

from __future__ import annotations

import ast
from pathlib import Path

import hybrid_desktop

PACKAGE = Path(hybrid_desktop.__file__).parent
THREAD_MAKERS = {"Thread", "QThread", "ThreadPoolExecutor", "QThreadPool", "start_new_thread"}


def makers_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.alias):
            name = node.name.rpartition(".")[2]
        if name in THREAD_MAKERS:
            found.append(f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', '?')} {name}")
    return found


def test_only_workers_make_threads() -> None:
    offenders = [
        hit
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "workers"
        for hit in makers_in(path)
    ]
    assert offenders == []


def test_the_check_sees_a_thread() -> None:
    assert makers_in(PACKAGE / "workers" / "writer.py")
