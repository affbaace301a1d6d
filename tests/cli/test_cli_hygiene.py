"""Hostile input to the CLI (issue 14): invalid UTF-8 on stdin, bad JSONL lines, ids beyond 64
bits, escape sequences stored in history, and a reader that leaves the pipe early. Each runs the
real command in a subprocess, with the real gate and a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli


def _run_bytes(*args: str, data: bytes, timeout: float = 240) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", *args],
        input=data,
        capture_output=True,
        timeout=timeout,
        check=False,
        env=dict(os.environ),
    )


def test_invalid_utf8_on_stdin_is_replaced_and_said(app_home: Path) -> None:
    data = b"Call Anna Schmidt on +49 30 1234567 " + b"\xff\xfe broken \xc3"
    result = _run_bytes("redact", data=data)
    assert result.returncode == 0, result.stderr
    err = result.stderr.decode()
    assert "not valid UTF-8" in err and "Traceback" not in err
    out = result.stdout.decode()
    assert "\ufffd" in out and "Anna Schmidt" not in out


def test_every_jsonl_line_gets_its_own_answer_and_the_batch_goes_on(app_home: Path) -> None:
    lines = [
        b'{"text": "email me at jo@example.org"}',
        b"not json at all",
        b'{"text": "lone surrogate \\ud800 here"}',
        b'{"text": "bad bytes \xff\xfe"}',
        b'{"nope": 1}',
        b'{"text": 42}',
        b"[" * 100_000,
        json.dumps({"text": "x " * 600_000}).encode(),
        b'{"text": "last line: call +44 20 7946 0958"}',
    ]
    result = _run_bytes("redact", "--jsonl", data=b"\n".join(lines) + b"\n", timeout=600)
    assert result.returncode == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert len(out) == len(lines)
    assert "<EMAIL_ADDRESS_1>" in out[0]["text"]
    assert "error" in out[1] and "error" in out[4] and "error" in out[5] and "error" in out[6]
    assert "warning" in out[2] and "warning" in out[3]
    assert "text" in out[7]  # over spaCy's 1,000,000-character limit: read in windows
    assert "<PHONE_NUMBER_1>" in out[-1]["text"]
    assert b"Traceback" not in result.stderr


def test_ids_beyond_64_bits_are_refused_clearly(app_home: Path) -> None:
    result = run_cli("history", "show", "9" * 30)
    assert result.returncode == 2
    assert "must be at most" in result.stderr and "Traceback" not in result.stderr


def test_escape_sequences_in_history_are_not_sent_to_the_terminal(app_home: Path) -> None:
    hostile = "hi \x1b]0;pwned\x07 \x1b[2J there"
    made = run_cli("ask", "--route", "local", "--max-tokens", "4", hostile)
    assert made.returncode == 0, made.stderr
    listing = run_cli("history", "list")
    assert listing.returncode == 0 and "\x1b" not in listing.stdout and "\x07" not in listing.stdout
    assert "\\x1b" in listing.stdout
    shown = run_cli("history", "show", "1")
    assert "\x1b" not in shown.stdout and "\\x1b]0;pwned\\x07" in shown.stdout
    as_json = run_cli("history", "show", "1", "--json")
    assert json.loads(as_json.stdout)["messages"][0]["content"] == hostile  # stored as it was


def test_a_reader_that_leaves_early_is_a_quiet_exit(app_home: Path) -> None:
    script = f"{sys.executable} -m hybrid_desktop redact | head -c 10 > /dev/null"
    result = subprocess.run(
        ["/bin/sh", "-c", script],
        input=b"word " * 400_000,
        capture_output=True,
        timeout=600,
        check=False,
        env=dict(os.environ),
    )
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr, result.stderr
