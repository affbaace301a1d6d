"""Hypothesis-fuzzed settings files (issue 14): whatever bytes ``settings.json`` holds (garbage,
invalid UTF-8, any JSON, objects with every known key set to any value, deep nesting, long
numbers), loading never raises; what it returns is valid settings; a file that is not a JSON
object means the defaults and a problem to show, and every problem is a short sentence."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hybrid_desktop.config.settings import Settings, load_settings

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KNOWN = sorted(f.name for f in fields(Settings))
#: A problem is shown in a banner and printed by the CLI: a sentence, not a dump of the file.
MAX_PROBLEM_CHARS = 400

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**80), 10**80),
    st.floats(),  # NaN and the infinities included: Python's json writes and reads them
    TEXT,
    st.integers(1000, 200_000).map(lambda n: "x" * n),
)
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=10,
)
OBJECT = st.dictionaries(st.one_of(st.sampled_from(KNOWN), TEXT), VALUE, max_size=8)


def _as_file(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


FILE = st.one_of(
    OBJECT.map(_as_file),
    VALUE.map(_as_file),
    st.binary(max_size=200),
    st.builds(lambda n: b"[" * n + b"]" * n, st.integers(1, 200_000)),
    st.builds(lambda n: b'{"n_ctx": ' + b"7" * n + b"}", st.integers(1, 6000)),
    OBJECT.map(lambda d: _as_file(d)[: max(1, len(_as_file(d)) // 2)]),  # cut short
)


def _check(path: Path, data: bytes) -> Settings:
    path.write_bytes(data)
    loaded = load_settings(path)  # never raises
    loaded.validate()  # whatever was kept is valid
    for problem in loaded.problems:
        assert isinstance(problem, str) and 0 < len(problem) <= MAX_PROBLEM_CHARS, problem[:500]
    return loaded


@FUZZ
@given(data=FILE)
@example(data=b"[" * 100_000 + b"]" * 100_000)
@example(data=b'{"max_tokens": ' + b"9" * 5000 + b"}")
@example(data=b'{"temperature": NaN, "top_p": Infinity}')
@example(data=b"\xff\xfe{}")
@example(data=b"")
@example(data=_as_file({"schema_version": "x" * 100_000}))
@example(data=_as_file({"max_tokens": "9" * 100_000}))
def test_any_settings_file_loads(tmp_path: Path, data: bytes) -> None:
    loaded = _check(tmp_path / "settings.json", data)
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict):
        assert loaded == Settings() and loaded.problems, (data[:100], loaded.problems)


@FUZZ
@given(values=st.dictionaries(st.sampled_from(KNOWN), VALUE, min_size=1, max_size=6))
def test_every_known_setting_takes_any_value(tmp_path: Path, values: dict[str, object]) -> None:
    loaded = _check(tmp_path / "settings.json", _as_file(values))
    defaults = Settings()
    for name, value in values.items():
        if name in ("problems", "schema_version"):
            continue
        kept = getattr(loaded, name)
        assert kept == getattr(defaults, name) or kept == value or kept is value, (name, value)
