"""The one history writer: a real SQLite file, real threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from hybrid_desktop.errors import NotFoundError
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.privacy import PrivacyStore
from hybrid_desktop.storage.usage import UsageStore
from hybrid_desktop.workers.writer import SerialWriter


@pytest.fixture
def writer(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = SerialWriter(tmp_path / "history.db")
    yield opened
    opened.close()


def test_the_writer_migrates_once_and_readers_cannot_write(writer: SerialWriter) -> None:
    reader = writer.reader()
    try:
        names = [r[0] for r in reader.db.execute("SELECT name FROM _migrations").fetchall()]
        assert names[0] == "m001_conversations_and_messages"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.db.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES ('x', 'a', 'a')"
            )
    finally:
        reader.close()


def test_writes_run_on_the_writer_thread_and_are_visible_at_once(writer: SerialWriter) -> None:
    reader = writer.reader()
    try:
        conversation = reader.create_conversation()
        reader.add_message(conversation.id, "user", "hi there")
        assert [m.content for m in reader.messages(conversation.id)] == ["hi there"]
        assert reader.get_conversation(conversation.id).title == "hi there"
        where = writer.call(lambda _store: threading.current_thread().name)
        assert where.startswith("history-writer")
        assert where != threading.current_thread().name
    finally:
        reader.close()


def test_privacy_and_usage_writes_go_through_the_writer(writer: SerialWriter) -> None:
    reader = writer.reader()
    try:
        conversation = reader.create_conversation()
        store = PrivacyStore(reader)
        assert store.save_vault(conversation.id, [("PERSON", "<PERSON_1>", "Ada")]) == 1
        entry = store.add_audit("cloud", "<PERSON_1>", conversation_id=conversation.id)
        store.set_audit_status(entry, "failed", "cut")
        assert store.get_audit(entry).status == "failed"
        UsageStore(reader).record("claude-x", 10, 5, 0.01, 100.0, "ok", conversation.id)
        assert UsageStore(reader).spent()[0] == pytest.approx(0.01)
    finally:
        reader.close()


def test_an_error_in_a_write_reaches_the_caller_and_the_writer_goes_on(
    writer: SerialWriter,
) -> None:
    reader = writer.reader()
    try:
        with pytest.raises(NotFoundError):
            reader.rename_conversation(404, "nope")
        assert reader.create_conversation().id == 1
    finally:
        reader.close()


def test_concurrent_writers_are_serialised_and_nothing_is_lost(writer: SerialWriter) -> None:
    conversation = writer.call(lambda store: store.create_conversation()).id
    errors: list[BaseException] = []

    def write(n: int) -> None:
        reader = writer.reader()
        try:
            for i in range(25):
                reader.add_message(conversation, "user", f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            reader.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    check = HistoryStore(writer.path, run_migrations=False)
    try:
        assert len(check.messages(conversation)) == 100
    finally:
        check.close()


def test_close_finishes_queued_writes_then_refuses_more(tmp_path: Path) -> None:
    writer = SerialWriter(tmp_path / "history.db")
    reader = writer.reader()
    reader.create_conversation("kept")
    reader.close()
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.call(lambda store: store.create_conversation())
    check = HistoryStore(tmp_path / "history.db")
    try:
        assert [c.title for c in check.list_conversations()] == ["kept"]
    finally:
        check.close()


def test_an_unopenable_database_fails_the_writer_with_a_clear_error(tmp_path: Path) -> None:
    from hybrid_desktop.errors import StorageError

    path = tmp_path / "history.db"
    path.write_bytes(b"not a database at all\n" * 200)
    with pytest.raises(StorageError, match="cannot be opened"):
        SerialWriter(path)
