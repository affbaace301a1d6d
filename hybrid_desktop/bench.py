"""``hybrid-desktop bench``: the app's own speed, each figure next to a baseline from the same run.

What it measures, and how:

- **decode**: the app's local engine (the path the GUI uses, with the sampling settings from
  Settings) answers ``BENCH_PROMPT``; then a bare ``Llama.generate`` loop decodes the same number
  of tokens from the same prompt tokens on the same model, threads and context;
- **time to first token** on turn 1 and turn 8 of one conversation (later turns reuse the KV cache
  for the shared prefix, so they must not grow with the history);
- **UI stall**: lateness of a 5 ms timer on the GUI thread while an answer streams into the real
  chat view (offscreen);
- **privacy gate** latency by prompt size, and the router's mean decision time;
- **idle memory** with the window up and the model and the gate loaded.

Figures are printed as a table; with ``--json``, one JSON object on the last line.

A top-layer module beside ``app`` and ``cli``: the app dispatches ``hybrid-desktop bench`` here
and hands over its service builder; nothing else imports this module.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.services import Services

    MakeServices = Callable[[AppPaths, Settings], Services]

BENCH_PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
BENCH_TOKENS = 200
TURNS = [
    "Hi! I'm planning a small garden. What vegetables are easy for beginners?",
    "Which of those grow well in containers?",
    "How often should I water tomatoes in pots?",
    "What about in very hot weather?",
    "Should I use mulch on containers too?",
    "What is a good organic fertiliser for them?",
    "When is the best time of day to water?",
    "Can you summarise your watering advice in two sentences?",
]
PII_SENTENCES = [
    "Please email Maria Gonzalez at maria.gonzalez@example.org about the invoice.",
    "My neighbour Kwame Mensah lives at 42 Elm Street, Springfield, IL 62704.",
    "Call me on +44 20 7946 0958 after 5pm, or text 07700 900123.",
    "The AWS key AKIAIOSFODNN7EXAMPLE was committed by mistake; rotate it today.",
    "Wire the deposit to IBAN GB82 WEST 1234 5698 7654 32 before Friday.",
    "Ask Priya whether the Lisbon offsite is still on for March.",
    "Our server 10.20.30.40 keeps timing out when the nightly backup runs.",
    "What is the best way to learn Python decorators as a beginner?",
    "Summarise the history of the Roman Empire in three paragraphs.",
    "My SSN is 078-05-1120 and my passport number is X12345678.",
]


def _text_of_length(n: int, offset: int = 0) -> str:
    parts: list[str] = []
    i = offset
    while sum(len(p) + 1 for p in parts) < n:
        parts.append(PII_SENTENCES[i % len(PII_SENTENCES)])
        i += 1
    return " ".join(parts)[:n]


def _p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1]


def rss_mb() -> float:
    """Resident memory now (Linux), else the peak (other systems)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def bench_decode(settings: Any, model_path: Path, runs: int = 3) -> dict[str, Any]:
    from hybrid_desktop.core.chat import params_from
    from hybrid_desktop.core.engines.local import LocalEngine

    engine = LocalEngine.load(model_path, settings.n_ctx, settings.n_threads)
    llama = engine._llama
    messages = [{"role": "user", "content": BENCH_PROMPT}]
    tokens = engine.tokenize_chat(messages)
    params = params_from(settings, BENCH_TOKENS)
    app_rates: list[float] = []
    raw_rates: list[float] = []
    for _ in range(runs):
        llama.reset()  # type: ignore[no-untyped-call]
        result = engine.generate(messages, params, on_text=lambda _t: None)
        count = result.stats.completion_tokens
        if count < 20:
            continue
        app_rates.append(result.stats.tokens_per_s)
        # The bare loop: same prompt tokens, same number of tokens, same sampling.
        llama.reset()  # type: ignore[no-untyped-call]
        produced, first = 0, 0.0
        for _token in llama.generate(
            tokens,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            repeat_penalty=params.repeat_penalty,
        ):
            produced += 1
            if produced == 1:
                first = time.perf_counter()
            if produced >= count:
                break
        raw_rates.append((produced - 1) / (time.perf_counter() - first))
    engine.close()
    app = statistics.median(app_rates) if app_rates else 0.0
    raw = statistics.median(raw_rates) if raw_rates else 0.0
    return {
        "local_decode_tokens_per_s": round(app, 1),
        "raw_decode_tokens_per_s": round(raw, 1),
        "decode_ratio": round(app / raw, 3) if raw else 0.0,
    }


