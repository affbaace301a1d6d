"""The app's task pool (results back in the GUI thread) and name lookups with a deadline."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from hybrid_desktop.workers.deadline import resolve_with_deadline
from hybrid_desktop.workers.tasks import TaskRunner


def test_results_and_errors_come_back_in_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner(2)
    gui = threading.current_thread()
    seen: list[tuple[str, object, bool]] = []
    tasks.run(
        lambda: threading.current_thread().name,
        lambda r: seen.append(("ok", r, threading.current_thread() is gui)),
        lambda e: None,
        tag="a",
    )

    def boom() -> None:
        raise ValueError("no")

    tasks.run(
        boom,
        lambda r: None,
        lambda e: seen.append(("error", type(e).__name__, threading.current_thread() is gui)),
        tag="b",
    )
    assert tasks.running("a") or tasks.running("b") or seen
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    kinds = {kind: (value, in_gui) for kind, value, in_gui in seen}
    assert kinds["error"] == ("ValueError", True)
    assert kinds["ok"][1] is True and kinds["ok"][0] != gui.name
    assert not tasks.busy and not tasks.running("a")
    assert tasks.wait(1000)


def test_a_literal_address_needs_no_lookup() -> None:
    assert resolve_with_deadline("127.0.0.1", 443, 0.01)[0][4] == ("127.0.0.1", 443)
    assert resolve_with_deadline("::1", 443, 0.01)[0][0] == socket.AF_INET6


def test_a_hanging_resolver_costs_at_most_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def hang(*_args: object, **_kwargs: object) -> list[object]:  # a DNS server that never answers
        release.wait(10)
        raise OSError("late")

    monkeypatch.setattr(socket, "getaddrinfo", hang)
    started = time.perf_counter()
    with pytest.raises(TimeoutError, match="took longer"):
        resolve_with_deadline("api.example.invalid", 443, 0.3)
    assert time.perf_counter() - started < 1.5
    release.set()
