"""`ask --private`: a turn that is not kept (the real CLI, the embedded model)."""

from __future__ import annotations

from tests.cli.helpers import ask_json, assert_no_traceback, list_conversations
from tests.conftest import run_cli


def test_ask_private_answers_and_keeps_no_conversation() -> None:
    proc, data = ask_json("--private", "--route", "local", "--max-tokens", "8", "Name a colour.")
    assert proc.returncode == 0, proc.stderr
    assert data["private"] is True and data["conversation_id"] is None
    assert data["route"] == "local" and data["text"]
    assert list_conversations() == []


def test_ask_private_cannot_continue_a_kept_conversation() -> None:
    proc = run_cli("ask", "--private", "--conversation", "1", "hello")
    assert proc.returncode != 0
    assert "private turn cannot continue" in proc.stderr
    assert_no_traceback(proc)