def bench_turns(settings: Any, model_path: Path) -> dict[str, Any]:
    from hybrid_desktop.core.chat import ChatService, TurnRequest
    from hybrid_desktop.core.engines.local import LocalEngine
    from hybrid_desktop.storage.history import HistoryStore

    engine = LocalEngine.load(model_path, settings.n_ctx, settings.n_threads)
    with tempfile.TemporaryDirectory() as tmp:
        history = HistoryStore(Path(tmp) / "bench.db")
        service = ChatService(engine, history, settings)
        conversation: int | None = None
        ttft: list[float] = []
        prompt_tokens: list[int] = []
        cached: list[int] = []
        for text in TURNS:
            result = service.ask(TurnRequest(text, conversation, route="local", max_tokens=48))
            conversation = result.conversation_id
            ttft.append(result.stats.ttft_ms)
            prompt_tokens.append(result.stats.prompt_tokens)
            cached.append(result.stats.cached_tokens)
        history.close()
    engine.close()
    return {
        "ttft_turn1_ms": round(ttft[0], 1),
        "ttft_turn8_ms": round(ttft[-1], 1),
        "ttft_ratio": round(ttft[-1] / ttft[0], 2) if ttft[0] else 0.0,
        "turn8_prompt_tokens": prompt_tokens[-1],
        "turn8_cached_tokens": cached[-1],
    }


def bench_gate() -> dict[str, Any]:
    from hybrid_desktop.core.privacy.gate import PrivacyGate

    gate = PrivacyGate()
    gate.load()
    gate.analyze(_text_of_length(300))  # warm-up
    small = [_text_of_length(300, i) for i in range(40)]
    medium = [_text_of_length(3000, i) for i in range(15)]

    def times(texts: list[str]) -> list[float]:
        out = []
        for text in texts:
            started = time.perf_counter()
            gate.analyze(text)
            out.append((time.perf_counter() - started) * 1000)
        return out

    started = time.perf_counter()
    gate.analyze(_text_of_length(10_000))
    big = (time.perf_counter() - started) * 1000
    return {
        "pii_p95_ms_300": round(_p(times(small), 95), 1),
        "pii_p95_ms_3000": round(_p(times(medium), 95), 1),
        "pii_ms_10000": round(big, 1),
    }


def bench_router() -> dict[str, Any]:
    from hybrid_desktop.core.complexity import estimate
    from hybrid_desktop.core.network import NetworkState
    from hybrid_desktop.core.router import RouteInputs, decide

    prompts = TURNS + PII_SENTENCES + [BENCH_PROMPT, "Prove that sqrt(2) is irrational."]
    network = NetworkState("online", 40.0)
    estimate(prompts[0])
    rounds = 50
    started = time.perf_counter()
    for _ in range(rounds):
        for prompt in prompts:
            decide(RouteInputs("auto", estimate(prompt), network, has_key=True))
    mean = (time.perf_counter() - started) * 1000 / (rounds * len(prompts))
    return {"route_decision_ms": round(mean, 3)}


