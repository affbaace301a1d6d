"""Hypothesis-fuzzed input to the CLI (issue 14): any bytes on stdin for ``redact``, ``route`` and
``ask``, and any lines for ``redact --jsonl`` and ``route --jsonl``. Never a traceback, never
"something went wrong"; exit 0 or a documented code with its message; one output line per input
line, in order, whatever the line holds.

The properties run the CLI in this process (``inprocess.py``: the real parser, ``cli.run``, the
app's services and one real loaded privacy gate); two examples also run as real subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.fuzz.inprocess import Ran, run_cli_in_process, shared_detector

#: Many examples per test on a shared 2-core machine: more than the suite's 300 s per test.
SLOW = pytest.mark.timeout(900)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    # The same examples on every run: a CI failure can be replayed, and a clean run means the
    # change is clean, not that the draw was lucky. (Run with --hypothesis-seed=random to explore;
    # a case found that way is kept below as an @example, or as a known miss.)
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Pieces that make inputs interesting: personal data, escapes, terminal controls, code, JSON,
#: line separators that are not "\n", invalid and overlong UTF-8, a NUL.
PIECES = [
    b"Anna Schmidt",
    b"+49 30 1234567",
    b"jo@example.org",
    b"IBAN DE89 3704 0044 0532 0130 00",
    b"\x1b]0;pwned\x07",
    b"\x1b[2J",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",  # a surrogate encoded as UTF-8 (invalid)
    b"\xc0\xaf",  # overlong
    "\u2028\u2029\x85".encode(),
    b"```python\nprint('hi')\n```",
    b'{"text": "\\u00e9\\n"}',
    b"Fix the typos in this:\n",
    "Écrivez à Jean Dupont, 12 rue de la Paix, 75002 Paris.".encode(),
]
STDIN = st.lists(
    st.one_of(
        st.binary(max_size=48),
        st.text(st.characters(codec=None, exclude_categories=()), max_size=48).map(
            lambda t: t.encode("utf-8", "surrogatepass")
        ),
        st.sampled_from(PIECES),
    ),
    max_size=12,
).map(b"".join)


def _no_crash(ran: Ran) -> None:
    assert "Traceback" not in ran.stderr, ran.stderr
    assert "something went wrong" not in ran.stderr, ran.stderr
    assert b"Traceback" not in ran.stdout
    ran.stdout.decode("utf-8")  # whatever came in, what goes out is valid UTF-8


def _said_invalid_utf8(data: bytes, ran: Ran) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert "not valid UTF-8" in ran.stderr, ran.stderr


def _one_thread(home: Path) -> None:
    """The model on one thread and a small context: decoding on a shared 2-core machine is
    otherwise the slowest part of an example by far."""
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"n_threads": 1, "n_ctx": 1024}))


@pytest.fixture(scope="module")
def detector(privacy_gate: object) -> object:
    return privacy_gate.load()  # type: ignore[attr-defined]


@SLOW
@FUZZ
@given(data=STDIN)
@example(data=b"Call Anna Schmidt on +49 30 1234567 \xff\xfe broken \xc3")
@example(data=b"")
@example(data="lone \ud800 surrogate".encode("utf-8", "surrogatepass"))
@example(data=b"```\r\x00")  # found by the fuzzing: IndexError in the code scanner ("\r" lines)
def test_redact_takes_any_bytes(app_home: Path, detector: object, data: bytes) -> None:
    with shared_detector(detector):
        ran = run_cli_in_process(["redact"], data)
        as_json = run_cli_in_process(["redact", "--json"], data)
    _no_crash(ran)
    _no_crash(as_json)
    assert ran.code == 0 or (ran.code == 1 and "blocked:" in ran.stderr), ran
    assert as_json.code == 0, as_json
    _said_invalid_utf8(data, ran)
    found = json.loads(as_json.stdout)
    assert isinstance(found["text"], str) and isinstance(found["entities"], list)


#: Noise that cannot open a code block around the sentence (names in code are left alone).
NOISE = STDIN.map(lambda b: b.replace(b"`", b"").replace(b"~", b"").replace(b"\t", b" "))
#: What may touch the name: nothing, or a control character.
GLUE = st.sampled_from([b"", b"\x00", b"\x01", b"\x1b", b"\x7f", b"\x0b", b"\x0c"])


@SLOW
@FUZZ
@given(before=NOISE, glue=GLUE, after=NOISE)
@example(before=b"", glue=b"\x00", after=b"")  # found by the fuzzing: the NUL hid the name
def test_noise_around_personal_data_does_not_hide_it(
    app_home: Path, detector: object, before: bytes, glue: bytes, after: bytes
) -> None:
    # Noise that holds the values itself would fail the check for the wrong reason.
    assume(all(v not in before + after for v in (b"1234567", b"Anna Schmidt")))
    sentence = b"Call Anna Schmidt" + glue + b" on +49 30 1234567."
    with shared_detector(detector):
        ran = run_cli_in_process(["redact"], before + b"\n\n" + sentence + b"\n\n" + after)
    _no_crash(ran)
    out = ran.stdout.decode()
    assert "Anna Schmidt" not in out and "1234567" not in out, out


@pytest.mark.xfail(
    strict=True,
    reason="known miss: gibberish around an English sentence makes the unknown-language guard "
    "(language.other_language) distrust the English model for the whole text, so the name is "
    "dropped; the guard reads the whole text, not the sentence the name is in",
)
def test_gibberish_around_an_english_sentence_does_not_hide_a_name(
    app_home: Path, detector: object
) -> None:
    # Found by random fuzzing of test_noise_around_personal_data_does_not_hide_it in CI.
    before = b"aah\x00\xc3\x9fAAGI>\x00\x00\x00\x00\x00\x00\x00\x00\x00aA\x00bP\xc3\xb4B"
    sentence = b"Call Anna Schmidt on +49 30 1234567."
    with shared_detector(detector):
        ran = run_cli_in_process(["redact"], before + b"\n\n" + sentence + b"\n\naAAaaaaaaaaaaa")
    _no_crash(ran)
    assert "Anna Schmidt" not in ran.stdout.decode()


@SLOW
@FUZZ
@given(data=STDIN)
@example(data=b"\xff" * 10)
@example(data=b"   \n\t")
def test_route_takes_any_bytes(app_home: Path, data: bytes) -> None:
    ran = run_cli_in_process(["route", "--json"], data)
    _no_crash(ran)
    if not data.decode("utf-8", "replace").strip():
        assert ran.code == 1 and "The message is empty." in ran.stderr, ran
        return
    assert ran.code == 0, ran
    assert json.loads(ran.stdout)["route"] == "local"  # no key in the tests: always local


@SLOW
@settings(FUZZ, max_examples=15)
@given(data=STDIN)
@example(data=b"\xff\xfe what is 2+2? \xc3")
@example(data=b"\n\n")
def test_ask_takes_any_bytes(app_home: Path, data: bytes) -> None:
    _one_thread(app_home)
    ran = run_cli_in_process(["ask", "--json", "--max-tokens", "2"], data)
    _no_crash(ran)
    _said_invalid_utf8(data, ran)
    text = data.decode("utf-8", "replace").rstrip("\n")
    if not text.strip():
        assert ran.code == 1 and "The prompt is empty." in ran.stderr, ran
        return
    assert ran.code == 0, ran
    answer = json.loads(ran.stdout.splitlines()[-1])
    assert answer["route"] == "local" and answer["status"] == "complete"


# JSON Lines --------------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
LINE = st.one_of(
    # the expected shape, with any text (lone surrogates arrive as \ud800 escapes)
    st.builds(lambda t: json.dumps({"text": t}).encode(), TEXT),
    st.builds(
        lambda t: json.dumps({"text": t}, ensure_ascii=False).encode("utf-8", "surrogatepass"), TEXT
    ),
    # a huge string in a field, and a huge line that is no JSON at all
    st.builds(
        lambda unit, n: json.dumps({"text": (unit * n)[:n]}).encode(),
        st.sampled_from(["x", "x.", "ab-"]),
        st.integers(10_000, 200_000),
    ),
    st.integers(10_000, 200_000).map(lambda n: b"[" * n),
    # missing or wrong fields, non-objects, any JSON at all
    st.builds(lambda v: json.dumps({"text": v}).encode(), JSON_VALUE),
    st.builds(lambda v: json.dumps(v).encode(), JSON_VALUE),
    st.builds(lambda d: json.dumps(d).encode(), st.dictionaries(TEXT, JSON_VALUE, max_size=3)),
    # not JSON: any bytes but the line break, and blank lines
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from([b"", b"   ", b"\t", b"\r", b"{", b'{"text": "unterminated', b"9" * 5000]),
)


def _check_jsonl(lines: list[bytes], ran: Ran, field: str) -> list[dict[str, object]]:
    _no_crash(ran)
    assert ran.code == 0, ran
    # one line out per line in, whatever a consumer splits on (str.splitlines knows U+2028 too)
    out = ran.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines), (len(out), len(lines), out[-3:])
    results = [json.loads(line) for line in out]
    for result in results:
        assert isinstance(result, dict)
        assert ("error" in result) != (field in result), result
    return results


@SLOW
@settings(FUZZ, max_examples=40)
@given(lines=st.lists(LINE, min_size=1, max_size=6))
@example(
    lines=[
        b'{"text": "email me at jo@example.org"}',
        b"",
        b'{"text": "lone surrogate \\ud800 here"}',
        b'{"text": "bad bytes \xff\xfe"}',
        b'{"text": "a line\\u2028separator and \\u0085 next line"}',
        b"[" * 100_000,
        b'{"text": "last line: call +44 20 7946 0958"}',
    ]
)
@example(  # found by the fuzzing: each took minutes (quadratic patterns, tests/fuzz/test_big_inputs.py)
    lines=[
        json.dumps({"text": "x" * 200_000}).encode(),
        json.dumps({"text": "ab-" * 60_000}).encode(),
        json.dumps({"text": "x." * 100_000}).encode(),
    ]
)
def test_redact_jsonl_answers_every_line_in_order(
    app_home: Path, detector: object, lines: list[bytes]
) -> None:
    with shared_detector(detector):
        ran = run_cli_in_process(["redact", "--jsonl"], b"\n".join(lines) + b"\n")
    results = _check_jsonl(lines, ran, "text")
    for raw, result in zip(lines, results, strict=True):
        try:
            item = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            assert "text" in result, (raw[:200], result)  # a valid line is answered, not refused
            assert "jo@example.org" not in str(result["text"])


@SLOW
@settings(FUZZ, max_examples=30)
@given(lines=st.lists(LINE, min_size=1, max_size=6))
def test_route_jsonl_answers_every_line_in_order(app_home: Path, lines: list[bytes]) -> None:
    ran = run_cli_in_process(["route", "--jsonl"], b"\n".join(lines) + b"\n")
    _check_jsonl(lines, ran, "route")


# the real process ---------------------------------------------------------------------------------


def _subprocess(*args: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "hybrid_desktop", *args],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
        env=dict(os.environ),
    )


def test_a_real_process_takes_hostile_bytes_and_lines(app_home: Path) -> None:
    data = b"Anna Schmidt \xed\xa0\x80 \x1b[2J \xff" + "\u2028".encode()
    plain = _subprocess("redact", data=data)
    assert plain.returncode == 0 and b"Traceback" not in plain.stderr, plain.stderr
    assert b"not valid UTF-8" in plain.stderr and b"Anna Schmidt" not in plain.stdout
    lines = [b'{"text": "x\\u2028y \\ud800"}', b"", b"[1, 2]", b'{"text": "jo@example.org"}']
    batch = _subprocess("redact", "--jsonl", data=b"\n".join(lines) + b"\n")
    assert batch.returncode == 0 and b"Traceback" not in batch.stderr, batch.stderr
    out = batch.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines), out
    assert "error" in json.loads(out[1]) and "error" in json.loads(out[2])
    assert "<EMAIL_ADDRESS_1>" in json.loads(out[3])["text"]


def test_a_real_process_asks_with_invalid_utf8(app_home: Path) -> None:
    proc = _subprocess("ask", "--json", "--max-tokens", "2", data=b"What is 2+2? \xff\xfe\xc3")
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    assert b"not valid UTF-8" in proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["route"] == "local"
