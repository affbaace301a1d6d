"""The task of a request, apart from the material pasted with it.

"Fix the typos in this: <900 characters>" is a simple task on a long text. The router judges the
*instruction* ("fix the typos in this") and counts the *paste* only for context and cost. A paste
is any of:

- a fenced code block (```` ``` ````) or a block of ``>`` quoted lines;
- the text after a colon that ends a line ("…this:\\n<text>"), or after "this:" in a line;
- a long paragraph before or after a short request ("<article>\\n\\nGive it a title.");
- a long quoted string inside the request.

Only the standard library is used, and the split is linear in the length of the prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Task", "asked_output_tokens", "split_task"]

#: A request shorter than this is never split: there is nothing long to set apart.
_MIN_PASTE = 200
#: An instruction longer than this around a paste is not "a short request" any more.
_MAX_ASK = 400

_FENCE = re.compile(r"```[^\n]*\n.*?(?:```|\Z)", re.S)
_QUOTED_LINES = re.compile(r"(?:^[ \t]*>[^\n]*(?:\n|\Z)){2,}", re.M)
#: A colon that ends a line, with the material on the lines after it.
_COLON_BREAK = re.compile(r":[ \t]*\r?\n")
#: "…this: <material>" or "…ceci : <material>" on one line, with a long tail.
_THIS_COLON = re.compile(
    r"(?i)\b(?:this|these|below|following|text|ceci|ça|suivant|folgenden?|dies|esto|este|esta|"
    r"siguiente|questo|seguente|isto|seguinte|dit|volgende)\b[^\n:]{0,20}:[ \t]*"
)
_QUOTED_STRING = re.compile(r"[\"“«„']([^\"”»“\n]{120,})[\"”»“']")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Task:
    #: What the user asks, with the pasted material cut out.
    instruction: str
    #: The pasted material ("" when there is none).
    paste: str
    #: ``code``, ``quote``, ``text`` or ``""``.
    paste_kind: str = ""


def split_task(prompt: str) -> Task:
    """``prompt`` split into its instruction and the material pasted with it."""
    text = prompt.strip()
    if len(text) < _MIN_PASTE:
        return Task(text, "")
    kept: list[str] = []
    pasted: list[str] = []
    kind = ""
    pos = 0
    for match in _blocks(text):
        kept.append(text[pos : match.start()])
        pasted.append(match.group())
        kind = kind or ("code" if match.group().startswith("```") else "quote")
        pos = match.end()
    kept.append(text[pos:])
    rest = "".join(kept).strip()
    if len(rest) >= _MIN_PASTE:
        ask, material = _split_prose(rest)
        if material:
            rest = ask
            pasted.append(material)
            kind = kind or "text"
    paste = "\n".join(p.strip() for p in pasted if p.strip())
    return Task(rest, paste, kind if paste else "")


def _blocks(text: str) -> list[re.Match[str]]:
    """Code fences and quoted-line blocks, in order and without overlaps."""
    found = sorted([*_FENCE.finditer(text), *_QUOTED_LINES.finditer(text)], key=lambda m: m.start())
    out: list[re.Match[str]] = []
    end = -1
    for match in found:
        if match.start() >= end:
            out.append(match)
            end = match.end()
    return out


def _split_prose(text: str) -> tuple[str, str]:
    """(instruction, material) of a prompt without fences, or (text, "") when nothing is pasted.

    Tried in order: a short request in the first paragraph, or in the last; a colon that ends a
    line of the request; a colon after a request of a few words in the first line
    ("fix the typos: <text>"); "this:"; a long quoted string; a short first or last paragraph.
    """
    paragraphs = _PARAGRAPH_BREAK.split(text)
    first, last = paragraphs[0], paragraphs[-1]
    if len(paragraphs) >= 2:
        body_first = text[len(first) :].strip()
        body_last = text[: len(text) - len(last)].strip()
        if _is_ask(first) and _asks(first) and len(body_first) >= _MIN_PASTE:
            tail = _short_last_paragraph(body_first)
            if tail:
                return f"{first.strip()} {tail.strip()}", body_first[: -len(tail)].rstrip()
            return first.strip(), body_first
        if _is_ask(last) and _asks(last) and len(body_last) >= _MIN_PASTE:
            return last.strip(), body_last
    colon = _COLON_BREAK.search(text, 0, len(first) + 2)
    if colon and colon.start() <= _MAX_ASK and len(text) - colon.end() >= _MIN_PASTE:
        ask, material = text[: colon.start() + 1], text[colon.end() :]
        # A request after the material ("<text>\n\nAnd keep it under 50 words") stays the ask.
        tail = _short_last_paragraph(material)
        if tail:
            return f"{ask} {tail}", material[: -len(tail)]
        return ask, material
    inline = _INLINE_COLON.match(text)
    if inline and len(text) - inline.end() >= _MIN_PASTE:
        return text[: inline.end()].rstrip(), text[inline.end() :]
    this = _THIS_COLON.search(text)
    if this and this.start() <= _MAX_ASK and len(text) - this.end() >= _MIN_PASTE:
        return text[: this.end()].rstrip(), text[this.end() :]
    quoted = _QUOTED_STRING.search(text)
    if quoted:
        return text[: quoted.start()] + '"…"' + text[quoted.end() :], quoted.group(1)
    if len(paragraphs) >= 2:
        if _is_ask(last) and len(body_last) >= _MIN_PASTE and len(last) < len(body_last):
            return last.strip(), body_last
        if _is_ask(first) and len(body_first) >= _MIN_PASTE and len(first) < len(body_first):
            return first.strip(), body_first
    return text, ""


#: "fix the typos, keep the tone: <text>": a request of three to twenty-five words in the first
#: line, then a colon and the material on the same line.
_INLINE_COLON = re.compile(r"[^\n:]{8,160}?(?<=\w|[)?!»\"'’])[ \t]?:[ \t]+(?=\S)")


def _is_ask(paragraph: str) -> bool:
    """Whether a paragraph reads like a short request rather than material."""
    p = paragraph.strip()
    return 0 < len(p) <= _MAX_ASK and p.count("\n") <= 2 and len(_WORD.findall(p)) <= 60


def _short_last_paragraph(material: str) -> str:
    paragraphs = _PARAGRAPH_BREAK.split(material.rstrip())
    if len(paragraphs) < 3:
        return ""
    last = paragraphs[-1]
    return last if len(last) <= 200 and _is_ask(last) and _asks(last) else ""


_ASK_START = re.compile(
    r"(?i)^\s*(?:please|can you|could you|pls|and|also|now|then|make|keep|give|write|list|"
    r"summari[sz]e|translate|fix|correct|explain|tell|what|which|how|why|who|when|where|"
    r"merci|peux-tu|pouvez-vous|bitte|kannst du|können sie|por favor|puedes|podrías)\b"
)


def _asks(paragraph: str) -> bool:
    """Whether a paragraph asks for something: a request word first, or a ``?`` or ``:`` last."""
    end = paragraph.rstrip()
    return bool(_ASK_START.match(paragraph)) or end.endswith(("?", ":", "？"))


#: "in 500 words", "3 paragraphs", "en 200 mots", "in 300 Wörtern", "en 200 palabras".
_LENGTH_ASKED = re.compile(
    r"(?i)\b(\d{2,5})\s*(?:-\s*)?(words?|mots?|w[öo]rter[n]?|palabras?|parole|palavras|woorden|"
    r"paragraphs?|paragraphes?|abs[äa]tze[n]?|p[áa]rrafos?|pages?|seiten?|p[áa]ginas?)\b"
)


def asked_output_tokens(instruction: str) -> int | None:
    """The answer length the instruction asks for, in tokens, when it names one."""
    match = _LENGTH_ASKED.search(instruction)
    if not match:
        return None
    count = int(match.group(1))
    unit = match.group(2).lower()
    if unit.startswith(("paragraph", "abs", "pár", "par")) and not unit.startswith("parole"):
        return min(8000, count * 120)
    if unit.startswith(("page", "seite", "pág")):
        return min(8000, count * 600)
    return min(8000, int(count * 1.4))
