"""The API key in a real Secret Service: gnome-keyring on a private D-Bus session, driven through
the real ``hybrid-desktop key`` commands. Plus the no-backend message."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.support.anthropic_server import running_server
from tests.support.secret_service import secret_service as shared_secret_service

KEY = "sk-ant-keyring-test-9f8e7d6c5b4a"


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment variables of a private session bus with an unlocked gnome-keyring."""
    with shared_secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def test_key_set_status_use_and_delete_through_the_secret_service(
    secret_service: dict[str, str], app_home: Path
) -> None:
    env = {**secret_service, "ANTHROPIC_API_KEY": ""}
    status = run_cli("key", "status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) == {
        "present": False,
        "source": "none",
        "backend": json.loads(status.stdout)["backend"],
    }
    assert "secret" in json.loads(status.stdout)["backend"].lower()

    saved = run_cli("key", "set", env=env, input=KEY + "\n")
    assert saved.returncode == 0, saved.stderr
    assert KEY not in saved.stdout + saved.stderr  # never echoed

    status = json.loads(run_cli("key", "status", "--json", env=env).stdout)
    assert status["present"] and status["source"] == "keyring"
    # It really is in the Secret Service, not in a file of ours.
    lookup = subprocess.run(
        ["secret-tool", "lookup", "service", "hybrid-desktop", "username", "anthropic-api-key"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert lookup.stdout.strip() == KEY

    # The cloud tier uses it: the server sees it as the request's key.
    with running_server() as server:
        asked = run_cli(
            "ask",
            "--route",
            "cloud",
            "--json",
            "--max-tokens",
            "16",
            "Hello there",
            env={**env, "ANTHROPIC_BASE_URL": server.base_url},
        )
        assert asked.returncode == 0, asked.stderr
        assert json.loads(asked.stdout.splitlines()[-1])["route"] == "cloud"
        headers = server.message_requests()[0].headers
        assert headers.get("authorization") == f"Bearer {KEY}" or headers.get("x-api-key") == KEY

    for path in app_home.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), f"the key leaked into {path}"

    deleted = run_cli("key", "delete", env=env)
    assert deleted.returncode == 0 and "removed" in deleted.stdout
    assert json.loads(run_cli("key", "status", "--json", env=env).stdout)["present"] is False
    again = run_cli("key", "delete", env=env)
    assert again.returncode == 0 and "no API key" in again.stdout


def test_empty_key_is_refused(secret_service: dict[str, str]) -> None:
    result = run_cli("key", "set", env=secret_service, input="\n")
    assert result.returncode == 1
    assert "empty" in result.stderr and "Traceback" not in result.stderr


def test_no_keyring_backend_is_said_plainly() -> None:
    no_bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus", "ANTHROPIC_API_KEY": ""}
    result = run_cli("key", "set", input=KEY + "\n", env=no_bus)
    assert result.returncode == 1
    assert "no OS keyring" in result.stderr
    assert "ANTHROPIC_API_KEY" in result.stderr
    assert KEY not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    status = run_cli("key", "status", env=no_bus)
    assert status.returncode == 0
    assert "No API key is set." in status.stdout
