"""Tests for hybrid_desktop.storage: real SQLite files, real threads and real processes."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from hybrid_desktop.errors import DataDirError, NotFoundError, StorageError
from hybrid_desktop.storage import migrations as db_module
from hybrid_desktop.storage.db import integrity_ok
from hybrid_desktop.storage.history import TITLE_LENGTH, HistoryStore, Message, title_from
from hybrid_desktop.storage.migrations import MIGRATIONS, migrate
from tests.conftest import run_cli

EXPECTED_MIGRATIONS = [
    "m001_conversations_and_messages",
    "m002_privacy_vault",
    "m003_audit_log",
    "m004_cloud_usage",
    "m005_message_search",
    "m006_request_records",
]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "history.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(db_path)
    yield opened
    opened.close()


def raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection, independent of the code under test."""
    return sqlite3.connect(str(path), timeout=10)


def tick() -> None:
    """Let the clock move past the millisecond resolution of the stored timestamps."""
    time.sleep(0.005)


# -- opening and migrations ----------------------------------------------------------------------


def test_migration_list_is_what_the_tests_expect() -> None:
    assert [fn.__name__ for fn in MIGRATIONS] == EXPECTED_MIGRATIONS


def test_fresh_database_has_tables_and_migrations_in_order(store: HistoryStore) -> None:
    tables = set(store.db.table_names())
    assert {"conversations", "messages", "_migrations"} <= tables
    indexes = {
        row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert {"messages_by_conversation", "conversations_by_update"} <= indexes
    rows = store.db.execute("SELECT name, applied_at FROM _migrations ORDER BY rowid").fetchall()
    assert [name for name, _ in rows] == EXPECTED_MIGRATIONS
    for _, applied_at in rows:
        assert datetime.fromisoformat(applied_at).tzinfo is not None
    assert integrity_ok(store.db)


def test_reopening_applies_no_migration(db_path: Path) -> None:
    first = HistoryStore(db_path)
    conversation = first.create_conversation("keep me")
    first.close()
    with raw(db_path) as conn:
        before = conn.execute("SELECT name, applied_at FROM _migrations ORDER BY rowid").fetchall()

    second = HistoryStore(db_path)
    try:
        assert migrate(second.db) == []
        after = second.db.execute(
            "SELECT name, applied_at FROM _migrations ORDER BY rowid"
        ).fetchall()
        assert after == before
        assert second.get_conversation(conversation.id).title == "keep me"
    finally:
        second.close()


def test_a_new_migration_runs_once_on_an_existing_database(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    HistoryStore(db_path).close()

    def m002_add_pinned(db: object) -> None:
        db_module._run_statements(  # type: ignore[arg-type]
            db, "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0"
        )

    monkeypatch.setattr(db_module, "MIGRATIONS", [*MIGRATIONS, m002_add_pinned])
    store = HistoryStore(db_path)
    try:
        names = [r[0] for r in store.db.execute("SELECT name FROM _migrations ORDER BY rowid")]
        assert names == [*EXPECTED_MIGRATIONS, "m002_add_pinned"]
        assert "pinned" in store.db["conversations"].columns_dict
        assert migrate(store.db) == []
    finally:
        store.close()


def test_a_failing_migration_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    HistoryStore(db_path).close()

    def m002_half_done(db: object) -> None:
        db_module._run_statements(  # type: ignore[arg-type]
            db, "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1)"
        )

    monkeypatch.setattr(db_module, "MIGRATIONS", [*MIGRATIONS, m002_half_done])
    with pytest.raises(StorageError):
        HistoryStore(db_path)
    with raw(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        names = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    assert "half_done" not in tables  # the DDL was rolled back with the failed migration
    assert names == EXPECTED_MIGRATIONS

    monkeypatch.setattr(db_module, "MIGRATIONS", list(MIGRATIONS))
    HistoryStore(db_path).close()  # the database is still usable


def test_file_database_uses_wal_full_sync_and_foreign_keys(store: HistoryStore) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.persistent
    # WAL is a property of the file: a plain connection sees it too.
    with raw(store.path) as conn:  # type: ignore[arg-type]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(store: HistoryStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO messages (conversation_id, role, content, created_at)"
            " VALUES (999, 'user', 'orphan', 'now')"
        )
    store.db.conn.rollback()
    conversation = store.create_conversation()
    store.add_message(conversation.id, "user", "hello")
    with store.db.conn:
        store.db.execute("DELETE FROM conversations WHERE id = ?", [conversation.id])
    # ON DELETE CASCADE only works when foreign keys are on.
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_in_memory_history_works(tmp_path: Path) -> None:
    store = HistoryStore(None)
    try:
        assert not store.persistent
        c = store.create_conversation()
        store.add_message(c.id, "user", "hi")
        assert [m.content for m in store.messages(c.id)] == ["hi"]
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()
    assert list(tmp_path.iterdir()) == []


def test_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "history.db"
    HistoryStore(path).close()
    assert path.is_file()


RACE_CHILD = r"""
import sys
from pathlib import Path
from hybrid_desktop.storage.history import HistoryStore

name = sys.argv[1]
for path in sys.argv[2:]:
    print("ready", flush=True)
    sys.stdin.readline()  # the start signal: every child opens this file at the same moment
    store = HistoryStore(Path(path))
    conversation = store.create_conversation("from " + name)
    store.add_message(conversation.id, "user", "hello from " + name)
    store.close()
print("done", flush=True)
"""


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Several processes create and migrate the same brand-new file at the same moment.

    SQLite may refuse the switch to WAL with "database is locked" at once, without waiting, when
    another connection is doing the same; opening must cope. Repeated over several files, in
    lockstep, because one attempt rarely hits the window.
    """
    children = 6
    databases = [tmp_path / f"race{i}" / "history.db" for i in range(12)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE_CHILD, f"child{n}", *map(str, databases)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(children)
    ]
    try:
        for _ in databases:
            for proc in procs:
                assert proc.stdout is not None
                line = proc.stdout.readline()
                assert line == "ready\n", proc.communicate(timeout=60)[1]
            for proc in procs:
                assert proc.stdin is not None
                proc.stdin.write("go\n")
                proc.stdin.flush()
        results = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out == "done\n"
    for path in databases:
        with raw(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert [r[0] for r in conn.execute("SELECT name FROM _migrations")] == (
                EXPECTED_MIGRATIONS
            )
            titles = sorted(r[0] for r in conn.execute("SELECT title FROM conversations"))
            assert titles == sorted(f"from child{n}" for n in range(children))
            assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == children


# -- conversations ---------------------------------------------------------------------------


def test_create_and_get_conversation(store: HistoryStore) -> None:
    created = store.create_conversation()
    fetched = store.get_conversation(created.id)
    assert fetched == created
    assert fetched.title == "New conversation"
    assert fetched.message_count == 0
    assert fetched.created_at == fetched.updated_at
    assert datetime.fromisoformat(fetched.created_at).tzinfo is not None
    named = store.create_conversation("Trip planning")
    assert named.id != created.id
    assert store.get_conversation(named.id).title == "Trip planning"


def test_list_is_newest_update_first(store: HistoryStore) -> None:
    a = store.create_conversation("a")
    tick()
    b = store.create_conversation("b")
    tick()
    c = store.create_conversation("c")
    assert [x.id for x in store.list_conversations()] == [c.id, b.id, a.id]
    tick()
    store.add_message(a.id, "user", "bump a")
    listed = store.list_conversations()
    assert [x.id for x in listed] == [a.id, c.id, b.id]
    assert [x.message_count for x in listed] == [1, 0, 0]
    tick()
    store.add_message(b.id, "assistant", "bump b")
    assert [x.id for x in store.list_conversations()] == [b.id, a.id, c.id]


def test_list_of_empty_history(store: HistoryStore) -> None:
    assert store.list_conversations() == []


def test_rename_collapses_whitespace(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.rename_conversation(c.id, "  Holiday \n\t plans   2025  ")
    assert store.get_conversation(c.id).title == "Holiday plans 2025"


@pytest.mark.parametrize("title", ["", "   ", "\n\t "])
def test_rename_to_empty_title_is_refused(store: HistoryStore, title: str) -> None:
    c = store.create_conversation("Original")
    with pytest.raises(StorageError) as excinfo:
        store.rename_conversation(c.id, title)
    assert not isinstance(excinfo.value, NotFoundError)
    assert excinfo.value.hint
    assert store.get_conversation(c.id).title == "Original"


def test_rename_missing_conversation(store: HistoryStore) -> None:
    with pytest.raises(NotFoundError):
        store.rename_conversation(404, "Anything")


def test_delete_removes_conversation_and_its_messages(store: HistoryStore) -> None:
    doomed = store.create_conversation()
    kept = store.create_conversation()
    for i in range(3):
        store.add_message(doomed.id, "user", f"doomed {i}")
        store.add_message(kept.id, "user", f"kept {i}")
    store.delete_conversation(doomed.id)
    with pytest.raises(NotFoundError):
        store.get_conversation(doomed.id)
    assert store.messages(doomed.id) == []
    assert (
        store.db.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", [doomed.id]
        ).fetchone()[0]
        == 0
    )
    assert [m.content for m in store.messages(kept.id)] == ["kept 0", "kept 1", "kept 2"]
    assert [x.id for x in store.list_conversations()] == [kept.id]
    with pytest.raises(NotFoundError):
        store.delete_conversation(doomed.id)


def test_get_missing_conversation(store: HistoryStore) -> None:
    with pytest.raises(NotFoundError) as excinfo:
        store.get_conversation(12345)
    assert "12345" in excinfo.value.message
    assert isinstance(excinfo.value, StorageError)
    assert "history list" in excinfo.value.hint


def test_message_to_missing_conversation_stores_nothing(store: HistoryStore) -> None:
    with pytest.raises(NotFoundError):
        store.add_message(77, "user", "lost")
    assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


@pytest.mark.expected_error_log
def test_invalid_role_is_a_storage_error(store: HistoryStore) -> None:
    c = store.create_conversation()
    with pytest.raises(StorageError) as excinfo:
        store.add_message(c.id, "robot", "beep")
    assert not isinstance(excinfo.value, sqlite3.Error)
    assert isinstance(excinfo.value.__cause__, sqlite3.IntegrityError)
    assert store.messages(c.id) == []
    # The failed write was rolled back; the connection still works.
    store.add_message(c.id, "user", "hello")
    assert [m.content for m in store.messages(c.id)] == ["hello"]


@pytest.mark.expected_error_log
def test_a_failed_add_message_saves_nothing(store: HistoryStore) -> None:
    """The message and the conversation's update are one transaction."""
    c = store.create_conversation()
    with store.db.conn:
        store.db.conn.execute(
            "CREATE TRIGGER frozen BEFORE UPDATE ON conversations"
            " BEGIN SELECT RAISE(ABORT, 'conversation is frozen'); END"
        )
    with pytest.raises(StorageError):
        store.add_message(c.id, "user", "half saved?")
    assert store.messages(c.id) == []
    assert not store.db.conn.in_transaction
    with store.db.conn:
        store.db.conn.execute("DROP TRIGGER frozen")
    store.add_message(c.id, "user", "saved")
    assert [m.content for m in store.messages(c.id)] == ["saved"]
    assert store.get_conversation(c.id).title == "saved"


@pytest.mark.expected_error_log
def test_a_failed_delete_deletes_nothing(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, "user", "keep me")
    with store.db.conn:
        store.db.conn.execute(
            "CREATE TRIGGER undeletable BEFORE DELETE ON conversations"
            " BEGIN SELECT RAISE(ABORT, 'not now'); END"
        )
    with pytest.raises(StorageError):
        store.delete_conversation(c.id)
    assert [m.content for m in store.messages(c.id)] == ["keep me"]
    assert store.get_conversation(c.id).message_count == 1


def test_each_write_is_committed_when_the_method_returns(
    store: HistoryStore, db_path: Path
) -> None:
    c = store.create_conversation()
    store.add_message(c.id, "user", "visible?")
    assert not store.db.conn.in_transaction
    with raw(db_path) as other:
        assert other.execute("SELECT content FROM messages").fetchall() == [("visible?",)]
        assert other.execute("SELECT title FROM conversations").fetchall() == [("visible?",)]


# -- titles ----------------------------------------------------------------------------------


def test_first_user_message_names_the_conversation(store: HistoryStore) -> None:
    c = store.create_conversation()
    text = "  How do I   make a sourdough starter from scratch at home, step by step, please?"
    store.add_message(c.id, "user", text)
    title = store.get_conversation(c.id).title
    assert title == title_from(text)
    assert title.startswith("How do I make a sourdough starter")
    assert title.endswith("…")
    store.add_message(c.id, "assistant", "Mix flour and water.")
    store.add_message(c.id, "user", "And then what?")
    assert store.get_conversation(c.id).title == title


def test_short_first_message_is_the_title(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, "user", "Hello\nthere")
    assert store.get_conversation(c.id).title == "Hello there"


def test_a_chosen_title_is_not_replaced(store: HistoryStore) -> None:
    c = store.create_conversation("My own title")
    store.add_message(c.id, "user", "What is the capital of France?")
    assert store.get_conversation(c.id).title == "My own title"


def test_assistant_message_does_not_name_the_conversation(store: HistoryStore) -> None:
    c = store.create_conversation()
    store.add_message(c.id, "assistant", "Welcome! Ask me anything.")
    assert store.get_conversation(c.id).title == "New conversation"


def test_title_from_short_text() -> None:
    assert title_from("  Plan   a\ttrip\n") == "Plan a trip"
    assert title_from("") == "New conversation"
    assert title_from(" \n\t ") == "New conversation"
    exact = "x" * TITLE_LENGTH
    assert title_from(exact) == exact


def test_title_from_long_text_cuts_at_a_word_boundary() -> None:
    rng = random.Random(7)
    words = ["a", "tiny", "dragon", "flew", "over", "mountains", "and", "extraordinarily"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        title = title_from(text)
        if len(text) <= TITLE_LENGTH:
            assert title == text
            continue
        assert len(title) <= TITLE_LENGTH
        assert title.endswith("…")
        head = title[:-1]
        assert head and not head.endswith(" ")
        assert text.startswith(head)
        assert text[len(head)] == " ", (text, title)  # cut between words, not inside one


def test_title_from_one_long_word() -> None:
    title = title_from("z" * 200)
    assert title == "z" * (TITLE_LENGTH - 1) + "…"


# -- messages --------------------------------------------------------------------------------


def test_message_round_trip(store: HistoryStore, db_path: Path) -> None:
    c = store.create_conversation()
    meta = {"tokens": 12, "tps": 31.5, "nested": {"a": [1, 2, None]}, "text": "héllo ✓ 龍"}
    user = store.add_message(c.id, "user", "Tell me about 龍 — dragons.\n\nPlease.")
    answer = store.add_message(
        c.id,
        "assistant",
        "Dragons are…\n```python\nprint('🐉')\n```",
        status="stopped",
        route="local",
        reason="auto: answered on this device",
        model="SmolLM2-135M-Instruct",
        meta=meta,
    )
    system = store.add_message(c.id, "system", "Be brief.", status="complete")
    assert user.id < answer.id < system.id
    assert store.messages(c.id) == [user, answer, system]

    store.close()
    reopened = HistoryStore(db_path)
    try:
        got = reopened.messages(c.id)
    finally:
        reopened.close()
    assert got == [user, answer, system]
    m = got[1]
    assert isinstance(m, Message)
    assert (m.role, m.status, m.route, m.reason, m.model) == (
        "assistant",
        "stopped",
        "local",
        "auto: answered on this device",
        "SmolLM2-135M-Instruct",
    )
    assert m.meta == meta
    assert got[0].meta == {} and got[0].route is None and got[0].status == "complete"
    assert datetime.fromisoformat(m.created_at).tzinfo is not None
    assert m.to_json()["meta"] == meta
    json.dumps(m.to_json())  # serialisable as the CLI prints it
    with raw(db_path) as conn:
        stored_meta = conn.execute("SELECT meta FROM messages WHERE id = ?", [m.id]).fetchone()[0]
    assert json.loads(stored_meta) == meta


def test_message_count_and_order(store: HistoryStore) -> None:
    c = store.create_conversation()
    for i in range(25):
        store.add_message(c.id, "user" if i % 2 == 0 else "assistant", f"message {i}")
    assert [m.content for m in store.messages(c.id)] == [f"message {i}" for i in range(25)]
    assert store.get_conversation(c.id).message_count == 25


def test_messages_of_missing_conversation_is_empty(store: HistoryStore) -> None:
    assert store.messages(999) == []


def test_large_message(store: HistoryStore) -> None:
    c = store.create_conversation()
    text = "".join(f"line {i}: a dragon 🐉 flew by\n" for i in range(80_000))  # ~2.4 MB
    store.add_message(c.id, "assistant", text)
    assert store.messages(c.id)[0].content == text


# -- two connections -------------------------------------------------------------------------


def test_two_connections_in_two_threads_see_each_others_commits(db_path: Path) -> None:
    main_store = HistoryStore(db_path)
    errors: list[BaseException] = []
    written = threading.Event()
    main_wrote = threading.Event()
    seen_by_thread: list[str] = []
    ids: dict[str, int] = {}

    def worker() -> None:
        try:
            store = HistoryStore(db_path)
            try:
                c = store.create_conversation("from the worker")
                store.add_message(c.id, "user", "worker question")
                store.add_message(c.id, "assistant", "worker answer")
                ids["worker"] = c.id
                written.set()
                assert main_wrote.wait(30)
                seen_by_thread.extend(m.content for m in store.messages(ids["main"]))
            finally:
                store.close()
        except BaseException as exc:
            errors.append(exc)
            written.set()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert written.wait(30)
        assert not errors, errors
        assert main_store.get_conversation(ids["worker"]).title == "from the worker"
        assert [m.content for m in main_store.messages(ids["worker"])] == [
            "worker question",
            "worker answer",
        ]
        c = main_store.create_conversation("from main")
        main_store.add_message(c.id, "user", "main question")
        ids["main"] = c.id
        main_wrote.set()
        thread.join(30)
        assert not thread.is_alive()
        assert not errors, errors
        assert seen_by_thread == ["main question"]
    finally:
        main_wrote.set()
        thread.join(30)
        main_store.close()


def test_concurrent_writers_in_threads_lose_nothing(db_path: Path) -> None:
    HistoryStore(db_path).close()
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def writer(name: str) -> None:
        try:
            store = HistoryStore(db_path)
            try:
                c = store.create_conversation(name)
                start.wait(30)
                for i in range(40):
                    store.add_message(c.id, "user", f"{name} {i}")
                    store.add_message(c.id, "assistant", f"{name} answer {i} " + "x" * 2000)
            finally:
                store.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"writer{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    store = HistoryStore(db_path)
    try:
        listed = store.list_conversations()
        assert sorted(c.title for c in listed) == ["writer0", "writer1", "writer2"]
        for c in listed:
            contents = [m.content for m in store.messages(c.id) if m.role == "user"]
            assert contents == [f"{c.title} {i}" for i in range(40)]
            assert c.message_count == 80
        assert integrity_ok(store.db)
    finally:
        store.close()


# -- broken files ----------------------------------------------------------------------------


def _open_fds_to(path: Path) -> list[str]:
    fd_dir = Path("/proc/self/fd")
    found = []
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)):
            found.append(target)
    return found


def test_corrupt_database_is_a_storage_error_naming_the_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    garbage = random.Random(3).randbytes(16 * 1024)
    db_path.write_bytes(garbage)
    with pytest.raises(StorageError) as excinfo:
        HistoryStore(db_path)
    error = excinfo.value
    assert not isinstance(error, sqlite3.Error)
    assert not isinstance(error, DataDirError)
    assert str(db_path) in error.message
    assert isinstance(error.__cause__, sqlite3.DatabaseError)
    assert "aside" in error.hint
    assert db_path.read_bytes() == garbage  # the user's file is left as it was
    if Path("/proc/self/fd").is_dir():
        # The failed open released the file, even while the error is still referenced.
        assert _open_fds_to(db_path) == []
    # Moving it aside, as the hint says, gives a fresh working history.
    db_path.rename(db_path.with_name("history.db.broken"))
    fresh = HistoryStore(db_path)
    try:
        assert fresh.list_conversations() == []
    finally:
        fresh.close()


def test_truncated_database_is_a_storage_error(db_path: Path) -> None:
    store = HistoryStore(db_path)
    for _ in range(30):
        c = store.create_conversation()
        for _ in range(10):
            store.add_message(c.id, "user", "y" * 2000)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with open(db_path, "r+b") as handle:
        handle.truncate(db_path.stat().st_size // 2)
    with pytest.raises(StorageError) as excinfo:
        HistoryStore(db_path)
    assert str(db_path) in excinfo.value.message


def test_directory_at_database_path_is_a_data_dir_error(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    with pytest.raises(DataDirError) as excinfo:
        HistoryStore(db_path)
    assert str(db_path) in excinfo.value.message
    assert "HYBRID_DESKTOP_HOME" in excinfo.value.hint


def test_file_in_place_of_data_folder_is_a_data_dir_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError) as excinfo:
        HistoryStore(blocker / "data" / "history.db")
    assert str(blocker / "data") in excinfo.value.message


def test_cli_reports_a_corrupt_database_without_a_traceback(app_home: Path) -> None:
    database = app_home / "data" / "history.db"
    database.parent.mkdir(parents=True)
    database.write_bytes(b"this is not sqlite at all\n" * 400)
    result = run_cli("history", "list", timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(database) in result.stderr
    assert result.stderr.startswith("error: ")


def test_cli_lists_what_the_store_wrote(app_home: Path) -> None:
    store = HistoryStore(app_home / "data" / "history.db")
    try:
        c = store.create_conversation()
        store.add_message(c.id, "user", "What is a GGUF file?")
        store.add_message(c.id, "assistant", "A model file format.", route="local")
    finally:
        store.close()
    result = run_cli("history", "show", str(c.id), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == "What is a GGUF file?"
    assert [m["content"] for m in data["messages"]] == [
        "What is a GGUF file?",
        "A model file format.",
    ]
