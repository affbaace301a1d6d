"""Markdown to the HTML subset Qt's rich-text engine renders (for the assistant's answers).

Raw HTML in an answer is escaped, not rendered: a model's output must not be able to inject
markup. Code blocks become a shaded, monospaced single-cell table, which Qt draws well.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([\w+#.-]+)")?>(.*?)</code></pre>', re.S)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use, not at start-up

    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def _code_table(match: re.Match[str]) -> str:
    language, body = match.group(1), match.group(2).rstrip("\n")
    label = (
        f'<tr><td style="color:#6b7280; font-size:small;">{html.escape(language)}</td></tr>'
        if language
        else ""
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="8" bgcolor="#f3f4f6" '
        'style="margin-top:4px; margin-bottom:4px;">'
        f'{label}<tr><td><pre style="font-family:monospace; margin:0;">{body}</pre></td></tr></table>'
    )


def render_markdown(text: str) -> str:
    """HTML for ``text``; an unclosed code fence (mid-stream) renders as code to the end."""
    return _CODE_BLOCK.sub(_code_table, _parser().render(text))


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
