"""Markdown to the HTML subset Qt's rich-text engine renders (for the assistant's answers).

Raw HTML in an answer is escaped, not rendered: a model's output must not be able to inject
markup. Code blocks become a shaded, monospaced table, which Qt draws well: a header row with the
language and a ``<a href="copy:N">Copy</a>`` link (N: the block's index in the answer, the index
into :func:`code_blocks`; it reads "Copied" for a moment once used), then the code, highlighted by Pygments with inline ``<span
style="color…">`` (Qt's rich text has no style sheets for classes). Both code styles, light and
dark, are Pygments styles whose every token colour is brought up to WCAG AA (4.5:1) against its
background (:func:`code_style`; ``tests/ui/test_markdown_highlight.py`` checks every token).
Tables get borders and cell padding (Qt draws none by default).

Pygments and markdown-it are imported on first use, not at start-up (``running`` warms them up
after the first paint).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from hybrid_desktop.ui.theme import MIN_CONTRAST, contrast_ratio, readable_on

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer
    from pygments.style import Style

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")

#: The Pygments styles the code blocks start from (their failing colours are adjusted).
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"

#: A block with no (or an unknown) language is guessed from its text only when it has this many
#: lines: a short snippet gives the guesser too little to go on.
GUESS_MIN_LINES = 3
#: Guesses kept (Pygments' aliases): the guesser also names rarer languages that merely share a
#: keyword with the code (JavaScript guessed as GDScript, SQL as scdoc); those stay plain.
GUESSABLE = frozenset(
    {
        "python",
        "bash",
        "c",
        "cpp",
        "csharp",
        "css",
        "diff",
        "go",
        "html",
        "java",
        "javascript",
        "json",
        "kotlin",
        "php",
        "ruby",
        "rust",
        "sql",
        "swift",
        "toml",
        "typescript",
        "xml",
        "yaml",
    }
)


@dataclass(frozen=True)
class CodeStyle:
    """The colours of one scheme's code blocks (all ``#rrggbb``) and its Pygments style."""

    name: str
    style: type[Style]
    background: str
    text: str  #: code with no token colour of its own
    label: str  #: the language name in the header row
    link: str  #: the Copy link
    border: str  #: Markdown tables' cell borders (a line, not text: 3:1 on the window's colours)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use, not at start-up

    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )
    parser.add_render_rule("fence", _render_code)
    parser.add_render_rule("code_block", _render_code)
    parser.add_render_rule("table_open", _render_table_open)
    code_style(False), code_style(True)  # built with the parser: not mid-answer
    return parser


@lru_cache(maxsize=2)
def code_style(dark: bool) -> CodeStyle:
    """The light or the dark code style, every colour at least :data:`MIN_CONTRAST`."""
    from pygments.style import Style
    from pygments.styles import get_style_by_name
    from pygments.token import Token, Whitespace

    name = DARK_STYLE if dark else LIGHT_STYLE
    base = get_style_by_name(name)
    background = _hex(base.background_color)
    root = base.style_for_token(Token)
    text = readable_on(_hex(root["color"]) if root["color"] else _ink(background), background)
    definitions: dict[Any, str] = {}
    for token, resolved in base:
        token_bg = _hex(resolved["bgcolor"]) if resolved["bgcolor"] else background
        parts = ["noinherit"]
        parts += [flag for flag in ("bold", "italic", "underline") if resolved[flag]]
        colour = _hex(resolved["color"]) if resolved["color"] else text
        if token in Whitespace:
            colour = text  # only shown by a visible-whitespace filter: read as the code's text
        if colour != text or resolved["bgcolor"]:
            parts.append(readable_on(colour, token_bg))
        if resolved["bgcolor"]:
            parts.append(f"bg:{token_bg}")
        definitions[token] = " ".join(parts)
    style = type(
        f"Readable{name.title().replace('-', '')}Style",
        (Style,),
        {"name": f"{name}-readable", "background_color": background, "styles": definitions},
    )
    label = readable_on("#8b949e" if dark else "#57606a", background)
    link = readable_on("#58a6ff" if dark else "#0550ae", background)
    border = "#7d8590" if dark else "#6e7781"
    return CodeStyle(name, style, background, text, label, link, border)


def _hex(colour: str) -> str:
    colour = colour.lstrip("#").lower()
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return f"#{colour}"


def _ink(background: str) -> str:
    return "#1f2328" if contrast_ratio("#000000", background) >= 10 else "#e6edf3"


@lru_cache(maxsize=2)
def _formatter(dark: bool) -> HtmlFormatter[str]:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=code_style(dark).style, noclasses=True, nowrap=True)


