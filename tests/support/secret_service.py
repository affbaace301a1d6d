"""A real Secret Service for tests: gnome-keyring on a private D-Bus session bus.

:func:`secret_service` starts both and yields the environment variables that point a process at
them (the ``keyring`` package then finds the Secret Service backend); :func:`lock_keyring` locks
the default collection the way the desktop's "Lock" does, through the Secret Service's own
D-Bus call.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NEEDED = ("dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool")


@contextmanager
def secret_service(home: Path) -> Iterator[dict[str, str]]:
    """Environment variables of a private session bus with an unlocked gnome-keyring (skips the
    test when the tools are missing)."""
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt: dbus gnome-keyring libsecret-tools)")
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its notes on the unlock prompter that cannot show
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    env = {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home),
        "XDG_DATA_HOME": str(home / "data"),
    }
    full_env = {**os.environ, **env}
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=full_env,
    )
    try:
        assert daemon.stdin is not None
        daemon.stdin.write(b"test-password")
        daemon.stdin.close()
        deadline = time.monotonic() + 90  # a loaded 2-core machine can take a while
        # Until our daemon owns the Secret Service's name, a client's call would make the bus
        # start another one (D-Bus activation), which has no unlocked login keyring.
        while time.monotonic() < deadline and not _name_has_owner(full_env):
            time.sleep(0.1)
        # The login keyring is created and unlocked a moment after the daemon starts.
        ready = False
        while time.monotonic() < deadline and not ready:
            stored = subprocess.run(
                ["secret-tool", "store", "--label=probe", "service", "probe", "username", "probe"],
                input=b"probe-secret",
                env=full_env,
                capture_output=True,
                timeout=10,
                check=False,
            )
            looked = subprocess.run(
                ["secret-tool", "lookup", "service", "probe", "username", "probe"],
                env=full_env,
                capture_output=True,
                timeout=10,
                check=False,
            )
            ready = stored.returncode == 0 and looked.stdout.strip() == b"probe-secret"
            if not ready:
                time.sleep(0.3)
        assert ready, "gnome-keyring did not become usable"
        yield env
    finally:
        daemon.terminate()
        bus.terminate()
        daemon.wait(10)
        bus.wait(10)


def _name_has_owner(env: dict[str, str]) -> bool:
    """Whether a process owns ``org.freedesktop.secrets`` (asking does not start one)."""
    asked = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return "boolean true" in asked.stdout


def secret_lookup(env: dict[str, str], service: str, username: str) -> str:
    """What the Secret Service holds for ``service``/``username`` ("" when nothing)."""
    found = subprocess.run(
        ["secret-tool", "lookup", "service", service, "username", username],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return found.stdout.strip()


def secret_store(env: dict[str, str], service: str, username: str, secret: str) -> None:
    subprocess.run(
        ["secret-tool", "store", "--label=test", "service", service, "username", username],
        input=secret.encode(),
        env={**os.environ, **env},
        capture_output=True,
        timeout=30,
        check=True,
    )


def lock_keyring(env: dict[str, str]) -> None:
    """Lock the default collection (``org.freedesktop.Secret.Service.Lock``)."""
    subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/aliases/default",
        ],
        env={**os.environ, **env},
        capture_output=True,
        timeout=30,
        check=True,
    )
