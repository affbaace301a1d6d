r"""Detection through escaping: the unescaped view and its offset map, then the real detector and
the real gate on text pasted from JSON strings, log lines and code (``\n``, ``\"``, ``\u00e9``)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hybrid_desktop.core.privacy.detector import Detector
from hybrid_desktop.core.privacy.escapes import (
    _WINDOWS_PATH,
    EscapedView,
    restore_findings,
    unescaped_view,
)
from hybrid_desktop.core.privacy.gate import PrivacyGate
from hybrid_desktop.core.privacy.pseudonymize import Vault, restore
from hybrid_desktop.domain import Finding

from .realistic_prompts import CLEAN_PROMPTS, PII_PROMPTS


def _view_text(text: str) -> str:
    view = unescaped_view(text)
    return text if view is None else view.text


def _check_map(original: str, view: EscapedView) -> None:
    starts = view.starts
    assert len(starts) == len(view.text) + 1
    assert starts[0] == 0 and starts[-1] == len(original)
    for i, char in enumerate(view.text):
        piece = original[starts[i] : starts[i + 1]]
        assert piece, "offsets must strictly increase"
        if len(piece) == 1:
            assert piece == char  # copied as it is
        else:
            assert piece.startswith("\\")  # a whole escape sequence (or nested ones)


# -- the view and its map --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "view"),
    [
        (r"Name\nPhone:\n71 438 188", "Name\nPhone:\n71 438 188"),
        (r"a\r\nb\tc", "a\r\nb\tc"),
        (r"{\"user\":\"jsmith\"}", '{"user":"jsmith"}'),
        (r"it\'s", "it's"),
        (r"https:\/\/example.org\/u", "https://example.org/u"),
        (r"Ren\u00e9e Dubois", "Renée Dubois"),
        (r"\u0141ukasz W\u00f3jcik", "Łukasz Wójcik"),
        (r"\ud83d\ude00 hi", "\U0001f600 hi"),
        (r"\x41BC", "ABC"),
        (r'"C:\\Users\\new\\table.txt"', '"C:\\Users\\new\\table.txt"'),  # doubled: a literal
        (r"a\\nb", "a\nb"),  # nested: a JSON string logged inside a JSON string
        (r"(see above).\nNext", "(see above).\nNext"),
        (r"Wait...\nJohn", "Wait...\nJohn"),
    ],
)
def test_escapes_are_decoded(text: str, view: str) -> None:
    result = unescaped_view(text)
    assert result is not None and result.text == view
    _check_map(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "no backslash at all, Ünïcödé too",
        r"C:\new\table\report.xlsx",  # a raw Windows path, separators single
        r"C:\Program Files\nodejs\node.exe",
        r"Open C:\Program Files (x86)\tools\run.bat then restart",
        r"D:\temp\x64\build",
        r"\\fileserver\new\team share",
        r"%APPDATA%\npm\node_modules",
        r"run .\tests\run_all.ps1 or ..\tools\new.cmd",
        r"grep '\d+\s\w' file",  # regex escapes that are not string escapes
        r"\ud83d alone",  # a lone surrogate is not a character
        r"\b word boundary and \f form feed stay",
    ],
)
def test_text_without_escapes_to_decode_has_no_view(text: str) -> None:
    assert unescaped_view(text) is None


def test_a_path_followed_by_prose_ends_at_its_file_name() -> None:
    text = r"C:\Program Files\new\readme.txt and then\nKaren Whitfield"
    view = unescaped_view(text)
    assert view is not None
    assert view.text == "C:\\Program Files\\new\\readme.txt and then\nKaren Whitfield"


def test_a_view_span_maps_to_whole_escape_sequences() -> None:
    original = r"x\u00e9y\nz"
    view = unescaped_view(original)
    assert view is not None and view.text == "xéy\nz"
    assert view.to_original(1, 2) == (1, 7)  # é <- \u00e9
    assert view.to_original(0, 3) == (0, 8)
    assert view.to_original(3, 4) == (8, 10)  # newline <- \n
    finding = Finding("PERSON", 1, 3, 0.9, "éy", "test")
    (restored,) = restore_findings(original, view, [finding])
    assert (restored.start, restored.end, restored.text) == (1, 8, r"\u00e9y")
    assert restored.source == "test" and restored.score == 0.9


_TRICKY = st.sampled_from(list("\\\\\\nrtux\"'/0aAdD8e9fFcC:. ~%=(é😀\n"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(_TRICKY, st.characters()), max_size=80))
def test_the_map_is_monotone_and_in_range_for_any_text(text: str) -> None:
    view = unescaped_view(text)
    if view is None:
        return
    _check_map(text, view)
    assert len(view.text) < len(text)
    for a in range(len(view.text) + 1):
        start, end = view.to_original(a, len(view.text))
        assert 0 <= start <= end == len(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\\\b\f")),
    st.booleans(),
)
def test_the_view_of_a_json_string_is_the_string(value: str, ascii_only: bool) -> None:
    escaped = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
    # A one-letter label before an escape ("Q:\u00e9") reads as a drive: the documented limit.
    assume(_WINDOWS_PATH.search(escaped) is None)
    assert _view_text(escaped) == value


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_characters="\\")))
def test_text_without_backslash_is_its_own_view(text: str) -> None:
    assert unescaped_view(text) is None


# -- the real detector ------------------------------------------------------------------------


def _decoded(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.type, _view_text(f.text)) for f in findings]


def _check_findings(text: str, findings: list[Finding]) -> None:
    previous_end = 0
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end
        previous_end = f.end


def _escaped_corpus() -> list[str]:
    texts = [p.text for p in PII_PROMPTS] + list(CLEAN_PROMPTS)
    return [t for t in texts if "\n" in t or '"' in t or not t.isascii()]


@pytest.mark.parametrize("ascii_only", [False, True], ids=["json", "json-ascii"])
def test_escaped_prompts_are_read_like_the_originals(detector: Detector, ascii_only: bool) -> None:
    """Every realistic prompt with line breaks, quotes or non-ASCII letters, pasted as a JSON
    string: the same findings, at offsets of the escaped text; clean prompts stay clean."""
    corpus = _escaped_corpus()
    assert len(corpus) >= 40
    for text in corpus:
        escaped = json.dumps(text, ensure_ascii=ascii_only)[1:-1]
        assert _view_text(escaped) == text
        got = detector.detect(escaped)
        _check_findings(escaped, got)
        assert _decoded(got) == _decoded(detector.detect(text)), escaped


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            r'{"note": "Karen Whitfield\nPhone:\n71 438 188\nWebsite: www.whitfield-design.net"}',
            ["Karen Whitfield", "71 438 188", "www.whitfield-design.net"],
        ),
        (
            r'{"address": "Hans Becker\nLindenstra\u00dfe 12\n80331 M\u00fcnchen"}',
            ["Hans Becker", r"Lindenstra\u00dfe 12\n80331 M\u00fcnchen"],
        ),
        (
            r'"Gracias,\nMar\u00eda Fern\u00e1ndez\nTel. +34 612 345 678"',
            [r"Mar\u00eda Fern\u00e1ndez", "+34 612 345 678"],
        ),
        (
            r'{"msg":"\ud83d\ude00 Thanks, Karen Whitfield!\nkaren.whitfield@example.com"}',
            ["Karen Whitfield", "karen.whitfield@example.com"],
        ),
        (  # a JSON string logged inside a JSON string: the break is \\n
            r'{"log":"{\"msg\":\"Call Karen Whitfield\\nPhone: +44 20 7946 0958\"}"}',
            ["Karen Whitfield", "+44 20 7946 0958"],
        ),
        (
            r"2024-05-01 10:22:03 WARN api payload={\"user\":\"jk\",\"email\":"
            r"\"jan.kowalski@poczta.pl\",\"phone\":\"+48 601 234 567\"}",
            ["jan.kowalski@poczta.pl", "+48 601 234 567"],
        ),
        (
            r'level=error msg="signup failed" body="{\"mail\":\"priya.raman@example.org\"}"',
            ["priya.raman@example.org"],
        ),
        (
            r'"Bitte an J\u00fcrgen M\u00fcller, Hauptstra\u00dfe 5, 10115 Berlin schicken."',
            [r"J\u00fcrgen M\u00fcller", r"Hauptstra\u00dfe 5, 10115 Berlin"],
        ),
        (
            r'{"text": "Bonjour,\nje suis Ren\u00e9e Dubois.\nMon e-mail : renee.dubois@exemple.fr"}',
            [r"Ren\u00e9e Dubois", "renee.dubois@exemple.fr"],
        ),
    ],
)
def test_values_in_escaped_text_are_found_at_original_offsets(
    detector: Detector, text: str, values: list[str]
) -> None:
    findings = detector.detect(text)
    _check_findings(text, findings)
    for value in values:
        start = text.index(value)
        end = start + len(value)
        covered = sum(max(0, min(end, f.end) - max(start, f.start)) for f in findings)
        assert covered * 2 >= end - start, (value, [(f.type, f.text) for f in findings])


def test_a_finding_never_cuts_an_escape(detector: Detector) -> None:
    text = r'{"to": "Andr\u00e9 Lef\u00e8vre", "msg": "rendez-vous \u00e0 10h"}'
    person = [f for f in detector.detect(text) if f.type == "PERSON"]
    assert [f.text for f in person] == [r"Andr\u00e9 Lef\u00e8vre"]
    for f in detector.detect(text):
        assert not re.search(r"\\(?:u[0-9a-fA-F]{0,3})?$", f.text), f.text
        assert not re.match(r"^(?:[0-9a-fA-F]{1,4}|u[0-9a-fA-F]{0,4})(?![\w])", f.text)


@pytest.mark.parametrize(
    "text",
    [
        r"Copy the file to C:\new\table\report.xlsx and tell me how to open it",
        r"Why does C:\Program Files\nodejs\node.exe say access denied?",
        r"robocopy D:\temp\new E:\backup\today /MIR",
        r'print("Hello\tworld\n")  # why is the tab there?',
        r'{"prompt": "How do I read a file line by line?\nI got \"UnicodeDecodeError\"."}',
        r'{"level":"info","msg":"cache warmed\tin 42 ms","path":"C:\\srv\\cache"}',
    ],
)
def test_paths_and_clean_escaped_text_go_out_unchanged(detector: Detector, text: str) -> None:
    verdict = PrivacyGate(detector_factory=lambda: detector).check(text)
    assert verdict.redacted is not None
    assert verdict.redacted.text == text, [(f.type, f.text) for f in verdict.findings]


# -- the gate: what would be sent ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "field", "secrets"),
    [
        (
            {"note": "Karen Whitfield\nPhone:\n+44 20 7946 0958\nkaren.whitfield@example.com"},
            "note",
            ["Karen Whitfield", "+44 20 7946 0958", "karen.whitfield@example.com"],
        ),
        (
            {"text": "Bonjour,\nje suis Renée Dubois,\n12 rue des Lilas\n69003 Lyon"},
            "text",
            ["Renée Dubois", "12 rue des Lilas", "Dubois"],
        ),
        (
            {"body": 'Hallo,\n"Jürgen Müller" zahlt per IBAN DE89 3704 0044 0532 0130 00.'},
            "body",
            ["Jürgen Müller", "Müller", "DE89 3704 0044 0532 0130 00"],
        ),
    ],
)
@pytest.mark.parametrize("ascii_only", [False, True], ids=["json", "json-ascii"])
def test_gate_replaces_values_and_keeps_the_escapes_around_them(
    detector: Detector,
    document: dict[str, str],
    field: str,
    secrets: list[str],
    ascii_only: bool,
) -> None:
    original = json.dumps(document, ensure_ascii=ascii_only)
    vault = Vault()
    verdict = PrivacyGate(detector_factory=lambda: detector).check(original, vault)
    assert verdict.redacted is not None
    sent = verdict.redacted.text
    for value in secrets:
        assert value not in sent
        assert json.dumps(value, ensure_ascii=ascii_only)[1:-1] not in sent
    # The escapes between the placeholders are intact: what is sent is still valid JSON, and
    # its string keeps every line break that is not inside a replaced value (an address over
    # several lines is one value).
    outside, cursor = [], 0
    for f in verdict.replaced:
        outside.append(original[cursor : f.start])
        cursor = f.end
    outside.append(original[cursor:])
    sent_value = json.loads(sent)[field]
    assert sent_value.count("\n") == sum(piece.count(r"\n") for piece in outside) > 0
    assert re.search(r"<[A-Z_]+_1>", sent_value)
    assert restore(sent, vault) == original