@lru_cache(maxsize=64)
def _lexer_named(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def _lexer_for(language: str, code: str) -> Lexer | None:
    lexer = _lexer_named(language.lower()) if language else None
    if lexer is not None or code.count("\n") + 1 < GUESS_MIN_LINES:
        return lexer
    from pygments.lexers import guess_lexer
    from pygments.util import ClassNotFound

    try:
        guessed = guess_lexer(code)
    except ClassNotFound:
        return None
    alias = guessed.aliases[0] if guessed.aliases else ""
    return _lexer_named(alias) if alias in GUESSABLE else None


@lru_cache(maxsize=256)  # a finished block is shown again on every re-render of its answer
def highlight_code(code: str, language: str = "", dark: bool = False) -> str:
    """The HTML of ``code`` (escaped; coloured spans when its language is known or guessed)."""
    code = code.strip("\n")
    lexer = _lexer_for(language, code)
    if lexer is None:
        return html.escape(code, quote=False)
    from pygments import highlight

    return str(highlight(code, lexer, _formatter(dark))).rstrip("\n")


def _language(token: Token) -> str:
    return token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""


def _render_code(
    renderer: object, tokens: list[Token], index: int, options: object, env: dict[str, Any]
) -> str:
    token = tokens[index]
    dark = bool(env.get("dark"))
    language = _language(token)
    number = env.setdefault("block", 0)
    env["block"] = number + 1
    colours = code_style(dark)
    translate = QCoreApplication.translate
    link = (
        translate("Markdown", "Copied")
        if env.get("copied") == number
        else translate("Markdown", "Copy")
    )
    title = html.escape(translate("Markdown", "Copy this code"))
    body = (
        highlight_code(token.content, language, dark)
        if env.get("highlight", True)
        else html.escape(token.content.strip("\n"), quote=False)
    )
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" bgcolor="{colours.background}" '
        'style="margin-top:4px; margin-bottom:4px;">'
        f'<tr><td style="font-size:small;"><span style="color:{colours.label};">'
        f"{html.escape(language)}</span></td>"
        f'<td align="right" style="font-size:small;"><a href="copy:{number}" '
        f'title="{title}"><span style="color:{colours.link};">{html.escape(link)}</span></a>'
        "</td></tr>"
        f'<tr><td colspan="2"><pre style="font-family:monospace; margin:0; '
        f'color:{colours.text};">{body}</pre></td></tr></table>\n'
    )


def _render_table_open(
    renderer: object, tokens: list[Token], index: int, options: object, env: dict[str, Any]
) -> str:
    border = code_style(bool(env.get("dark"))).border
    return (
        f'<table border="1" cellspacing="0" cellpadding="5" style="border-collapse:collapse; '
        f'border-color:{border}; border-style:solid; margin-top:4px; margin-bottom:4px;">\n'
    )


def render_markdown(
    text: str,
    dark: bool = False,
    *,
    highlight: bool = True,
    first_block: int = 0,
    copied: int | None = None,
) -> str:
    """HTML for ``text``; an unclosed code fence (mid-stream) renders as code to the end.

    ``dark`` picks the dark code style (:func:`hybrid_desktop.ui.theme.is_dark` tells which the
    window shows). ``first_block`` numbers the Copy links of a part of an answer rendered on its
    own (a streaming view's later paragraphs): the number of code blocks before it. ``highlight``
    off shows code uncoloured (the benchmark's baseline). The link of block ``copied`` reads
    "Copied" instead of "Copy" (just after it was used).
    """
    env: dict[str, Any] = {
        "dark": dark,
        "highlight": highlight,
        "block": first_block,
        "copied": copied,
    }
    return str(_parser().render(text, env))


def code_blocks(text: str) -> list[str]:
    """The raw code of each code block of ``text``, in order: block N is the one whose header
    links to ``copy:N`` (fenced and indented blocks alike, as :func:`render_markdown` shows them).
    """
    return [
        token.content.strip("\n")
        for token in _parser().parse(text)
        if token.type in ("fence", "code_block")
    ]


def render_plain(text: str) -> str:
    """HTML for the user's own text: shown as typed, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def stable_split(text: str) -> int:
    """The length of the longest prefix of ``text`` that ends on a blank line outside a code fence.

    While an answer streams, that prefix is final: it can be rendered once and never again, so
    each repaint only re-renders the tail.
    """
    in_fence = False
    position = 0
    cut = 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and not line.strip() and line.endswith("\n"):
            cut = position
    return cut


__all__ = [
    "MIN_CONTRAST",
    "CodeStyle",
    "code_blocks",
    "code_style",
    "highlight_code",
    "render_markdown",
    "render_plain",
    "stable_split",
]
