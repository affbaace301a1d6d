"""The model worker on its own QThread, with the real embedded model and real services."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from hybrid_desktop.app import build_gui_services
from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.turns import TurnRequest
from hybrid_desktop.workers.local_worker import WorkerThread

WAIT_MS = 60_000


class Inbox(QObject):
    """The worker's signals relayed into the GUI thread (a wait on the worker's own signal
    would run in the worker's thread)."""

    loaded = Signal(object)
    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, thread: WorkerThread) -> None:
        super().__init__()
        thread.worker.loaded.connect(self.loaded)
        thread.worker.finished.connect(self.finished)
        thread.worker.failed.connect(self.failed)


def test_the_worker_loads_answers_and_keeps_one_chat_service(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services = build_gui_services(AppPaths.under(tmp_path), Settings(max_tokens=12))
    services.open_storage()
    thread = WorkerThread(services)
    worker = thread.worker
    inbox = Inbox(thread)
    try:
        with qtbot.waitSignal(inbox.loaded, timeout=WAIT_MS) as loaded:
            worker.request_load.emit(services.settings)
        assert "SmolLM2" in loaded.args[0].name
        results, chat_services = [], []
        for n, prompt in enumerate(("Say hi.", "Say bye.")):
            with qtbot.waitSignal(inbox.finished, timeout=WAIT_MS) as done:
                worker.request_turn.emit(n, TurnRequest(prompt, route="local"), None)
            results.append(done.args[1])
            chat_services.append(worker._service)
        assert chat_services[0] is chat_services[1], "the chat service is built once and reused"
        assert all(r.status == "complete" and r.route == "local" for r in results)
        # Both turns went through the serial writer into the one file.
        reader = services.history()
        assert len(reader.list_conversations()) == 2
    finally:
        assert thread.stop()
        services.close()


def test_a_turn_before_any_model_fails_with_a_message(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services = build_gui_services(AppPaths.under(tmp_path), Settings(max_tokens=12))
    thread = WorkerThread(services)
    inbox = Inbox(thread)
    try:
        with qtbot.waitSignal(inbox.failed, timeout=WAIT_MS) as failed:
            thread.worker.request_turn.emit(7, TurnRequest("Hello", route="local"), None)
        request_id, failure = failed.args
        assert request_id == 7 and "not loaded" in failure.message
        assert services.storage_open  # the worker opened storage itself
    finally:
        assert thread.stop()
        services.close()
