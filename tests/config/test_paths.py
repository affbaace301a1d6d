"""Tests for hybrid_desktop.config.paths and hybrid_desktop.config.logs: real folders and files."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from hybrid_desktop import APP_ID
from hybrid_desktop.config import logs
from hybrid_desktop.config.logs import setup_logging
from hybrid_desktop.config.paths import HOME_ENV, AppPaths, default_paths
from hybrid_desktop.errors import DataDirError, StorageError
from tests.conftest import run_cli

# -- where things live ----------------------------------------------------------------------


def test_home_env_puts_everything_under_it(app_home: Path) -> None:
    assert os.environ[HOME_ENV] == str(app_home)
    paths = default_paths()
    assert paths == AppPaths.under(app_home)
    assert paths.data_dir == app_home / "data"
    assert paths.config_dir == app_home / "config"
    assert paths.log_dir == app_home / "logs"
    assert paths.cache_dir == app_home / "cache"
    assert paths.database == app_home / "data" / "history.db"
    assert paths.settings_file == app_home / "config" / "settings.json"
    assert paths.log_file == app_home / "logs" / f"{APP_ID}.log"
    assert not app_home.exists()  # resolving paths creates nothing


def test_home_env_expands_the_user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "user"))
    monkeypatch.setenv(HOME_ENV, "~/portable")
    assert default_paths().data_dir == tmp_path / "user" / "portable" / "data"


def _platform_paths() -> AppPaths:
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_ID, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)),
    )


def test_without_home_env_the_os_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOME_ENV)
    paths = default_paths()
    assert paths == _platform_paths()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        assert APP_ID in folder.parts or APP_ID in str(folder)


def test_empty_home_env_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, "")
    assert default_paths() == _platform_paths()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_without_home_env_linux_follows_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(HOME_ENV)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    paths = default_paths()
    assert paths.data_dir == tmp_path / "xdg_data_home" / APP_ID
    assert paths.config_dir == tmp_path / "xdg_config_home" / APP_ID
    assert paths.cache_dir == tmp_path / "xdg_cache_home" / APP_ID
    assert paths.log_dir.is_relative_to(tmp_path / "xdg_state_home" / APP_ID)


# -- ensure() -------------------------------------------------------------------------------


def test_ensure_creates_the_folders(app_home: Path) -> None:
    paths = default_paths()
    paths.ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir):
        assert folder.is_dir()
    assert list(paths.data_dir.iterdir()) == []  # the write probe was removed
    paths.ensure()  # idempotent


def test_home_under_a_regular_file_is_a_data_dir_error(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("I am a file")
    paths = AppPaths.under(afile / "home")
    with pytest.raises(DataDirError) as excinfo:
        paths.ensure()
    error = excinfo.value
    assert isinstance(error, StorageError)
    assert str(afile / "home") in error.message
    assert "HYBRID_DESKTOP_HOME" in error.hint
    assert isinstance(error.__cause__, OSError)
    assert afile.read_text() == "I am a file"


def test_a_file_in_place_of_the_data_folder_is_a_data_dir_error(app_home: Path) -> None:
    app_home.mkdir()
    (app_home / "data").write_text("not a folder")
    with pytest.raises(DataDirError) as excinfo:
        default_paths().ensure()
    assert str(app_home / "data") in excinfo.value.message


def test_data_folder_that_cannot_be_written_is_a_data_dir_error(app_home: Path) -> None:
    paths = default_paths()
    paths.data_dir.mkdir(parents=True)
    # Running as root, permissions would not stop the write probe; a folder in its way does.
    (paths.data_dir / f".write-test-{os.getpid()}").mkdir()
    with pytest.raises(DataDirError) as excinfo:
        paths.ensure()
    assert str(paths.data_dir) in excinfo.value.message
    assert "write" in excinfo.value.message.lower()


@pytest.mark.parametrize("command", [["history", "list"], ["history", "show", "1"], ["ask", "hi"]])
def test_cli_with_home_under_a_regular_file(tmp_path: Path, command: list[str]) -> None:
    afile = tmp_path / "afile"
    afile.write_text("I am a file")
    home = afile / "home"
    result = run_cli(*command, env={HOME_ENV: str(home)}, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert str(home) in result.stderr
    assert "HYBRID_DESKTOP_HOME" in result.stderr
    assert result.stdout == ""
    assert afile.read_text() == "I am a file"


def test_cli_creates_its_folders_under_home(app_home: Path) -> None:
    result = run_cli("history", "list", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "No conversations yet."
    assert (app_home / "data" / "history.db").is_file()
    assert (app_home / "config").is_dir()
    assert (app_home / "logs" / f"{APP_ID}.log").is_file()


# -- logs -----------------------------------------------------------------------------------


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """Undo setup_logging: it changes the process-wide root logger."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_hybrid_desktop", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logs._configured_file = None


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "_hybrid_desktop", False)]


