"""Crash safety: ``kill -9`` of a process while it writes history keeps every committed turn.

Real processes, real files, real SIGKILL: the parent waits until the child reports a number of
completed turns, kills it while it keeps writing, then checks the file with a plain sqlite3
connection (not the code under test).
"""

from __future__ import annotations

import json
import os
import random
import re
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hybrid_desktop.storage.history import HistoryStore
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

# The child writes turns forever: a user message, then an assistant message, each its own commit.
# Contents are a pure function of (run, turn), so the parent can check them byte for byte.
WRITER = r"""
import sys
from pathlib import Path
from hybrid_desktop.storage.history import HistoryStore

run, size, per_conversation = (int(a) for a in sys.argv[2:5])

def user_text(turn):
    return f"[run {run} turn {turn}] question " + "q" * (size // 4)

def answer_text(turn):
    words = ("dragon", "castle", "ember", "scale", "wing", "hoard")
    body = " ".join(words[(turn + i) % len(words)] for i in range(size // 6))
    return f"[run {run} turn {turn}] answer " + body

store = HistoryStore(Path(sys.argv[1]))
conversation = None
turn = 0
while True:
    turn += 1
    if (turn - 1) % per_conversation == 0:
        conversation = store.create_conversation(f"run {run} from turn {turn}")
    store.add_message(conversation.id, "user", user_text(turn))
    store.add_message(
        conversation.id, "assistant", answer_text(turn),
        route="local", model="writer", meta={"run": run, "turn": turn},
    )
    print(turn, flush=True)
"""

TAG = re.compile(r"^\[run (\d+) turn (\d+)\] ")


