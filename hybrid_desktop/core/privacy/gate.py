"""The privacy gate: nothing leaves the device except text that went through here.

The gate runs the on-device detector over every message of a request, applies the user's policy
per entity type, and replaces what must not leave with placeholders from the conversation's vault:

    replace   the value is sent as a placeholder such as ``<PERSON_1>`` (the default)
    block     the request does not leave the device at all; the local model answers instead
    allow     the value is sent as it is

plus a global "never send anything" switch, and the user's deny-list (terms always treated as
personal data) and allow-list (terms never touched).

The only way to obtain a :class:`RedactedPrompt` is :meth:`PrivacyGate.check`: its constructor
demands a key private to this module, so a cloud client that accepts only ``RedactedPrompt`` cannot
be handed raw text by accident.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from hybrid_desktop.domain import Finding, Replacement

if TYPE_CHECKING:
    from hybrid_desktop.core.privacy.detector import Detector
    from hybrid_desktop.core.privacy.pseudonymize import Vault

log = logging.getLogger(__name__)

ChatMessage = dict[str, str]

_GATE_KEY = object()


@dataclass(frozen=True)
class PrivacyPolicy:
    """What the user chose: an action per entity type, the switch, and the two term lists."""

    actions: Mapping[str, str] = field(default_factory=dict)
    never_send: bool = False
    deny_terms: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()

    def action_for(self, entity_type: str) -> str:
        return self.actions.get(entity_type, "replace")

    @classmethod
    def from_settings(cls, settings: object) -> PrivacyPolicy:
        return cls(
            actions=dict(getattr(settings, "privacy_actions", {}) or {}),
            never_send=bool(getattr(settings, "never_send", False)),
            deny_terms=tuple(getattr(settings, "deny_terms", ()) or ()),
            allow_terms=tuple(getattr(settings, "allow_terms", ()) or ()),
        )


class RedactedPrompt:
    """Chat messages as they may leave the device. Only :class:`PrivacyGate` makes these."""

    __slots__ = ("conversation_id", "messages", "replacements")

    def __init__(
        self,
        messages: Sequence[ChatMessage],
        replacements: Sequence[Replacement],
        conversation_id: int | None,
        *,
        _key: object = None,
    ) -> None:
        if _key is not _GATE_KEY:
            raise TypeError("A RedactedPrompt can only be made by the privacy gate.")
        self.messages: tuple[ChatMessage, ...] = tuple(dict(m) for m in messages)
        self.replacements: tuple[Replacement, ...] = tuple(replacements)
        self.conversation_id = conversation_id

    @property
    def text(self) -> str:
        """The newest message as sent (what the user just typed, redacted)."""
        return self.messages[-1]["content"] if self.messages else ""

    def entity_counts(self) -> dict[str, int]:
        return dict(Counter(r.finding.type for r in self.replacements))

    def __repr__(self) -> str:
        return f"RedactedPrompt({len(self.messages)} messages, {len(self.replacements)} replaced)"


@dataclass(frozen=True)
class GateVerdict:
    """The gate's answer for one request."""

    #: ``send`` (the redacted prompt may go to the cloud) or ``block`` (keep it on the device).
    action: str
    #: One sentence for the user: why it was blocked, or what was replaced.
    reason: str
    #: Every finding in the newest message (offsets into it), whatever its policy.
    findings: tuple[Finding, ...]
    #: The findings that were replaced by placeholders in the newest message.
    replaced: tuple[Finding, ...]
    redacted: RedactedPrompt | None
    original: str
    #: The newest message with the replacements applied, also when blocked (for the preview).
    preview: str

    @property
    def blocked(self) -> bool:
        return self.action == "block"


def describe_counts(counts: Mapping[str, int]) -> str:
    if not counts:
        return "nothing personal found"
    parts = [f"{n} {t.lower().replace('_', ' ')}" for t, n in sorted(counts.items())]
    return "replaced " + ", ".join(parts)


