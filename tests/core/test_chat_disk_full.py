"""One turn on a real full disk (a tmpfs filled until ENOSPC), with the real embedded model and a
real SQLite file: no empty conversation is left behind, and an answer that streamed but could not
be stored is returned, kept in memory, and written once there is space."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import ChatService, TurnRequest
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.storage.history import HistoryStore
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (the fixture)


@pytest.fixture
def store(full_disk: FullDisk) -> Iterator[HistoryStore]:  # noqa: F811
    (full_disk.home / "data").mkdir(parents=True)
    history = HistoryStore(full_disk.home / "data" / "history.db")
    yield history
    full_disk.free()
    history.close()


def _service(engine: object, history: HistoryStore) -> ChatService:
    return ChatService(engine, history, Settings(max_tokens=4))  # type: ignore[arg-type]


def test_a_turn_that_cannot_be_stored_leaves_no_empty_conversation(
    engine: object,
    store: HistoryStore,
    full_disk: FullDisk,  # noqa: F811
) -> None:
    service = _service(engine, store)
    refused = 0
    # From no space at all to enough for the question: whichever write the disk stops, a
    # conversation either holds the question or does not exist.
    for pages in range(0, 12):
        full_disk.leave(pages)
        try:
            result = service.ask(TurnRequest(prompt=f"Say hello number {pages}.", route="local"))
        except HybridDesktopError as exc:
            refused += 1
            assert "disk is full" in exc.message.lower(), exc.message
            result = None
        full_disk.free()
        for conversation in store.list_conversations():
            messages = store.messages(conversation.id)
            assert messages and messages[0].role == "user", (
                f"conversation {conversation.id} was left without its question ({pages} pages free)"
            )
            assert conversation.title != "New conversation"
        if result is not None and result.saved:
            break  # enough space for the whole turn: more pages would only do the same
    assert refused, "the disk never refused a turn: the test did not test anything"


def test_an_answer_that_streamed_is_kept_and_saved_when_space_returns(
    engine: object,
    store: HistoryStore,
    full_disk: FullDisk,  # noqa: F811
) -> None:
    service = ChatService(engine, store, Settings(max_tokens=24))  # type: ignore[arg-type]
    streamed: list[str] = []

    def fill_at_first_token(text: str) -> None:
        if not streamed:
            full_disk.fill()  # the question is stored; now the disk is full
        streamed.append(text)

    result = service.ask(
        TurnRequest(prompt="Name three colours.", route="local"), on_text=fill_at_first_token
    )
    assert result.text and result.text == "".join(streamed)
    assert result.saved is False
    assert result.assistant_message_id is None
    assert any("disk is full" in n for n in result.notices), result.notices
    conversation_id = result.conversation_id

    # Still in memory: reads show it, marked as not saved.
    shown = store.messages(conversation_id)
    assert [(m.role, m.saved) for m in shown] == [("user", True), ("assistant", False)]
    assert shown[-1].content == result.text

    # A new question cannot go after an answer that is not saved yet: refused, nothing stored.
    with pytest.raises(HybridDesktopError, match="disk is full"):
        service.ask(TurnRequest(prompt="And three fruits?", conversation_id=conversation_id))

    full_disk.free()
    assert store.save_unsaved() == 1
    stored = store.messages(conversation_id)
    assert [(m.role, m.content, m.saved) for m in stored] == [
        ("user", "Name three colours.", True),
        ("assistant", result.text, True),
    ]
    assert stored[-1].id > stored[0].id and stored[-1].status == "complete"
    assert len(store.unsaved) == 0


def test_the_next_write_saves_what_waited_first(
    engine: object,
    store: HistoryStore,
    full_disk: FullDisk,  # noqa: F811
) -> None:
    service = ChatService(engine, store, Settings(max_tokens=12))  # type: ignore[arg-type]
    filled: list[bool] = []

    def fill_once(_text: str) -> None:
        if not filled:
            filled.append(True)
            full_disk.fill()

    first = service.ask(TurnRequest(prompt="Say yes.", route="local"), on_text=fill_once)
    assert first.saved is False
    full_disk.free()
    second = service.ask(
        TurnRequest(prompt="Say no.", conversation_id=first.conversation_id, route="local")
    )
    assert second.saved is True
    roles = [(m.role, m.saved) for m in store.messages(first.conversation_id)]
    assert roles == [("user", True), ("assistant", True), ("user", True), ("assistant", True)]
    contents = [m.content for m in store.messages(first.conversation_id)]
    assert contents[1] == first.text and contents[2] == "Say no."


def test_a_cloud_answer_that_streamed_is_kept_when_the_disk_fills(
    engine: object,
    store: HistoryStore,
    full_disk: FullDisk,  # noqa: F811
    privacy_gate: object,
    fake_api: object,
) -> None:
    """The cloud tier writes its usage row after the answer, so a disk that fills mid-answer
    costs the usage row (with a notice), never the answer the user saw."""
    from hybrid_desktop.core.chat import cloud_tier_from

    fake_api.set(reply="Red, green and blue.", chunk_size=4)  # type: ignore[attr-defined]
    settings = Settings(max_tokens=24)
    service = ChatService(
        engine,  # type: ignore[arg-type]
        store,
        settings,
        cloud=cloud_tier_from(settings, privacy_gate),  # type: ignore[arg-type]
    )
    streamed: list[str] = []

    def fill_at_first_token(text: str) -> None:
        if not streamed:
            full_disk.fill()
        streamed.append(text)

    result = service.ask(
        TurnRequest(prompt="Name three colours.", route="cloud"), on_text=fill_at_first_token
    )
    assert result.route == "cloud" and result.text == "Red, green and blue."
    assert result.saved is False
    assert any("disk is full" in n for n in result.notices), result.notices
    full_disk.free()
    assert store.save_unsaved() == 1
    assert [m.content for m in store.messages(result.conversation_id)][-1] == result.text
