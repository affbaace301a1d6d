"""Properties of the privacy gate, checked with hypothesis on generated text.

(a) pseudonymise then restore gives the text back, with findings from the real detector and with
    arbitrary non-overlapping findings; (b) personal data and secrets generated into arbitrary
    surrounding text never reach the text the gate would send; (c) a streamed reply is restored
    exactly like the whole reply, for every chunking.
"""

from __future__ import annotations

import itertools
import random
import string

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.gate import PrivacyGate
from hybrid_desktop.core.privacy.pseudonymize import StreamRestorer, Vault, pseudonymize, restore
from hybrid_desktop.core.privacy.vault import normalize_value
from hybrid_desktop.domain import ENTITY_TYPES, Finding

_FIXTURE = [HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def gate(detector: Detector) -> PrivacyGate:
    return PrivacyGate(detector_factory=lambda: detector)


# -- text -------------------------------------------------------------------------------------

#: Fragments that stress the placeholder grammar: brackets, escapes, entity names, digits.
_FRAGMENTS = st.sampled_from(
    [
        "<", ">", "\\", "_", "&lt;", "&gt;", " ", "\n", "PERSON", "person", "Person", "_1", "1",
        "12", "EMAIL_ADDRESS", "<PERSON_1>", "PERSON_2", "\\<", "\\_", "C:\\Users\\", "é", "日本",
    ]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=25).map("".join)


@st.composite
def _spans(draw: st.DrawFn, text: str) -> list[tuple[int, int]]:
    """Random disjoint spans of ``text`` that hold something other than whitespace."""
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    spans = []
    for a, b in itertools.pairwise(cuts):
        if draw(st.booleans()) and text[a:b].strip():
            spans.append((a, b))
    return spans


def _canonical(text: str, findings: list[Finding]) -> str:
    """The text with each value spelled as the first value that shares its placeholder.

    Two spellings of one value ("Ada Lovelace", "ada  lovelace") share a placeholder by design,
    so restoring gives the first spelling back for both.
    """
    first: dict[tuple[str, str], str] = {}
    out, cursor = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        value = first.setdefault((f.type, normalize_value(f.type, f.text)), f.text)
        out += [text[cursor : f.start], value]
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out)


# -- (a) pseudonymise then restore --------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(data=st.data(), text=_TEXT)
@example(data=None, text="C:\\Users\\jsmith")  # a backslash right before a value
@example(data=None, text="Use PERSON_1 as the slot for Ada")  # the text holds a placeholder
def test_pseudonymise_then_restore_gives_the_text_back(data: st.DataObject, text: str) -> None:
    if data is None:  # the explicit examples: replace the last word
        start = max(text.rfind("\\"), text.rfind(" ")) + 1
        spans = [(start, len(text))]
    else:
        spans = data.draw(_spans(text))
    types = sorted(ENTITY_TYPES)
    findings = [Finding(types[(a * 7 + b) % len(types)], a, b, 0.9, text[a:b]) for a, b in spans]
    vault = Vault()
    sent, replacements = pseudonymize(text, findings, vault)
    assert len(replacements) == len(findings)
    assert restore(sent, vault) == _canonical(text, findings)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=8).filter(str.strip), min_size=1, max_size=6))
def test_distinct_values_come_back_exactly(values: list[str]) -> None:
    """When no two values share a placeholder, restoring is exactly the identity."""
    keys = {normalize_value("PERSON", v) for v in values}
    assume(len(keys) == len(values))
    text, findings = "", []
    for v in values:
        text += "; "
        findings.append(Finding("PERSON", len(text), len(text) + len(v), 0.9, v))
        text += v
    vault = Vault()
    sent, _ = pseudonymize(text, findings, vault)
    assert restore(sent, vault) == text


_PROSE = st.lists(
    st.sampled_from(
        [
            "Ada Lovelace", "Karen Whitfield", "Jürgen Müller", "Renée Dubois", "María Fernández",
            "karen.whitfield@example.com", "+44 20 7946 0958", "221B Baker Street, London",
            "DE89 3704 0044 0532 0130 00", "AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111",
            "wrote", "to", "and", "called", "the", "meeting", "in", "Berlin", "Paris", "is",
            "at", "\n", ",", ".", ":", "(", ")", '"', "<PERSON_1>", "\\n", "C:\\Users\\",
        ]
    ),
    min_size=1,
    max_size=30,
).map(" ".join)  # fmt: skip


