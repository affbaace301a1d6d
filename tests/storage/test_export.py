"""History export (Markdown, our JSON, ChatGPT's conversations.json) and ChatGPT import, on real
SQLite files, plaintext and SQLCipher-encrypted."""

from __future__ import annotations

import errno
import json
import os
import secrets
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.errors import HistoryFileError, NotFoundError
from hybrid_desktop.storage import chatgpt, cipher, export
from hybrid_desktop.storage.history import HistoryStore

ANSWER = "Sure. Here is a list:\n\n- one\n- two ✓ (Ünïcode, 日本語)\n\n```py\nprint('hi')\n```"


def fill(store: HistoryStore) -> list[int]:
    first = store.start_conversation("What is the capital of Norway?")
    store.add_message(
        first.conversation_id,
        "assistant",
        "Oslo.",
        route="local",
        model="SmolLM2-360M",
        reason="Local: a short factual question.",
        meta={"completion_tokens": 3},
    )
    store.add_message(first.conversation_id, "user", "And of Peru?")
    store.add_message(
        first.conversation_id,
        "assistant",
        "Lima, as far as I",
        status="stopped",
        route="cloud",
        model="claude-sonnet-5-5",
        reason="Cloud: you chose Cloud.",
    )
    second = store.start_conversation("Write me a list\nwith two lines")
    store.add_message(second.conversation_id, "system", "You are terse.")
    store.add_message(second.conversation_id, "assistant", ANSWER, route="edge", model="qwen")
    return [first.conversation_id, second.conversation_id]


def visible(store: HistoryStore, conversation_id: int) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in store.messages(conversation_id) if m.role != "system"]


def counts(store: HistoryStore) -> tuple[int, int]:
    row = store.db.execute(
        "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages)"
    ).fetchone()
    return int(row[0]), int(row[1])


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = HistoryStore(tmp_path / "source" / "history.db")
    yield s
    s.close()


@pytest.fixture
def target(tmp_path: Path) -> Any:
    s = HistoryStore(tmp_path / "target" / "history.db")
    yield s
    s.close()


