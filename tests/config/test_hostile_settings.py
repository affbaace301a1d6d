"""Hostile settings files (issue 14): nesting 100,000 deep, a 5,000-digit number, a huge file, a
NaN. Each means defaults and a problem to show, never a traceback: in process and through the
CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from hybrid_desktop.config.settings import MAX_SETTINGS_BYTES, Settings, load_settings
from tests.conftest import run_cli

HOSTILE = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "long_number": '{"max_tokens": ' + "9" * 5000 + "}",
    "huge": '{"system_prompt": "' + "x" * (MAX_SETTINGS_BYTES + 10) + '"}',
    "nan": '{"temperature": NaN, "top_p": Infinity}',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_settings_mean_defaults_and_a_problem(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(HOSTILE[kind], encoding="utf-8")
    settings = load_settings(path)
    assert settings.problems
    assert settings.max_tokens == Settings().max_tokens
    assert settings.temperature == Settings().temperature


@pytest.mark.parametrize("kind", ["deep", "long_number"])
def test_the_cli_warns_and_runs(app_home: Path, kind: str) -> None:
    (app_home / "config").mkdir(parents=True)
    (app_home / "config" / "settings.json").write_text(HOSTILE[kind], encoding="utf-8")
    result = run_cli("route", "hello there")
    assert result.returncode == 0, result.stderr
    assert "warning: settings:" in result.stderr and "Traceback" not in result.stderr
