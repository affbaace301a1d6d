"""The history's ``-wal`` journal (and ``-shm`` index) deleted while a process has it open.

Real processes and real files: a child process holds the history open as a CLI ``ask`` or the
GUI's writer would, the test deletes the journal from outside, and ``hybrid-desktop history list``
runs in a third process. Checked with a plain sqlite3 connection at the end, not the code under
test. (Windows refuses to delete an open file, so this is a POSIX case.)
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.errors import StorageError
from hybrid_desktop.storage import wal_guard
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.workers.writer import SerialWriter
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows cannot delete an open file")

# A process holding the history open, as a CLI ask does: one command a line on stdin.
HOLDER = r"""
import json, sys
from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.errors import StorageError
from hybrid_desktop.storage.history import HistoryStore

paths = default_paths()
paths.ensure()
HistoryStore(paths.database).close()  # create and migrate, as the app does at start
store = HistoryStore(paths.database, run_migrations=False)
print("ready", flush=True)
for line in sys.stdin:
    command, _, text = line.strip().partition(" ")
    if command == "write":
        first = store.start_conversation(text)
        store.add_message(first.conversation_id, "assistant", "answer to " + text)
        print("ok", flush=True)
    elif command == "list":
        print(json.dumps([c.title for c in store.list_conversations()]), flush=True)
    elif command == "close":
        store.close()
        print("closed", flush=True)
        break
"""

# Another program holding the history open with plain sqlite3 (as an older version of the app
# would): its changes stay in the journal until a checkpoint.
FOREIGN_HOLDER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute(
    "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
    ("only in the journal", "2030-01-01T00:00:00", "2030-01-01T00:00:00"),
)
print("ready", flush=True)
sys.stdin.readline()
print(conn.execute("SELECT count(*) FROM conversations").fetchone()[0], flush=True)
sys.stdin.readline()
"""

# Holds a read connection open, so a closing process is not the history's last one (SQLite then
# does not checkpoint at close).
KEEPER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("ready", flush=True)
sys.stdin.readline()
"""


class Child:
    def __init__(self, code: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.answer() == "ready"

    def say(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.answer()

    def answer(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def end(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.process.kill()
        child.process.wait(timeout=30)


def listed() -> tuple[list[str], str]:
    """``history list --json`` in another process: the titles, and what it printed on stderr."""
    result = run_cli("history", "list", "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "something went wrong" not in result.stderr
    return [c["title"] for c in json.loads(result.stdout)["conversations"]], result.stderr


WARNING = "warning: the history's journal (history.db-wal) was deleted"


def delete(database: Path, *suffixes: str) -> None:
    for suffix in suffixes:
        database.with_name(database.name + suffix).unlink()


def stored_titles(database: Path) -> set[str]:
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT title FROM conversations")}
    finally:
        conn.close()


@pytest.mark.parametrize("deleted", [("-wal",), ("-wal", "-shm")], ids=["wal", "wal+shm"])
def test_history_list_and_the_running_process_survive_a_deleted_journal(
    deleted: tuple[str, ...], children: list[Child]
) -> None:
    database = default_paths().database
    holder = Child(HOLDER)  # a CLI ask, between its writes (the model is answering)
    children.append(holder)
    assert holder.say("write before the deletion") == "ok"

    delete(database, *deleted)
    # Another process reads meanwhile: no OperationalError. What the holder wrote is only in its
    # deleted journal until it next touches the history: with the index still there the reader
    # says so; with the index gone too, SQLite cannot tell it.
    titles, stderr = listed()
    assert titles in ([], ["before the deletion"])
    if deleted == ("-wal",):
        assert WARNING in stderr

    # The holder's next write saves its deleted journal into the main file first, and from then
    # on every process sees everything.
    assert holder.say("write after the deletion") == "ok"
    assert listed() == (["after the deletion", "before the deletion"], "")
    assert json.loads(holder.say("list")) == ["after the deletion", "before the deletion"]

    # Deleted again, then it closes while another process has the history open (so SQLite does
    # not checkpoint at close): nothing it wrote is lost.
    assert holder.say("write last") == "ok"
    delete(database, *deleted)
    keeper = Child(KEEPER, str(database))
    children.append(keeper)
    assert holder.say("close") == "closed"
    holder.end()
    keeper.end()
    assert stored_titles(database) == {"before the deletion", "after the deletion", "last"}


def test_the_guis_writer_repairs_a_deleted_journal_within_a_second() -> None:
    database = default_paths().database
    default_paths().ensure()
    writer = SerialWriter(database)
    reader = writer.reader()  # the window's store, on this thread
    try:
        reader.start_conversation("before the deletion")
        delete(database, "-wal")
        deleted_at = time.monotonic()
        # At once, another process lists: it waits for the writer's check (no write meanwhile),
        # and sees everything, with no warning.
        assert listed() == (["before the deletion"], "")
        listed_s = time.monotonic() - deleted_at
        assert stored_titles(database) == {"before the deletion"}  # in the main file now
        reader.start_conversation("after the deletion")
        assert listed() == (["after the deletion", "before the deletion"], "")
        assert [c.title for c in reader.list_conversations()] == [
            "after the deletion",
            "before the deletion",
        ]
        # Deleted again, and the window closes at once: still nothing is lost.
        reader.start_conversation("last")
        delete(database, "-wal", "-shm")
    finally:
        reader.close()
        writer.close()
    assert stored_titles(database) == {"before the deletion", "after the deletion", "last"}
    print(f"history list answered {listed_s:.2f} s after the deletion")


def test_a_journal_deleted_under_another_program_gives_the_main_file_and_a_warning(
    children: list[Child],
) -> None:
    database = default_paths().database
    default_paths().ensure()
    store = HistoryStore(database)
    store.start_conversation("in the main file")
    store.close()  # the last connection: everything is checkpointed into the main file
    foreign = Child(FOREIGN_HOLDER, str(database))
    children.append(foreign)
    delete(database, "-wal")

    started = time.monotonic()
    titles, stderr = listed()
    took = time.monotonic() - started
    assert WARNING in stderr
    assert titles == ["in the main file"]
    assert took < wal_guard.WAIT_FOR_HEAL_S + 5

    # Reading did not reset the index: the other program still sees its own change.
    assert foreign.say("") == "2"

    # Here too the main file is read, and a write is refused plainly, never half-done.
    here = HistoryStore(database)
    try:
        assert [c.title for c in here.list_conversations()] == ["in the main file"]
        assert here.journal_lost
        with pytest.raises(StorageError, match="Nothing can be saved"):
            here.start_conversation("refused")
    finally:
        here.close()
    print(f"history list took {took:.2f} s")
