"""History search (storage.search) over the FTS5 index of migration m005_message_search: real
SQLite files, plaintext and SQLCipher (the key in a real Secret Service, tests/support)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hybrid_desktop.errors import StorageError
from hybrid_desktop.storage import cipher, encryption
from hybrid_desktop.storage import migrations as db_module
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.migrations import MIGRATIONS
from hybrid_desktop.storage.search import MARK_CLOSE, MARK_OPEN, Hit, fts_query, search
from tests.storage.test_encryption import _use_keyring, leaks
from tests.support.secret_service import secret_service

#: A word found nowhere else, to look for in the file's bytes (its tail: FTS5 stores the terms
#: of an index page prefix-compressed, so the first letters may be shared with the term before).
SECRET_WORD = "Zyxwquartzvelvet"
SECRET_TAIL = "quartzvelvet"

HOSTILE = [
    '"',
    '""',
    '"unbalanced',
    "AND",
    "OR NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "a NEAR b",
    "*",
    "**",
    "a*b",
    "content:",
    "content:lease",
    "{content}: x",
    "^start",
    "-minus",
    "a - b",
    "(",
    ")",
    "()",
    "'",
    "x'); DROP TABLE messages; --",
    "\x00",
    "lease\x00agreement",
    "\\",
    ":",
    "+",
    ".",
    "🙂",
    "e-mail",
    "\u200b",
    "ー",
]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(db_path)
    yield opened
    opened.close()


def converse(store: HistoryStore, prompt: str, answer: str, route: str = "local") -> int:
    first = store.start_conversation(prompt)
    store.add_message(first.conversation_id, "assistant", answer, route=route, model="m")
    return first.conversation_id


def ids(hits: list[Hit]) -> list[int]:
    return [h.message_id for h in hits]


def checkpointed(path: Path) -> None:
    """Everything of the WAL journal written into the main file, and the journal emptied."""
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    finally:
        conn.close()


def raw_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file())


# the query --------------------------------------------------------------------------------------


def test_user_text_becomes_quoted_terms_and_the_last_one_a_prefix() -> None:
    assert fts_query("lease agreement") == '"lease" "agreement"*'
    assert fts_query("lease agreement ") == '"lease" "agreement"'  # the word is finished
    assert fts_query('say "hi" AND') == '"say" """hi""" "AND"*'
    assert fts_query("near", prefix=False) == '"near"'
    assert fts_query("  \t\n") == ""


def test_prefixes_match_as_you_type_and_case_and_accents_do_not_matter(
    store: HistoryStore,
) -> None:
    converse(store, "Where is the Café Kilimanjaro?", "It is in Zürich, near the lake.")
    for typed in ["k", "ki", "kil", "kilim", "KILIMANJARO", "cafe", "CAFÉ", "zurich", "zür"]:
        assert len(search(store.db, typed)) >= 1, typed
    assert search(store.db, "kil ") == []  # a finished word is not a prefix
    assert search(store.db, "kilimanjaro lake") == []  # every word must match the same message
    assert len(search(store.db, "lake zur")) == 1


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(store: HistoryStore, query: str) -> None:
    converse(store, "lease agreement for the e-mail flat", 'He said "NEAR(x)" AND content: ok')
    assert isinstance(search(store.db, query), list)
    assert isinstance(search(store.db, query, prefix=False), list)


def test_operators_are_words_to_find(store: HistoryStore) -> None:
    converse(store, "plain words only", 'He said "NEAR(x)" AND OR NOT content: ok')
    assert len(search(store.db, "NEAR(")) == 1
    assert len(search(store.db, "AND OR NOT")) == 1
    assert len(search(store.db, "content:")) == 1
    assert search(store.db, "plain NOT") == []  # NOT is a word here, not an operator


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_any_text_is_a_valid_query(store: HistoryStore, query: str) -> None:
    if not store.list_conversations():
        converse(store, "lease agreement for the flat", "the e-mail said NEAR(x)")
    assert isinstance(search(store.db, query), list)


# results and filters ----------------------------------------------------------------------------


def test_hits_carry_where_to_open_them_and_a_marked_snippet(store: HistoryStore) -> None:
    conversation = converse(
        store, "Tell me about the delta", "The Okavango Delta floods every year.", route="cloud"
    )
    [answer] = [m for m in store.messages(conversation) if m.role == "assistant"]
    [hit] = search(store.db, "okavango")
    assert (hit.conversation_id, hit.message_id, hit.role, hit.route) == (
        conversation,
        answer.id,
        "assistant",
        "cloud",
    )
    assert hit.created_at == answer.created_at and hit.title == "Tell me about the delta"
    assert hit.snippet == f"The {MARK_OPEN}Okavango{MARK_CLOSE} Delta floods every year."
    assert hit.marked("<b>", "</b>") == "The <b>Okavango</b> Delta floods every year."
    assert hit.plain() == answer.content
    assert hit.to_json()["snippet"] == "The **Okavango** Delta floods every year."
    assert set(hit.to_json()) >= {"conversation_id", "message_id", "snippet", "role", "route"}


def test_long_messages_get_a_short_snippet(store: HistoryStore) -> None:
    words = " ".join(f"filler{i}" for i in range(200))
    converse(store, "long one", f"{words} needle {words}")
    [hit] = search(store.db, "needle")
    assert f"{MARK_OPEN}needle{MARK_CLOSE}" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet.split()) <= 16


def test_newest_first_paged_and_filtered(store: HistoryStore) -> None:
    first = converse(store, "harbour question one", "harbour answer local", route="local")
    time.sleep(0.005)  # past the millisecond of the stored times
    second = converse(store, "harbour question two", "harbour answer cloud", route="cloud")
    time.sleep(0.005)
    third = converse(store, "harbour question three", "harbour answer edge", route="edge")
    every = search(store.db, "harbour")
    assert ids(every) == sorted(ids(every), reverse=True) and len(every) == 6
    assert ids(search(store.db, "harbour", limit=2)) == ids(every)[:2]
    assert ids(search(store.db, "harbour", limit=2, offset=2)) == ids(every)[2:4]
    assert [h.route for h in search(store.db, "harbour", route="cloud")] == ["cloud"]
    assert {h.conversation_id for h in search(store.db, "harbour", conversation_id=first)} == {
        first
    }
    # since is inclusive, until exclusive, both compared with the stored UTC times
    second_start = store.messages(second)[0].created_at
    third_start = store.messages(third)[0].created_at
    window = search(store.db, "harbour", since=second_start, until=third_start)
    assert {h.conversation_id for h in window} == {second}
    assert search(store.db, "harbour", since="2999-01-01") == []
    assert len(search(store.db, "harbour", until="2999-01-01T00:00Z")) == 6
    with pytest.raises(ValueError):
        search(store.db, "harbour", route="auto")
    with pytest.raises(ValueError):
        search(store.db, "harbour", limit=0)


# keeping the index in sync ----------------------------------------------------------------------


def test_an_existing_history_is_indexed_by_the_migration(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:4])  # the schema before issue 17
    old = HistoryStore(db_path)
    conversation = converse(old, "an old question about glaciers", "old glacier answer")
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    store = HistoryStore(db_path)
    try:
        assert {h.conversation_id for h in search(store.db, "glacier")} == {conversation}
        converse(store, "a new glacier", "new")
        assert len(search(store.db, "glacier")) == 3
        names = [r[0] for r in store.db.execute("SELECT name FROM _migrations")]
        assert "m005_message_search" in names
    finally:
        store.close()


def test_a_failing_index_migration_leaves_nothing_behind(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """enable_fts runs its DDL through executescript, which would commit: the migration keeps
    it inside its own transaction, so a failure half-way rolls all of it back."""
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:4])
    old = HistoryStore(db_path)
    converse(old, "kept", "kept too")
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)

    def broken(self: sqlite_utils.db.Table, columns: object) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated, after CREATE VIRTUAL TABLE)")

    monkeypatch.setattr(sqlite_utils.db.Table, "populate_fts", broken)
    with pytest.raises(StorageError):
        HistoryStore(db_path)
    conn = sqlite3.connect(str(db_path))
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        done = [r[0] for r in conn.execute("SELECT name FROM _migrations")]
    finally:
        conn.close()
    assert not {n for n in names if "fts" in n or n.startswith("messages_a")}
    assert "m005_message_search" not in done
    monkeypatch.undo()
    store = HistoryStore(db_path)  # and it runs once the cause is gone
    try:
        assert len(search(store.db, "kept")) == 2
    finally:
        store.close()


def test_edits_reach_the_index(store: HistoryStore) -> None:
    conversation = converse(store, "question", "the first wording")
    with store.db.conn:
        store.db.execute(
            "UPDATE messages SET content = 'the second wording' WHERE conversation_id = ?"
            " AND role = 'assistant'",
            [conversation],
        )
    assert search(store.db, "first") == []
    assert len(search(store.db, "second")) == 1


def test_deleting_a_conversation_removes_it_from_the_index_and_the_file(
    store: HistoryStore, db_path: Path
) -> None:
    keep = converse(store, "the harbour timetable", "ferries leave at nine")
    gone = converse(store, f"my {SECRET_WORD} plan", f"keep {SECRET_WORD} secret, ferries too")
    for _ in range(3):  # more index segments, so deleting must merge them
        converse(store, "the harbour again", "ferries again")
    checkpointed(db_path)
    assert SECRET_TAIL.encode() in raw_bytes(db_path)  # the check can see it while it is there
    assert len(search(store.db, SECRET_WORD)) == 2

    store.delete_conversation(gone)
    assert search(store.db, SECRET_WORD) == []
    assert search(store.db, SECRET_WORD.lower()[:5]) == []
    store.db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, messages_fts, row)")
    terms = {r[0] for r in store.db.execute("SELECT term FROM temp.vocab")}
    assert SECRET_WORD.lower() not in terms and "ferries" in terms
    store.db.execute("DROP TABLE temp.vocab")
    assert {h.conversation_id for h in search(store.db, "timetable")} == {keep}
    assert len(search(store.db, "ferries")) == 4
    assert store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    checkpointed(db_path)
    assert leaks(db_path.parent, SECRET_TAIL, SECRET_WORD) == []
    # the index still agrees with the messages (this raises if it does not)
    store.db.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)")


def test_a_history_without_the_index_says_so(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:4])
    HistoryStore(db_path).close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    old = HistoryStore(db_path, run_migrations=False)
    try:
        with pytest.raises(StorageError, match="no search index"):
            search(old.db, "anything")
    finally:
        old.close()


# encrypted at rest --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


@pytest.fixture
def keyring_on(
    keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    with _use_keyring(keyring_env, monkeypatch):
        yield keyring_env


def test_search_and_delete_work_on_an_encrypted_history_and_after_decrypting(
    keyring_on: dict[str, str], db_path: Path
) -> None:
    store = HistoryStore(db_path)
    try:
        keep = converse(store, "the harbour timetable", "ferries leave at nine")
        gone = converse(store, f"my {SECRET_WORD} plan", f"keep {SECRET_WORD} secret")
    finally:
        store.close()
    encryption.encrypt_history(db_path)
    assert cipher.is_encrypted(db_path)
    store = HistoryStore(db_path)
    try:
        assert type(store.db.conn).__name__ == "CipherConnection"
        assert len(search(store.db, "quartz")) == 0  # a prefix matches from a word's start
        assert len(search(store.db, "zyxwq")) == 2
        added = converse(store, "typed after encrypting", "the Okavango floods", route="cloud")
        assert [h.conversation_id for h in search(store.db, "okav", route="cloud")] == [added]
        store.delete_conversation(gone)
        assert search(store.db, SECRET_WORD) == []
    finally:
        store.close()
    assert leaks(db_path.parent, SECRET_TAIL, "Okavango", "timetable") == []
    encryption.decrypt_history(db_path)  # Python's own SQLite reads SQLCipher's index
    store = HistoryStore(db_path)
    try:
        assert type(store.db.conn).__name__ == "Connection"
        assert {h.conversation_id for h in search(store.db, "timetab")} == {keep}
        assert len(search(store.db, "okavango")) == 1
        assert search(store.db, SECRET_WORD) == []
    finally:
        store.close()


def test_the_conversation_filter_holds_for_interleaved_conversations(store: HistoryStore) -> None:
    a = store.start_conversation("ferry plans").conversation_id
    b = store.start_conversation("ferry prices").conversation_id
    for i in range(4):
        store.add_message(a, "assistant", f"ferry answer a{i}", route="local")
        store.add_message(b, "assistant", f"ferry answer b{i}", route="local")
    store.add_message(a, "user", "last ferry in a")
    wanted = [m.id for m in reversed(store.messages(a))]
    assert ids(search(store.db, "ferr", conversation_id=a)) == wanted  # first and last included
    assert len(search(store.db, "ferry", conversation_id=b)) == 5
    assert search(store.db, "ferry", conversation_id=999) == []
