"""``hybrid-desktop history search QUERY``: the real command in a subprocess, over real history
files (plaintext, from before the search index, and encrypted with the key in a real Secret
Service), and over a turn answered by the embedded model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.storage import migrations as db_module
from hybrid_desktop.storage.cipher import PLAINTEXT_HEADER
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.migrations import MIGRATIONS
from tests.cli.helpers import ask_json, assert_no_traceback
from tests.conftest import run_cli
from tests.support.secret_service import secret_service

HIT_FIELDS = {"conversation_id", "message_id", "snippet", "role", "route", "created_at"}


def history_file(app_home: Path) -> Path:
    return app_home / "data" / "history.db"


def stored(app_home: Path, *turns: tuple[str, str, str]) -> list[int]:
    """Conversations of a prompt and an answer (with its route), written as the app does."""
    store = HistoryStore(history_file(app_home))
    try:
        made = []
        for prompt, answer, route in turns:
            first = store.start_conversation(prompt)
            store.add_message(first.conversation_id, "assistant", answer, route=route, model="m")
            made.append(first.conversation_id)
        return made
    finally:
        store.close()


def search_json(*args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    proc = run_cli("history", "search", *args, "--json", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stdout
    hits = json.loads(lines[0])
    assert isinstance(hits, list)
    for hit in hits:
        assert set(hit) >= HIT_FIELDS, hit
        assert isinstance(hit["conversation_id"], int) and isinstance(hit["message_id"], int)
        assert isinstance(hit["snippet"], str)
    return hits


def test_search_json_finds_a_word_from_an_answer(app_home: Path) -> None:
    delta, _ = stored(
        app_home,
        ("Tell me about the delta", "The Okavango Delta floods every year.", "cloud"),
        ("And the harbour?", "The harbour closes at nine.", "local"),
    )
    hits = search_json("okavango")
    assert [(h["conversation_id"], h["role"], h["route"]) for h in hits] == [
        (delta, "assistant", "cloud")
    ]
    assert hits[0]["snippet"] == "The **Okavango** Delta floods every year."
    store = HistoryStore(history_file(app_home))
    try:
        answer = store.messages(delta)[1]
    finally:
        store.close()
    assert hits[0]["message_id"] == answer.id and hits[0]["created_at"] == answer.created_at

    # search as you type: a prefix of the last word, several words all matching
    assert [h["conversation_id"] for h in search_json("oka")] == [delta]
    assert [h["conversation_id"] for h in search_json("delta", "flo")] == [delta]
    assert len(search_json("the")) == 4  # newest first
    assert search_json("okavango", "harbour") == []


def test_filters_route_dates_and_conversation(app_home: Path) -> None:
    one, two = stored(
        app_home,
        ("ferry times", "ferries leave at nine", "local"),
        ("ferry prices", "ferries cost ten", "cloud"),
    )
    cloud = search_json("ferries", "--route", "cloud")
    assert [(h["conversation_id"], h["route"]) for h in cloud] == [(two, "cloud")]
    assert search_json("ferries", "--since", "2999-01-01") == []
    assert len(search_json("ferries", "--since", "2000-01-01T00:00Z")) == 2
    assert search_json("ferries", "--until", "2000-01-01") == []
    assert {h["conversation_id"] for h in search_json("ferr", "--conversation", str(one))} == {one}
    assert len(search_json("ferry", "--limit", "1")) == 1


def test_text_output_marks_the_words_and_escapes_control_characters(app_home: Path) -> None:
    stored(
        app_home,
        ("evil \x1b]0;title\x07", "an \x1b[31mescape\x1b[0m here\nand a lighthouse", "edge"),
    )
    proc = run_cli("history", "search", "lighthouse", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "**lighthouse**" in proc.stdout and "\x1b" not in proc.stdout
    assert "assistant · edge" in proc.stdout
    none = run_cli("history", "search", "nothingmatchesthis", timeout=120)
    assert none.returncode == 0 and "No messages match." in none.stdout


@pytest.mark.parametrize(
    "query", ['"', "NEAR(", "AND", "a*b", "content:", "-", "^x", "x'); DROP TABLE messages; --"]
)
def test_fts_syntax_in_the_query_is_just_words(app_home: Path, query: str) -> None:
    stored(app_home, ("plain", 'quoted "NEAR(x)" AND content: text', "local"))
    proc = run_cli("history", "search", "--json", "--", query, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert isinstance(json.loads(proc.stdout), list)
    assert len(search_json("NEAR(")) == 1  # and the table is still there


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["   "], "nothing to search for"),
        (["x", "--since", "yesterday"], "not a date"),
        (["x", "--route", "auto"], "invalid choice"),
        (["x", "--limit", "0"], "must be 1 or more"),
    ],
)
def test_usage_errors_exit_2(app_home: Path, args: list[str], says: str) -> None:
    proc = run_cli("history", "search", *args, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert says in proc.stderr
    assert_no_traceback(proc)


def test_an_unknown_conversation_fails_cleanly(app_home: Path) -> None:
    stored(app_home, ("a", "b", "local"))
    proc = run_cli("history", "search", "a", "--conversation", "4242", timeout=120)
    assert proc.returncode == 1
    assert "no conversation with id 4242" in proc.stderr
    assert_no_traceback(proc)


def test_a_history_from_before_search_is_migrated_and_found(
    app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:4])  # the schema before issue 17
    [old] = stored(app_home, ("an old question on glaciers", "glaciers retreat", "local"))
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    assert {h["conversation_id"] for h in search_json("glacier")} == {old}


def test_a_word_from_a_real_local_answer_is_found(app_home: Path) -> None:
    _, data = ask_json("--route", "local", "--max-tokens", "32", "Name three colours of the sky.")
    words = sorted(set(re.findall(r"[A-Za-z]{4,}", data["text"])), key=len, reverse=True)
    assert words, data["text"]
    hits = search_json(words[0])
    answer = [h for h in hits if h["role"] == "assistant"]
    assert answer and answer[0]["conversation_id"] == data["conversation_id"]
    assert answer[0]["route"] == "local"
    assert f"**{words[0].lower()}" in answer[0]["snippet"].lower()


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def test_search_works_on_an_encrypted_history(keyring_env: dict[str, str], app_home: Path) -> None:
    [conversation] = stored(
        app_home, ("lease question", "The Tromsø-4471 lease ends in May.", "cloud")
    )
    done = run_cli("history", "encrypt", env=keyring_env, timeout=120)
    assert done.returncode == 0, done.stderr
    raw = history_file(app_home).read_bytes()
    assert not raw.startswith(PLAINTEXT_HEADER) and b"Troms" not in raw
    hits = search_json("TROMSØ", "447", env=keyring_env)  # any case, a prefix
    assert [h["conversation_id"] for h in hits] == [conversation]
    assert "**Tromsø**" in hits[0]["snippet"]
    locked = run_cli(
        "history",
        "search",
        "tromso",
        env={"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"},
        timeout=120,
    )
    assert locked.returncode == 1 and "keyring" in locked.stderr.lower()
    assert_no_traceback(locked)
