"""GUI fixtures: the real window with the real model worker, offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.app import build_gui_services
from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui.launch import start_app
from hybrid_desktop.ui.running import RunningApp


@pytest.fixture(autouse=True)
def english(qapp: object) -> None:
    """The window's language as at a start in English (with its plural forms, "2 requests"),
    whichever test ran before."""
    from hybrid_desktop.ui.i18n import install_translations

    install_translations(qapp, "en")  # type: ignore[arg-type]


@pytest.fixture
def make_app(qapp: object) -> Iterator[object]:
    """Start the app (window shown, model loading) with the given settings; stopped afterwards."""
    started: list[RunningApp] = []

    def make(settings: Settings | None = None) -> RunningApp:
        services = build_gui_services(default_paths(), settings or Settings(max_tokens=32))
        running = start_app(services)
        started.append(running)
        return running

    yield make
    for running in started:
        running.window.close()
        running.shutdown()
        assert not running.worker.thread.isRunning(), "the worker thread was left running"


@pytest.fixture
def truncated_model(tmp_path: Path, embedded_model: Path) -> Path:
    path = tmp_path / "broken.gguf"
    with embedded_model.open("rb") as source:
        path.write_bytes(source.read(2_000_000))
    return path
