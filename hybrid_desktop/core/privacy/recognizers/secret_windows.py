"""Passwords and codes a few words after their cue, and passwords that need no cue.

The cue-and-link rules of :mod:`.secret_prose` want the value right after the cue or its link
word. People write more words between them, in every language: "Het wachtwoord van het
wifi-netwerk is nu Stroopwafel-Delft-63", "le code du portail est le 5823", "A kapukód 3817, a
riasztó kódja 5092", "Die Geräte-PIN ist 482715". Here a cue opens a window that ends with its
sentence (at most :data:`WINDOW` words); in it, the first word shaped like a password (after a
password cue) or every number shaped like a code (after a code cue) is a secret.

Cues are the ``[window_cues]`` and ``[window_codes]`` of ``data/secrets_prose.txt``. Cues of five
letters or more also count at the end of a compound ("beheerwachtwoord", "ovikoodi"); shorter
ones only as a word of their own or after a hyphen ("SIM-PIN").

A password shaped so that it can be nothing else needs no cue: lower and upper case, a digit and
a symbol, eight characters or more, no code punctuation ("is Hunter2-Marigold!9 strong enough?").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .secret_shapes import placeholder, read_sections

__all__ = ["cueless_passwords", "recovery_code_lines", "window_secrets"]

#: How many words after its cue a value may stand.
WINDOW = 8
#: Where a cue's window ends: a sentence's end or a line break.
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|\n")
_TOKEN = re.compile(r"\S+")
_STRIP = "\"'“”‘’«»„()[]<>`"
_SYMBOLS = frozenset("!#$%&*?+~^")
_CODE_PUNCTUATION = frozenset("()[]{}<>/\\=:;,\"'`@.|")
#: A code after a code cue: 4-8 digits, digits in groups ("482 913", "8204 1137"), a
#: combination ("3-19-27", "0-7-3-1"), with a trailing ``#`` or ``*`` as keypads take them.
_CODE = re.compile(
    r"(?<![\w.,:/€$£-])(?:\d{4}[ ]\d{4}|\d{3}[ ]\d{3}|\d(?:-\d){3,7}|\d{1,2}(?:-\d{1,2}){2,4}|\d{4,8})"
    r"[#*]?(?![\w]|[.,:/]\d|\s?(?:%|€|\$|£|kr\b|zł|km\b|kg\b|ms\b|[KMG]B\b|px\b|Uhr\b|h\b|min\b))"
)
#: The bare word for a code, which also means program code: its value must end a clause or
#: a list item ("the code is 6148.", "kode 0517, og ...").
_GENERIC_CODE_WORDS = frozenset(
    "code codes código codice kod kodu kodem kode koden koder kód kódot koodi κωδικός mã".split()
)
_CODE_END = re.compile(
    r"[ \t]*(?:[,.;:!?)\]]|$|\n)"
    r"|[ \t]+(?:and|und|et|y|e|i|och|og|ja|ve|a|és|și|dan|và|then|dann|puis|luego|poi|dan)\b",
    re.IGNORECASE,
)


#: Words after which a four-digit number is a year, not a code ("seit 2019", "in 1990").
_YEAR_BEFORE = frozenset(
    "in since from until till by seit ab bis im depuis en desde hasta dal dai nel sinds sedan "
    "od do från siden fra vuodesta vuonna em".split()
)


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """The password cues, the code cues, and the words that make a code public ("error code")."""
    data = read_sections("secrets_prose.txt")
    not_after = frozenset(w.lower() for w in data["code_not_after"])
    return _cue_regex(data["window_cues"]), _cue_regex(data["window_codes"]), not_after


def _cue_regex(words: list[str]) -> re.Pattern[str]:
    """Long cues also as a compound's end (with up to four letters of ending); short ones as
    whole words or after a hyphen."""

    def alt(items: list[str]) -> str:
        ordered = sorted({w.lower() for w in items}, key=len, reverse=True)
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)

    long = [w for w in words if len(w) >= 5]
    short = [w for w in words if len(w) < 5]
    return re.compile(
        rf"(?:(?<![^\W\d_])[^\W\d_]{{0,20}}?(?:{alt(long)})[^\W\d_]{{0,4}}"
        rf"|(?<![^\W\d_])(?:{alt(short)}))(?![^\W\d_])",
        re.IGNORECASE,
    )


def _window(text: str, start: int) -> tuple[int, int]:
    """From ``start`` to the end of its clause or :data:`WINDOW` words, whichever comes first."""
    end_match = _CLAUSE_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    for count, match in enumerate(_TOKEN.finditer(text, start, end), 1):
        if count > WINDOW:
            return start, match.start()
    return start, end


def _word_span(text: str, match: re.Match[str]) -> tuple[int, int]:
    """A whitespace word without the quotes and brackets around it and a clause's final
    ``.``/``,``/``;``/``:``."""
    start, end = match.span()
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP + ".,;:":
        end -= 1
    return start, end


def windowed_password(value: str) -> bool:
    """A word that is a password after a cue: letters in both cases (three lower-case at
    least), digits, and eight characters or more; one digit is enough with a symbol
    ("Molen#Kinderdijk9"). Separators join words ("Älgen-Sjön-1987")."""
    if len(value) < 8 or len(value) > 64 or any(ch in _CODE_PUNCTUATION for ch in value):
        return False
    lower = sum(ch.islower() for ch in value)
    upper = sum(ch.isupper() for ch in value)
    digits = sum(ch.isdigit() for ch in value)
    symbol = any(ch in _SYMBOLS for ch in value)
    return (
        lower >= 3
        and upper >= 1
        and (digits >= 2 or (digits >= 1 and symbol))
        and not placeholder(value)
    )


def window_secrets(text: str) -> Iterator[tuple[int, int]]:
    """Passwords and codes in the windows their cues open."""
    passwords, codes, not_after = _cues()
    for cue in passwords.finditer(text):
        low, high = _window(text, cue.end())
        for word in _TOKEN.finditer(text, low, high):
            start, end = _word_span(text, word)
            if windowed_password(text[start:end]):
                yield start, end
                break
    for cue in codes.finditer(text):
        before = text[max(0, cue.start() - 30) : cue.start()].split()
        if before and before[-1].lower().strip("-") in not_after:
            continue  # "error code 1603", "postal code 75011"
        generic = cue.group().lower() in _GENERIC_CODE_WORDS
        low, high = _window(text, cue.end())
        for match in _CODE.finditer(text, low, high):
            value = match.group()
            if generic and not _CODE_END.match(text, match.end()):
                continue  # "my code runs 2000 iterations": programming code, a count
            if len(value) == 4 and value[:2] in ("19", "20") and _year_context(text, match.start()):
                continue
            yield match.span()


def _year_context(text: str, start: int) -> bool:
    words = text[max(0, start - 20) : start].split()
    return bool(words) and words[-1].lower().strip("(,") in _YEAR_BEFORE


def cueless_passwords(text: str) -> Iterator[tuple[int, int]]:
    """Words shaped like passwords whatever is around them: lower and upper case, a digit and a
    symbol, eight characters or more, and no code punctuation."""
    for word in _TOKEN.finditer(text):
        start, end = _word_span(text, word)
        value = text[start:end]
        if (
            8 <= len(value) <= 40
            and value[0] not in "#$%&*+~^!?"
            and windowed_password(value)
            and any(ch in _SYMBOLS for ch in value[1:])
        ):
            yield start, end


#: GitHub's recovery codes: five hex digits, a hyphen, five more, one to a line.
_RECOVERY_LINE = re.compile(r"(?m)^[ \t>*\-]*([0-9a-f]{5}-[0-9a-f]{5})[ \t]*$")


def recovery_code_lines(text: str) -> Iterator[tuple[int, int]]:
    """Three or more lines in a row that each hold one code shaped like GitHub's recovery codes
    (``c7df8-2da13``): a list of them needs no cue."""
    run: list[tuple[int, int]] = []
    last_end = -2
    for match in _RECOVERY_LINE.finditer(text):
        if run and text.count("\n", last_end, match.start()) > 1:
            if len(run) >= 3:
                yield from run
            run = []
        run.append(match.span(1))
        last_end = match.end()
    if len(run) >= 3:
        yield from run
