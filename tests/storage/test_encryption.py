"""Encryption at rest (storage.encryption, storage.cipher): real SQLite and SQLCipher files, and
the key in a real Secret Service (gnome-keyring on a private D-Bus, tests/support)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hybrid_desktop.config import history_key
from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.config.settings import Settings, load_settings
from hybrid_desktop.errors import HistoryLockedError, HybridDesktopError, StorageError
from hybrid_desktop.storage import cipher, encryption
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.privacy import PrivacyStore
from tests.conftest import REPO
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (the fixture)
from tests.support.secret_service import lock_keyring, secret_lookup, secret_service

PROMPT = "Please write to <PERSON_1> about the Marrakesh-9047 invoice"
ANSWER = "ANSWER-Kilimanjaro-5521: here is the letter"
ORIGINAL = "Quetzal Oyelaran-Brightwater"  # the vault's original behind <PERSON_1>
LATER = "LATER-Okavango-3318 written after encrypting"
SECRETS = (PROMPT, ANSWER, ORIGINAL, "Marrakesh-9047", "Oyelaran")


class Stop(Exception):
    """Raised by a step hook: the conversion stops there, as if the process died."""


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


@contextmanager
def _use_keyring(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import keyring
    from keyring.backends import SecretService

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def keyring_on(
    keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """This process uses the test Secret Service."""
    with _use_keyring(keyring_env, monkeypatch):
        yield keyring_env


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.db"


def fill(path: Path, turns: int = 3, size: int = 0) -> int:
    """A history with ``turns`` conversations of a prompt, an answer and a vault entry."""
    store = HistoryStore(path)
    try:
        for i in range(turns):
            first = store.start_conversation(f"{PROMPT} #{i}" + "x" * size)
            store.add_message(first.conversation_id, "assistant", ANSWER, route="local")
            PrivacyStore(store).save_vault(
                first.conversation_id, [("PERSON", "<PERSON_1>", ORIGINAL)]
            )
        return first.conversation_id
    finally:
        store.close()


def snapshot(path: Path) -> list[tuple[object, ...]]:
    """Everything a user can read back: titles, messages and vault entries."""
    store = HistoryStore(path, run_migrations=False)
    try:
        rows: list[tuple[object, ...]] = []
        for c in store.list_conversations():
            rows.append((c.id, c.title, c.message_count))
            rows += [(m.role, m.content, m.status) for m in store.messages(c.id)]
            rows += PrivacyStore(store).vault_rows(c.id)
        return rows
    finally:
        store.close()


def leaks(folder: Path, *texts: str) -> list[str]:
    """Which ``texts`` appear in any file of ``folder`` (raw bytes, and `strings` if present)."""
    found = []
    for file in sorted(p for p in folder.iterdir() if p.is_file()):
        data = file.read_bytes()
        found += [f"{file.name}: {t}" for t in texts if t.encode() in data]
        if shutil.which("strings"):
            out = subprocess.run(["strings", "-n", "6", str(file)], capture_output=True, text=True)
            found += [f"strings {file.name}: {t}" for t in texts if t in out.stdout]
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_encrypted_history_hides_prompts_and_vault_originals_and_still_reads(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    conversation = fill(db_path)
    before = snapshot(db_path)
    assert db_path.read_bytes().startswith(cipher.PLAINTEXT_HEADER)
    assert leaks(db_path.parent, ORIGINAL)  # the plaintext file shows it: the check can see

    done = encryption.encrypt_history(db_path)
    assert done.changed and done.encrypted and done.rows > 0
    assert not db_path.read_bytes().startswith(cipher.PLAINTEXT_HEADER)
    assert cipher.is_encrypted(db_path)
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.db"]
    assert leaks(db_path.parent, *SECRETS) == []
    key = secret_lookup(keyring_on, "hybrid-desktop", history_key.entry_name(db_path))
    assert len(bytes.fromhex(key)) == 32
    assert key not in db_path.read_bytes().hex()

    assert snapshot(db_path) == before
    store = HistoryStore(db_path)
    try:
        store.add_message(conversation, "user", LATER)
        assert (db_path.parent / "history.db-wal").stat().st_size > 0  # the journal is in use
        assert leaks(db_path.parent, LATER, *SECRETS) == []  # ... and encrypted too
    finally:
        store.close()
    with_later = snapshot(db_path)
    assert (("user", LATER, "complete")) in with_later
    assert encryption.history_status(db_path).key_opens is True

    undone = encryption.decrypt_history(db_path)
    assert undone.changed and not undone.encrypted
    assert db_path.read_bytes().startswith(cipher.PLAINTEXT_HEADER)
    assert snapshot(db_path) == with_later
    assert secret_lookup(keyring_on, "hybrid-desktop", history_key.entry_name(db_path)) == ""
    assert encryption.history_status(db_path).encrypted is False


def test_a_full_text_index_lives_inside_the_encrypted_file(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    """Issue 17's search index (sqlite-utils' FTS5 index over messages, made by migration
    m005_message_search) works on the SQLCipher connection, and its text is encrypted with the
    rest."""
    conversation = fill(db_path)
    encryption.encrypt_history(db_path)
    store = HistoryStore(db_path)
    try:
        messages = store.db["messages"]
        assert messages.detect_fts() == "messages_fts"  # type: ignore[union-attr]
        store.add_message(conversation, "user", LATER)
        found = [r["content"] for r in messages.search("Okavango")]  # type: ignore[union-attr]
        assert found == [LATER]
        assert len(list(messages.search("Marrakesh"))) == 3  # type: ignore[union-attr]
    finally:
        store.close()
    assert leaks(db_path.parent, LATER, "Okavango", *SECRETS) == []
    encryption.decrypt_history(db_path)  # the index comes back too
    store = HistoryStore(db_path)
    try:
        assert len(list(store.db["messages"].search("Okavango"))) == 1  # type: ignore[union-attr]
    finally:
        store.close()


def test_an_encrypted_history_reads_on_a_full_disk(
    keyring_on: dict[str, str],
    full_disk: FullDisk,  # noqa: F811
) -> None:
    """The read-only path for a full disk (``immutable``, no index file) uses the key too."""
    path = full_disk.home / "data" / "history.db"
    fill(path)
    encryption.encrypt_history(path)
    before = snapshot(path)
    cipher.forget_key(path)
    full_disk.fill()
    try:
        store = HistoryStore(path)
        try:
            assert store.disk_full
            assert type(store.db.conn).__name__ == "CipherConnection"
        finally:
            store.close()
        assert snapshot(path) == before
    finally:
        full_disk.free()


def test_converting_twice_is_a_no_op(keyring_on: dict[str, str], db_path: Path) -> None:
    fill(db_path, turns=1)
    assert encryption.encrypt_history(db_path).changed
    again = encryption.encrypt_history(db_path)
    assert not again.changed and "already encrypted" in again.describe()
    assert encryption.decrypt_history(db_path).changed
    assert not encryption.decrypt_history(db_path).changed


def test_a_missing_key_says_so_and_keeps_the_file(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    import keyring

    fill(db_path)
    before = snapshot(db_path)
    encryption.encrypt_history(db_path)
    stored = keyring.get_password("hybrid-desktop", history_key.entry_name(db_path))
    keyring.delete_password("hybrid-desktop", history_key.entry_name(db_path))
    cipher.forget_key(db_path)  # as a new process would start
    kept = digest(db_path)
    with pytest.raises(HistoryLockedError) as caught:
        HistoryStore(db_path)
    error = caught.value
    assert str(db_path) in error.message and "holds no key" in error.message
    assert "Nothing was deleted" in error.hint and "aside" in error.hint
    assert digest(db_path) == kept
    assert db_path.exists()
    keyring.set_password("hybrid-desktop", history_key.entry_name(db_path), stored)  # restored
    assert snapshot(db_path) == before


def test_a_wrong_key_says_so_and_keeps_the_file(keyring_on: dict[str, str], db_path: Path) -> None:
    fill(db_path)
    encryption.encrypt_history(db_path)
    cipher.forget_key(db_path)
    history_key.save_key(db_path, history_key.new_key())  # another file's key, say
    kept = digest(db_path)
    with pytest.raises(HistoryLockedError) as caught:
        HistoryStore(db_path)
    assert "does not open it" in caught.value.message
    assert history_key.entry_name(db_path) in caught.value.hint
    with pytest.raises(HistoryLockedError):
        encryption.decrypt_history(db_path)
    assert digest(db_path) == kept
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.db"]


def test_a_locked_keyring_says_so_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    # A keyring of its own, as it stays locked.
    with secret_service(tmp_path / "own-keyring") as env, _use_keyring(env, monkeypatch):
        fill(db_path)
        encryption.encrypt_history(db_path)
        other = db_path.with_name("other.db")
        fill(other, turns=1)
        cipher.forget_key(db_path)
        lock_keyring(env)
        kept = digest(db_path)
        with pytest.raises(HistoryLockedError) as caught:
            HistoryStore(db_path)
        assert "keyring that holds its key is locked" in caught.value.message
        assert "Unlock" in caught.value.hint
        with pytest.raises(HybridDesktopError) as refused:
            encryption.encrypt_history(other)
        assert "locked" in refused.value.message
        assert digest(db_path) == kept
        assert other.read_bytes().startswith(cipher.PLAINTEXT_HEADER)


@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
@pytest.mark.parametrize("stop_at", encryption.STEPS)
def test_a_conversion_stopped_at_any_step_leaves_a_usable_history(
    keyring_on: dict[str, str], db_path: Path, direction: str, stop_at: str
) -> None:
    fill(db_path)
    if direction == "decrypt":
        encryption.encrypt_history(db_path)
    before = snapshot(db_path)
    cipher.forget_key(db_path)

    def step(name: str) -> None:
        if name == stop_at:
            raise Stop(name)

    convert = encryption.encrypt_history if direction == "encrypt" else encryption.decrypt_history
    with pytest.raises(Stop):
        convert(db_path, on_step=step)
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.db"]  # no copy left
    converted = stop_at == "replaced"  # the rename had happened
    assert cipher.is_encrypted(db_path) == ((direction == "encrypt") == converted)
    assert snapshot(db_path) == before
    finished = convert(db_path)  # and the next try completes
    assert finished.changed != converted


def test_a_conversion_refuses_while_another_process_has_the_history_open(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    fill(db_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from hybrid_desktop.storage.history import HistoryStore;"
            "s = HistoryStore(Path(sys.argv[1])); s.list_conversations(); print('open', flush=True);"
            "time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StorageError) as caught:
            encryption.encrypt_history(db_path)
        assert "open in another Hybrid Desktop process" in caught.value.message
        assert "Close the Hybrid Desktop window" in caught.value.hint
    finally:
        holder.kill()
        holder.wait(10)
    assert db_path.read_bytes().startswith(cipher.PLAINTEXT_HEADER)
    assert not db_path.with_name("history.db.encrypting").exists()
    # This process's own connection counts too.
    store = HistoryStore(db_path)
    try:
        with pytest.raises(StorageError, match="open in another"):
            encryption.encrypt_history(db_path)
    finally:
        store.close()
    assert encryption.encrypt_history(db_path).changed  # with everything closed, it goes


def test_a_store_opened_during_the_conversion_follows_the_new_file(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    """A store opening while the conversion holds the lock waits, then works on the encrypted
    file, never on the replaced one (whose writes would be lost)."""
    conversation = fill(db_path, turns=1)
    outcome: dict[str, object] = {}

    def late() -> None:
        try:
            store = HistoryStore(db_path)
            store.add_message(conversation, "user", LATER)
            outcome["conn"] = type(store.db.conn).__name__
            store.close()
        except Exception as exc:  # the assertion below shows it
            outcome["error"] = exc

    opener = threading.Thread(target=late)

    def step(name: str) -> None:
        if name == "locked":
            opener.start()
            time.sleep(0.3)  # it has opened the old file and waits for the lock

    encryption.encrypt_history(db_path, on_step=step)
    opener.join(30)
    assert "error" not in outcome, outcome
    assert outcome["conn"] == "CipherConnection"
    assert ("user", LATER, "complete") in snapshot(db_path)
    assert leaks(db_path.parent, LATER) == []


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from hybrid_desktop.storage import encryption
path, stop_at, direction = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
def step(name):
    print(name, flush=True)
    if name == stop_at and name != "exporting":
        time.sleep(60)
convert = encryption.encrypt_history if direction == "encrypt" else encryption.decrypt_history
convert(path, on_step=step)
print("done", flush=True)
"""


