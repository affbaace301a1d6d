"""Reliability benchmark: how long a user waits for an answer when the cloud misbehaves.

    python tests/benchmarks/bench_faults.py [--json] [--deadline 10]

Each fault is played by our Messages API server on 127.0.0.1 (``tests/support/anthropic_server.py``)
against the real SDK, the real privacy gate and the real embedded model, through
``ChatService.ask`` on Auto with a hard request (one that the router sends to the cloud). For each
fault: what answered (route and status), the time to the complete answer, and the reason shown.
The baseline is the same request when the cloud answers normally, measured in the same run.
Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

HARD = (
    "A train leaves at 3:40 pm going 84 km/h; a second leaves the same station at 4:10 pm at "
    "105 km/h on the same track. At what time does the second catch up, and how far out? "
    "Show each step."
)

#: (name, server behaviour)
FAULTS: list[tuple[str, dict[str, Any]]] = [
    ("normal answer (baseline)", {"mode": "ok", "reply": "Step one: ... " * 20}),
    ("never answers (hang)", {"mode": "slow", "delay_s": 60.0}),
    ("rate limit 429, Retry-After 60", {"mode": "429", "retry_after": "60"}),
    ("overloaded 529", {"mode": "529"}),
    ("server error 500", {"mode": "500"}),
    ("rejected key 401", {"mode": "401"}),
    ("stream cut mid-answer", {"mode": "cut", "cut_after": 40, "reply": "Step one: " * 20}),
    ("stream ends without message_stop", {"mode": "nostop", "reply": "Step one: " * 20}),
    ("endless stream", {"mode": "endless"}),
    ("captive portal page", {"mode": "html"}),
    ("64 MiB error page", {"mode": "huge", "cut_after": 64 << 20}),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--deadline", type=float, default=10.0, help="cloud_timeout_s")
    args = parser.parse_args(argv)

    home = tempfile.mkdtemp(prefix="bench-faults-")
    os.environ["HYBRID_DESKTOP_HOME"] = home
    os.environ["ANTHROPIC_API_KEY"] = "sk-ant-bench-0123456789abcdefghijklmnopqrstuvwxyz"

    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.chat import ChatService, TurnRequest, cloud_tier_from
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.core.models import embedded_model_path
    from hybrid_desktop.core.privacy.gate import PrivacyGate
    from hybrid_desktop.errors import HybridDesktopError
    from hybrid_desktop.storage.history import HistoryStore
    from tests.support.anthropic_server import running_server

    settings = Settings(max_tokens=48, cloud_timeout_s=args.deadline)
    engine = LocalEngine.load(embedded_model_path(), settings.n_ctx, settings.n_threads)
    gate = PrivacyGate()
    gate.load()
    rows: list[dict[str, Any]] = []
    with running_server() as server:
        os.environ["ANTHROPIC_BASE_URL"] = server.base_url
        for name, behaviour in FAULTS:
            server.set(**behaviour)
            history = HistoryStore(Path(home) / f"history-{len(rows)}.db")
            service = ChatService(engine, history, settings, cloud=cloud_tier_from(settings, gate))
            started = time.perf_counter()
            try:
                result = service.ask(TurnRequest(HARD))
                row = {
                    "fault": name,
                    "answered_by": result.route,
                    "status": result.status,
                    "seconds": round(time.perf_counter() - started, 2),
                    "reason": result.reason,
                }
            except HybridDesktopError as exc:
                row = {
                    "fault": name,
                    "answered_by": "nobody",
                    "status": "error",
                    "seconds": round(time.perf_counter() - started, 2),
                    "reason": exc.message,
                }
            history.close()
            rows.append(row)
            print(
                f"{name:36} {row['answered_by']:6} {row['status']:9} {row['seconds']:7.2f} s  "
                f"{row['reason'][:90]}",
                flush=True,
            )
    engine.close()
    if args.json:
        print(json.dumps({"deadline_s": args.deadline, "faults": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
