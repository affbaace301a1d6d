"""Reliability benchmark: how long a user waits for an answer when the cloud misbehaves, and what
big inputs cost.

    python tests/benchmarks/bench_faults.py [--json] [--deadline 10] [--only faults|big]

Each fault is played by our Messages API server on 127.0.0.1 (``tests/support/anthropic_server.py``)
against the real SDK, the real privacy gate and the real embedded model, through
``ChatService.ask`` on Auto with a hard request (one that the router sends to the cloud). For each
fault: what answered (route and status), the time to the complete answer, and the reason shown.
The baseline is the same request when the cloud answers normally, measured in the same run.

**Big inputs** (``--only big``): each runs the real CLI in a fresh process and reports its wall
time and peak resident memory (``ru_maxrss`` from ``os.wait4``, that process alone), against a
baseline measured in the same run: a 1 MB prompt through ``redact`` (the privacy check) and
through ``ask`` on Auto headed for the cloud (our server on 127.0.0.1), each against the same
command on a 1 KB prompt; and a 200 MB error page from the server, against a small error page
(both end in the local fallback, so the difference is what reading the page costs).

Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
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
    parser.add_argument("--only", choices=("faults", "big"), help="one part of the benchmark")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"deadline_s": args.deadline}
    if args.only != "big":
        report["faults"] = run_faults(args.deadline)
    if args.only != "faults":
        report["big_inputs"] = run_big_inputs()
    if args.json:
        print(json.dumps(report))
    return 0


def run_faults(deadline: float) -> list[dict[str, Any]]:
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

    settings = Settings(max_tokens=48, cloud_timeout_s=deadline)
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
    return rows


# big inputs ------------------------------------------------------------------------------------

#: Prose with personal data in it, varied per repetition so no two paragraphs are the same.
PARAGRAPH = (
    "Meeting note {i}: Anna Schmidt (anna.schmidt{i}@example.org, +49 30 1234{i:04d}) asked "
    "whether the invoice {i} for the Berlin office was paid; Tom Becker will check with the bank "
    "on Monday and write back to the team. The budget review moves to Thursday at 10:00. "
)


def prose(size: int, head: str = "") -> str:
    """``head`` then varied prose, cut to ``size`` characters (ASCII: characters are bytes)."""
    parts = [head]
    total, i = len(head), 0
    while total < size:
        piece = PARAGRAPH.format(i=i)
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts)[:size]


def measured(args: list[str], data: bytes, env: dict[str, str]) -> dict[str, Any]:
    """Run the CLI once in a fresh process: wall time, peak RSS (that process's own), exit code."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hybrid_desktop", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    out: list[bytes] = []
    err: list[bytes] = []
    assert proc.stdout is not None and proc.stderr is not None and proc.stdin is not None
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err.append(proc.stderr.read())),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    with contextlib.suppress(BrokenPipeError):  # the process ended early: its row says why
        proc.stdin.write(data)
    proc.stdin.close()
    for reader in readers:
        reader.join()
    _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own usage, not all children's
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    stdout = b"".join(out).decode("utf-8", "replace")
    stderr = b"".join(err).decode("utf-8", "replace")
    row: dict[str, Any] = {
        "exit": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }
    lines = [line for line in stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if isinstance(answer, dict) and "route" in answer:
        row["route"], row["status"] = answer.get("route"), answer.get("status")
        row["reason"] = str(answer.get("reason", ""))[:90]
    if proc.returncode != 0 or "Traceback" in stderr:
        row["stderr"] = stderr.strip()[-300:]
    return row


def run_big_inputs() -> list[dict[str, Any]]:
    from tests.support.anthropic_server import running_server

    home = Path(tempfile.mkdtemp(prefix="bench-big-"))
    (home / "config").mkdir(parents=True)
    # No budget cap: a 1 MB prompt costs more than the default daily cap, and the point here is
    # the trip through the gate and the client, not the cap.
    (home / "config" / "settings.json").write_text(
        json.dumps({"daily_budget_usd": 0, "monthly_budget_usd": 0, "max_tokens": 16})
    )
    env = {
        **os.environ,
        "HYBRID_DESKTOP_HOME": str(home),
        "ANTHROPIC_API_KEY": "sk-ant-bench-0123456789abcdefghijklmnopqrstuvwxyz",
        "PYTHONPATH": str(ROOT),
    }
    small, big = prose(1_000).encode(), prose(1_000_000).encode()
    small_ask, big_ask = prose(1_000, HARD + "\n\n").encode(), prose(1_000_000, HARD + "\n\n")
    cases: list[tuple[str, list[str], bytes, dict[str, Any]]] = [
        ("redact, 1 KB prompt (baseline)", ["redact", "--json"], small, {}),
        ("redact, 1 MB prompt", ["redact", "--json"], big, {}),
        ("ask auto->cloud, 1 KB (baseline)", ["ask", "--json"], small_ask, {"mode": "ok"}),
        ("ask auto->cloud, 1 MB", ["ask", "--json"], big_ask.encode(), {"mode": "ok"}),
        ("small error page (baseline)", ["ask", "--json"], HARD.encode(), {"mode": "500"}),
        (
            "200 MB error page",
            ["ask", "--json"],
            HARD.encode(),
            {"mode": "huge", "cut_after": 200 << 20},
        ),
    ]
    rows: list[dict[str, Any]] = []
    with running_server() as server:
        env["ANTHROPIC_BASE_URL"] = server.base_url
        for name, args, data, behaviour in cases:
            server.set(reply="Noted.", **behaviour)
            row = {"case": name, "input_bytes": len(data), **measured(args, data, env)}
            sent = server.message_requests()
            row["cloud_requests"] = len(sent)
            server.requests.clear()
            rows.append(row)
            print(
                f"{name:34} {row['seconds']:7.2f} s  {row['peak_rss_mb']:7.1f} MB peak  "
                f"exit {row['exit']}  {row.get('route', ''):5} {row.get('reason', '')[:60]}"
                + (f"\n    {row['stderr']}" if "stderr" in row else ""),
                flush=True,
            )
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
