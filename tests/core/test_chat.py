"""A whole turn through the chat service: real model, real SQLite file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnRequest
from hybrid_desktop.core.engines.local import LocalEngine
from hybrid_desktop.errors import (
    ContextOverflowError,
    EmptyPromptError,
    NotFoundError,
    RouteUnavailableError,
)
from hybrid_desktop.storage.history import HistoryStore


@pytest.fixture
def service(engine: LocalEngine, history: HistoryStore) -> ChatService:
    return ChatService(engine, history, Settings(max_tokens=24))


def test_turn_is_stored_and_streamed(service: ChatService, history: HistoryStore) -> None:
    pieces: list[str] = []
    stored: list[int] = []
    result = service.ask(
        TurnRequest("What is the capital of France?"),
        on_text=pieces.append,
        on_stored=stored.append,
    )
    assert result.status == "complete"
    assert result.route == "local" and result.reason.startswith("Local:")
    assert "".join(pieces) == result.text
    assert stored == [result.conversation_id]
    messages = history.messages(result.conversation_id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[0].content == "What is the capital of France?"
    assert messages[1].content == result.text
    assert messages[1].model == result.model and messages[1].route == "local"
    assert messages[1].meta["completion_tokens"] == result.stats.completion_tokens
    assert history.get_conversation(result.conversation_id).title == (
        "What is the capital of France?"
    )


def test_user_message_is_committed_before_the_answer(
    service: ChatService, history: HistoryStore, tmp_path: Path
) -> None:
    seen_by_other_connection: list[list[str]] = []

    def on_text(_text: str) -> None:
        if not seen_by_other_connection:
            other = HistoryStore(tmp_path / "history.db")
            conversation = other.list_conversations()[0]
            seen_by_other_connection.append([m.role for m in other.messages(conversation.id)])
            other.close()

    service.ask(TurnRequest("Name a fruit."), on_text=on_text)
    assert seen_by_other_connection == [["user"]]


def test_follow_up_turn_sees_the_history(service: ChatService, history: HistoryStore) -> None:
    first = service.ask(TurnRequest("My name is Ada. Say hi."))
    second = service.ask(TurnRequest("What is my name?", conversation_id=first.conversation_id))
    assert second.conversation_id == first.conversation_id
    assert second.stats.cached_tokens > 0
    assert second.stats.prompt_tokens > first.stats.prompt_tokens
    assert len(history.messages(first.conversation_id)) == 4


def test_stopped_answer_is_kept_and_marked(service: ChatService, history: HistoryStore) -> None:
    request = TurnRequest("Write a long story about a dragon.", max_tokens=300)
    count = 0

    def on_text(_text: str) -> None:
        nonlocal count
        count += 1
        if count == 5:
            request.cancel.set()

    result = service.ask(request, on_text=on_text)
    assert result.status == "stopped"
    messages = history.messages(result.conversation_id)
    assert messages[-1].status == "stopped"
    assert messages[-1].content == result.text and result.text


@pytest.mark.parametrize("prompt", ["", "   ", "\n\t"])
def test_empty_prompt_is_refused_and_nothing_stored(
    service: ChatService, history: HistoryStore, prompt: str
) -> None:
    with pytest.raises(EmptyPromptError):
        service.ask(TurnRequest(prompt))
    assert history.list_conversations() == []


def test_cloud_route_is_refused_before_anything_is_stored(
    service: ChatService, history: HistoryStore
) -> None:
    with pytest.raises(RouteUnavailableError) as info:
        service.ask(TurnRequest("hello", route="cloud"))
    assert "cloud" in info.value.message.lower()
    assert history.list_conversations() == []


def test_unknown_conversation(service: ChatService, history: HistoryStore) -> None:
    with pytest.raises(NotFoundError):
        service.ask(TurnRequest("hello", conversation_id=42))
    assert history.list_conversations() == []


def test_context_overflow_drops_old_turns_with_a_notice(
    embedded_model: Path, history: HistoryStore
) -> None:
    engine = LocalEngine.load(embedded_model, n_ctx=512, n_threads=2)
    try:
        service = ChatService(engine, history, Settings(max_tokens=32))
        conversation = history.create_conversation()
        filler = "The quick brown fox jumps over the lazy dog. " * 12  # ~120 tokens
        for i in range(6):
            history.add_message(conversation.id, "user", f"Turn {i}: {filler}")
            history.add_message(conversation.id, "assistant", f"Answer {i}: {filler}")
        notices: list[str] = []
        result = service.ask(
            TurnRequest("Summarise in one line.", conversation_id=conversation.id),
            on_notice=notices.append,
        )
        assert result.status == "complete"
        assert result.dropped_messages > 0 and result.dropped_messages % 2 == 0
        assert notices and "oldest" in notices[0] and "512" in notices[0]
        assert result.notices[0] == notices[0]
        assert result.stats.prompt_tokens + result.stats.completion_tokens <= 512
        # Nothing is deleted from history: only the model's view is trimmed.
        assert len(history.messages(conversation.id)) == 14
    finally:
        engine.close()


def test_a_message_longer_than_the_context_is_refused_intact(
    embedded_model: Path, history: HistoryStore
) -> None:
    engine = LocalEngine.load(embedded_model, n_ctx=256, n_threads=2)
    try:
        service = ChatService(engine, history, Settings(max_tokens=32))
        with pytest.raises(ContextOverflowError) as info:
            service.ask(TurnRequest("word " * 400))
        assert "256" in info.value.message
        assert history.list_conversations() == []
    finally:
        engine.close()


def test_turns_from_two_threads_are_serialised_by_sqlite(
    engine: LocalEngine, tmp_path: Path
) -> None:
    """The GUI reads and renames on its connection while the worker writes on its own."""
    path = tmp_path / "shared.db"
    reader = HistoryStore(path)
    conversation = reader.create_conversation()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            store = HistoryStore(path)
            ChatService(engine, store, Settings(max_tokens=8)).ask(
                TurnRequest("hi", conversation_id=conversation.id)
            )
            store.close()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    for i in range(50):
        reader.rename_conversation(conversation.id, f"title {i}")
        reader.list_conversations()
    thread.join(60)
    assert not errors
    assert len(reader.messages(conversation.id)) == 2
    reader.close()
