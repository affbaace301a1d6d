"""The CLI run in this process, for property tests: a subprocess per example would spend most of
its time starting Python and loading the privacy gate.

:func:`run_cli_in_process` parses the arguments with the CLI's own parser and runs them through
``cli.run`` with the app's services (``app.build_services``), stdin fed from bytes and stdout and
stderr captured as bytes, with the encodings of a real pipe (stdout strict UTF-8, so printing a
lone surrogate fails here as it would there). :func:`shared_detector` makes every gate the
services build reuse one real, loaded detector, which otherwise takes seconds per example.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: bytes
    stderr: str


def _services(paths: Any) -> Any:
    from hybrid_desktop.app import build_services
    from hybrid_desktop.config.settings import load_settings

    return build_services(paths, load_settings(paths.settings_file))


def run_cli_in_process(argv: list[str], data: bytes) -> Ran:
    from hybrid_desktop import cli

    args = cli.build_parser().parse_args(argv)
    out, err = io.BytesIO(), io.BytesIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        code = cli.run(args, _services)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        stdout.flush()
        stderr.flush()
    return Ran(code, out.getvalue(), err.getvalue().decode("utf-8"))


@contextmanager
def shared_detector(detector: object) -> Iterator[None]:
    """While active, a gate that loads gets ``detector`` (real and loaded) instead of a new one."""
    with patch("hybrid_desktop.core.privacy.detector.Detector", lambda *_a, **_k: detector):
        yield
