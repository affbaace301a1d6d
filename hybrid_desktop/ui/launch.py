"""Building the running GUI: the QApplication, the main window and the model worker.

``start_app`` is shared by the real launch and the self-test, so the self-test exercises the
same wiring a user gets.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from hybrid_desktop import APP_ID, APP_NAME, __version__
from hybrid_desktop.config.logs import setup_logging
from hybrid_desktop.config.paths import AppPaths, default_paths
from hybrid_desktop.config.settings import Settings, load_settings
from hybrid_desktop.core.errors import HybridDesktopError
from hybrid_desktop.ui.main_window import MainWindow
from hybrid_desktop.workers.local_worker import WorkerThread

if TYPE_CHECKING:
    from collections.abc import Callable

    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.ui.desktop import Desktop

log = logging.getLogger(__name__)


@dataclass
class RunningApp:
    app: QApplication
    window: MainWindow
    worker: WorkerThread

    def shutdown(self) -> None:
        if self.window.desktop is not None:
            self.window.desktop.shutdown()
        self.window.stop()
        if not self.worker.stop():
            log.warning("the model worker did not stop in time")
        if self.window.history is not None:
            self.window.history.close()


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def _qt_message(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file, not to the user's terminal."""
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def ensure_application(argv: list[str] | None = None) -> QApplication:
    qInstallMessageHandler(_qt_message)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def open_history(paths: AppPaths, problems: list[str]) -> tuple[AppPaths, HistoryStore]:
    """Open history; when the data folder is unusable, keep working on a temporary one and say so."""
    from hybrid_desktop.storage.history import HistoryStore

    try:
        paths.ensure()
        return paths, HistoryStore(paths.database)
    except HybridDesktopError as exc:
        log.error("data folder unusable: %s", exc.message, exc_info=True)
        fallback = AppPaths.under(Path(tempfile.mkdtemp(prefix=f"{APP_ID}-")))
        fallback = AppPaths(
            fallback.data_dir, paths.config_dir, fallback.log_dir, fallback.cache_dir
        )
        fallback.data_dir.mkdir(parents=True, exist_ok=True)
        problems.append(
            f"{exc.message} {exc.hint} Until then, this session's conversations are kept in a "
            f"temporary folder and will not be saved."
        )
        return fallback, HistoryStore(fallback.database)


def start_app(
    paths: AppPaths | None = None,
    settings: Settings | None = None,
    desktop: bool = False,
    show: bool = True,
    on_desktop: Callable[[Desktop], None] | None = None,
) -> RunningApp:
    """Show the main window at once, then load the model in the worker thread.

    ``desktop`` adds the Quick Prompt, tray icon and global hotkey; ``show=False`` starts in the
    tray (only honoured when there is one).
    """
    paths = paths or default_paths()
    problems: list[str] = []
    setup_logging(paths.log_file if _can_log(paths) else None)
    log.info("starting %s %s", APP_NAME, __version__)
    if settings is None:
        settings = load_settings(paths.settings_file)
        problems.extend(f"Settings: {p}." for p in settings.problems)
    app = ensure_application()
    worker = WorkerThread()
    window = MainWindow(paths, settings, worker, problems)

    def set_icon() -> None:
        from hybrid_desktop.ui.icons import app_icon

        window.setWindowIcon(app_icon())

    # The icon is drawn or loaded after the first paint: it costs ~15 ms of imports.
    window.shown.connect(lambda: QTimer.singleShot(0, set_icon))
    if not show:
        set_icon()

    def attach() -> None:
        from hybrid_desktop.ui.desktop import attach_desktop

        attached = attach_desktop(window)
        if attached.tray is None and not window.isVisible():
            window.show()  # no tray to start minimised into
            window.schedule_startup()
        if on_desktop is not None:
            on_desktop(attached)

    if show:
        window.show()
        # History, the model, then the tray and the hotkey follow once the window is on screen.
        window.schedule_startup()
        if desktop:
            window.shown.connect(lambda: QTimer.singleShot(0, attach))
    else:
        if desktop:
            attach()
        QTimer.singleShot(0, window.finish_startup)
    return RunningApp(app, window, worker)


def _can_log(paths: AppPaths) -> bool:
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        return os.access(paths.log_dir, os.W_OK)
    except OSError:
        return False


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An exception in a slot: log it with its traceback, tell the user briefly, keep running."""
    log.error("unhandled exception\n%s", "".join(traceback.format_exception(kind, value, tb)))
    app = QApplication.instance()
    if app is not None and not os.environ.get("HYBRID_DESKTOP_NO_DIALOGS"):
        QMessageBox.warning(
            None,
            APP_NAME,
            f"Something went wrong ({kind.__name__}). The app keeps running; details are in the "
            "log file (Help → Open Log Folder).",
        )


def launch(quick_prompt: bool = False, minimized: bool = False) -> int:
    """The GUI: hand over to a running instance if there is one, else start and serve."""
    from hybrid_desktop.ui.single_instance import InstanceServer, hand_over, server_name

    paths = default_paths()
    setup_logging(paths.log_file if _can_log(paths) else None)
    app = ensure_application()
    app.setQuitOnLastWindowClosed(False)  # the tray keeps the app; quitting is explicit
    name = server_name(str(paths.data_dir))
    if hand_over(name, "quick-prompt" if quick_prompt else "show"):
        log.info("handed over to the running instance")
        return 0
    server = InstanceServer(name)
    server.listen()
    settings = load_settings(paths.settings_file)

    def ready(desktop: Desktop) -> None:
        desktop.server = server
        server.requested.connect(desktop.handle)
        if desktop.tray is None:
            app.setQuitOnLastWindowClosed(True)
        if quick_prompt:
            desktop.quick.summon()

    running = start_app(
        paths,
        settings,
        desktop=True,
        show=not (minimized or settings.start_minimized or quick_prompt),
        on_desktop=ready,
    )
    sys.excepthook = _excepthook
    code = running.app.exec()
    running.shutdown()
    return int(code)