@settings(max_examples=50, deadline=None, suppress_health_check=_FIXTURE)
@given(text=_PROSE)
def test_detector_findings_round_trip(detector: Detector, text: str) -> None:
    findings = detector.detect(text)
    vault = Vault()
    sent, _ = pseudonymize(text, findings, vault)
    assert restore(sent, vault) == _canonical(text, findings)


# -- (b) generated personal data never reaches the cloud ------------------------------------------


def _luhn_complete(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # these double once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


@st.composite
def _card(draw: st.DrawFn) -> str:
    prefix, length = draw(st.sampled_from([("4", 16), ("51", 16), ("55", 16), ("37", 15)]))
    body = prefix + "".join(
        draw(
            st.lists(
                st.sampled_from(string.digits),
                min_size=length - 1 - len(prefix),
                max_size=length - 1 - len(prefix),
            )
        )
    )
    number = _luhn_complete(body)
    style = draw(st.sampled_from(["plain", " ", "-"]))
    if style == "plain":
        return number
    groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    return style.join(groups)


#: Country, BBAN shape (a = capital letter, n = digit).
_IBAN_SHAPES = {
    "DE": "n" * 18,
    "FR": "n" * 23,
    "ES": "n" * 20,
    "IT": "a" + "n" * 22,
    "NL": "aaaa" + "n" * 10,
    "GB": "aaaa" + "n" * 14,
    "PL": "n" * 24,
}


@st.composite
def _iban(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(_IBAN_SHAPES)))
    bban = "".join(
        draw(st.sampled_from(string.ascii_uppercase if c == "a" else string.digits))
        for c in _IBAN_SHAPES[country]
    )
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    check = 98 - int(numeric) % 97
    iban = f"{country}{check:02d}{bban}"
    if draw(st.booleans()):
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


