"""Found by the fuzzing (issue 14): three of the privacy gate's patterns took quadratic time on a
long run without spaces, each retried from every position of the run:

- the secrets "code word" pattern on a long word (its optional word before "code"): 200,000
  letters took over two minutes through the gate;
- the username labels on "x.x.x…" (the dotted prefix before "user:"): over four minutes;
- the street-name morpheme pattern on "ab-ab-…" (a word before "straße", "gasse" …): over five
  minutes, and 2.7 s for only 4,000 characters.

Each recognizer now reads a 200,000-character run in seconds or less (bounds here are
generous: they prove "does not take minutes"), and the gate reads the long word in seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from hybrid_desktop.core.privacy.gate import PrivacyGate
from hybrid_desktop.core.privacy.recognizers.addresses import AddressRecognizer
from hybrid_desktop.core.privacy.recognizers.secret_prose import Prose
from hybrid_desktop.core.privacy.recognizers.usernames import UsernameRecognizer

SIZE = 200_000


def _run(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def _prose(text: str) -> object:
    return list(Prose().spans(text))


def _usernames(text: str) -> object:
    return UsernameRecognizer().analyze(text, ["USERNAME"])


def _addresses(text: str) -> object:
    return AddressRecognizer().analyze(text, ["STREET_ADDRESS"])


@pytest.mark.parametrize(
    ("read", "unit"),
    [
        (_prose, "x"),
        (_usernames, "x."),
        (_addresses, "ab-"),
        (_addresses, "Ab-"),
    ],
)
def test_a_long_run_without_spaces_is_read_in_linear_time(
    read: Callable[[str], object], unit: str
) -> None:
    text = _run(unit)
    started = time.perf_counter()
    read(text)
    took = time.perf_counter() - started
    assert took < 60, f"{took:.0f} s for {SIZE:,} characters of {unit!r}"


def test_the_gate_reads_a_long_word_in_seconds(privacy_gate: PrivacyGate) -> None:
    text = _run("x")
    started = time.perf_counter()
    verdict = privacy_gate.check(text)
    took = time.perf_counter() - started
    assert verdict.preview == text  # nothing personal in it
    assert took < 60, f"{took:.0f} s"  # 136 s before, on a loaded machine


def test_the_patterns_still_find_what_they_found(privacy_gate: PrivacyGate) -> None:
    text = "db.primary.username: jnowak\nHaustür: Code 7351\nWir wohnen Lindenstraße 12.\n"
    found = {(f.type, f.text) for f in privacy_gate.analyze(text)}
    assert ("USERNAME", "jnowak") in found
    assert ("SECRET", "7351") in found
    assert any(t == "STREET_ADDRESS" and "Lindenstraße 12" in v for t, v in found), found
