"""Smoke tests for a built bundle: run the frozen executable the way a user would.

Every run gets a fresh ``HYBRID_DESKTOP_HOME`` and no API key. The checks:

- ``--version`` prints the version;
- ``key status`` works with no D-Bus session (the keyring backend is reported missing, plainly);
- ``ask --route local`` answers with the embedded model with the network unavailable;
- ``redact`` finds a name, an e-mail address and a phone number, offline (spaCy and Presidio
  inside the bundle, no suffix-list download);
- ``ask --route cloud`` against the test suite's Messages API server on 127.0.0.1: the name
  and address never reach it, the answer shows them restored;
- ``--self-test`` passes offscreen (the real window, the worker thread and the model);
- Linux with gnome-keyring: ``key set/status/delete`` in a real Secret Service;
- Linux: launched through a symbolic link (as ``/usr/bin/hybrid-desktop`` is), and opening the
  window with no display prints the explanation instead of Qt's abort;
- Linux with ``xvfb-run``: ``--self-test`` on a real X server (Qt's xcb plugin and its libraries).

"Network unavailable" is real on Linux: ``unshare -n`` (as root, or ``unshare -rn`` where user
namespaces are allowed) leaves only a loopback device. Elsewhere, and where unshare is refused,
the proxy variables point every HTTP client at a closed local port instead; that stops the
Python HTTP clients (httpx, requests), not raw sockets, and the report says which one was used.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROMPT = "What is the capital of France?"
PII_TEXT = "Mail Olga Petrova at olga.petrova@example.com or call +44 20 7946 0958 tomorrow."
#: French: the gate loads the French NER model for it, which must be in the bundle.
FRENCH_TEXT = (
    "Bonjour, je m'appelle Élodie Marchand et j'habite 12 rue des Lilas, 69003 Lyon. "
    "Pouvez-vous m'aider à écrire une lettre à mon propriétaire ?"
)


@dataclass
class Result:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class SmokeReport:
    target: str
    results: list[Result] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.ok]


def _isolation_prefix() -> tuple[list[str], str]:
    """A command prefix that runs a program with no network, and what it is."""
    if sys.platform.startswith("linux") and shutil.which("unshare"):
        ip = shutil.which("ip")
        lo = f"{ip} link set lo up 2>/dev/null; " if ip else ""
        for flags in (["-n"], ["-rn"]) if os.geteuid() == 0 else (["-rn"],):
            probe = subprocess.run(["unshare", *flags, "true"], capture_output=True, check=False)
            if probe.returncode == 0:
                return (
                    ["unshare", *flags, "sh", "-c", lo + 'exec "$@"', "sh"],
                    f"unshare {' '.join(flags)} (loopback only)",
                )
    return [], "proxy variables pointing at a closed port (HTTP clients only)"


def _base_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "HYBRID_DESKTOP_", "QT_", "PYTHON"))
        and k not in ("LD_LIBRARY_PATH", "VIRTUAL_ENV")
    }
    env["HYBRID_DESKTOP_HOME"] = str(home)
    env["HYBRID_DESKTOP_NO_DIALOGS"] = "1"
    return env


def _offline_env(env: dict[str, str], isolated: bool) -> dict[str, str]:
    if isolated:
        return env
    dead = "http://127.0.0.1:9"
    return {
        **env,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "ALL_PROXY": dead,
        "http_proxy": dead,
        "https_proxy": dead,
        "all_proxy": dead,
        "NO_PROXY": "",
        "no_proxy": "",
    }


class Runner:
    def __init__(self, exe: Path, report: SmokeReport, timeout: float = 240) -> None:
        self.exe = exe
        self.report = report
        self.timeout = timeout

    def run(
        self,
        name: str,
        args: list[str],
        env: dict[str, str],
        check,  # (CompletedProcess) -> str | None: None when fine, else what is wrong
        prefix: list[str] | None = None,
        stdin: str | None = None,
        exe: Path | None = None,
        shell_script: str | None = None,
    ) -> subprocess.CompletedProcess[str] | None:
        """Run the executable (or ``shell_script`` after ``prefix``) and judge it with ``check``."""
        if shell_script is not None:
            command = [*(prefix or []), "sh", "-c", shell_script]
        else:
            command = [*(prefix or []), str(exe or self.exe), *args]
        start = time.monotonic()
        try:
            proc = subprocess.run(
                command,
                env=env,
                input=stdin,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=self.timeout,
                check=False,
                stdin=None if stdin is not None else subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            self._add(name, False, f"timed out after {self.timeout:.0f} s", start)
            return None
        except OSError as exc:
            self._add(name, False, f"could not run: {exc}", start)
            return None
        problem = check(proc)
        if problem:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
            problem += f" (exit {proc.returncode}); output ends:\n      " + "\n      ".join(tail)
        self._add(name, problem is None, problem or _first_line(proc.stdout or proc.stderr), start)
        return proc

    def note(self, name: str, ok: bool, detail: str) -> None:
        self.report.results.append(Result(name, ok, detail, 0.0))

    def _add(self, name: str, ok: bool, detail: str, start: float) -> None:
        self.report.results.append(Result(name, ok, detail, time.monotonic() - start))


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:160]


def _last_json(text: str) -> dict | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def smoke_test(exe: Path, version: str, label: str, gui_exe: Path | None = None) -> SmokeReport:
    """Run every check on ``exe`` (the console executable). ``gui_exe``: the windowed twin."""
    report = SmokeReport(label)
    runner = Runner(exe, report)
    prefix, how = _isolation_prefix()
    isolated = bool(prefix)
    linux = sys.platform.startswith("linux")
    with tempfile.TemporaryDirectory(prefix="hd-smoke-") as tmp:
        tmp_path = Path(tmp)
        env = _base_env(tmp_path / "home")
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)

        runner.run(
            "--version",
            ["--version"],
            env,
            lambda p: (
                None
                if p.returncode == 0 and version in p.stdout
                else f"expected {version!r} on stdout"
            ),
        )

        no_dbus = {k: v for k, v in env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
        no_dbus["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + str(tmp_path / "no-bus")
        runner.run(
            "key status (no D-Bus)",
            ["key", "status"],
            no_dbus,
            lambda p: (
                None
                if p.returncode == 0
                and "No API key is set" in p.stdout
                and "Traceback" not in p.stderr
                else "expected 'No API key is set' and no traceback"
            ),
        )

        def check_ask(p: subprocess.CompletedProcess[str]) -> str | None:
            data = _last_json(p.stdout)
            if p.returncode != 0 or data is None:
                return "expected exit 0 and a JSON line"
            if data.get("route") != "local" or not str(data.get("text", "")).strip():
                return f"expected a local answer, got route={data.get('route')!r}"
            return None

        runner.note("network isolation", True, how)
        runner.run(
            "ask --route local (offline)",
            ["ask", "--route", "local", "--json", "--max-tokens", "32", PROMPT],
            _offline_env(env, isolated),
            check_ask,
            prefix=prefix,
        )

        def check_redact(p: subprocess.CompletedProcess[str]) -> str | None:
            data = _last_json(p.stdout)
            if p.returncode != 0 or data is None:
                return "expected exit 0 and a JSON line"
            kinds = {e.get("type") for e in data.get("entities", [])}
            wanted = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"}
            if not wanted <= kinds:
                return f"expected {sorted(wanted)}, found {sorted(kinds)}"
            if "Olga" in data.get("text", "") or "example.com" in data.get("text", ""):
                return "the redacted text still contains the name or the address"
            return None

        runner.run(
            "redact (offline, spaCy + Presidio)",
            ["redact", "--json"],
            _offline_env(env, isolated),
            check_redact,
            prefix=prefix,
            stdin=PII_TEXT,
        )

        log_file = tmp_path / "home" / "logs" / "hybrid-desktop.log"

        def check_french(p: subprocess.CompletedProcess[str]) -> str | None:
            data = _last_json(p.stdout)
            if p.returncode != 0 or data is None:
                return "expected exit 0 and a JSON line"
            log = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
            if "is not usable" in log:
                return "the French spaCy model did not load in the bundle (see the log)"
            if "Marchand" in data.get("text", "") or "rue des Lilas" in data.get("text", ""):
                return "the redacted French text still contains the name or the address"
            return None

        runner.run(
            "redact a French prompt (French NER)",
            ["redact", "--json"],
            _offline_env(env, isolated),
            check_french,
            prefix=prefix,
            stdin=FRENCH_TEXT,
        )

        cloud_smoke(runner, env)

        runner.run(
            "--self-test (offscreen)",
            ["--self-test"],
            {**env, "QT_QPA_PLATFORM": "offscreen"},
            lambda p: None if p.returncode == 0 else "the self-test failed",
        )

        if linux:
            keyring_smoke(runner, env)
            link = tmp_path / "bin" / "hybrid-desktop"
            link.parent.mkdir()
            link.symlink_to(exe)
            runner.run(
                "launch through a symlink",
                ["--version"],
                env,
                lambda p: None if p.returncode == 0 and version in p.stdout else "no version",
                exe=link,
            )
            runner.run(
                "window with no display",
                [],
                env,
                lambda p: (
                    None
                    if p.returncode == 1 and "no graphical display" in p.stderr
                    else "expected exit 1 and the no-display explanation"
                ),
            )
            xvfb = shutil.which("xvfb-run")
            if xvfb:
                runner.run(
                    "--self-test (Xvfb, xcb)",
                    ["--self-test"],
                    env,
                    lambda p: None if p.returncode == 0 else "the self-test failed under Xvfb",
                    prefix=[xvfb, "-a", "-s", "-screen 0 1280x800x24"],
                )
            else:
                runner.note("--self-test (Xvfb, xcb)", True, "skipped: xvfb-run not installed")
        if gui_exe is not None:
            # The windowed twin has no console to print to; its exit status still tells.
            runner.run(
                f"{gui_exe.name} --version",
                ["--version"],
                env,
                lambda p: None if p.returncode == 0 else "expected exit 0",
                exe=gui_exe,
            )
    return report


def cloud_smoke(runner: Runner, env: dict[str, str]) -> None:
    """``ask --route cloud`` against the test suite's Messages API server on 127.0.0.1: the
    Anthropic SDK, the privacy gate and the on-device restore, all frozen."""
    sys.path.insert(0, str(REPO))
    try:
        from tests.support.anthropic_server import running_server
    except ImportError:
        runner.note("ask --route cloud (local API server)", True, "skipped: tests/ not present")
        return
    with running_server() as server:
        cloud_env = {
            **env,
            "ANTHROPIC_BASE_URL": server.base_url,
            "ANTHROPIC_API_KEY": "sk-ant-smoke-0123456789abcdefghijklmnopqrstuvwxyz",
        }

        def check(p: subprocess.CompletedProcess[str]) -> str | None:
            data = _last_json(p.stdout)
            if p.returncode != 0 or data is None:
                return "expected exit 0 and a JSON line"
            if data.get("route") != "cloud":
                return f"expected the cloud route, got {data.get('route')!r}: {data.get('reason')}"
            sent = json.dumps([r.body for r in server.message_requests()])
            if "Olga" in sent or "example.com" in sent:
                return "personal data reached the server"
            if "Olga Petrova" not in str(data.get("text")):
                return "the placeholder was not restored on the device"
            return None

        runner.run(
            "ask --route cloud (local API server)",
            ["ask", "--route", "cloud", "--json", PII_TEXT],
            cloud_env,
            check,
        )


def keyring_smoke(runner: Runner, env: dict[str, str]) -> None:
    """Save, read and delete the key in a real Secret Service (gnome-keyring on a private
    D-Bus), when those are installed: keyring, secretstorage and cryptography, frozen."""
    session, daemon = shutil.which("dbus-run-session"), shutil.which("gnome-keyring-daemon")
    name = "key set/status/delete (Secret Service)"
    if not (session and daemon):
        runner.note(name, True, "skipped: dbus-run-session or gnome-keyring-daemon not installed")
        return
    exe = shlex.quote(str(runner.exe))
    script = (
        f"printf pw | {shlex.quote(daemon)} --unlock --components=secrets >/dev/null 2>&1; "
        f"echo sk-ant-smoke-key | {exe} key set && {exe} key status && {exe} key delete"
    )
    runner.run(
        name,
        [],
        env,
        lambda p: (
            None
            if p.returncode == 0
            and "saved in the OS keyring" in p.stdout
            and "set in the OS keyring" in p.stdout
            and "removed" in p.stdout
            else "expected the key to be saved, found and removed"
        ),
        prefix=[session, "--"],
        shell_script=script,
    )


def print_report(report: SmokeReport) -> None:
    print(f"\nSmoke test: {report.target}")
    for r in report.results:
        mark = "ok  " if r.ok else "FAIL"
        timing = f" ({r.seconds:.1f} s)" if r.seconds else ""
        print(f"  [{mark}] {r.name}{timing}: {r.detail}")