def test_chatgpt_round_trip_keeps_texts_roles_titles_and_order(
    store: HistoryStore, target: HistoryStore, tmp_path: Path
) -> None:
    ids = fill(store)
    file = tmp_path / "conversations.json"
    export.write_atomically(file, chatgpt.chatgpt_chunks(export.iter_conversations(store)))
    assert json.loads(file.read_text(encoding="utf-8")) == chatgpt.to_chatgpt(
        export.read_conversations(store)
    )

    # The shape ChatGPT writes, read back as plain JSON.
    data = json.loads(file.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 2
    for conversation in data:
        assert {"title", "create_time", "update_time", "mapping", "current_node"} <= set(
            conversation
        )
        assert isinstance(conversation["create_time"], float)
        mapping = conversation["mapping"]
        assert conversation["current_node"] in mapping
        for node_id, node in mapping.items():
            assert node["id"] == node_id and set(node) >= {"message", "parent", "children"}
            if node["message"] is not None:
                message = node["message"]
                assert message["content"]["content_type"] == "text"
                assert isinstance(message["content"]["parts"][0], str)
                assert message["author"]["role"] in ("user", "assistant", "system")
                assert isinstance(message["create_time"], float)

    result = chatgpt.import_file(target, file)
    assert (result.conversations, result.messages, result.skipped) == (2, 6, 0)
    by_title = {c.title: c for c in target.list_conversations()}
    for original_id in ids:
        original = store.get_conversation(original_id)
        copy = by_title[original.title]
        assert visible(target, copy.id) == visible(store, original_id)
        assert copy.created_at == original.created_at
    answers = [m for c in target.list_conversations() for m in target.messages(c.id)]
    stopped = next(m for m in answers if m.content.startswith("Lima"))
    assert (stopped.route, stopped.model, stopped.status) == (
        "cloud",
        "claude-sonnet-5-5",
        "stopped",
    )
    assert stopped.meta["imported_from"] == "chatgpt"

    again = chatgpt.import_file(target, file)  # the same file twice adds nothing
    assert (again.conversations, again.messages, again.skipped) == (0, 0, 2)
    assert counts(target) == (2, 6)


def node(
    node_id: str,
    parent: str | None,
    children: list[str],
    role: str | None = None,
    text: Any = None,
    **message: Any,
) -> dict[str, Any]:
    body = None
    if role is not None:
        body = {
            "id": node_id,
            "author": {"role": role},
            "create_time": message.pop("create_time", 1_700_000_000.5),
            "content": message.pop("content", {"content_type": "text", "parts": [text]}),
            **message,
        }
    return {"id": node_id, "message": body, "parent": parent, "children": children}


def branched_conversation() -> dict[str, Any]:
    """Root, a hidden system prompt, a question answered twice (the first answer then edited
    away), a tool call and its output, an image-only message, an empty one, then the leaf."""
    nodes = [
        node("root", None, ["sys"]),
        node(
            "sys",
            "root",
            ["q1"],
            "system",
            "You are ChatGPT.",
            metadata={"is_visually_hidden_from_conversation": True},
        ),
        node("q1", "sys", ["a1-old", "a1-new"], "user", "Name a prime.", create_time=1_700_000_010),
        node("a1-old", "q1", ["q2-old"], "assistant", "OLD-BRANCH 9."),
        node("q2-old", "a1-old", [], "user", "OLD-BRANCH question"),
        node(
            "a1-new",
            "q1",
            ["tool-call"],
            "assistant",
            "7.",
            metadata={"model_slug": "gpt-4o"},
            create_time=1_700_000_020,
        ),
        node(
            "tool-call",
            "a1-new",
            ["tool-out"],
            "assistant",
            None,
            recipient="python",
            content={"content_type": "code", "language": "python", "text": "print(7)"},
        ),
        node(
            "tool-out",
            "tool-call",
            ["image"],
            "tool",
            None,
            content={"content_type": "execution_output", "text": "7"},
        ),
        node(
            "image",
            "tool-out",
            ["empty"],
            "user",
            None,
            content={
                "content_type": "multimodal_text",
                "parts": [{"content_type": "image_asset_pointer", "asset_pointer": "x"}],
            },
        ),
        node("empty", "image", ["q2"], "assistant", "   "),
        node(
            "q2",
            "empty",
            ["a2"],
            "user",
            None,
            create_time=None,
            content={
                "content_type": "multimodal_text",
                "parts": [{"content_type": "image_asset_pointer"}, "And a larger one?"],
            },
        ),
        node("a2", "q2", [], "assistant", "101.", create_time=1_700_000_040),
    ]
    return {
        "title": "Primes",
        "create_time": 1_700_000_000.0,
        "update_time": 1_700_000_040.0,
        "conversation_id": "c0ffee00-0000-4000-8000-000000000001",
        "mapping": {n["id"]: n for n in nodes},
        "current_node": "a2",
    }


def test_only_the_branch_the_user_saw_comes_in(target: HistoryStore, tmp_path: Path) -> None:
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps([branched_conversation()]), encoding="utf-8")
    result = chatgpt.import_file(target, file)
    assert (result.conversations, result.messages) == (1, 4)
    (conversation,) = target.list_conversations()
    assert conversation.title == "Primes"
    assert conversation.created_at == "2023-11-14T22:13:20.000+00:00"
    assert visible(target, conversation.id) == [
        ("user", "Name a prime."),
        ("assistant", "7."),
        ("user", "And a larger one?"),
        ("assistant", "101."),
    ]
    messages = target.messages(conversation.id)
    assert messages[1].model == "gpt-4o"
    assert messages[2].created_at == messages[1].created_at  # no time of its own
    assert "OLD-BRANCH" not in json.dumps([m.to_json() for m in messages])
    # Exported again, it keeps its ChatGPT id: importing it next to the original adds nothing.
    (again,) = chatgpt.to_chatgpt(export.read_conversations(target))
    assert again["conversation_id"] == "c0ffee00-0000-4000-8000-000000000001"
    assert chatgpt.import_conversations(target, chatgpt.parse([again])).skipped == 1


def test_a_title_is_made_from_the_first_question_when_there_is_none(
    target: HistoryStore,
) -> None:
    conversation = branched_conversation()
    conversation["title"] = None
    conversation["create_time"] = None
    (parsed,) = chatgpt.parse([conversation])
    assert parsed.title == "Name a prime."
    assert parsed.created_at == "2023-11-14T22:13:30.000+00:00"  # its first message's


def broken(change: Any) -> Any:
    good = branched_conversation()
    return change(good)