@st.composite
def _phone(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["GB", "DE", "FR", "US", "ES", "IT", "PL", "NL", "IN", "BR"]))
    kind = draw(
        st.sampled_from(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
    )
    sample = phonenumbers.example_number_for_type(region, kind)
    assert sample is not None
    national = str(sample.national_number)
    tail = draw(st.integers(0, 9999))
    sample.national_number = int(national[:-4] + f"{tail:04d}")
    assume(phonenumbers.is_valid_number(sample))
    return phonenumbers.format_number(sample, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_LOWER = string.ascii_lowercase + string.digits
_EMAIL = st.builds(
    lambda user, sep, user2, host, tld: f"{user}{sep}{user2}@{host}.{tld}",
    st.text(_LOWER, min_size=1, max_size=10),
    st.sampled_from(["", ".", "_", "-"]),
    st.text(_LOWER, min_size=1, max_size=8),
    st.text(string.ascii_lowercase, min_size=2, max_size=12),
    st.sampled_from(["com", "org", "net", "de", "fr", "io", "pl", "co.uk"]),
)
_AWS_KEY = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(["AKIA", "ASIA"]),
    st.text(string.ascii_uppercase + "234567", min_size=16, max_size=16),
)
_WORD = st.text(st.characters(categories=["L", "N"], max_codepoint=0x2FFF), min_size=1, max_size=12)
_SEPARATOR = st.sampled_from([" ", ", ", ". ", ": ", "; ", " - ", "\n", " (", ") ", ' "', '" '])


@st.composite
def _message(draw: st.DrawFn) -> tuple[str, list[str]]:
    values = draw(
        st.lists(st.one_of(_EMAIL, _card(), _iban(), _AWS_KEY, _phone()), min_size=1, max_size=3)
    )
    pieces = draw(st.lists(_WORD, max_size=12))
    for value in values:
        pieces.insert(draw(st.integers(0, len(pieces))), value)
    text = pieces[0]
    for before, piece in itertools.pairwise(pieces):
        separator = draw(_SEPARATOR)
        if before in values and piece in values and separator in (" ", " - ", " ("):
            separator = ", "  # two numbers glued by phone punctuation: the xfail test below
        text += separator + piece
    return text, values


@settings(max_examples=60, deadline=None, suppress_health_check=_FIXTURE)
@given(_message())
def test_generated_personal_data_never_reaches_the_payload(
    gate: PrivacyGate, message: tuple[str, list[str]]
) -> None:
    text, values = message
    verdict = gate.check(text)
    assert verdict.redacted is not None
    sent = verdict.redacted.text
    for value in values:
        assert value not in sent, (value, [(f.type, f.text) for f in verdict.findings])


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+44 7400 120000 00@aa.com", "+44 7400 120000"),
        ("+44 7400 120000 0", "+44 7400 120000"),
        ("+44 7400 120000 0 0", "+44 7400 120000"),
        ("Tel. 030 1234567 1 2 3", "030 1234567"),
        ("+44 7400 120000 - 0", "+44 7400 120000"),
        ("Rückruf unter +44 7700 900123 (2x versucht)", "+44 7700 900123"),
    ],
)
def test_a_phone_followed_by_digits_is_replaced(gate: PrivacyGate, text: str, phone: str) -> None:
    """Found by the property above: a phone and the digits after it read as one invalid number."""
    verdict = gate.check(text)
    assert verdict.redacted is not None and phone not in verdict.redacted.text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("visa 4539148803436467 12/27", "4539148803436467"),
        ("Card: 4539 1488 0343 6467 09/27 CVV 123", "6467"),
        ("5100000000000008 0", "5100000000000008"),
        ("+44 7400 120000 370000000000002", "+44 7400 120000"),
        ("IBAN ES55 0000 0000 0000 0000 0001 0", "ES55 0000 0000 0000 0000 0001"),
    ],
)
def test_a_number_followed_by_digits_is_replaced(gate: PrivacyGate, text: str, value: str) -> None:
    """Found by the property above: a card, IBAN or phone, then an expiry date or any number.

    (Fixed in the recognizers while this file was written; kept as a regression test.)"""
    verdict = gate.check(text)
    assert verdict.redacted is not None and value not in verdict.redacted.text


@pytest.mark.xfail(
    strict=True,
    reason="a card number right after a phone, with only a space between, is read as part of "
    "one digit run and missed",
)
def test_a_card_glued_to_a_phone_is_replaced(gate: PrivacyGate) -> None:
    """Found by the property above (the property now puts a comma between two values)."""
    verdict = gate.check("+33 6 12 34 00 01 4000000000000002")
    assert verdict.redacted is not None and "4000000000000002" not in verdict.redacted.text


# -- (c) streamed restoration ------------------------------------------------------------------


def _vault() -> Vault:
    vault = Vault()
    for entity_type, value in [
        ("PERSON", "Ada Lovelace"),
        ("PERSON", "Grace Hopper"),
        ("EMAIL_ADDRESS", "ada@example.com"),
        ("PHONE_NUMBER", "+44 20 7946 0958"),
        ("STREET_ADDRESS", "12 rue des Lilas"),
        ("SECRET", "sk-live-123"),
    ]:
        vault.placeholder_for(entity_type, value)
    return vault


_REPLY_BITS = st.sampled_from(
    [
        "<PERSON_1>", "<PERSON_2>", "<PERSON_12>", "< PERSON_1 >", "\\<PERSON\\_2\\>",
        "&lt;EMAIL_ADDRESS_1&gt;", "PHONE_NUMBER_1", "Person_1", "person_1", "<STREET_ADDRESS_1>",
        "<SECRET_1>", "<SECRET_", "<PERS", "&lt;", "\\", "_", "<", ">", " ", "\n", "1", "Hi ",
        "PERSON_1x", "xPERSON_1", "é", "日本", "EMAIL_ADDRESS_1.",
    ]
)  # fmt: skip
_REPLY = st.lists(st.one_of(_REPLY_BITS, st.text(max_size=5)), max_size=30).map("".join)


