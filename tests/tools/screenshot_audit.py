"""Take the README's screenshot of the Workload Audit window over 2,000 synthetic requests.

    python tests/tools/screenshot_audit.py resources/screenshots/workload-audit.png

Runs offscreen in a throwaway HYBRID_DESKTOP_HOME. The history is filled first by
``tests/support/audit_data.fill_requests`` (seed 1); then the app starts, the window is opened
from the main window, as Privacy → Workload Audit… does, and grabbed once its reads are shown.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RECORDS = 2000
SIZE = (1200, 860)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "workload-audit.png")
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    from hybrid_desktop.app import build_gui_services
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.ui.launch import start_app
    from tests.support.audit_data import fill_requests

    home = Path(tempfile.mkdtemp())
    os.environ["HYBRID_DESKTOP_HOME"] = str(home)
    paths = AppPaths.under(home)
    paths.ensure()
    store = HistoryStore(paths.database)
    try:
        fill_requests(store.db, RECORDS, seed=1)
    finally:
        store.close()
    settings = Settings(max_tokens=32, daily_budget_usd=2.0, monthly_budget_usd=30.0)
    running = start_app(build_gui_services(paths, settings))
    window = running.window

    def wait_until(done: object, seconds: float = 60) -> None:
        deadline = QDeadlineTimer(int(seconds * 1000))
        while not done() and not deadline.hasExpired():  # type: ignore[operator]
            running.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not done():  # type: ignore[operator]
            raise SystemExit("timed out")

    wait_until(lambda: window.built and window.state.services.storage_open)
    audit = window.open_workload_audit()
    audit.resize(*SIZE)
    wait_until(lambda: not audit.busy)
    for _ in range(5):
        running.app.processEvents()
    audit.grab().save(str(out))
    print(f"saved {out} ({audit.width()}x{audit.height()})")
    audit.close()
    window.close()
    running.shutdown()


if __name__ == "__main__":
    main()