def expected_texts(run: int, turn: int, size: int) -> tuple[str, str]:
    words = ("dragon", "castle", "ember", "scale", "wing", "hoard")
    body = " ".join(words[(turn + i) % len(words)] for i in range(size // 6))
    return (
        f"[run {run} turn {turn}] question " + "q" * (size // 4),
        f"[run {run} turn {turn}] answer " + body,
    )


def read_lines_until(proc: subprocess.Popen[bytes], count: int, timeout: float) -> list[str]:
    """Read stdout lines until ``count`` have arrived (or the child ends, or time runs out)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(lines) < count:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            lines.extend(line.decode() for line in complete)
    return lines


def kill_hard(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30)


def check_file(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=10)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


def turns_in(conn: sqlite3.Connection, run: int) -> dict[int, list[tuple[int, int, str, str]]]:
    """Messages of one run, by turn: (id, conversation_id, role, content), in id order."""
    by_turn: dict[int, list[tuple[int, int, str, str]]] = {}
    rows = conn.execute(
        "SELECT id, conversation_id, role, content FROM messages ORDER BY id"
    ).fetchall()
    for row in rows:
        match = TAG.match(row[3])
        assert match, f"message {row[0]} has no tag: {row[3][:60]!r}"
        if int(match.group(1)) == run:
            by_turn.setdefault(int(match.group(2)), []).append(row)
    return by_turn


# (turns to see before the kill, message size, turns per conversation, extra delay before kill)
SCENARIOS = [
    (1, 3000, 10, 0.0),
    (5, 4000, 10, 0.0),
    (37, 2000, 10, 0.0007),
    (120, 3000, 1000, 0.0),
    (3, 8000, 1, 0.002),
    (60, 5000, 7, 0.0),
    (17, 3500, 3, 0.0013),
    (90, 2500, 10, 0.0),
]


def test_kill_9_while_writing_keeps_every_completed_turn(tmp_path: Path) -> None:
    database = tmp_path / "data" / "history.db"
    rng = random.Random(20240607)
    started = time.monotonic()
    for run, (wanted, size, per_conversation, delay) in enumerate(SCENARIOS, start=1):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER,
                str(database),
                str(run),
                str(size),
                str(per_conversation),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            lines = read_lines_until(proc, wanted, timeout=60)
            if delay:
                time.sleep(delay * rng.random())
            still_running = proc.poll() is None
            code = kill_hard(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        if proc.stdout:
            proc.stdout.close()
        assert still_running, f"run {run}: the writer ended by itself: {stderr}"
        assert code == -signal.SIGKILL
        assert len(lines) >= wanted, f"run {run}: saw only {lines!r}; stderr: {stderr}"
        reported = int(lines[-1])
        assert [int(x) for x in lines] == list(range(1, reported + 1))

        conn = check_file(database)
        try:
            by_turn = turns_in(conn, run)
            # A message and its conversation's update are one transaction: never one alone.
            stale = conn.execute(
                "SELECT c.id FROM conversations c JOIN messages m ON m.conversation_id = c.id"
                " GROUP BY c.id HAVING max(m.created_at) > c.updated_at"
            ).fetchall()
        finally:
            conn.close()
        assert stale == [], f"run {run}: conversations not updated with their last message"
        stored = sorted(by_turn)
        # Every reported turn is there; at most the turns after it were cut short.
        assert stored == list(range(1, len(stored) + 1)), f"run {run}: gaps in {stored}"
        assert len(stored) >= reported, f"run {run}: lost turns ({len(stored)} < {reported})"
        for turn in stored:
            rows = by_turn[turn]
            user, answer = expected_texts(run, turn, size)
            if turn <= reported or turn < stored[-1]:
                assert [r[2] for r in rows] == ["user", "assistant"], (run, turn, rows)
            else:  # the last turn may have been killed between its two commits
                assert [r[2] for r in rows] in (["user"], ["user", "assistant"]), (run, turn)
            assert rows[0][3] == user  # nothing torn
            if len(rows) == 2:
                assert rows[1][3] == answer
                assert rows[1][1] == rows[0][1]  # same conversation
                assert rows[1][0] > rows[0][0]  # the answer comes after its question

    # The history is still fully usable through the app's own store after all those kills.
    store = HistoryStore(database)
    try:
        c = store.create_conversation()
        store.add_message(c.id, "user", "after the crashes")
        assert store.messages(c.id)[0].content == "after the crashes"
        orphans = store.db.execute(
            "SELECT count(*) FROM messages a WHERE a.role = 'assistant' AND NOT EXISTS ("
            " SELECT 1 FROM messages u WHERE u.role = 'user'"
            " AND u.conversation_id = a.conversation_id AND u.id < a.id)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        store.close()
    assert time.monotonic() - started < 120


PROMPT = "Write a long story about a dragon."


def test_kill_9_of_ask_mid_answer_keeps_the_question(app_home: Path) -> None:
    """``hybrid-desktop ask`` killed while the real model streams: the file is intact and the
    user's message, committed before generation started, is in the history."""
    stderr_file = app_home.parent / "ask.stderr"
    with open(stderr_file, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hybrid_desktop", "ask", "--max-tokens", "400", PROMPT],
            stdout=subprocess.PIPE,
            stderr=err,
            env=dict(os.environ),
        )
    try:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        streamed = b""
        deadline = time.monotonic() + 180
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while len(streamed.strip()) < 24 and time.monotonic() < deadline:
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    break
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                streamed += chunk
        running = proc.poll() is None
        code = kill_hard(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
    details = stderr_file.read_text(errors="replace")
    assert len(streamed.strip()) >= 24, f"no answer streamed: {streamed!r}; stderr: {details}"
    assert running, f"ask finished before the kill; stderr: {details}"
    assert code == -signal.SIGKILL

    database = app_home / "data" / "history.db"
    conn = check_file(database)
    try:
        rows = conn.execute(
            "SELECT m.id, m.conversation_id, m.role, m.content, m.status, c.title"
            " FROM messages m JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id"
        ).fetchall()
    finally:
        conn.close()
    assert rows, "the question was not stored"
    first = rows[0]
    assert first[2:4] == ("user", PROMPT)
    assert first[5] == PROMPT  # the first message named the conversation
    for row in rows[1:]:  # a complete answer could only be there if the model had finished
        assert row[1] == first[1] and row[2] == "assistant"

    # The app reopens the killed history normally.
    result = run_cli("history", "show", str(first[1]), "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["messages"][0]["content"] == PROMPT
