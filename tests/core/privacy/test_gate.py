"""The gate's policies and its RedactedPrompt type. A fake detector makes the policy tests exact;
the real detector path is tested in test_gate_real.py and the detector's own tests."""

from __future__ import annotations

import re

import pytest

from hybrid_desktop.core.privacy.gate import PrivacyGate, PrivacyPolicy, RedactedPrompt
from hybrid_desktop.core.privacy.pseudonymize import Vault
from hybrid_desktop.domain import Finding

PATTERNS = {
    "PERSON": r"\b(?:Alice Martin|Bob|Priya)\b",
    "EMAIL_ADDRESS": r"\b[\w.]+@[\w.]+\b",
    "SECRET": r"\bsk-[A-Za-z0-9]{10,}\b",
}


class FakeDetector:
    """Finds a fixed set of values: exact offsets, no model."""

    model_name = "fake"

    def __init__(self, deny: tuple[str, ...] = ()) -> None:
        self.deny = deny

    def detect(self, text: str) -> list[Finding]:
        found = []
        for entity_type, pattern in PATTERNS.items():
            for m in re.finditer(pattern, text):
                found.append(Finding(entity_type, m.start(), m.end(), 0.9, m.group()))
        for term in self.deny:
            for m in re.finditer(re.escape(term), text, re.IGNORECASE):
                found.append(Finding("CUSTOM", m.start(), m.end(), 1.0, m.group()))
        return sorted(found, key=lambda f: f.start)

    def with_terms(self, deny: tuple[str, ...], allow: tuple[str, ...]) -> FakeDetector:
        return FakeDetector(deny)


def gate(**policy: object) -> PrivacyGate:
    return PrivacyGate(PrivacyPolicy(**policy), detector_factory=FakeDetector)  # type: ignore[arg-type]


def test_replace_is_the_default_and_offsets_refer_to_the_original() -> None:
    text = "Email Alice Martin at alice@example.com about the report."
    verdict = gate().check(text)
    assert verdict.action == "send" and not verdict.blocked
    assert verdict.redacted is not None
    sent = verdict.redacted.text
    assert "Alice Martin" not in sent and "alice@example.com" not in sent
    assert "<PERSON_1>" in sent and "<EMAIL_ADDRESS_1>" in sent
    assert [(f.type, text[f.start : f.end]) for f in verdict.replaced] == [
        ("PERSON", "Alice Martin"),
        ("EMAIL_ADDRESS", "alice@example.com"),
    ]
    assert verdict.redacted.entity_counts() == {"PERSON": 1, "EMAIL_ADDRESS": 1}
    assert "person" in verdict.reason and "email address" in verdict.reason


def test_text_without_findings_goes_out_unchanged() -> None:
    verdict = gate().check("What is the capital of France?")
    assert verdict.redacted is not None
    assert verdict.redacted.text == "What is the capital of France?"
    assert verdict.replaced == ()
    assert verdict.reason == "Privacy: nothing personal found."


def test_block_policy_keeps_the_request_local() -> None:
    verdict = gate(actions={"SECRET": "block"}).check("my key is sk-abcdefghijkl, Bob")
    assert verdict.blocked and verdict.redacted is None
    assert "secret" in verdict.reason and "blocks" in verdict.reason
    # The preview still shows what would have been sent.
    assert "sk-abcdefghijkl" not in verdict.preview


def test_allow_policy_sends_the_value_as_it_is() -> None:
    verdict = gate(actions={"PERSON": "allow"}).check("Ask Bob for alice@example.com")
    assert verdict.redacted is not None
    assert verdict.redacted.text == "Ask Bob for <EMAIL_ADDRESS_1>"
    assert [f.type for f in verdict.findings] == ["PERSON", "EMAIL_ADDRESS"]
    assert [f.type for f in verdict.replaced] == ["EMAIL_ADDRESS"]


def test_never_send_switch_blocks_everything() -> None:
    verdict = gate(never_send=True).check("What is 2 + 2?")
    assert verdict.blocked and verdict.redacted is None
    assert "never send" in verdict.reason


def test_deny_list_terms_are_replaced() -> None:
    g = gate()
    g.set_policy(PrivacyPolicy(deny_terms=("Project Falcon",)))
    g.load()
    verdict = g.check("Status update on project falcon for Bob")
    assert verdict.redacted is not None
    assert verdict.redacted.text == "Status update on <CUSTOM_1> for <PERSON_1>"


def test_same_value_keeps_its_placeholder_across_turns() -> None:
    g = gate()
    vault = Vault()
    first = g.check("Write to Priya at p@x.org", vault)
    later = g.check(
        [
            {"role": "user", "content": "Write to Priya at p@x.org"},
            {"role": "assistant", "content": "Done, I wrote to <PERSON_1>."},
            {"role": "user", "content": "Now cc Bob and Priya"},
        ],
        vault,
    )
    assert first.redacted is not None and later.redacted is not None
    assert later.redacted.messages[0]["content"] == first.redacted.text
    assert later.redacted.text == "Now cc <PERSON_2> and <PERSON_1>"


def test_a_redacted_prompt_cannot_be_made_outside_the_gate() -> None:
    with pytest.raises(TypeError):
        RedactedPrompt([{"role": "user", "content": "raw text"}], [], None)
    with pytest.raises(TypeError):
        RedactedPrompt([{"role": "user", "content": "raw"}], [], None, _key=object())


def test_the_detector_loads_once_and_lazily() -> None:
    built: list[int] = []

    def factory() -> FakeDetector:
        built.append(1)
        return FakeDetector()

    g = PrivacyGate(detector_factory=factory)  # type: ignore[arg-type]
    assert not g.loaded and built == []
    g.check("Bob")
    g.check("Bob")
    assert g.loaded and built == [1]