BAD_DOCUMENTS = {
    "an object": {"conversations": []},
    "a list of text": ["hello"],
    "no mapping": [{"title": "x", "current_node": "a"}],
    "no current node": [{"title": "x", "mapping": {}}],
    "current node missing": [{**branched_conversation(), "current_node": "nowhere"}],
    "a loop": [
        {
            "title": "loop",
            "mapping": {
                "a": {"id": "a", "message": None, "parent": "b", "children": []},
                "b": {"id": "b", "message": None, "parent": "a", "children": []},
            },
            "current_node": "a",
        }
    ],
    "a bad time": [{**branched_conversation(), "create_time": "yesterday"}],
    "no parts": [
        {
            "title": "x",
            "mapping": {"a": node("a", None, [], "user", content={"content_type": "text"})},
            "current_node": "a",
        }
    ],
    "no role": [
        {
            "title": "x",
            "mapping": {"a": {"id": "a", "message": {"content": {}}, "parent": None}},
            "current_node": "a",
        }
    ],
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_a_file_of_the_wrong_shape_imports_nothing(
    name: str, target: HistoryStore, tmp_path: Path
) -> None:
    fill(target)
    before = counts(target)
    # A good conversation first: it must not come in either.
    document = BAD_DOCUMENTS[name]
    if isinstance(document, list):
        document = [branched_conversation(), *document]
    file = tmp_path / "conversations.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(HistoryFileError) as caught:
        chatgpt.import_file(target, file)
    assert "nothing was imported" in caught.value.hint
    assert "Traceback" not in caught.value.user_text()
    assert counts(target) == before


@pytest.mark.parametrize(
    "content",
    [b"[{", b"\xff\xfe not text", b"", b"[" * 100_000 + b"]" * 100_000],
    ids=["truncated", "not utf-8", "empty", "deep"],
)
def test_a_file_that_is_not_json_imports_nothing(
    content: bytes, target: HistoryStore, tmp_path: Path
) -> None:
    file = tmp_path / "conversations.json"
    file.write_bytes(content)
    with pytest.raises(HistoryFileError) as caught:
        chatgpt.import_file(target, file)
    assert str(file) in caught.value.message
    assert counts(target) == (0, 0)


def test_chatgpts_zip_imports_and_our_json_is_recognised(
    target: HistoryStore, tmp_path: Path
) -> None:
    import zipfile

    archive = tmp_path / "chatgpt-export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("chat.html", "<html></html>")
        z.writestr("conversations.json", json.dumps([branched_conversation()]))
    assert chatgpt.import_file(target, archive).messages == 4

    ours = tmp_path / "ours.json"
    export.write_atomically(ours, export.json_chunks([]))
    assert json.loads(ours.read_text(encoding="utf-8"))["conversations"] == []
    with pytest.raises(HistoryFileError, match="Hybrid Desktop JSON export"):
        chatgpt.import_file(target, ours)


def test_markdown_and_json_exports_hold_the_stored_messages(store: HistoryStore) -> None:
    _first, second = fill(store)
    markdown = export.to_markdown(export.read_conversations(store))
    assert markdown.index("# What is the capital of Norway?") < markdown.index("# Write me a list")
    assert "## Assistant · local · SmolLM2-360M" in markdown
    assert "## Assistant · cloud · claude-sonnet-5-5 · stopped" in markdown
    assert "> Local: a short factual question." in markdown
    assert ANSWER in markdown

    one = export.to_json(export.read_conversations(store, second))
    assert one["format"] == "hybrid-desktop.history" and one["version"] == 1
    (conversation,) = one["conversations"]
    assert (
        conversation["id"] == second and conversation["title"] == "Write me a list with two lines"
    )
    roles = [(m["role"], m["content"], m["route"], m["model"]) for m in conversation["messages"]]
    assert roles == [
        ("user", "Write me a list\nwith two lines", None, None),
        ("system", "You are terse.", None, None),
        ("assistant", ANSWER, "edge", "qwen"),
    ]
    everything = export.to_json(export.read_conversations(store))
    stored = everything["conversations"][0]["messages"][1]
    assert stored["reason"] == "Local: a short factual question."
    assert stored["meta"] == {"completion_tokens": 3}
    assert set(stored) == {
        "id",
        "role",
        "content",
        "status",
        "created_at",
        "route",
        "reason",
        "model",
        "meta",
    }
    with pytest.raises(NotFoundError):
        export.read_conversations(store, 999)
    assert export.to_markdown([]) == "_No conversations._\n"


def test_an_export_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target_file = tmp_path / "out.md"
    target_file.write_text("the older export", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(HistoryFileError, match="disk is full"):
        export.write_atomically(target_file, "new text")
    assert target_file.read_text(encoding="utf-8") == "the older export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]
    monkeypatch.undo()

    export.write_atomically(target_file, "new text ✓")
    assert target_file.read_text(encoding="utf-8") == "new text ✓"
    assert (target_file.stat().st_mode & 0o777) == 0o600  # private history
    with pytest.raises(HistoryFileError, match="does not exist"):
        export.write_atomically(tmp_path / "missing" / "out.md", "x")


def encrypted_store(path: Path) -> HistoryStore:
    """A real SQLCipher history, keyed in this process (the keyring is tested elsewhere)."""
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = cipher.sqlcipher().connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE seed (x)")
    conn.execute("DROP TABLE seed")
    conn.commit()
    conn.close()
    cipher.remember_key(path, key)
    assert cipher.is_encrypted(path)
    return HistoryStore(path)


def test_export_and_import_on_an_encrypted_history(tmp_path: Path) -> None:
    source = encrypted_store(tmp_path / "enc-source" / "history.db")
    sink = encrypted_store(tmp_path / "enc-target" / "history.db")
    try:
        fill(source)
        file = tmp_path / "conversations.json"
        export.write_atomically(file, chatgpt.chatgpt_chunks(export.iter_conversations(source)))
        result = chatgpt.import_file(sink, file)
        assert (result.conversations, result.messages) == (2, 6)
        titles = sorted(c.title for c in sink.list_conversations())
        assert titles == ["What is the capital of Norway?", "Write me a list with two lines"]
    finally:
        source.close()
        sink.close()
    for folder in ("enc-source", "enc-target"):
        for stored in (tmp_path / folder).iterdir():
            assert b"capital of Norway" not in stored.read_bytes(), stored