def _stream(vault: Vault, pieces: list[str]) -> str:
    restorer = StreamRestorer(vault)
    out = []
    for piece in pieces:
        out.append(restorer.feed(piece))
        assert len(restorer.held) <= restorer.max_hold
    out.append(restorer.flush())
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(reply=_REPLY, data=st.data())
def test_streamed_restoration_matches_whole_restoration(reply: str, data: st.DataObject) -> None:
    vault = _vault()
    expected = restore(reply, vault)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(reply)), max_size=10)))
    pieces = [reply[a:b] for a, b in zip([0, *cuts], [*cuts, len(reply)], strict=True)]
    assert _stream(vault, pieces) == expected


@settings(max_examples=60, deadline=None)
@given(_REPLY)
def test_streamed_restoration_at_every_split_point(reply: str) -> None:
    vault = _vault()
    expected = restore(reply, vault)
    for cut in range(len(reply) + 1):
        assert _stream(vault, [reply[:cut], reply[cut:]]) == expected, cut
    assert _stream(vault, list(reply)) == expected


def test_streamed_restoration_of_a_long_reply_in_random_chunks() -> None:
    vault = _vault()
    rng = random.Random(12)
    bits = ["<PERSON_1>", " and ", "&lt;EMAIL_ADDRESS_1&gt;", "\\<PERSON\\_2\\>", "PHONE_NUMBER_1"]
    reply = "".join(rng.choice([*bits, " word ", "\n"]) for _ in range(400))
    expected = restore(reply, vault)
    for _ in range(20):
        cuts = sorted(rng.sample(range(len(reply)), 60))
        pieces = [reply[a:b] for a, b in zip([0, *cuts], [*cuts, len(reply)], strict=True)]
        assert _stream(vault, pieces) == expected


# -- regressions the properties found ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "entity_type"),
    [
        ("C:\\Users\\jsmith\\Documents", "jsmith", "USERNAME"),
        ('{"home": "C:\\\\Users\\\\mkowalski"}', "mkowalski", "USERNAME"),
        ("escaped markdown: \\<b>Ada Lovelace</b>", "Ada Lovelace", "PERSON"),
        ("\\\\fileserver\\home\\a.nowak\\notes.txt", "a.nowak", "USERNAME"),
    ],
)
def test_a_backslash_before_a_value_survives_restoring(
    text: str, value: str, entity_type: str
) -> None:
    """A backslash right before a placeholder belongs to the text (a Windows path, a JSON
    escape); only a fully escaped ``\\<PERSON\\_1\\>`` is the model's Markdown."""
    start = text.index(value)
    vault = Vault()
    sent, _ = pseudonymize(
        text, [Finding(entity_type, start, start + len(value), 0.9, value)], vault
    )
    assert restore(sent, vault) == text
    reply = f"The folder is {sent}, and \\<{entity_type}\\_1\\> is escaped Markdown."
    expected = f"The folder is {text}, and {value} is escaped Markdown."
    assert restore(reply, vault) == expected
    for cut in range(len(reply) + 1):
        assert _stream(vault, [reply[:cut], reply[cut:]]) == expected


@pytest.mark.parametrize(
    ("text", "value", "taken"),
    [
        ("Use PERSON_1 as the slot for the name; mine is Ada Lovelace.", "Ada Lovelace", 1),
        ("The template says Dear <PERSON_1>, and I am Grace Hopper.", "Grace Hopper", 1),
        ("Ersetze Person_1 und Person_2 durch Jürgen Müller.", "Jürgen Müller", 2),
        ("Mail &lt;EMAIL_ADDRESS_1&gt; bounced, use ada@example.com", "ada@example.com", 1),
    ],
)
def test_a_placeholder_the_text_already_holds_is_not_reused(
    text: str, value: str, taken: int
) -> None:
    start = text.index(value)
    entity_type = "EMAIL_ADDRESS" if "@" in value else "PERSON"
    vault = Vault()
    sent, (replacement,) = pseudonymize(
        text, [Finding(entity_type, start, start + len(value), 0.9, value)], vault
    )
    assert replacement.placeholder == f"<{entity_type}_{taken + 1}>"
    assert restore(sent, vault) == text