def bulk_fill(path: Path, messages: int, size: int) -> None:
    """A history larger than SQLite's page cache (8 MB), so a copy spills to disk as it goes."""
    conversation = fill(path, turns=1)
    conn = sqlite3.connect(str(path))
    with conn:
        conn.executemany(
            "INSERT INTO messages (conversation_id, role, content, status, created_at)"
            " VALUES (?, 'user', ?, 'complete', '2026-01-01T00:00:00.000+00:00')",
            [
                (conversation, f"{PROMPT} {i} {os.urandom(size // 2).hex()}")
                for i in range(messages)
            ],
        )
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
def test_kill_9_during_a_conversion_leaves_a_usable_history(
    keyring_on: dict[str, str], db_path: Path, direction: str
) -> None:
    """A real ``kill -9`` in the middle of the copy and at every step after it."""
    bulk_fill(db_path, messages=3000, size=4000)  # 13 MB
    if direction == "decrypt":
        encryption.encrypt_history(db_path)
    before = snapshot(db_path)
    copy = db_path.with_name(f"history.db.{direction}ing")
    for stop_at in encryption.STEPS:
        cipher.forget_key(db_path)
        was_encrypted = cipher.is_encrypted(db_path)
        child = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(db_path), stop_at, direction],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, **keyring_on},
        )
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == stop_at:
                break
        if stop_at == "exporting":  # kill once the copy is half-written
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (copy.exists() and copy.stat().st_size):
                time.sleep(0.001)
            written = copy.stat().st_size
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        assert child.returncode == -signal.SIGKILL
        if stop_at == "exporting":
            assert 0 < written < db_path.stat().st_size, written  # it died mid-copy
        assert snapshot(db_path) == before, stop_at  # whatever state it is in, it reads
        if stop_at != "replaced":
            assert cipher.is_encrypted(db_path) == was_encrypted, stop_at
        # Back to the starting state for the next step.
        cipher.forget_key(db_path)
        convert = (
            encryption.encrypt_history if direction == "encrypt" else encryption.decrypt_history
        )
        revert = (
            encryption.decrypt_history if direction == "encrypt" else encryption.encrypt_history
        )
        if cipher.is_encrypted(db_path) != (direction == "decrypt"):
            revert(db_path)
    assert convert(db_path).changed  # leftovers of the killed runs do not get in the way
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["history.db"]
    assert snapshot(db_path) == before