def timer_lateness(run: Callable[[], None]) -> list[float]:
    """How late a 5 ms timer on the GUI thread fires (ms) while ``run`` spins the event loop."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    late: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    timer = QTimer()
    timer.setInterval(5)

    def tick() -> None:
        now = clock.nsecsElapsed()
        late.append(max(0.0, (now - last[0]) / 1e6 - 5))
        last[0] = now

    timer.timeout.connect(tick)
    timer.start()
    run()
    timer.stop()
    return late


def bench_ui(make_services: MakeServices, settings: Any, runs: int = 2) -> dict[str, Any]:
    """Stalls while streaming into the real chat view, and idle memory, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import dataclasses

    from PySide6.QtCore import QEventLoop, QTimer

    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.ui.launch import start_app

    tmp = tempfile.mkdtemp(prefix="hybrid-desktop-bench-")
    ui_settings = dataclasses.replace(settings, max_tokens=300, offline_mode=True, problems=[])
    running = start_app(make_services(AppPaths.under(Path(tmp)), ui_settings))
    window, state, turns = running.window, running.state, running.turns
    panel = window.chat_panel

    def wait(signal: Any, ms: int = 120_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    if state.model_state == "loading":
        wait(turns.model_ready)
    if state.gate_state != "ready":
        wait(turns.gate_ready)

    stalls: list[float] = []
    for _ in range(runs):
        panel.new_conversation()
        panel.input.setPlainText("Write a long story about a dragon who learns to cook.")
        panel.send()
        stalls += timer_lateness(lambda: wait(panel.turn_finished))
    idle = QEventLoop()
    QTimer.singleShot(2000, idle.quit)
    idle.exec()
    memory = rss_mb()
    window.close()
    running.shutdown()
    return {
        "ui_stall_p99_ms": round(_p(stalls, 99), 2),
        "ui_stall_max_ms": round(max(stalls), 2),
        "ui_stall_samples": len(stalls),
        "idle_rss_mb": round(memory, 1),
    }


def run(make_services: MakeServices, as_json: bool = False, quick: bool = False) -> int:
    """``make_services`` is the app's GUI service builder (``app.build_gui_services``)."""
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.config.settings import load_settings
    from hybrid_desktop.core.models import resolve_model_path

    settings = load_settings(default_paths().settings_file)
    model_path = resolve_model_path(settings.model_path)
    results: dict[str, Any] = {
        "model_path": str(model_path),
        "n_threads": settings.n_threads,
        "n_ctx": settings.n_ctx,
        "bench_prompt": BENCH_PROMPT,
        "bench_tokens": BENCH_TOKENS,
        "machine": f"{os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}",
    }
    # The UI part first: its idle memory must not include the other parts' engines.
    results.update(bench_ui(make_services, settings, runs=1 if quick else 2))
    results.update(bench_decode(settings, model_path, runs=1 if quick else 3))
    results.update(bench_turns(settings, model_path))
    results.update(bench_gate())
    results.update(bench_router())
    if as_json:
        print(json.dumps(results))
        return 0
    rows = [
        (
            "local decode (tokens/s)",
            results["local_decode_tokens_per_s"],
            f"bare loop {results['raw_decode_tokens_per_s']}",
            results["decode_ratio"],
            ">= 0.95",
        ),
        (
            "time to first token, turn 8 vs 1 (ms)",
            results["ttft_turn8_ms"],
            f"turn 1 {results['ttft_turn1_ms']}",
            results["ttft_ratio"],
            "<= 1.5",
        ),
        (
            "UI stall p99 / max while streaming (ms)",
            f"{results['ui_stall_p99_ms']} / {results['ui_stall_max_ms']}",
            "",
            "",
            "p99 <= 16",
        ),
        (
            "privacy gate p95, 300 / 3,000 chars (ms)",
            f"{results['pii_p95_ms_300']} / {results['pii_p95_ms_3000']}",
            "",
            "",
            "<= 15 (300)",
        ),
        ("privacy gate, 10,000 chars (ms)", results["pii_ms_10000"], "", "", "<= 300"),
        ("router decision, mean (ms)", results["route_decision_ms"], "", "", "< 5"),
        ("idle memory, window + model + gate (MB)", results["idle_rss_mb"], "", "", "<= 600"),
    ]
    print(f"{'figure':44} {'app':>14} {'baseline':>18} {'ratio':>7} {'target':>12}")
    for name, value, base, ratio, target in rows:
        print(f"{name:44} {value!s:>14} {base!s:>18} {ratio!s:>7} {target:>12}")
    print(
        f"model {Path(results['model_path']).name}, {results['n_threads']} threads, "
        f"n_ctx {results['n_ctx']}, {results['machine']}"
    )
    return 0
