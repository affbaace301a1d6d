r"""An unescaped view of text pasted from JSON strings, logs and source code.

Developers paste text as it is written inside a string literal: a JSON value, a log line that
embeds one, a Python or JavaScript string. There a line break is the two characters ``\n``, a
quote is ``\"`` and an accented letter may be ``\u00e9``. Detection reads such text badly (a name
glued to ``\n`` on both sides is not a word), so :func:`unescaped_view` decodes the escapes into a
*view* of the text and keeps, for every character of the view, where it came from. The detector
runs on the view and maps its findings back, so that the gate replaces spans of the text the user
actually gave, escapes around the placeholders left as they were.

Decoded: ``\n \r \t \" \' \\ \/``, ``\uXXXX`` (a UTF-16 surrogate pair such as
``\ud83d\ude00`` becomes one character) and ``\xNN``. Every other backslash stays as it is
(``\d`` and ``\b`` of a regular expression, ``\U`` of a path, ``\f``), and so does a lone
surrogate (it is not a character). Each view character maps to the whole escape
sequence it came from, so a span of the view maps back to a span that never cuts an escape in two.

Escapes nested in escapes (a JSON document logged as a JSON string, where a line break is
``\\n``) are decoded again, up to :data:`MAX_DEPTH` levels in all.

Windows paths: ``C:\new\table`` holds ``\n`` and ``\t``, but no program writes a path like that in
a string literal, where the separators are doubled (``C:\\new\\table``). The rule is therefore:
a path written with *single* backslashes after a drive letter (``C:\``), a UNC host
(``\\server\``), an environment variable (``%USERPROFILE%\``), ``~\``, ``.\`` or ``..\`` is raw
text, and nothing inside it is decoded; its segments may hold single spaces
(``C:\Program Files\notes``). A doubled-separator path is an escaped string and is decoded like
the rest. Known limits, both of which only leave an escape undecoded (the text is then read as
it was before this module existed): a one-letter label before an escaped break
("Q:\nWhat is ...") reads as a drive, and a raw path glued to an escape ("C:\tmp\a.txt\nuser")
runs to the next whitespace. LaTeX commands that start with n, r or t (``\nabla``, ``\theta``)
are decoded like escapes; that only puts a break or a tab in the view.

Why not the standard library: ``codecs.decode(text, "unicode_escape")`` works on bytes, so a str
holding non-ASCII text comes back as mojibake ("Renée" becomes "RenÃ©e"); it raises on the
``\U`` of "C:\Users"; it decodes escapes people do not mean (``\b`` in a regular expression
becomes a backspace, ``\a``, ``\f``, octal); a surrogate pair stays two lone surrogates; and it
gives no offsets. ``json.loads`` needs the whole text to be one valid JSON string and gives no
offsets either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from hybrid_desktop.domain import Finding

__all__ = ["MAX_DEPTH", "EscapedView", "restore_findings", "unescaped_view"]

#: How many levels of escaping are decoded at most (a JSON string logged inside a JSON string).
MAX_DEPTH = 3

_ESCAPE = re.compile(
    r"\\(?:"
    r"(?P<pair>u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|u(?P<u>[0-9a-fA-F]{4})"
    r"|x(?P<x>[0-9a-fA-F]{2})"
    r"|(?P<c>[nrt\"'\\/])"
    r")"
)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "'": "'", "\\": "\\", "/": "/"}

# A raw Windows path: a root, then segments each led by ONE backslash. Inner segments may hold
# single spaces before a capital, a digit, "(" or "-" ("Program Files (x86)", "OneDrive - Acme"),
# so that a path followed by prose ("...\x.txt and then\n...") ends at the file name; the last
# segment ends at whitespace. A drive, host or variable root follows no word character, backslash
# or dot ("Note:\n" is no root); "~", "." and ".." start a token ("(see above).\n" is none).
_PATH_CHAR = r"[^\s\"'<>|*?\\]"
_WINDOWS_PATH = re.compile(
    r"(?:(?<![\w\\.])(?:[A-Za-z]:|\\\\[\w.$-]+|%\w+%)|(?<![^\s\"'=(\[])(?:~|\.\.?))"
    rf"(?:\\(?!\\){_PATH_CHAR}+(?: [A-Z0-9(\-]{_PATH_CHAR}*)*(?=\\))*"
    rf"\\(?!\\){_PATH_CHAR}*"
)

#: Where a raw Windows path could start: a root followed by one backslash (a quick test first).
_PATH_HINT = re.compile(r"[:%~.]\\(?!\\)|(?<!\\)\\\\[\w.$-]")


@dataclass(frozen=True)
class EscapedView:
    """The decoded text and, for each of its characters, where it starts in the original.

    ``starts`` has ``len(text) + 1`` entries, strictly increasing, the last being the length of
    the original: view character ``i`` came from ``original[starts[i]:starts[i + 1]]``.
    """

    text: str
    starts: Sequence[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that the view span ``start:end`` came from."""
        return self.starts[start], self.starts[end]


def _decode_once(text: str) -> EscapedView | None:
    """One level of decoding, or None when the text holds no escape to decode."""
    escapes = list(_ESCAPE.finditer(text))
    if not escapes:
        return None
    protected = [m.span() for m in _WINDOWS_PATH.finditer(text)] if _PATH_HINT.search(text) else []
    out: list[str] = []
    starts: list[int] = []
    cursor = 0
    index = 0  # into protected
    decoded = False
    for m in escapes:
        at = m.start()
        while index < len(protected) and protected[index][1] <= at:
            index += 1
        if index < len(protected) and protected[index][0] <= at:
            continue  # inside a raw Windows path
        if m["pair"] is not None:
            high, low = int(m["pair"][1:5], 16), int(m["pair"][7:11], 16)
            char = chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        elif m["u"] is not None:
            code = int(m["u"], 16)
            if 0xD800 <= code <= 0xDFFF:
                continue  # a lone surrogate is not a character: leave it as written
            char = chr(code)
        elif m["x"] is not None:
            char = chr(int(m["x"], 16))
        else:
            char = _SIMPLE[m["c"]]
        out.append(text[cursor:at])
        starts.extend(range(cursor, at))
        out.append(char)
        starts.append(at)
        cursor = m.end()
        decoded = True
    if not decoded:
        return None
    out.append(text[cursor:])
    starts.extend(range(cursor, len(text) + 1))
    return EscapedView("".join(out), starts)


def unescaped_view(text: str) -> EscapedView | None:
    """The text with its escapes decoded and the offset map, or None if it has none to decode.

    Text without a backslash costs one ``in`` test.
    """
    if "\\" not in text:
        return None
    view = _decode_once(text)
    if view is None:
        return None
    for _ in range(MAX_DEPTH - 1):
        if "\\" not in view.text:
            break
        inner = _decode_once(view.text)
        if inner is None:
            break
        outer = view.starts
        view = EscapedView(inner.text, [outer[i] for i in inner.starts])
    return view


def restore_findings(
    original: str, view: EscapedView, findings: Sequence[Finding]
) -> list[Finding]:
    """Findings on ``view.text`` as findings on ``original``: offsets and text of the original.

    The map is strictly increasing, so sorted, non-overlapping findings stay so.
    """
    restored = []
    for f in findings:
        start, end = view.to_original(f.start, f.end)
        restored.append(replace(f, start=start, end=end, text=original[start:end]))
    return restored
