"""``hybrid-desktop history encrypt | decrypt | status``: the real commands, with the key in a real
Secret Service (gnome-keyring on a private D-Bus), and without any keyring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.config import history_key
from hybrid_desktop.storage.cipher import PLAINTEXT_HEADER
from hybrid_desktop.storage.history import HistoryStore
from tests.conftest import run_cli
from tests.support.secret_service import secret_lookup, secret_service

PROMPT = "What did Ingrid Vasquez-Thornbury say about the Tromsø-4471 lease?"
NO_BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def stored_history(app_home: Path) -> tuple[Path, int]:
    database = app_home / "data" / "history.db"
    store = HistoryStore(database)
    try:
        first = store.start_conversation(PROMPT)
        store.add_message(first.conversation_id, "assistant", "She said it ends in May.")
    finally:
        store.close()
    return database, first.conversation_id


def test_encrypt_status_list_show_and_decrypt(keyring_env: dict[str, str], app_home: Path) -> None:
    database, conversation = stored_history(app_home)

    done = run_cli("history", "encrypt", env=keyring_env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "now encrypted" in done.stdout and "OS keyring" in done.stdout
    raw = database.read_bytes()
    assert not raw.startswith(PLAINTEXT_HEADER) and PROMPT.encode() not in raw
    assert secret_lookup(keyring_env, "hybrid-desktop", history_key.entry_name(database))
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["encrypt_history"] is True  # the window will not undo it

    status = run_cli("history", "status", "--json", env=keyring_env, timeout=120)
    assert status.returncode == 0, status.stderr
    info = json.loads(status.stdout)
    assert info["encrypted"] is True and info["key_opens"] is True and info["setting"] is True
    assert info["cipher"].startswith("SQLCipher 4")

    listed = run_cli("history", "list", env=keyring_env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "What did Ingrid" in listed.stdout
    shown = run_cli("history", "show", str(conversation), "--json", env=keyring_env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["messages"][0]["content"] == PROMPT

    again = run_cli("history", "encrypt", env=keyring_env, timeout=120)
    assert again.returncode == 0 and "already encrypted" in again.stdout

    undone = run_cli("history", "decrypt", env=keyring_env, timeout=120)
    assert undone.returncode == 0, undone.stderr
    assert database.read_bytes().startswith(PLAINTEXT_HEADER)
    assert secret_lookup(keyring_env, "hybrid-desktop", history_key.entry_name(database)) == ""
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["encrypt_history"] is False
    status = json.loads(run_cli("history", "status", "--json", env=keyring_env).stdout)
    assert status["encrypted"] is False
    assert PROMPT in run_cli("history", "show", str(conversation), env=keyring_env).stdout


def test_without_a_keyring_nothing_is_encrypted_and_a_locked_history_is_explained(
    keyring_env: dict[str, str], app_home: Path
) -> None:
    database, _ = stored_history(app_home)
    before = database.read_bytes()
    refused = run_cli("history", "encrypt", env=NO_BUS, timeout=120)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: The history cannot be encrypted")
    assert "no OS keyring" in refused.stderr and "Traceback" not in refused.stderr
    assert database.read_bytes() == before

    assert run_cli("history", "encrypt", env=keyring_env, timeout=120).returncode == 0
    encrypted = database.read_bytes()
    for command in (("history", "list"), ("history", "decrypt"), ("ask", "hello")):
        result = run_cli(*command, env=NO_BUS, timeout=120)
        assert result.returncode == 1, (command, result.stdout)
        assert result.stderr.startswith(f"error: The history database {database}"), command
        assert "no OS keyring" in result.stderr and "Nothing was deleted" in result.stderr
        assert "Traceback" not in result.stderr
    status = run_cli("history", "status", env=NO_BUS, timeout=120)
    assert status.returncode == 1 and "cannot be opened now" in status.stdout
    assert database.read_bytes() == encrypted