@pytest.mark.expected_error_log
def test_setup_logging_writes_records_to_the_file(tmp_path: Path, clean_logging: None) -> None:
    log_file = tmp_path / "logs" / "app.log"
    assert setup_logging(log_file) == log_file
    log = logging.getLogger("hybrid_desktop.test_logs")
    log.info("engine loaded in %d ms", 42)
    log.debug("hidden detail")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("it failed")
    for handler in _ours():
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "INFO" in text and "hybrid_desktop.test_logs: engine loaded in 42 ms" in text
    assert "hidden detail" not in text
    assert "ERROR" in text and "it failed" in text
    assert "Traceback" in text and "ValueError: boom" in text


def test_setup_logging_twice_does_not_duplicate(tmp_path: Path, clean_logging: None) -> None:
    first = tmp_path / "first.log"
    second = tmp_path / "second.log"
    setup_logging(first)
    setup_logging(first)
    assert len(_ours()) == 1
    logging.getLogger("hybrid_desktop.x").warning("only once")
    setup_logging(second)
    assert len(_ours()) == 1
    logging.getLogger("hybrid_desktop.x").warning("to the second file")
    for handler in _ours():
        handler.flush()
    assert first.read_text(encoding="utf-8").count("only once") == 1
    assert "to the second file" not in first.read_text(encoding="utf-8")
    assert "to the second file" in second.read_text(encoding="utf-8")


def test_log_file_rotates(tmp_path: Path, clean_logging: None) -> None:
    log_file = tmp_path / "app.log"
    setup_logging(log_file)
    log = logging.getLogger("hybrid_desktop.rotation")
    line = "x" * 1000
    for _ in range(1300):  # about 1.3 MB: more than one file's worth
        log.info(line)
    for handler in _ours():
        handler.flush()
    assert log_file.with_name("app.log.1").is_file()
    assert log_file.stat().st_size <= 1_000_000


def test_unusable_log_folder_falls_back_to_stderr(
    tmp_path: Path, clean_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    assert setup_logging(afile / "logs" / "app.log") is None
    log = logging.getLogger("hybrid_desktop.fallback")
    log.info("quiet info")
    log.warning("loud warning")
    err = capsys.readouterr().err
    assert "loud warning" in err
    assert "quiet info" not in err
    assert afile.read_text() == "not a folder"
    assert len(_ours()) == 1


@pytest.mark.expected_error_log
def test_log_file_that_is_a_folder_falls_back(tmp_path: Path, clean_logging: None) -> None:
    log_file = tmp_path / "logs" / "app.log"
    log_file.mkdir(parents=True)
    assert setup_logging(log_file) is None
    logging.getLogger("hybrid_desktop.fallback").error("still no crash")


def test_no_log_file_falls_back(clean_logging: None) -> None:
    assert setup_logging(None) is None
    assert len(_ours()) == 1


def test_recovers_when_the_log_folder_becomes_usable(tmp_path: Path, clean_logging: None) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    log_file = blocker / "app.log"
    assert setup_logging(log_file) is None
    blocker.unlink()
    blocker.mkdir()
    assert setup_logging(log_file) == log_file
    logging.getLogger("hybrid_desktop.later").warning("now it works")
    for handler in _ours():
        handler.flush()
    assert "now it works" in log_file.read_text(encoding="utf-8")
