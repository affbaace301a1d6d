"""Tests for hybrid_desktop.storage.privacy: the vault and the audit log in real SQLite files."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hybrid_desktop.core.cloud_tier import load_vault
from hybrid_desktop.core.privacy.pseudonymize import Vault, pseudonymize, restore
from hybrid_desktop.domain import Finding
from hybrid_desktop.errors import NotFoundError, StorageError
from hybrid_desktop.storage import migrations as db_module
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.migrations import MIGRATIONS
from hybrid_desktop.storage.privacy import AuditEntry, PrivacyStore, count_entities


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "history.db"


@pytest.fixture
def history(db_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore(db_path)
    yield opened
    opened.close()


@pytest.fixture
def store(history: HistoryStore) -> PrivacyStore:
    return PrivacyStore(history)


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def redact(text: str, vault: Vault, *values: tuple[str, str]) -> tuple[str, list]:  # type: ignore[type-arg]
    findings = []
    for entity_type, value in values:
        start = text.index(value)
        findings.append(Finding(entity_type, start, start + len(value), 0.9, value))
    return pseudonymize(text, findings, vault)


# migrations -----------------------------------------------------------------------------------


def test_migrations_are_listed_in_order() -> None:
    names = [fn.__name__ for fn in MIGRATIONS]
    assert names[:3] == [
        "m001_conversations_and_messages",
        "m002_privacy_vault",
        "m003_audit_log",
    ]


def test_tables_and_indexes_exist(history: HistoryStore, db_path: Path) -> None:
    with raw(db_path) as conn:
        vault_cols = [row[1] for row in conn.execute("PRAGMA table_info(privacy_vault)")]
        audit_cols = [row[1] for row in conn.execute("PRAGMA table_info(audit_log)")]
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(audit_log)")}
        fks = {row[2]: row[6] for row in conn.execute("PRAGMA foreign_key_list(audit_log)")}
    assert vault_cols == ["conversation_id", "entity_type", "placeholder", "value", "created_at"]
    assert audit_cols == [
        "id",
        "created_at",
        "destination",
        "model",
        "conversation_id",
        "redacted_text",
        "entity_counts",
        "bytes",
        "status",
        "detail",
    ]
    assert {"audit_log_by_time", "audit_log_by_conversation"} <= indexes
    assert fks == {"conversations": "SET NULL"}


def test_a_database_from_before_the_privacy_tables_is_upgraded(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:1])  # the schema the old app made
    old = HistoryStore(db_path)
    conversation = old.create_conversation("old")
    old.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    history = HistoryStore(db_path)
    try:
        store = PrivacyStore(history)
        vault = Vault()
        vault.placeholder_for("PERSON", "Ada")
        store.save_vault(conversation.id, vault)
        assert list(load_vault(store, conversation.id)) == list(vault)
        store.add_audit("cloud", "<PERSON_1>", conversation_id=conversation.id)
        assert history.db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(
            MIGRATIONS
        )
    finally:
        history.close()


# vault ----------------------------------------------------------------------------------------


def test_vault_survives_reopening_and_stays_consistent(db_path: Path) -> None:
    history = HistoryStore(db_path)
    conversation = history.create_conversation()
    store = PrivacyStore(history)
    vault = load_vault(store, conversation.id)
    assert len(vault) == 0
    first, _ = redact(
        "Ada Lovelace wrote to grace@example.com",
        vault,
        ("PERSON", "Ada Lovelace"),
        ("EMAIL_ADDRESS", "grace@example.com"),
    )
    assert first == "<PERSON_1> wrote to <EMAIL_ADDRESS_1>"
    assert store.save_vault(conversation.id, vault) == 2
    assert store.save_vault(conversation.id, vault) == 0  # nothing new
    history.close()

    history = HistoryStore(db_path)
    try:
        store = PrivacyStore(history.db)  # the bare database works too
        again = load_vault(store, conversation.id)
        assert list(again) == list(vault)
        second, _ = redact(
            "ask ADA  LOVELACE and Alan Turing",
            again,
            ("PERSON", "ADA  LOVELACE"),
            ("PERSON", "Alan Turing"),
        )
        assert second == "ask <PERSON_1> and <PERSON_2>"
        assert store.save_vault(conversation.id, again) == 1
        assert restore("<PERSON_1>, <PERSON_2>", load_vault(store, conversation.id)) == (
            "Ada Lovelace, Alan Turing"
        )
    finally:
        history.close()


def test_vaults_are_kept_per_conversation(history: HistoryStore, store: PrivacyStore) -> None:
    one = history.create_conversation()
    two = history.create_conversation()
    a, b = Vault(), Vault()
    a.placeholder_for("PERSON", "Ada")
    b.placeholder_for("PERSON", "Grace")
    store.save_vault(one.id, a)
    store.save_vault(two.id, b)
    assert load_vault(store, one.id).value_of("<PERSON_1>") == "Ada"
    assert load_vault(store, two.id).value_of("<PERSON_1>") == "Grace"


def test_vault_rows_go_with_their_conversation(
    history: HistoryStore, store: PrivacyStore, db_path: Path
) -> None:
    doomed = history.create_conversation()
    kept = history.create_conversation()
    history.add_message(doomed.id, "user", "hi")
    for conversation in (doomed, kept):
        vault = Vault()
        vault.placeholder_for("PERSON", "Ada")
        vault.placeholder_for("EMAIL_ADDRESS", "ada@example.com")
        store.save_vault(conversation.id, vault)
    history.delete_conversation(doomed.id)
    with raw(db_path) as conn:
        left = conn.execute(
            "SELECT conversation_id, count(*) FROM privacy_vault GROUP BY conversation_id"
        ).fetchall()
    assert left == [(kept.id, 2)]
    assert len(load_vault(store, doomed.id)) == 0


def test_save_vault_for_a_missing_conversation_is_not_found(store: PrivacyStore) -> None:
    vault = Vault()
    vault.placeholder_for("PERSON", "Ada")
    with pytest.raises(NotFoundError):
        store.save_vault(999, vault)


def test_diverged_vaults_are_refused_not_mixed(history: HistoryStore, store: PrivacyStore) -> None:
    conversation = history.create_conversation()
    here, there = Vault(), Vault()
    here.placeholder_for("PERSON", "Ada")
    there.placeholder_for("PERSON", "Grace")  # the same <PERSON_1>, another person
    store.save_vault(conversation.id, here)
    with pytest.raises(StorageError, match="PERSON_1"):
        store.save_vault(conversation.id, there)
    assert list(load_vault(store, conversation.id)) == list(here)


def test_a_tampered_vault_is_reported(
    history: HistoryStore, store: PrivacyStore, db_path: Path
) -> None:
    conversation = history.create_conversation()
    with raw(db_path) as conn:
        conn.execute(
            "INSERT INTO privacy_vault VALUES (?, 'PERSON', 'PERSON-1', 'Ada', 'now')",
            [conversation.id],
        )
    with pytest.raises(StorageError, match="inconsistent"):
        load_vault(store, conversation.id)


# audit log ------------------------------------------------------------------------------------


def test_add_and_list_audit_entries_newest_first(
    history: HistoryStore, store: PrivacyStore
) -> None:
    conversation = history.create_conversation()
    vault = Vault()
    text, replacements = redact(
        "Ada and Grace mail ada@example.com",
        vault,
        ("PERSON", "Ada"),
        ("PERSON", "Grace"),
        ("EMAIL_ADDRESS", "ada@example.com"),
    )
    first = store.add_audit(
        "cloud",
        text,
        model="claude-test",
        conversation_id=conversation.id,
        entities=replacements,
    )
    second = store.add_audit(
        "edge", "Grüße 👋", entities={"LOCATION": 1, "PERSON": 0}, status="failed", detail="429"
    )
    third = store.add_audit("cloud", "kept back", status="blocked", detail="policy: SECRET")
    assert first < second < third
    assert store.count_audit() == 3
    entries = store.list_audit()
    assert [e.id for e in entries] == [third, second, first]
    newest, middle, oldest = entries
    assert oldest.redacted_text == "<PERSON_1> and <PERSON_2> mail <EMAIL_ADDRESS_1>"
    assert oldest.entity_counts == {"EMAIL_ADDRESS": 1, "PERSON": 2}
    assert oldest.bytes == len(oldest.redacted_text)
    assert (oldest.destination, oldest.model, oldest.conversation_id) == (
        "cloud",
        "claude-test",
        conversation.id,
    )
    assert oldest.status == "sent" and oldest.detail is None
    assert middle.bytes == len("Grüße 👋".encode()) == 12
    assert middle.entity_counts == {"LOCATION": 1}
    assert (middle.status, middle.detail, middle.conversation_id) == ("failed", "429", None)
    assert (newest.status, newest.entity_counts) == ("blocked", {})
    assert oldest.created_at <= middle.created_at <= newest.created_at
    assert store.list_audit(limit=1, offset=1)[0].id == second
    assert store.list_audit(limit=5, offset=3) == []
    assert store.get_audit(first) == oldest


def test_audit_rows_store_counts_as_json(
    history: HistoryStore, store: PrivacyStore, db_path: Path
) -> None:
    store.add_audit("cloud", "x", entities={"PERSON": 2, "EMAIL_ADDRESS": 1})
    with raw(db_path) as conn:
        (counts, size) = conn.execute("SELECT entity_counts, bytes FROM audit_log").fetchone()
    assert json.loads(counts) == {"EMAIL_ADDRESS": 1, "PERSON": 2}
    assert size == 1


def test_audit_entry_to_json(store: PrivacyStore) -> None:
    entry_id = store.add_audit("cloud", "hello <PERSON_1>", entities={"PERSON": 1})
    data = store.get_audit(entry_id).to_json()
    assert data == {
        "id": entry_id,
        "created_at": data["created_at"],
        "destination": "cloud",
        "model": None,
        "conversation_id": None,
        "redacted_text": "hello <PERSON_1>",
        "entity_counts": {"PERSON": 1},
        "bytes": 16,
        "status": "sent",
        "detail": None,
    }
    json.dumps(data)


def test_audit_status_can_be_updated(store: PrivacyStore) -> None:
    entry_id = store.add_audit("cloud", "hello")
    store.set_audit_status(entry_id, "failed", "The connection dropped.")
    entry = store.get_audit(entry_id)
    assert (entry.status, entry.detail) == ("failed", "The connection dropped.")
    with pytest.raises(NotFoundError):
        store.set_audit_status(entry_id + 1, "failed")
    with pytest.raises(NotFoundError):
        store.get_audit(entry_id + 1)


def test_bad_audit_input_is_refused(store: PrivacyStore, db_path: Path) -> None:
    with pytest.raises(ValueError):
        store.add_audit("cloud", "x", status="lost")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.add_audit("", "x")
    with pytest.raises(ValueError):
        store.add_audit("cloud", "x", entities={"PERSON": -1})
    with pytest.raises(NotFoundError):
        store.add_audit("cloud", "x", conversation_id=12345)
    assert store.count_audit() == 0
    with raw(db_path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO audit_log (created_at, destination, redacted_text, entity_counts,"
            " bytes, status) VALUES ('t', 'cloud', 'x', '{}', 1, 'lost')"
        )


def test_count_entities() -> None:
    vault = Vault()
    _, replacements = redact(
        "Ada, Ada and Bob", vault, ("PERSON", "Ada"), ("PERSON", "Bob")
    )  # only the first "Ada" is a finding here
    assert count_entities(replacements) == {"PERSON": 2}
    assert count_entities(None) == {}
    assert count_entities({"B": 1, "A": 2, "C": 0}) == {"A": 2, "B": 1}
    with pytest.raises(ValueError):
        count_entities({"A": True})


def test_audit_log_survives_deleting_the_conversation(
    history: HistoryStore, store: PrivacyStore
) -> None:
    conversation = history.create_conversation()
    other = history.create_conversation()
    history.add_message(conversation.id, "user", "hello")
    gone = store.add_audit("cloud", "hello", conversation_id=conversation.id)
    stays = store.add_audit("cloud", "hi", conversation_id=other.id)
    history.delete_conversation(conversation.id)
    assert store.count_audit() == 2
    assert store.get_audit(gone).conversation_id is None
    assert store.get_audit(gone).redacted_text == "hello"
    assert store.get_audit(stays).conversation_id == other.id


def test_export_jsonl_and_csv_read_back(store: PrivacyStore, tmp_path: Path) -> None:
    ids = [
        store.add_audit("cloud", 'line one\nline two, with "quotes"', entities={"PERSON": 1}),
        store.add_audit("edge", "Zürich 👋", model="m", status="failed", detail="timeout"),
    ]
    jsonl = tmp_path / "out" / "audit.jsonl"
    assert store.export_audit(jsonl) == 2
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    back = [json.loads(line) for line in lines]
    assert [row["id"] for row in back] == ids  # oldest first
    assert [AuditEntry(**row) for row in back] == [store.get_audit(i) for i in ids]

    as_csv = tmp_path / "audit.csv"
    assert store.export_audit(as_csv, fmt="csv") == 2
    with as_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["id"]) for row in rows] == ids
    assert rows[0]["redacted_text"] == 'line one\nline two, with "quotes"'
    assert json.loads(rows[0]["entity_counts"]) == {"PERSON": 1}
    assert rows[0]["bytes"] == str(len(rows[0]["redacted_text"].encode()))
    assert (rows[1]["redacted_text"], rows[1]["status"], rows[1]["detail"]) == (
        "Zürich 👋",
        "failed",
        "timeout",
    )
    assert rows[0]["model"] == "" and rows[1]["model"] == "m"
    assert sorted(os.listdir(tmp_path / "out")) == ["audit.jsonl"]  # no temp file left


def test_export_replaces_the_old_file_atomically(store: PrivacyStore, tmp_path: Path) -> None:
    target = tmp_path / "audit.jsonl"
    target.write_text("old contents\n", encoding="utf-8")
    store.add_audit("cloud", "new")
    store.export_audit(target)
    assert json.loads(target.read_text(encoding="utf-8"))["redacted_text"] == "new"
    assert store.export_audit(tmp_path / "empty.csv", fmt="csv") == 1
    with pytest.raises(ValueError):
        store.export_audit(target, fmt="xml")  # type: ignore[arg-type]


def test_export_to_an_unwritable_place_is_a_storage_error(
    store: PrivacyStore, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    store.add_audit("cloud", "x")
    with pytest.raises(StorageError, match="Could not export"):
        store.export_audit(blocker / "audit.jsonl")
    assert blocker.read_text(encoding="utf-8") == "not a folder"