def test_the_setting_is_applied_when_history_opens(
    keyring_on: dict[str, str], app_home: Path
) -> None:
    from hybrid_desktop.app import build_services

    paths = AppPaths.under(app_home)
    fill(paths.database)
    before = snapshot(paths.database)
    for wish, encrypted in ((None, False), (True, True), (None, True), (False, False)):
        services = build_services(paths, Settings(encrypt_history=wish))
        try:
            services.open_storage()
            assert services.problems == []
            assert cipher.is_encrypted(paths.database) is encrypted, wish
            assert len(services.history().list_conversations()) == 3
        finally:
            services.close()
    assert snapshot(paths.database) == before


def test_the_setting_without_a_keyring_says_why_and_changes_nothing(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    from hybrid_desktop.app import build_services

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        paths = AppPaths.under(app_home)
        fill(paths.database)
        services = build_services(paths, Settings(encrypt_history=True))
        try:
            services.open_storage()
            assert len(services.problems) == 1
            assert "could not be turned on" in services.problems[0]
            assert "no OS keyring" in services.problems[0]
            assert len(services.history().list_conversations()) == 3
        finally:
            services.close()
        assert not cipher.is_encrypted(paths.database)
    finally:
        keyring.set_keyring(previous)


@pytest.mark.expected_error_log
def test_the_window_starts_and_says_the_history_is_locked(
    keyring_on: dict[str, str], app_home: Path
) -> None:
    import keyring

    from hybrid_desktop.app import build_gui_services

    paths = AppPaths.under(app_home)
    fill(paths.database)
    encryption.encrypt_history(paths.database)
    keyring.delete_password("hybrid-desktop", history_key.entry_name(paths.database))
    cipher.forget_key(paths.database)
    kept = digest(paths.database)
    services = build_gui_services(paths, Settings())
    try:
        services.open_storage()  # no exception: the GUI goes on, on a temporary history
        assert any("holds no key" in p and "temporary folder" in p for p in services.problems), (
            services.problems
        )
        assert services.history().list_conversations() == []
    finally:
        services.close()
    assert digest(paths.database) == kept


def test_the_setting_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    for text, value in (('{"encrypt_history": true}', True), ('{"encrypt_history": null}', None)):
        path.write_text(text)
        assert load_settings(path).encrypt_history is value
    path.write_text('{"encrypt_history": "yes"}')
    loaded = load_settings(path)
    assert loaded.encrypt_history is None
    assert any("encrypt_history" in p for p in loaded.problems)
