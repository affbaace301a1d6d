"""Tests for hybrid_desktop.config.settings: real files, broken files, atomic saves."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.config.settings import (
    SCHEMA_VERSION,
    Settings,
    default_threads,
    load_settings,
    save_settings,
)
from hybrid_desktop.errors import SettingsError


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def assert_defaults(settings: Settings) -> None:
    assert settings == Settings()


# -- round trips ----------------------------------------------------------------------------


def test_defaults_are_valid() -> None:
    settings = Settings()
    settings.validate()
    assert settings.model_path is None
    assert 1 <= settings.n_threads <= 8
    assert settings.n_threads == default_threads()
    assert settings.schema_version == SCHEMA_VERSION
    assert settings.problems == []


def test_missing_file_means_defaults_without_problems(settings_file: Path) -> None:
    settings = load_settings(settings_file)
    assert_defaults(settings)
    assert settings.problems == []
    assert not settings_file.exists()  # loading never writes


def test_defaults_round_trip(settings_file: Path) -> None:
    save_settings(Settings(), settings_file)
    loaded = load_settings(settings_file)
    assert loaded == Settings()
    assert loaded.problems == []


def test_changed_values_round_trip(settings_file: Path) -> None:
    changed = Settings(
        model_path="/models/Qwen2.5 0.5B (q4).gguf",
        n_threads=3,
        n_ctx=8192,
        max_tokens=256,
        temperature=0.75,
        top_p=0.5,
        top_k=0,
        min_p=0.0,
        repeat_penalty=1.3,
        system_prompt='Answer briefly.\nQuote "sources" — in 日本語 too. ✓',
    )
    save_settings(changed, settings_file)
    loaded = load_settings(settings_file)
    assert loaded == changed
    assert loaded.problems == []
    for f in fields(Settings):
        assert type(getattr(loaded, f.name)) is type(getattr(changed, f.name)), f.name


def test_saved_file_is_a_versioned_json_object(settings_file: Path) -> None:
    settings = Settings(temperature=0.4)
    settings.problems.append("should not be saved")
    save_settings(settings, settings_file)
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["temperature"] == 0.4
    assert "problems" not in data
    expected = {f.name for f in fields(Settings)} - {"problems"}
    assert set(data) == expected


def test_save_creates_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "settings.json"
    save_settings(Settings(), path)
    assert path.is_file()


# -- atomic saves ---------------------------------------------------------------------------


def test_saves_leave_no_temporary_files(settings_file: Path) -> None:
    for n in range(5):
        save_settings(Settings(max_tokens=100 + n), settings_file)
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]
    assert load_settings(settings_file).max_tokens == 104


def test_save_replaces_the_file_rather_than_rewriting_it(settings_file: Path) -> None:
    save_settings(Settings(n_ctx=2048), settings_file)
    before = settings_file.stat().st_ino
    # A reader holding the old file keeps reading the complete old contents.
    with open(settings_file, encoding="utf-8") as old:
        save_settings(Settings(n_ctx=16384), settings_file)
        assert json.loads(old.read())["n_ctx"] == 2048
    assert settings_file.stat().st_ino != before
    assert load_settings(settings_file).n_ctx == 16384


def test_failed_rename_cleans_up_and_raises_settings_error(settings_file: Path) -> None:
    settings_file.mkdir(parents=True)  # a folder where the file should go: the rename fails
    (settings_file / "keep").write_text("x")
    with pytest.raises(SettingsError) as excinfo:
        save_settings(Settings(), settings_file)
    assert str(settings_file) in excinfo.value.message
    assert sorted(p.name for p in settings_file.parent.iterdir()) == ["settings.json"]
    assert (settings_file / "keep").read_text() == "x"


def test_unwritable_config_folder_raises_settings_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    with pytest.raises(SettingsError) as excinfo:
        save_settings(Settings(), blocker / "config" / "settings.json")
    assert "blocker" in excinfo.value.message
    assert excinfo.value.hint
    assert blocker.read_text() == "a file, not a folder"


# -- invalid values on save -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("n_ctx", 10),
        ("n_ctx", 4096.5),
        ("n_ctx", "4096"),
        ("n_threads", 0),
        ("n_threads", True),
        ("max_tokens", -1),
        ("temperature", 5.0),
        ("temperature", -0.1),
        ("temperature", float("nan")),
        ("top_p", 1.5),
        ("top_k", 2.5),
        ("top_k", None),
        ("min_p", float("inf")),
        ("repeat_penalty", 0.1),
        ("model_path", 5),
        ("system_prompt", None),
    ],
)
def test_invalid_value_is_refused_on_save(settings_file: Path, name: str, value: object) -> None:
    save_settings(Settings(), settings_file)
    before = settings_file.read_bytes()
    settings = Settings()
    setattr(settings, name, value)
    with pytest.raises(SettingsError) as excinfo:
        save_settings(settings, settings_file)
    assert name in excinfo.value.message
    assert settings_file.read_bytes() == before  # the good file is untouched
    assert [p.name for p in settings_file.parent.iterdir()] == ["settings.json"]


def test_invalid_value_on_first_save_writes_no_file(settings_file: Path) -> None:
    with pytest.raises(SettingsError):
        save_settings(Settings(n_ctx=1), settings_file)
    assert not settings_file.exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [("n_ctx", 256), ("n_ctx", 1_048_576), ("temperature", 0), ("temperature", 2), ("top_k", 0)],
)
def test_boundary_values_are_accepted(settings_file: Path, name: str, value: object) -> None:
    settings = Settings()
    setattr(settings, name, value)
    save_settings(settings, settings_file)
    assert getattr(load_settings(settings_file), name) == value


# -- broken files on load -------------------------------------------------------------------


def test_one_bad_value_keeps_the_other_values(settings_file: Path) -> None:
    write_json(
        settings_file,
        {
            "schema_version": 1,
            "n_ctx": "huge",
            "temperature": 0.9,
            "top_k": 50,
            "system_prompt": "Be kind.",
        },
    )
    loaded = load_settings(settings_file)
    assert loaded.n_ctx == Settings().n_ctx
    assert loaded.temperature == 0.9
    assert loaded.top_k == 50
    assert loaded.system_prompt == "Be kind."
    assert len(loaded.problems) == 1
    assert "n_ctx" in loaded.problems[0]


def test_several_bad_values_are_each_reported(settings_file: Path) -> None:
    write_json(
        settings_file,
        {"n_ctx": 1, "temperature": "hot", "top_p": 0.5, "model_path": ["a"], "n_threads": 2.0},
    )
    loaded = load_settings(settings_file)
    assert loaded.top_p == 0.5
    assert (loaded.n_ctx, loaded.temperature, loaded.model_path, loaded.n_threads) == (
        Settings().n_ctx,
        Settings().temperature,
        None,
        default_threads(),
    )
    assert len(loaded.problems) == 4
    for name in ("n_ctx", "temperature", "model_path", "n_threads"):
        assert any(name in p for p in loaded.problems), name


def test_loading_a_bad_file_then_saving_repairs_it(settings_file: Path) -> None:
    write_json(settings_file, {"n_ctx": -5, "max_tokens": 333})
    loaded = load_settings(settings_file)
    assert loaded.problems
    save_settings(loaded, settings_file)
    again = load_settings(settings_file)
    assert again.problems == []
    assert again.max_tokens == 333
    assert again.n_ctx == Settings().n_ctx


@pytest.mark.parametrize(
    "text",
    ['{"n_ctx": 2048,', "{not json}", "", "\n\n  ", '{"n_ctx": 2048}}'],
    ids=["truncated", "garbage", "empty", "blank", "trailing"],
)
def test_corrupt_json_means_defaults_and_a_problem(settings_file: Path, text: str) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text(text, encoding="utf-8")
    loaded = load_settings(settings_file)
    assert_defaults(loaded)
    assert len(loaded.problems) == 1
    assert str(settings_file) in loaded.problems[0]
    assert "JSON" in loaded.problems[0]
    assert settings_file.read_text(encoding="utf-8") == text  # not overwritten behind the user


def test_non_utf8_file_means_defaults_and_a_problem(settings_file: Path) -> None:
    settings_file.parent.mkdir(parents=True)
    settings_file.write_bytes(b'\xff\xfe{\x00"\x00n\x00\x80\x81 binary junk')
    loaded = load_settings(settings_file)
    assert_defaults(loaded)
    assert len(loaded.problems) == 1
    assert str(settings_file) in loaded.problems[0]


@pytest.mark.parametrize("data", [[1, 2, 3], "settings", 42, None, True])
def test_non_object_json_means_defaults_and_a_problem(settings_file: Path, data: Any) -> None:
    write_json(settings_file, data)
    loaded = load_settings(settings_file)
    assert_defaults(loaded)
    assert len(loaded.problems) == 1
    assert "object" in loaded.problems[0]


def test_newer_schema_version_keeps_known_values(settings_file: Path) -> None:
    write_json(
        settings_file,
        {
            "schema_version": SCHEMA_VERSION + 5,
            "n_ctx": 8192,
            "temperature": 1.1,
            "voice": {"enabled": True},
        },
    )
    loaded = load_settings(settings_file)
    assert loaded.n_ctx == 8192
    assert loaded.temperature == 1.1
    assert len(loaded.problems) == 1
    assert "newer" in loaded.problems[0]
    assert str(SCHEMA_VERSION + 5) in loaded.problems[0]
    assert loaded.schema_version == SCHEMA_VERSION


@pytest.mark.parametrize("version", ["one", 0, -3, 1.5, None])
def test_nonsense_schema_version_is_a_problem(settings_file: Path, version: Any) -> None:
    write_json(settings_file, {"schema_version": version, "max_tokens": 64})
    loaded = load_settings(settings_file)
    assert loaded.max_tokens == 64
    assert len(loaded.problems) == 1
    assert "schema" in loaded.problems[0]


def test_missing_schema_version_is_read_as_current(settings_file: Path) -> None:
    write_json(settings_file, {"max_tokens": 64})
    loaded = load_settings(settings_file)
    assert loaded.max_tokens == 64
    assert loaded.problems == []


def test_unknown_keys_are_ignored(settings_file: Path) -> None:
    write_json(
        settings_file, {"n_ctx": 2048, "theme": "dark", "problems": ["injected"], "LIMITS": {}}
    )
    loaded = load_settings(settings_file)
    assert loaded.n_ctx == 2048
    assert loaded.problems == []
    assert not hasattr(loaded, "theme")
    assert Settings.LIMITS["n_ctx"] == (256, 1_048_576)


def test_unreadable_file_means_defaults_and_a_problem(settings_file: Path) -> None:
    settings_file.mkdir(parents=True)  # a folder at the settings path cannot be read as a file
    loaded = load_settings(settings_file)
    assert_defaults(loaded)
    assert len(loaded.problems) == 1
    assert str(settings_file) in loaded.problems[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX error for a path under a file")
def test_settings_path_under_a_file_means_defaults(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    loaded = load_settings(blocker / "settings.json")
    assert_defaults(loaded)
    assert len(loaded.problems) == 1


def test_from_json_keeps_valid_values_of_any_kind() -> None:
    loaded = Settings.from_json(
        {"temperature": 1, "model_path": None, "system_prompt": "", "repeat_penalty": 1}
    )
    assert loaded.problems == []
    assert loaded.temperature == 1
    assert loaded.repeat_penalty == 1
    loaded.validate()