class PrivacyGate:
    """Detection (loaded lazily, off the GUI thread) plus policy plus pseudonymisation."""

    def __init__(
        self,
        policy: PrivacyPolicy | None = None,
        detector_factory: Callable[[], Detector] | None = None,
    ) -> None:
        self.policy = policy or PrivacyPolicy()
        self._factory = detector_factory
        self._detector: Detector | None = None
        self._lock = threading.Lock()
        # The detector serves one caller at a time (the GUI's preview and a turn may overlap).
        self._detect_lock = threading.Lock()

    # loading ---------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._detector is not None

    def load(self) -> Detector:
        """Build the detector (a second or two: spaCy, Presidio, py3langid). Safe to call repeatedly."""
        with self._lock:
            if self._detector is None:
                if self._factory is not None:
                    detector = self._factory()
                    if self.policy.deny_terms or self.policy.allow_terms:
                        detector = detector.with_terms(
                            self.policy.deny_terms, self.policy.allow_terms
                        )
                else:
                    from hybrid_desktop.core.privacy.detector import Detector, DetectorConfig

                    detector = Detector(
                        DetectorConfig(
                            deny_terms=self.policy.deny_terms, allow_terms=self.policy.allow_terms
                        )
                    )
                # One short text loads what the detector loads on first use (the language
                # model), so the user's first prompt does not pay for it. French NER still
                # loads on the first French prompt.
                detector.detect("Warm-up: load the language model before the first prompt.")
                self._detector = detector
            return self._detector

    def set_policy(self, policy: PrivacyPolicy) -> None:
        with self._lock:
            if self._detector is not None and (
                policy.deny_terms != self.policy.deny_terms
                or policy.allow_terms != self.policy.allow_terms
            ):
                self._detector = self._detector.with_terms(policy.deny_terms, policy.allow_terms)
            self.policy = policy

    # checking --------------------------------------------------------------------------------

    def pass_through(
        self, messages: Sequence[ChatMessage], conversation_id: int | None = None
    ) -> RedactedPrompt:
        """The conversation as it is, for a destination the user trusts as this device (an edge
        server marked private): nothing detected, nothing replaced, still audited by the caller."""
        return RedactedPrompt([dict(m) for m in messages], [], conversation_id, _key=_GATE_KEY)

    def analyze(self, text: str) -> list[Finding]:
        """Every finding in ``text`` (no policy applied)."""
        if not text.strip():
            return []
        detector = self.load()
        with self._detect_lock:
            return detector.detect(text)

    def check(
        self,
        messages: Sequence[ChatMessage] | str,
        vault: Vault | None = None,
        conversation_id: int | None = None,
        policy: PrivacyPolicy | None = None,
    ) -> GateVerdict:
        """Decide whether a request may leave, and produce what would be sent.

        ``policy`` replaces the user's own for this check (an edge server's organisation policy);
        the switch "never send anything" holds whatever it says.

        ``messages`` is the conversation as the cloud would get it (the newest message last), or
        one text. Every message is redacted with the same ``vault``, so a value keeps its
        placeholder across turns; pass the conversation's stored vault and save it afterwards.
        """
        from hybrid_desktop.core.privacy.pseudonymize import Vault, pseudonymize

        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        if not messages:
            raise ValueError("nothing to check")
        vault = vault if vault is not None else Vault()
        if policy is None:
            policy = self.policy
        elif self.policy.never_send:
            policy = replace(policy, never_send=True)
        redacted_messages: list[ChatMessage] = []
        all_replacements: list[Replacement] = []
        newest_findings: list[Finding] = []
        newest_replaced: list[Finding] = []
        blocked_types: set[str] = set()
        for index, message in enumerate(messages):
            findings = self.analyze(message["content"])
            to_replace = [f for f in findings if policy.action_for(f.type) != "allow"]
            blocked_types.update(f.type for f in findings if policy.action_for(f.type) == "block")
            text, replacements = pseudonymize(message["content"], to_replace, vault)
            redacted_messages.append({"role": message["role"], "content": text})
            all_replacements.extend(replacements)
            if index == len(messages) - 1:
                newest_findings = findings
                newest_replaced = to_replace
        original = messages[-1]["content"]
        redacted = RedactedPrompt(
            redacted_messages, all_replacements, conversation_id, _key=_GATE_KEY
        )
        if policy.never_send:
            action, reason = "block", "Kept on this device: the “never send anything” switch is on."
        elif blocked_types:
            names = ", ".join(sorted(t.lower().replace("_", " ") for t in blocked_types))
            action = "block"
            reason = f"Kept on this device: the message contains {names}, which your policy blocks."
        else:
            action = "send"
            counts = Counter(f.type for f in newest_replaced)
            reason = f"Privacy: {describe_counts(counts)}."
        if action == "block":
            log.info("gate blocked a request (%s)", ", ".join(sorted(blocked_types)) or "switch")
        return GateVerdict(
            action=action,
            reason=reason,
            findings=tuple(newest_findings),
            replaced=tuple(newest_replaced),
            redacted=redacted if action == "send" else None,
            original=original,
            preview=redacted_messages[-1]["content"],
        )
