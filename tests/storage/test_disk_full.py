"""History on a real full disk (a tmpfs filled until ENOSPC): it opens and reads without needing
any space, a write fails plainly and leaves nothing half-done, and once there is space again the
same store writes, with no restart. Also the log file: a record it cannot write is dropped,
never a traceback on the user's terminal."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from hybrid_desktop.config import logs
from hybrid_desktop.config.logs import setup_logging
from hybrid_desktop.errors import DiskFullError, StorageError
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.workers.writer import SerialWriter
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (the fixture)


def _history_with_one_turn(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(path)
    try:
        conversation_id = store.create_conversation().id
        store.add_message(conversation_id, "user", "What is the capital of France?")
        store.add_message(conversation_id, "assistant", "Paris.", model="test")
    finally:
        store.close()  # the WAL and its index go with the last connection
    return conversation_id


def test_history_opens_and_reads_on_a_full_disk(full_disk: FullDisk) -> None:  # noqa: F811
    path = full_disk.home / "data" / "history.db"
    conversation_id = _history_with_one_turn(path)
    full_disk.fill()

    store = HistoryStore(path)
    try:
        assert [c.id for c in store.list_conversations()] == [conversation_id]
        assert [m.content for m in store.messages(conversation_id)] == [
            "What is the capital of France?",
            "Paris.",
        ]
        assert store.get_conversation(conversation_id).message_count == 2
        assert store.disk_full
        assert full_disk.free_bytes() == 0
    finally:
        store.close()


def test_a_write_on_a_full_disk_fails_plainly_then_works_when_space_returns(
    full_disk: FullDisk,  # noqa: F811
) -> None:
    path = full_disk.home / "data" / "history.db"
    conversation_id = _history_with_one_turn(path)
    full_disk.fill()
    store = HistoryStore(path)
    try:
        with pytest.raises(DiskFullError) as raised:
            store.add_message(conversation_id, "user", "And of Spain?")
        assert "disk is full" in raised.value.message
        assert "free some space" in raised.value.hint.lower()
        with pytest.raises(DiskFullError):
            store.start_conversation("A new question")
        assert len(store.list_conversations()) == 1

        full_disk.free()
        store.add_message(conversation_id, "user", "And of Spain?")  # the same store, no restart
        new = store.start_conversation("A new question")
        assert not store.disk_full
        assert store.get_conversation(new.conversation_id).title == "A new question"
        assert store.get_conversation(conversation_id).message_count == 3
    finally:
        store.close()
    check = HistoryStore(path)
    try:
        assert len(check.list_conversations()) == 2
    finally:
        check.close()


def test_a_disk_that_fills_while_open_refuses_writes_whole(full_disk: FullDisk) -> None:  # noqa: F811
    path = full_disk.home / "data" / "history.db"
    path.parent.mkdir(parents=True)
    store = HistoryStore(path)
    try:
        full_disk.fill()
        with pytest.raises(StorageError, match="disk is full"):
            store.start_conversation("x" * 200_000)
        full_disk.free()
        assert store.list_conversations() == [], "no conversation without its first message"
    finally:
        store.close()


def test_the_serial_writer_and_its_readers_work_on_a_full_disk(full_disk: FullDisk) -> None:  # noqa: F811
    path = full_disk.home / "data" / "history.db"
    conversation_id = _history_with_one_turn(path)
    full_disk.fill()
    writer = SerialWriter(path)  # what the GUI opens at start-up
    try:
        reader = writer.reader()
        assert [c.id for c in reader.list_conversations()] == [conversation_id]
        assert reader.disk_full
        with pytest.raises(DiskFullError):
            reader.add_message(conversation_id, "user", "More?")
        kept = reader.add_message(
            conversation_id, "assistant", "An answer already on screen.", keep_if_full=True
        )
        assert not kept.saved and kept.id < 0
        assert [m.saved for m in reader.messages(conversation_id)] == [True, True, False]

        full_disk.free()
        assert reader.save_unsaved() == 1
        assert [m.saved for m in reader.messages(conversation_id)] == [True, True, True]
        reader.add_message(conversation_id, "user", "More?")
        assert reader.get_conversation(conversation_id).message_count == 4
        reader.close()
    finally:
        writer.close()


def test_a_log_record_the_full_disk_refuses_is_dropped_quietly(
    full_disk: FullDisk,  # noqa: F811
    capfd: pytest.CaptureFixture[str],
) -> None:
    log_file = full_disk.home / "logs" / "hybrid-desktop.log"
    root = logging.getLogger()
    level = root.level
    try:
        assert setup_logging(log_file) == log_file
        full_disk.fill()
        for n in range(50):
            logging.getLogger("hybrid_desktop.test").warning("record %d %s", n, "x" * 500)
        err = capfd.readouterr().err
        assert "Traceback" not in err and "Logging error" not in err, err
    finally:
        full_disk.free()
        for handler in list(root.handlers):  # undo setup_logging (process-wide)
            if getattr(handler, "_hybrid_desktop", False):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
        logs._configured_file = None
