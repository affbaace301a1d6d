"""llama-cpp-python's own OpenAI-compatible server (``python -m llama_cpp.server``, the
``server`` extra) on 127.0.0.1, serving a GGUF model: the edge server of the tests.

    with running_llama_server(embedded_model) as server:
        httpx.get(f"{server.url}/v1/models")      # {"data": [{"id": "edge-model", ...}]}
        server.kill()                             # SIGKILL: the box dies mid-answer

It runs in a child process, as a real edge box would: llama.cpp's AMX guard is applied first
(``core.engines.cpu_buffers.guard_amx``: this machine's AMX path crashes llama.cpp), then the
server module runs as ``__main__`` with the arguments given. The context manager returns once
``/v1/models`` answers and stops the server at the end (SIGTERM, then SIGKILL).

Fixtures (register them with ``pytest_plugins = ["tests.support.edge_server"]`` or by importing
them into a conftest):

- ``edge_server`` (session): one shared server for the whole run. Do not kill it.
- ``killable_edge_server`` (function): a server of the test's own, to kill or stop.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

#: The child's program: the AMX guard, then llama_cpp.server as if run with ``python -m``.
LAUNCH = (
    "import runpy, llama_cpp\n"
    "from hybrid_desktop.core.engines.cpu_buffers import guard_amx\n"
    "guard_amx(llama_cpp)\n"
    "runpy.run_module('llama_cpp.server', run_name='__main__', alter_sys=True)\n"
)
START_TIMEOUT_S = 60.0
DEFAULT_ALIAS = "edge-model"


def free_port() -> int:
    """A port nothing listens on now (the OS's choice) on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LlamaServer:
    """A running ``llama_cpp.server`` child process."""

    process: subprocess.Popen[bytes]
    port: int
    alias: str
    stderr_path: Path
    #: Where the model file came from (for messages).
    model_path: Path
    #: The key it requires (``--api_key``), or None.
    api_key: str | None = None
    _stderr: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The base URL, without ``/v1`` (as an ``EdgeServer.url`` is usually written)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, at once: a box that dies without a word (mid-answer, if one is streaming)."""
        if self.alive():
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM (uvicorn shuts down cleanly), then SIGKILL after 10 s."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def stderr_tail(self, lines: int = 30) -> str:
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def models(self, timeout_s: float = 2.0) -> list[str]:
        """The ids ``/v1/models`` lists now (raises OSError when it does not answer)."""
        with _direct_opener().open(self._models_request(), timeout=timeout_s) as response:
            data = json.load(response)
        return [str(m["id"]) for m in data.get("data", [])]

    def _models_request(self) -> urllib.request.Request:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return urllib.request.Request(f"{self.url}/v1/models", headers=headers)


def _direct_opener() -> urllib.request.OpenerDirector:
    """No proxy for 127.0.0.1, whatever the environment says."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _wait_ready(server: LlamaServer, timeout_s: float) -> None:
    opener = _direct_opener()
    deadline = time.monotonic() + timeout_s
    last = "no answer yet"
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(
                f"llama_cpp.server exited with code {server.process.returncode} before it "
                f"answered /v1/models:\n{server.stderr_tail()}"
            )
        try:
            with opener.open(server._models_request(), timeout=2) as response:
                if response.status == 200 and json.load(response).get("data"):
                    return
        except (OSError, ValueError) as exc:  # refused while starting, 503 while loading
            last = f"{type(exc).__name__}: {exc}"
        time.sleep(0.1)
    raise TimeoutError(
        f"llama_cpp.server did not answer /v1/models within {timeout_s:.0f} s ({last}):\n"
        f"{server.stderr_tail()}"
    )


def start_llama_server(
    model_path: Path | str,
    *,
    alias: str = DEFAULT_ALIAS,
    port: int | None = None,
    api_key: str | None = None,
    extra_args: Sequence[str] = (),
    timeout_s: float = START_TIMEOUT_S,
) -> LlamaServer:
    """Start the server and return it once ``/v1/models`` answers (the caller stops it).
    ``api_key``: the server requires it (``--api_key``) and the readiness check sends it."""
    model_path = Path(model_path)
    port = port or free_port()
    fd, name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
    stderr = os.fdopen(fd, "wb")
    command = [
        sys.executable,
        "-c",
        LAUNCH,
        "--model",
        str(model_path),
        "--model_alias",
        alias,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
        "--n_threads",
        "1",
        *(("--api_key", api_key) if api_key else ()),
        *extra_args,
    ]
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, env=env
    )
    server = LlamaServer(process, port, alias, Path(name), model_path, api_key, stderr)
    try:
        _wait_ready(server, timeout_s)
    except BaseException:  # the error carries the log's tail
        server.stop()
        with contextlib.suppress(OSError):
            server.stderr_path.unlink()
        raise
    return server


@contextlib.contextmanager
def running_llama_server(
    model_path: Path | str,
    *,
    alias: str = DEFAULT_ALIAS,
    port: int | None = None,
    api_key: str | None = None,
    extra_args: Sequence[str] = (),
    timeout_s: float = START_TIMEOUT_S,
) -> Iterator[LlamaServer]:
    """A running server for the ``with`` block; stopped (and its log removed) afterwards."""
    server = start_llama_server(
        model_path,
        alias=alias,
        port=port,
        api_key=api_key,
        extra_args=extra_args,
        timeout_s=timeout_s,
    )
    try:
        yield server
    finally:
        server.stop()
        with contextlib.suppress(OSError):
            server.stderr_path.unlink()


# fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def edge_server(embedded_model: Path) -> Iterator[LlamaServer]:
    """One llama_cpp.server for the session, serving the embedded model as ``edge-model``.
    Shared: never kill or stop it in a test (use ``killable_edge_server``)."""
    with running_llama_server(embedded_model) as server:
        yield server


@pytest.fixture
def killable_edge_server(embedded_model: Path) -> Iterator[LlamaServer]:
    """A server of this test's own (about 2 s to start), to kill mid-answer or stop."""
    with running_llama_server(embedded_model) as server:
        yield server
