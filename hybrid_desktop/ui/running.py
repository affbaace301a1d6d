"""The running GUI, assembled from the app's services around a window that may already be on
screen: the app state, the one task pool, the model worker thread, the turn controller, the
settings controller, and the window's panels.

``ui.launch`` shows the window's shell first and calls :func:`assemble` after the first paint;
the self-test, the benchmark and the tests do both at once (``launch.start_app``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui import message
from hybrid_desktop.ui.main_window import MainWindow
from hybrid_desktop.ui.state import AppState, SettingsController
from hybrid_desktop.ui.turns import TurnController
from hybrid_desktop.workers.local_worker import WorkerThread
from hybrid_desktop.workers.tasks import TaskRunner

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services
    from hybrid_desktop.ui.desktop import Desktop

log = logging.getLogger(__name__)

#: Threads of the app's one pool of short jobs (privacy scans, probes, model lists).
TASK_THREADS = 2


@dataclass
class RunningApp:
    app: QApplication
    services: Services
    state: AppState
    tasks: TaskRunner
    worker: WorkerThread
    turns: TurnController
    settings: SettingsController
    window: MainWindow
    desktop: Desktop | None = None
    started: bool = field(default=False)

    def finish_startup(self) -> None:
        """The work deferred until the window shows: storage, then the model (idempotent)."""
        if self.started:
            return
        self.started = True
        services = self.services
        try:
            services.open_storage()
        except HybridDesktopError as exc:
            log.error("history unavailable: %s", exc.message, exc_info=True)
            message.error(exc.user_text())
        else:
            if services.history().disk_full:
                message.error(
                    QCoreApplication.translate(
                        "RunningApp",
                        "The disk that holds your history is full: your conversations can be "
                        "read, but nothing new can be saved until you free some space on it.",
                    )
                )
        for problem in services.problems:
            message.error(problem)
        services.problems.clear()
        self.state.conversations_changed.emit()
        self.window.cloud_status.start()
        self.turns.load_model()
        # Build the Markdown parser now, not in the middle of the first streamed answer.
        QTimer.singleShot(0, _warm_markdown)

    def attach_desktop(self) -> Desktop:
        """The Quick Prompt, the tray icon and the global hotkey."""
        from hybrid_desktop.ui.desktop import attach_desktop

        self.desktop = attach_desktop(self.window)
        return self.desktop

    def open_settings(self, page: str = "") -> None:
        """The Settings dialog (modal), on ``page`` ("model", "general", "cloud", "edge" or
        "privacy") when given."""
        from hybrid_desktop.ui.settings_dialog import PAGES, SettingsDialog

        desktop = self.desktop
        dialog = SettingsDialog(
            self.state.settings,
            self.window,
            tray_status=desktop.tray_status if desktop else "",
            hotkey_status=desktop.hotkey_status if desktop else "",
            tasks=self.tasks,
        )
        dialog.key_changed.connect(self.services.cloud.forget_key)
        if page in PAGES:
            dialog.tabs.setCurrentIndex(PAGES.index(page))
        if dialog.exec():
            self.settings.apply(dialog.result_settings())
        if self.window.first_run.isVisible():  # a key may have been added
            self.window.first_run.refresh()

    def quit(self) -> None:
        self.window.quitting = True
        self.window.close()
        QApplication.quit()

    def shutdown(self) -> None:
        """Stop everything that runs, in order: desktop parts, turns, the worker, the pool, then
        storage (the writer last, once nothing can write)."""
        if self.desktop is not None:
            self.desktop.shutdown()
        self.turns.stop_all()
        if not self.worker.stop():
            log.warning("the model worker did not stop in time")
        self.tasks.wait()
        self.services.close()


def _warm_markdown() -> None:
    from hybrid_desktop.ui.markdown import render_markdown

    render_markdown("warm *up*")


def assemble(app: QApplication, services: Services, window: MainWindow) -> RunningApp:
    """Build the app's GUI parts around ``window`` (a shell, maybe already shown)."""
    message.reset()
    tasks = TaskRunner(TASK_THREADS)
    state = AppState(services, tasks)
    worker = WorkerThread(services)
    turns = TurnController(state, worker)
    settings = SettingsController(state)
    window.build(state, turns, settings)
    running = RunningApp(app, services, state, tasks, worker, turns, settings, window)
    state.start_requested.connect(running.finish_startup)
    state.quit_requested.connect(running.quit)
    window.settings_requested.connect(running.open_settings)
    window.settings_page_requested.connect(running.open_settings)
    return running
