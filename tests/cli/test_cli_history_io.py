"""``hybrid-desktop history export`` and ``history import``, run as the real command on real
history files: formats, a ChatGPT round trip between two installs, refusals, and a cloud turn
whose export holds what the user saw (never the placeholders that left the device)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hybrid_desktop.storage.history import HistoryStore
from tests.cli.helpers import assert_no_traceback, list_conversations, show_conversation
from tests.conftest import run_cli

PERSONAL = (
    "Hi, I'm Maria Gonzalez, my email is maria.g@example.org and my phone is +34 612 345 678."
)


def seed(home: Path) -> list[int]:
    store = HistoryStore(home / "data" / "history.db")
    try:
        first = store.start_conversation("How far is the Moon?")
        store.add_message(
            first.conversation_id, "assistant", "About 384,400 km.", route="local", model="smol"
        )
        second = store.start_conversation("Translate ‘good night’ into Norwegian")
        store.add_message(
            second.conversation_id, "assistant", "«God natt».", route="cloud", model="claude"
        )
        return [first.conversation_id, second.conversation_id]
    finally:
        store.close()


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    proc = run_cli(*args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    return proc.stdout


def test_export_all_formats_and_one_conversation(app_home: Path, tmp_path: Path) -> None:
    first, second = seed(app_home)
    out = tmp_path / "all.md"
    printed = ok("history", "export", "--format", "md", str(out))
    assert printed.strip() == f"Exported 2 conversations (4 messages) to {out}."
    markdown = out.read_text(encoding="utf-8")
    assert "# How far is the Moon?" in markdown and "«God natt»." in markdown

    one = tmp_path / "one.json"
    data = json.loads(ok("history", "export", str(second), "--format", "json", str(one), "--json"))
    assert data == {"file": str(one), "format": "json", "conversations": 1, "messages": 2}
    (conversation,) = json.loads(one.read_text(encoding="utf-8"))["conversations"]
    assert conversation["id"] == second
    assert [m["content"] for m in conversation["messages"]][1] == "«God natt»."

    gpt = tmp_path / "conversations.json"
    ok("history", "export", "--format", "chatgpt", str(first), str(gpt))
    (exported,) = json.loads(gpt.read_text(encoding="utf-8"))
    assert exported["title"] == "How far is the Moon?"
    assert exported["current_node"] in exported["mapping"]
    assert list(tmp_path.glob(".*.tmp")) == []


def test_a_chatgpt_export_round_trips_into_another_install(app_home: Path, tmp_path: Path) -> None:
    ids = seed(app_home)
    file = tmp_path / "conversations.json"
    ok("history", "export", "--format", "chatgpt", str(file))

    other = {"HYBRID_DESKTOP_HOME": str(tmp_path / "other-home")}
    result = json.loads(ok("history", "import", str(file), "--json", env=other))
    assert result["conversations"] == 2 and result["messages"] == 4 and result["skipped"] == 0
    for original_id, copy_id in zip(ids, result["conversation_ids"], strict=True):
        original = show_conversation(original_id)
        copy = show_conversation(copy_id, env=other)
        assert copy["title"] == original["title"]
        pairs = [(m["role"], m["content"]) for m in copy["messages"]]
        assert pairs == [(m["role"], m["content"]) for m in original["messages"]]
        assert [m["route"] for m in copy["messages"]] == [m["route"] for m in original["messages"]]

    again = ok("history", "import", str(file), env=other)
    assert "Imported 0 conversations (0 messages)" in again and "Skipped 2" in again
    assert len(list_conversations(env=other)) == 2


def test_malformed_files_and_usage_errors_are_explained(app_home: Path, tmp_path: Path) -> None:
    bad: dict[str, Any] = {
        "truncated.json": '[{"title": ',
        "shape.json": json.dumps([{"title": "ok", "mapping": {}, "current_node": "gone"}]),
    }
    for name, text in bad.items():
        file = tmp_path / name
        file.write_text(text, encoding="utf-8")
        proc = run_cli("history", "import", str(file))
        assert proc.returncode == 1, proc.stderr
        assert_no_traceback(proc)
        assert proc.stderr.startswith("error: ") and "nothing was imported" in proc.stderr
    assert list_conversations() == []

    missing = run_cli("history", "import", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "There is no file" in missing.stderr

    usage = run_cli("history", "export", str(tmp_path / "x.md"))  # no --format
    assert usage.returncode == 2 and "--format" in usage.stderr
    usage = run_cli("history", "export", "abc", "--format", "md", str(tmp_path / "x.md"))
    assert usage.returncode == 2 and "not a conversation id" in usage.stderr
    unknown = run_cli("history", "export", "42", "--format", "md", str(tmp_path / "x.md"))
    assert unknown.returncode == 1 and "no conversation with id 42" in unknown.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_cloud_turns_export_holds_the_restored_text(
    app_home: Path, tmp_path: Path, fake_api: Any
) -> None:
    fake_api.set(reply="Hello <PERSON_1>! I will write to <EMAIL_ADDRESS_1>.")
    proc = run_cli("ask", "--route", "cloud", "--json", PERSONAL)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout.splitlines()[-1])
    assert answer["route"] == "cloud"
    sent = json.dumps(fake_api.message_requests()[0].body)
    assert "Maria" not in sent and "<PERSON_1>" in sent  # what left the device

    for fmt in ("md", "json", "chatgpt"):
        file = tmp_path / f"export.{fmt}"
        ok("history", "export", str(answer["conversation_id"]), "--format", fmt, str(file))
        text = file.read_text(encoding="utf-8")
        assert "Maria Gonzalez" in text and "maria.g@example.org" in text, fmt
        assert "Hello Maria Gonzalez! I will write to maria.g@example.org." in text, fmt
        assert "<PERSON_" not in text and "<EMAIL_ADDRESS_" not in text, fmt


def test_export_and_import_on_an_encrypted_history(app_home: Path, tmp_path: Path) -> None:
    from tests.support.secret_service import secret_service

    seed(app_home)
    with secret_service(tmp_path / "keyring-home") as keyring:
        ok("history", "encrypt", env=keyring)
        file = tmp_path / "conversations.json"
        ok("history", "export", "--format", "chatgpt", str(file), env=keyring)
        assert "How far is the Moon?" in file.read_text(encoding="utf-8")
        other_home = tmp_path / "other-home"
        other = {**keyring, "HYBRID_DESKTOP_HOME": str(other_home)}
        ok("history", "list", env=other)  # creates the other history, then encrypts it
        ok("history", "encrypt", env=other)
        result = json.loads(ok("history", "import", str(file), "--json", env=other))
        assert result["conversations"] == 2 and result["messages"] == 4
        shown = show_conversation(result["conversation_ids"][0], env=other)
        assert shown["messages"][1]["content"] == "About 384,400 km."
    stored = [p for p in (other_home / "data").iterdir() if p.name.startswith("history.db")]
    assert stored and all(b"384,400" not in p.read_bytes() for p in stored)
