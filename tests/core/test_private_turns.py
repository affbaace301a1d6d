"""Private ("don't keep") conversations: real turns (embedded model; the cloud through our
Messages API server on 127.0.0.1) leave no word of the conversation in the history file, only
the audit record of what was sent, the usage row and a request record without ids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hybrid_desktop.core.chat import TurnRequest
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.storage.privacy import PrivacyStore
from tests.core.test_cloud_turns import PERSONAL, service_for

SECRET_WORD = "Zanzibarquux"


def file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_a_private_conversation_keeps_nothing_on_disk(engine, tmp_path, privacy_gate) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.db"
    history = HistoryStore(path)
    service = service_for(engine, history, privacy_gate)
    first = service.ask(TurnRequest(f"Say hello to {SECRET_WORD}.", route="local", private=True))
    again = service.ask(
        TurnRequest(
            "And once more, briefly.",
            route="local",
            private=True,
            conversation_id=first.conversation_id,
        )
    )
    assert first.text and again.text
    # The conversation is there, in memory, for the turns that follow ...
    kept = service.private.history.messages(first.conversation_id)
    assert [m.role for m in kept] == ["user", "assistant", "user", "assistant"]
    assert SECRET_WORD in kept[0].content
    # ... and nowhere on disk.
    assert history.list_conversations() == []
    assert SECRET_WORD.encode() not in file_bytes(path)
    rows = (
        sqlite3.connect(path)
        .execute(
            "SELECT private, conversation_id, message_id, user_message_id, reason, route"
            " FROM requests"
        )
        .fetchall()
    )
    assert rows == [(1, None, None, None, None, "local")] * 2
    service.close()
    history.close()


def test_a_private_cloud_turn_is_audited_without_its_conversation(
    engine, tmp_path, privacy_gate, fake_api
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.db"
    history = HistoryStore(path)
    fake_api.set(reply="Dear <PERSON_1>, noted.")
    service = service_for(engine, history, privacy_gate, cloud_model="claude-haiku-5-5")
    result = service.ask(TurnRequest(PERSONAL, route="cloud", private=True))
    assert result.text == "Dear Alice Martin, noted."  # restored on the device, from memory
    (audit,) = PrivacyStore(history).list_audit()
    assert audit.conversation_id is None and audit.status == "sent"
    assert "<PERSON_1>" in audit.redacted_text  # exactly what left, kept
    usage = history.db.execute("SELECT conversation_id, cost_usd FROM usage").fetchall()
    assert usage[0][0] is None and usage[0][1] > 0  # the budget still counts it
    assert history.list_conversations() == []
    data = file_bytes(path)
    assert b"Alice Martin" not in data and b"landlord" in data  # only the redacted text
    assert b"Dear Alice" not in data
    service.close()
    history.close()
