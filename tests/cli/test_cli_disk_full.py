"""The real CLI on a real full disk (issue 14, "disk full"): a tmpfs as the app's home, filled
until the kernel says ENOSPC. Reads still work, a turn that cannot be stored stores nothing, and
an answer already streamed is printed and the user told it was not saved."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.storage.history import HistoryStore
from tests.cli.helpers import assert_no_traceback, last_json
from tests.conftest import run_cli
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (the fixture)

PROMPT = "What is the capital of France?"
LONG_PROMPT = "Count from 1 to 300, one number per line, and say nothing else."


def _history(disk: FullDisk) -> list[dict[str, object]]:
    proc = run_cli("history", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    conversations = json.loads(proc.stdout)["conversations"]
    assert isinstance(conversations, list)
    return conversations


def _first_turn() -> int:
    """One stored turn, written while there is space (the store is closed again, so a later
    command opens the history afresh, as it would on a full disk)."""
    paths = default_paths()
    paths.ensure()
    store = HistoryStore(paths.database)
    try:
        conversation_id = store.create_conversation().id
        store.add_message(conversation_id, "user", PROMPT)
        store.add_message(conversation_id, "assistant", "Paris.", model="test")
    finally:
        store.close()
    return conversation_id


def test_history_list_and_show_work_while_the_disk_is_full(full_disk: FullDisk) -> None:  # noqa: F811
    conversation_id = _first_turn()
    full_disk.fill()

    listing = run_cli("history", "list")
    assert listing.returncode == 0, listing.stderr
    assert_no_traceback(listing)
    assert PROMPT[:20] in listing.stdout

    as_json = run_cli("history", "list", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert [c["id"] for c in json.loads(as_json.stdout)["conversations"]] == [conversation_id]

    shown = run_cli("history", "show", str(conversation_id), "--json")
    assert shown.returncode == 0, shown.stderr
    assert_no_traceback(shown)
    messages = json.loads(shown.stdout)["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == PROMPT

    plain = run_cli("history", "show", str(conversation_id))
    assert plain.returncode == 0, plain.stderr
    assert PROMPT in plain.stdout
    assert full_disk.free_bytes() == 0, "reading must not have needed space"


def test_ask_on_a_full_disk_is_refused_plainly_and_stores_nothing(full_disk: FullDisk) -> None:  # noqa: F811
    conversation_id = _first_turn()
    full_disk.fill()

    refused = run_cli("ask", "--max-tokens", "8", "And of Spain?")
    assert refused.returncode == 1
    assert_no_traceback(refused)
    assert "disk is full" in refused.stderr.lower(), refused.stderr
    assert "free some space" in refused.stderr.lower(), refused.stderr
    assert refused.stdout.strip() == "", "nothing is answered when the question cannot be saved"

    again = run_cli("ask", "--conversation", str(conversation_id), "--max-tokens", "8", "More?")
    assert again.returncode == 1 and "disk is full" in again.stderr.lower(), again.stderr
    assert_no_traceback(again)

    full_disk.free()
    conversations = _history(full_disk)
    assert [(c["id"], c["message_count"]) for c in conversations] == [(conversation_id, 2)]


def _ask_and_fill_mid_answer(disk: FullDisk, *args: str) -> subprocess.CompletedProcess[str]:
    """Start ``ask``; once the question is stored and the answer is being written, pause the
    process, fill the disk, and let it finish."""
    database = disk.home / "data" / "history.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hybrid_desktop", "ask", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if _user_messages(database) >= 2:  # the first turn's and this one's
                break
            time.sleep(0.005)
        proc.send_signal(signal.SIGSTOP)
        try:
            disk.fill()
        finally:
            proc.send_signal(signal.SIGCONT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _user_messages(database: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute("SELECT count(*) FROM messages WHERE role='user'").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_an_answer_that_cannot_be_saved_is_printed_and_the_user_told(full_disk: FullDisk) -> None:  # noqa: F811
    _first_turn()
    proc = _ask_and_fill_mid_answer(full_disk, "--max-tokens", "200", LONG_PROMPT)
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.strip(), "the answer streamed to the user must stay on screen"
    err = proc.stderr.lower()
    assert "not saved" in err and "disk is full" in err, proc.stderr
    assert "free some space" in err, proc.stderr

    full_disk.free()
    conversations = _history(full_disk)
    newest = conversations[0]
    assert newest["message_count"] == 1, "the question is kept; the answer could not be"


def test_ask_json_keeps_the_answer_that_could_not_be_saved(full_disk: FullDisk) -> None:  # noqa: F811
    _first_turn()
    proc = _ask_and_fill_mid_answer(full_disk, "--json", "--max-tokens", "200", LONG_PROMPT)
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    data = last_json(proc)
    assert data["text"].strip(), "the answer is in the JSON although it could not be stored"
    assert data["saved"] is False
    assert data["message_id"] is None
    assert "disk is full" in proc.stderr.lower(), proc.stderr
