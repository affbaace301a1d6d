"""The application entry point and composition root: ``hybrid-desktop`` (GUI, CLI, self-test and
benchmark share it). This is the one module that builds the services; every face receives them.

Start-up order:

1. parse the command line, once (``cli.build_parser``);
2. resolve paths (``HYBRID_DESKTOP_HOME`` or the OS folders) and start the log file;
3. load settings (a broken file means defaults plus a notice, never a crash);
4. build the services (:func:`build_services`): the privacy gate (Presidio loads on first use),
   the network monitor (with a deadline on name lookups, from ``workers.deadline``) and the cloud
   tier (its client is made on the first cloud turn). Nothing touches the network or the disk
   beyond the settings file here;
5. hand them to the face that was asked for:

   - the **CLI** (``cli.run``): opens history (running migrations once) when a command needs
     it, and loads the local model only if a turn is answered locally;
   - the **GUI** (``ui.launch``): hand over to a running instance if there is one; else build the
     ``QApplication``, the app state, the task pool, the model worker thread and the main window,
     and show it. Nothing heavy is imported up to here (no sqlite-utils, llama.cpp or Markdown
     parser). After the first paint: open storage through the one serial writer (migrations run
     there, once; a temporary folder, with a banner, when the data folder is unusable), start
     the network probe, queue the model load on the worker thread, then the tray and the hotkey;
   - the **self-test** (``ui.selftest``) and the **benchmark** (``bench``): the same GUI wiring on
     a temporary data folder, through :func:`build_gui_services`.

Signals: SIGTERM and SIGHUP (logout, shutdown, ``kill``) quit the GUI as its Quit does, so the
answer being generated stops at its next token and is saved as *stopped* (:func:`_quit_on_signals`);
the CLI handles them around each turn (``cli._ask``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.services import ClosableWriter, Services

log = logging.getLogger(__name__)


def build_services(paths: AppPaths, settings: Settings, *, serial_writer: bool = False) -> Services:
    """The app's services, built once. ``serial_writer``: the GUI's one thread that writes
    history (the CLI writes on its own single thread)."""
    from hybrid_desktop.core.cloud_tier import PROBE_TIMEOUT_S, CloudTier
    from hybrid_desktop.core.network import NetworkMonitor, endpoint_url
    from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy
    from hybrid_desktop.core.services import Services
    from hybrid_desktop.workers.deadline import resolve_with_deadline

    gate = PrivacyGate(PrivacyPolicy.from_settings(settings))
    network = NetworkMonitor(
        endpoint_url(settings.cloud_base_url or None),
        timeout_s=min(PROBE_TIMEOUT_S, settings.cloud_timeout_s),
        resolve=resolve_with_deadline,
    )

    def make_writer(path: Path) -> ClosableWriter:
        # Imported when storage opens (after the first paint): sqlite-utils is a slow import.
        from hybrid_desktop.workers.writer import SerialWriter

        return SerialWriter(path)

    problems = [f"Settings: {p}." for p in settings.problems]
    return Services(
        paths,
        settings,
        gate,
        CloudTier(settings, gate, network),
        problems=problems,
        make_writer=make_writer if serial_writer else None,
        temporary_fallback=serial_writer,
    )


def build_gui_services(paths: AppPaths, settings: Settings) -> Services:
    return build_services(paths, settings, serial_writer=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Console and GUI entry point: parses the command line once and runs the face asked for."""
    if sys.stdout is None:  # a windowed launch on Windows has no console
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    from hybrid_desktop.config.private import restrict_umask

    restrict_umask()  # history, vault, settings and log are the user's alone
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--model-job"]:  # a quantize/score child of the bundled app (quantize.py)
        from hybrid_desktop.core.model_manager import quantize_child

        return quantize_child.main(["quantize_child", *arguments[1:]])
    if not arguments:  # a double-click: nothing to parse, so the window need not wait for argparse
        return run_gui()
    from hybrid_desktop import cli

    args = cli.build_parser().parse_args(arguments)
    if args.self_test:
        from hybrid_desktop.ui.selftest import run_self_test

        return run_self_test(build_gui_services)
    if args.command is None:
        return run_gui(quick_prompt=args.quick_prompt, minimized=args.minimized)
    if args.command == "bench":
        from hybrid_desktop.bench import run

        return run(build_gui_services, as_json=args.json, quick=args.quick)
    return cli.run(args, _cli_services)


def _cli_services(paths: AppPaths) -> Services:
    from hybrid_desktop.config.settings import load_settings

    return build_services(paths, load_settings(paths.settings_file))


def run_gui(quick_prompt: bool = False, minimized: bool = False) -> int:
    from hybrid_desktop.config.logs import keep_early_records
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.config.settings import load_settings

    keep_early_records()  # the log file opens after the first paint, with these records
    _quit_on_signals()
    paths = default_paths()
    from hybrid_desktop.ui.launch import launch

    settings = load_settings(paths.settings_file)

    def after_first_paint() -> Services:
        from hybrid_desktop.config.logs import setup_logging

        setup_logging(paths.log_file if _can_log(paths) else None)
        return build_gui_services(paths, settings)

    # The services are built once, right after the window's first paint (launch calls this).
    return launch(
        paths, settings, after_first_paint, quick_prompt=quick_prompt, minimized=minimized
    )


def _quit_on_signals() -> None:
    """SIGTERM and SIGHUP quit the GUI the way Quit does: the turn in progress stops and its
    partial answer is saved as *stopped*, the threads end and history closes (``RunningApp.
    shutdown``). Python runs a signal handler only when the interpreter next runs, and the Qt
    event loop runs no Python while idle: the C-level handler writes a byte to a pipe
    (``signal.set_wakeup_fd``) and a QSocketNotifier on it wakes the loop."""
    if os.name != "posix":
        return
    import signal

    from PySide6.QtCore import QSocketNotifier, QTimer

    from hybrid_desktop.ui.launch import ensure_application

    app = ensure_application()
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd)

    def drain() -> None:
        try:
            while os.read(read_fd, 512):
                pass
        except BlockingIOError:
            pass

    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, app)
    notifier.activated.connect(drain)

    def handler(signum: int, _frame: object) -> None:
        log.info("%s received: quitting", signal.Signals(signum).name)
        QTimer.singleShot(0, _quit_gui)  # from the event loop, even if it has not started yet

    for name in ("SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), handler)


def _quit_gui() -> None:
    from PySide6.QtWidgets import QApplication

    from hybrid_desktop.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.built:
            widget.state.quit_requested.emit()  # RunningApp.quit: really close, then quit
            return
    QApplication.quit()


def _can_log(paths: AppPaths) -> bool:
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        return os.access(paths.log_dir, os.W_OK)
    except OSError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
