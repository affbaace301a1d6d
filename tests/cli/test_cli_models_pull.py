"""``models pull`` end to end: the installed command against our own HTTP server on 127.0.0.1,
serving the real embedded model."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hybrid_desktop.cli_models_pull import _Meter, name_from_url, resolve_target
from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.core.model_manager.catalogue import load_catalogue
from hybrid_desktop.core.model_manager.download import Progress
from hybrid_desktop.errors import DownloadError
from tests.conftest import run_cli
from tests.support.model_server import running_model_server


@pytest.fixture(scope="module")
def model_sha(embedded_model: Path) -> str:
    return hashlib.sha256(embedded_model.read_bytes()).hexdigest()


def _models(home: Path) -> Path:
    return AppPaths.under(home).data_dir / "models"


def _gguf_files(home: Path) -> list[str]:
    folder = _models(home)
    return sorted(p.name for p in folder.iterdir() if "gguf" in p.name) if folder.exists() else []


def test_pull_a_link_installs_the_verified_model_and_prints_one_json_line(
    app_home: Path, embedded_model: Path, model_sha: str
) -> None:
    with running_model_server({"SmolTest.gguf": embedded_model}) as server:
        server.behaviour.drop_after = embedded_model.stat().st_size // 2  # resumes on its own
        server.behaviour.linked_etag = model_sha
        done = run_cli("models", "pull", server.url("SmolTest.gguf"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["name"] == "SmolTest"
    assert result["sha256"] == model_sha and result["verified"] is True
    assert result["size_bytes"] == embedded_model.stat().st_size
    assert Path(result["path"]) == _models(app_home) / "SmolTest.gguf"
    assert "retrying" in done.stderr
    assert _gguf_files(app_home) == ["SmolTest.gguf"]
    listed = run_cli("models", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "SmolTest" in listed.stdout


def test_a_wrong_sha256_is_refused_and_nothing_is_kept(
    app_home: Path, embedded_model: Path
) -> None:
    with running_model_server({"m.gguf": embedded_model}) as server:
        done = run_cli("models", "pull", server.url("m.gguf"), "--sha256", "0" * 64)
    assert done.returncode == 1
    assert "sha256" in done.stderr and "deleted" in done.stderr
    assert "Traceback" not in done.stderr
    assert _gguf_files(app_home) == []


def test_a_missing_file_is_a_plain_message(app_home: Path) -> None:
    with running_model_server({}) as server:
        done = run_cli("models", "pull", server.url("nothing.gguf"))
    assert done.returncode == 1
    assert "HTTP 404" in done.stderr and "Traceback" not in done.stderr
    assert _gguf_files(app_home) == []


def test_offline_mode_refuses_the_download(app_home: Path, embedded_model: Path) -> None:
    (app_home / "config").mkdir(parents=True, exist_ok=True)
    (app_home / "config" / "settings.json").write_text(
        json.dumps({"schema_version": 1, "offline_mode": True})
    )
    with running_model_server({"m.gguf": embedded_model}) as server:
        done = run_cli("models", "pull", server.url("m.gguf"))
    assert done.returncode == 1
    assert "Offline mode is on" in done.stderr
    assert server.requests == []


def test_ctrl_c_keeps_the_partial_file_and_a_rerun_resumes(
    app_home: Path, embedded_model: Path, model_sha: str
) -> None:
    with running_model_server({"m.gguf": embedded_model}) as server:
        server.behaviour.rate_bps = 20_000_000  # about 5 s for the whole file
        child = subprocess.Popen(
            [sys.executable, "-m", "hybrid_desktop", "models", "pull", server.url("m.gguf")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        part = _models(app_home) / "m.gguf.incomplete"
        deadline = time.monotonic() + 60
        while not (part.exists() and part.stat().st_size > 2_000_000):
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=30)
        assert child.returncode == 130, err
        assert "run the same command again to resume" in err
        kept = part.stat().st_size
        assert kept > 2_000_000
        server.behaviour.rate_bps = None
        done = run_cli("models", "pull", server.url("m.gguf"), "--sha256", model_sha, "--json")
    assert done.returncode == 0, done.stderr
    assert server.requests[-1]["headers"]["Range"].startswith("bytes=")
    assert int(server.requests[-1]["headers"]["Range"][6:-1]) >= kept - 1_000_000
    assert json.loads(done.stdout.splitlines()[-1])["sha256"] == model_sha
    assert _gguf_files(app_home) == ["m.gguf"]


def test_a_catalogue_name_resolves_to_its_link_size_and_checksum() -> None:
    _version, entries = load_catalogue()
    entry = entries[0]
    target = resolve_target(entry.name.upper(), entries)
    assert (target.name, target.url, target.size_bytes) == (entry.name, entry.url, entry.size_bytes)
    assert target.sha256 == entry.sha256
    assert resolve_target(entry.url, entries, "ab" * 32).sha256 == "ab" * 32
    with pytest.raises(DownloadError, match="neither a model of the catalogue"):
        resolve_target("no-such-model", entries)


def test_names_from_links_use_the_registry_characters() -> None:
    assert name_from_url("https://h.example/a/b/Qwen2.5-0.5B%20Q4.gguf?download=1") == (
        "Qwen2.5-0.5B-Q4"
    )
    assert name_from_url("https://h.example/") == "model"


def test_progress_lines_have_bytes_speed_and_eta() -> None:
    out = io.StringIO()  # not a terminal: one line per report that passes the interval
    meter = _Meter("m", out)
    meter(Progress(0, None, 0.0, None, "connecting"))
    meter(Progress(50_000_000, 100_000_000, 10_000_000.0, 5.0, "downloading"))
    meter(Progress(0, None, 0.0, None, "retrying", "no data for 30 s"))
    meter(Progress(100_000_000, 100_000_000, 0.0, None, "done", "x-linked-etag"))
    lines = out.getvalue().splitlines()
    assert lines == [
        "m: connecting…",
        "m: 50.0 MB of 100.0 MB (50%), 10.0 MB/s, 0:05 left",
        "m: connection problem (no data for 30 s); retrying…",
    ]
    assert meter.checked == "x-linked-etag"


def test_on_a_terminal_progress_is_one_updating_line() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    meter = _Meter("m", out)
    meter(Progress(0, None, 0.0, None, "connecting"))
    meter(Progress(1_000_000, 2_000_000, 1_000_000.0, 1.0, "downloading"))
    meter(Progress(2_000_000, 2_000_000, 0.0, None, "verifying"))
    meter.end()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, rewritten with \r
    assert "\rm: 1.0 MB of 2.0 MB (50%), 1.0 MB/s, 0:01 left" in text
    assert text.rstrip().endswith("m: checking the sha256…")
