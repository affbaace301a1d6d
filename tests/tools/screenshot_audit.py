"""Take the README's screenshot of the Workload Audit window.

    python tests/tools/screenshot_audit.py resources/screenshots/workload-audit.png
    python tests/tools/screenshot_audit.py --synthetic many-records.png

Runs offscreen in a throwaway HYBRID_DESKTOP_HOME. By default the records are real: the window
asks :data:`PROMPTS` on Auto, so the real router picks the route; local answers come from the
embedded model and cloud answers from the suite's Messages server on 127.0.0.1
(``tests/support/anthropic_server``), through the real privacy gate. The last prompts meet a
rate-limited cloud (429) and fall back to the device. Then the window is opened from the main
window, as Privacy → Workload Audit… does, and grabbed once its reads are shown.

``--synthetic`` fills 2,000 records with ``tests/support/audit_data.fill_requests`` (seed 1)
instead: routes from the real router over the labelled routing prompts, but times, tokens and
costs drawn at random. It shows the charts over 30 days of use.
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
#: Asked on Auto, in order; the router decides each route.
PROMPTS = (
    "What is the capital of France?",
    "Give me three names for a grey cat.",
    "Translate 'good morning' into Spanish.",
    "Prove that there are infinitely many primes, then derive the prime number theorem's "
    "leading term step by step, with a rigorous argument for each step.",
    "What's a synonym for happy?",
    "Write a haiku about autumn rain.",
    "Hi, I'm Maria Gonzalez, my email is maria.g@example.org and my phone is +34 612 345 678. "
    "Analyse the trade-offs of event sourcing versus CRUD for a billing system, step by step, "
    "with failure modes and a migration plan.",
    "How many days are in a leap year?",
    "Design a distributed rate limiter for a multi-region API: compare token bucket and "
    "sliding window, the consistency trade-offs, and the failure modes, in detail.",
    "Name a fruit that is yellow.",
    "Wie spät ist es in Tokio, wenn es in Berlin 9 Uhr ist?",
    "Explain, step by step and rigorously, why the halting problem is undecidable, then "
    "relate it to Rice's theorem with a worked example.",
)
#: Asked while the cloud answers 429: they fall back to the device.
RATE_LIMITED = (
    "Derive the closed form of the Fibonacci numbers with generating functions, step by step, "
    "and prove it by induction.",
)


def main() -> None:
    synthetic = "--synthetic" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--synthetic"]
    out = Path(args[0] if args else "workload-audit.png")
    if synthetic:
        take(out, synthetic=True)
        return
    from tests.conftest import TEST_KEY
    from tests.support.anthropic_server import running_server

    with running_server() as server:
        os.environ["ANTHROPIC_BASE_URL"] = server.base_url
        os.environ["ANTHROPIC_API_KEY"] = TEST_KEY
        server.set(reply="Here is a careful answer, <PERSON_1>, step by step.")
        take(out, synthetic=False, server=server)


def take(out: Path, synthetic: bool, server: object = None) -> None:
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
    if synthetic:
        store = HistoryStore(paths.database)
        try:
            fill_requests(store.db, RECORDS, seed=1)
        finally:
            store.close()
    settings = Settings(
        max_tokens=48, daily_budget_usd=2.0, monthly_budget_usd=30.0, confirm_cloud_send=False
    )
    running = start_app(build_gui_services(paths, settings))
    window = running.window

    def wait_until(done: object, seconds: float = 60) -> None:
        deadline = QDeadlineTimer(int(seconds * 1000))
        while not done() and not deadline.hasExpired():  # type: ignore[operator]
            running.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not done():  # type: ignore[operator]
            raise SystemExit("timed out")

    wait_until(lambda: window.built and window.state.services.storage_open)
    if not synthetic:
        panel = window.chat_panel
        for i, prompt in enumerate((*PROMPTS, *RATE_LIMITED)):
            if i == len(PROMPTS):
                server.set(mode="429")  # type: ignore[attr-defined]
            finished: list[object] = []
            panel.turn_finished.connect(finished.append)
            panel.input.setPlainText(prompt)
            panel.send()
            wait_until(lambda finished=finished: bool(finished), 300)
            panel.turn_finished.disconnect(finished.append)
            print(f"asked {i + 1}: {getattr(finished[0], 'route', 'failed')}", flush=True)
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
