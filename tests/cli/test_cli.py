"""The ``hybrid-desktop`` command line, run for real in subprocesses with the embedded model.

Outside checks rely on these commands, exit codes and JSON fields (see ``hybrid_desktop.cli``).
Each test has its own ``HYBRID_DESKTOP_HOME`` (autouse fixture in ``tests/conftest.py``).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hybrid_desktop import __version__
from tests.cli.helpers import (
    UNSHARE_PREFIX,
    ask_json,
    assert_no_traceback,
    check_ask_json,
    embedded_model_file,
    guard_events,
    install_network_guard,
    list_conversations,
    show_conversation,
    unshare_available,
)
from tests.conftest import run_cli

MAX_TOKENS = 24
PROMPT = "What is the capital of France?"
LONG_PROMPT = (
    "Write a very long, detailed essay about the history of the Roman Empire, "
    "covering every century from its founding to its fall."
)


# --- basics ------------------------------------------------------------------------------------


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"hybrid-desktop {__version__}"


def test_help_lists_commands() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    assert "ask" in proc.stdout
    assert "history" in proc.stdout
    assert_no_traceback(proc)


# --- ask -----------------------------------------------------------------------------------------


def test_ask_plain_streams_and_stores_the_turn() -> None:
    proc = run_cli("ask", "--max-tokens", str(MAX_TOKENS), PROMPT)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    printed = proc.stdout.strip()
    assert printed

    conversations = list_conversations()
    assert len(conversations) == 1
    assert conversations[0]["message_count"] == 2

    shown = show_conversation(conversations[0]["id"])
    messages = shown["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == PROMPT
    assistant = messages[1]
    assert assistant["content"].strip() == printed
    assert assistant["status"] == "complete"
    assert assistant["route"] == "local"

    # The human-readable view shows the same turn.
    plain = run_cli("history", "show", str(conversations[0]["id"]))
    assert plain.returncode == 0, plain.stderr
    assert PROMPT in plain.stdout
    assert printed in plain.stdout


def test_ask_json_contract() -> None:
    proc, data = ask_json("--max-tokens", str(MAX_TOKENS), PROMPT)
    check_ask_json(data, MAX_TOKENS)
    assert data["status"] == "complete"
    # Nothing but the JSON object on stdout: no streamed text before it.
    assert len([line for line in proc.stdout.splitlines() if line.strip()]) == 1

    conversations = list_conversations()
    assert [c["id"] for c in conversations] == [data["conversation_id"]]
    messages = show_conversation(data["conversation_id"])["messages"]
    assert len(messages) == 2
    assert messages[0]["content"] == PROMPT
    assert messages[1]["content"] == data["text"]
    assert messages[1]["model"] == data["model"]
    assert messages[1]["reason"] == data["reason"]


def test_ask_continues_a_conversation() -> None:
    _, first = ask_json("--max-tokens", str(MAX_TOKENS), "My name is Ada. Say hello to me.")
    conversation_id = first["conversation_id"]
    _, second = ask_json(
        "--conversation",
        str(conversation_id),
        "--max-tokens",
        str(MAX_TOKENS),
        "What is my name?",
    )
    check_ask_json(second, MAX_TOKENS)
    assert second["conversation_id"] == conversation_id
    # The earlier turn was sent to the model: the prompt is longer than the new message alone.
    assert second["prompt_tokens"] > first["prompt_tokens"]

    assert len(list_conversations()) == 1
    messages = show_conversation(conversation_id)["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[2]["content"] == "What is my name?"
    assert messages[3]["content"] == second["text"]


def test_ask_unknown_conversation_fails_cleanly() -> None:
    proc = run_cli("ask", "--conversation", "4242", "--max-tokens", str(MAX_TOKENS), PROMPT)
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "4242" in proc.stderr
    assert proc.stdout.strip() == ""
    assert list_conversations() == []


@pytest.mark.parametrize("route", ["local", "auto"])
def test_ask_local_and_auto_answer_locally(route: str) -> None:
    _, data = ask_json("--route", route, "--max-tokens", str(MAX_TOKENS), PROMPT)
    check_ask_json(data, MAX_TOKENS)
    assert data["route"] == "local"
    assert len(list_conversations()) == 1


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["plain", "json"])
def test_ask_cloud_without_a_key_is_refused_and_nothing_stored(json_flag: list[str]) -> None:
    proc = run_cli(
        "ask",
        "--route",
        "cloud",
        *json_flag,
        "--max-tokens",
        str(MAX_TOKENS),
        PROMPT,
        env={"ANTHROPIC_API_KEY": ""},
    )
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "no cloud api key is set" in proc.stderr.lower()
    assert "key set" in proc.stderr
    assert proc.stdout.strip() == ""
    assert list_conversations() == []


@pytest.mark.parametrize(
    "args",
    [
        ["--route", "bogus"],
        ["--max-tokens", "0"],
        ["--max-tokens", "-3"],
        ["--max-tokens", "abc"],
        ["--conversation", "abc"],
    ],
    ids=["route-bogus", "max-tokens-0", "max-tokens-negative", "max-tokens-abc", "conv-abc"],
)
def test_ask_usage_errors_exit_2(args: list[str]) -> None:
    proc = run_cli("ask", *args, PROMPT)
    assert proc.returncode == 2, proc.stderr
    assert_no_traceback(proc)
    assert "usage:" in proc.stderr
    assert list_conversations() == []


def test_ask_whitespace_prompt_is_refused() -> None:
    proc = run_cli("ask", "   ")
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "empty" in proc.stderr.lower()
    assert list_conversations() == []


def test_ask_empty_stdin_is_refused() -> None:
    proc = run_cli("ask", "--json", input="  \n\t\n")
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "empty" in proc.stderr.lower()
    assert proc.stdout.strip() == ""
    assert list_conversations() == []


def test_ask_reads_prompt_from_stdin() -> None:
    proc = run_cli("ask", "--json", "--max-tokens", str(MAX_TOKENS), input=PROMPT + "\n")
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    check_ask_json(data, MAX_TOKENS)
    messages = show_conversation(data["conversation_id"])["messages"]
    assert messages[0]["content"].strip() == PROMPT
    assert messages[1]["content"] == data["text"]


# --- a bad model in the settings --------------------------------------------------------------


def _bad_model(kind: str, folder: Path) -> tuple[Path, str]:
    """Make a bad model file of the given kind; return its path and the phrase the error needs."""
    if kind == "missing":
        return folder / "no-such-model.gguf", "does not exist"
    if kind == "not-gguf":
        path = folder / "notes.gguf"
        path.write_text("These are my notes, not a model.\n" * 20, encoding="utf-8")
        return path, "not a gguf"
    assert kind == "truncated"
    path = folder / "truncated.gguf"
    with embedded_model_file().open("rb") as source:
        path.write_bytes(source.read(1 << 20))
    return path, "truncated"


@pytest.mark.parametrize("kind", ["missing", "not-gguf", "truncated"])
def test_ask_with_a_bad_model_fails_cleanly(kind: str, app_home: Path, tmp_path: Path) -> None:
    model, phrase = _bad_model(kind, tmp_path)
    settings = app_home / "config" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(
        json.dumps({"schema_version": 1, "model_path": str(model)}), encoding="utf-8"
    )

    for extra in ([], ["--json"]):
        proc = run_cli("ask", *extra, "--max-tokens", str(MAX_TOKENS), PROMPT)
        assert proc.returncode == 1, (proc.stdout, proc.stderr)
        assert_no_traceback(proc)
        assert phrase in proc.stderr.lower(), proc.stderr
        assert str(model) in proc.stderr
        assert "warning: settings" not in proc.stderr  # the settings file itself is fine
        assert proc.stdout.strip() == ""

    assert list_conversations() == []
    log_file = app_home / "logs" / "hybrid-desktop.log"
    assert log_file.is_file()
    assert log_file.stat().st_size > 0


# --- history -------------------------------------------------------------------------------------


def test_history_on_an_empty_home() -> None:
    proc = run_cli("history", "list")
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert proc.stdout.strip()  # a friendly line rather than nothing

    proc = run_cli("history", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"conversations": []}


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["plain", "json"])
def test_history_show_unknown_id(json_flag: list[str]) -> None:
    proc = run_cli("history", "show", "999", *json_flag)
    assert proc.returncode == 1
    assert_no_traceback(proc)
    assert "999" in proc.stderr
    assert "no conversation" in proc.stderr.lower()
    assert proc.stdout.strip() == ""


def test_history_usage_errors_exit_2() -> None:
    for args in (["history"], ["history", "show"], ["history", "show", "abc"]):
        proc = run_cli(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert_no_traceback(proc)


# --- offline --------------------------------------------------------------------------------------


def _check_offline_answer(
    proc: subprocess.CompletedProcess[str], log: Path, stored: int = 1
) -> None:
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    check_ask_json(data, MAX_TOKENS)
    loaded, attempts = guard_events(log)
    assert loaded >= 1, "the network guard did not load in the child process"
    assert attempts == []
    assert len(list_conversations()) == stored


def test_network_guard_really_blocks(tmp_path: Path) -> None:
    """The guard used below is not a no-op: a real connection attempt is refused and recorded."""
    log = tmp_path / "guard.log"
    env = {**os.environ, **install_network_guard(tmp_path / "guard", log)}
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('example.com', 80), timeout=2)\n"
        "except OSError:\n"
        "    raise SystemExit(3)\n"
        "try:\n"
        "    socket.socket().connect(('127.0.0.1', 9))\n"
        "except OSError:\n"
        "    raise SystemExit(4)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3, done.stderr
    loaded, attempts = guard_events(log)
    assert loaded == 1
    assert attempts and attempts[0].startswith("DNS ")


def test_ask_offline_with_socket_guard(tmp_path: Path) -> None:
    log = tmp_path / "guard.log"
    env = install_network_guard(tmp_path / "guard", log)
    proc = run_cli("ask", "--json", "--max-tokens", str(MAX_TOKENS), PROMPT, env=env)
    _check_offline_answer(proc, log)


@pytest.mark.skipif(not unshare_available(), reason="unshare -n is not available here")
def test_ask_offline_in_a_network_namespace(tmp_path: Path) -> None:
    # The namespace really has no route out.
    probe = subprocess.run(
        [
            *UNSHARE_PREFIX,
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode != 0
    assert "OSError" in probe.stderr or "unreachable" in probe.stderr.lower()

    # The same ask outside the namespace, timed, so a busy machine does not fail the time check.
    started = time.monotonic()
    baseline = run_cli("ask", "--json", "--max-tokens", str(MAX_TOKENS), PROMPT)
    baseline_s = time.monotonic() - started
    assert baseline.returncode == 0, baseline.stderr

    log = tmp_path / "guard.log"
    env = install_network_guard(tmp_path / "guard", log)
    started = time.monotonic()
    proc = run_cli(
        "ask", "--json", "--max-tokens", str(MAX_TOKENS), PROMPT, env=env, prefix=UNSHARE_PREFIX
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    # No network must not mean waiting on network time-outs. Generous: not a benchmark.
    limit = max(60.0, 3 * baseline_s)
    assert elapsed < limit, f"offline ask took {elapsed:.1f} s (online: {baseline_s:.1f} s)"
    # Two answers stored: the baseline's and the offline one.
    _check_offline_answer(proc, log, stored=2)


# --- Ctrl+C ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signum",
    [signal.SIGINT]
    + ([signal.SIGTERM, signal.SIGHUP] if hasattr(signal, "SIGHUP") else []),  # logout, shutdown
    ids=lambda n: signal.Signals(n).name,
)
def test_ctrl_c_stops_and_keeps_the_partial_answer(signum: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hybrid_desktop", "ask", "--max-tokens", "400", LONG_PROMPT],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    first = b""
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + 120
            while not first.strip() and time.monotonic() < deadline:
                if selector.select(timeout=1):
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break  # the process closed stdout (exited) before any text
                    first += chunk
        assert first.strip(), "no answer text arrived before Ctrl+C"
        proc.send_signal(signum)
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stdout = (first + rest).decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout and "Traceback" not in stderr, stderr
    assert "stopped" in stderr.lower()

    conversations = list_conversations()
    assert len(conversations) == 1
    messages = show_conversation(conversations[0]["id"])["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == LONG_PROMPT
    assistant = messages[1]
    assert assistant["status"] == "stopped"
    assert assistant["content"].strip()
    assert assistant["content"].strip() == stdout.strip()
    assert assistant["meta"]["stop_reason"] == "cancelled"
    assert assistant["meta"]["completion_tokens"] < 400


def _has_loaded_llama(pid: int) -> bool:
    try:
        return "libllama" in Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc/<pid>/maps")
def test_ctrl_c_while_loading_exits_130_without_traceback() -> None:
    """Ctrl+C while the model loads (before any answer text): exit 130, no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "hybrid_desktop", "ask", "--max-tokens", "400", LONG_PROMPT],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # llama.cpp's library is mapped when the engine starts loading the model: interrupt then.
        deadline = time.monotonic() + 120
        while (
            not _has_loaded_llama(proc.pid) and proc.poll() is None and time.monotonic() < deadline
        ):
            time.sleep(0.002)
        assert proc.poll() is None, "the command finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout and "Traceback" not in stderr, stderr
    assert "KeyboardInterrupt" not in stderr
    assert stderr.strip()  # says what happened

    # History is still readable, and holds no empty answer.
    for conversation in list_conversations():
        for message in show_conversation(conversation["id"])["messages"]:
            if message["role"] == "assistant":
                assert message["content"].strip()
