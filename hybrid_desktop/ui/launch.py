"""Showing the GUI: the QApplication, the single instance, the main window's shell at once, and
the rest of the app (``ui.running``) after its first paint.

This module imports only Qt and a few small modules of ours, so the first window maps about as
fast as a bare PySide6 window does (the benchmark in ``tests/benchmarks/bench_app.py`` measures the
ratio). ``start_app`` builds everything at once around a shown window: the self-test, the benchmark
and the tests use it, so they exercise the wiring a user gets.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from hybrid_desktop import APP_ID, APP_NAME, __version__
from hybrid_desktop.ui.i18n import install_translations
from hybrid_desktop.ui.main_window import MainWindow
from hybrid_desktop.ui.theme import apply_theme, follow_settings

if TYPE_CHECKING:
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.services import Services
    from hybrid_desktop.ui.desktop import Desktop
    from hybrid_desktop.ui.running import RunningApp

log = logging.getLogger(__name__)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


_previous_handler: list[Callable[..., None] | None] = []


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    """Qt's own warnings go to the log file, not to the user's terminal. A handler installed
    before ours (pytest-qt's, which fails a test on a Qt warning) still hears them."""
    _qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", text)
    previous = _previous_handler[0] if _previous_handler else None
    if previous is not None:
        previous(kind, context, text)


def ensure_application(argv: list[str] | None = None) -> QApplication:
    if not _previous_handler:  # once per process
        _previous_handler.append(qInstallMessageHandler(_qt_message))
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def start_app(
    services: Services,
    desktop: bool = False,
    show: bool = True,
    on_desktop: Callable[[Desktop], None] | None = None,
    shell_first: bool = False,
) -> RunningApp:
    """Build the whole GUI and show the main window; storage and the model follow its first
    expose. ``desktop`` adds the Quick Prompt, tray icon and global hotkey; ``show=False``
    starts in the tray (only honoured when there is one). ``shell_first`` puts the window's
    shell on screen before the panels are built, in the order of a real launch (the self-test
    times it)."""
    from hybrid_desktop.ui.running import assemble

    log.info("starting %s %s", APP_NAME, __version__)
    app = ensure_application()
    apply_theme(app, services.settings.color_scheme)
    install_translations(app, services.settings.language)
    window = MainWindow(services.paths.config_dir)
    if show and shell_first:
        window.setCentralWidget(_starting())
        window.show()
        window.watch_first_expose()
        deadline = time.monotonic() + 2.0
        while window.shown_at is None and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    running = assemble(app, services, window)
    follow_settings(app, running.state)

    def attach() -> None:
        attached = running.attach_desktop()
        if attached.tray is None and not window.isVisible():
            window.show()  # no tray to start minimised into
            _schedule_startup(running)
        if on_desktop is not None:
            on_desktop(attached)

    if show and window.shown_at is not None:  # the shell is already on screen
        QTimer.singleShot(0, lambda: _set_icon(window))
        QTimer.singleShot(0, running.finish_startup)
        if desktop:
            QTimer.singleShot(0, attach)
    elif show:
        window.show()
        # The icon is drawn or loaded after the first paint: it costs ~15 ms of imports.
        window.shown.connect(lambda: QTimer.singleShot(0, lambda: _set_icon(window)))
        # Storage, the model, then the tray and the hotkey follow once the window is on screen.
        _schedule_startup(running)
        if desktop:
            window.shown.connect(lambda: QTimer.singleShot(0, attach))
    else:
        _set_icon(window)
        if desktop:
            attach()
        QTimer.singleShot(0, running.finish_startup)
    return running


def _starting() -> QLabel:
    """The window's placeholder until its panels are built."""
    return QLabel(QCoreApplication.translate("Launch", "Starting…"))


def _set_icon(window: MainWindow) -> None:
    from hybrid_desktop.ui.icons import app_icon

    window.setWindowIcon(app_icon())


def _schedule_startup(running: RunningApp) -> None:
    """Run :meth:`RunningApp.finish_startup` once the window is on screen (its first expose)."""
    window = running.window
    window.watch_first_expose()
    window.shown.connect(lambda: QTimer.singleShot(0, running.finish_startup))
    # In case the platform never reports an expose (a minimised start, some offscreen setups).
    QTimer.singleShot(500, running.finish_startup)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An exception in a slot: log it with its traceback, tell the user briefly, keep running."""
    log.error("unhandled exception\n%s", "".join(traceback.format_exception(kind, value, tb)))
    app = QApplication.instance()
    if app is not None and not os.environ.get("HYBRID_DESKTOP_NO_DIALOGS"):
        QMessageBox.warning(
            None,
            APP_NAME,
            QCoreApplication.translate(
                "Launch",
                "Something went wrong ({error}). The app keeps running; details are in the "
                "log file (Help → Open Log Folder).",
            ).format(error=kind.__name__),
        )


def launch(
    paths: AppPaths,
    settings: Settings,
    make_services: Callable[[], Services],
    quick_prompt: bool = False,
    minimized: bool = False,
) -> int:
    """The GUI: hand over to a running instance if there is one; else show the window's shell,
    then (after its first paint) build the services with ``make_services`` and the rest."""
    from hybrid_desktop.ui.single_instance import InstanceServer, hand_over, server_name

    app = ensure_application()
    app.setQuitOnLastWindowClosed(False)  # the tray keeps the app; quitting is explicit
    name = server_name(str(paths.data_dir))
    if hand_over(name, "quick-prompt" if quick_prompt else "show"):
        log.info("handed over to the running instance")
        return 0
    log.info("starting %s %s", APP_NAME, __version__)
    server = InstanceServer(name)
    server.listen()
    show = not (minimized or settings.start_minimized or quick_prompt)
    apply_theme(app, settings.color_scheme)  # before the first window maps
    install_translations(app, settings.language)  # before any widget takes its text
    window = MainWindow(paths.config_dir)
    started: list[RunningApp] = []
    # A later launch may ask before the desktop parts exist: keep its request until they do.
    pending: list[str] = []
    server.requested.connect(pending.append)

    def start() -> None:
        if started:
            return
        from hybrid_desktop.ui.running import assemble

        running = assemble(app, make_services(), window)
        follow_settings(app, running.state)
        started.append(running)
        _set_icon(window)
        desktop = running.attach_desktop()
        desktop.server = server
        server.requested.disconnect(pending.append)
        server.requested.connect(desktop.handle)
        if desktop.tray is None:
            app.setQuitOnLastWindowClosed(True)
            if not window.isVisible():
                window.show()  # no tray to start minimised into
        running.finish_startup()
        if quick_prompt:
            desktop.quick.summon()
        for action in pending:
            desktop.handle(action)
        pending.clear()

    if show:
        window.setCentralWidget(_starting())
        window.shown.connect(lambda: QTimer.singleShot(0, start))
        window.show()
        window.watch_first_expose()  # the native window exists once shown
        # In case the platform never reports an expose.
        QTimer.singleShot(500, start)
    else:
        start()
    sys.excepthook = _excepthook
    code = app.exec()
    for running in started:
        running.shutdown()
    return int(code)
