"""Code highlighting, Copy links, tables and lists in the answers' HTML, as Qt's rich text reads it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette, QTextDocument, QTextTable

from hybrid_desktop.ui.markdown import (
    code_blocks,
    code_style,
    highlight_code,
    render_markdown,
    stable_split,
)
from hybrid_desktop.ui.theme import MIN_CONTRAST, contrast_ratio, dark_palette, light_palette

ANSWER = """Two blocks:

```python
import os
# a comment <b>not bold</b>
print(os.sep + "x")
```

Then a table:

| Model | Size |
|-------|-----:|
| tiny  | 98 MB |
| small | 1 GB |

1. first
2. second
   - nested

```
plain & short
```
"""


@pytest.fixture(autouse=True)
def _application(qapp: object) -> None:
    """QTextDocument lays text out with fonts: it needs the application."""


def _document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def _fragments(document: QTextDocument) -> list[tuple[str, QColor]]:
    """Every text fragment with its foreground colour, in order (tables included)."""
    found: list[tuple[str, QColor]] = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            found.append((fragment.text(), fragment.charFormat().foreground().color()))
            iterator += 1
        block = block.next()
    return found


@pytest.mark.parametrize("dark", [False, True])
def test_every_token_colour_meets_wcag_aa_on_its_background(dark: bool) -> None:
    colours = code_style(dark)
    checked = 0
    for token, style in colours.style:
        foreground = f"#{style['color']}" if style["color"] else colours.text
        background = f"#{style['bgcolor']}" if style["bgcolor"] else colours.background
        ratio = contrast_ratio(foreground, background)
        assert ratio >= MIN_CONTRAST, f"{token}: {foreground} on {background} is {ratio:.2f}:1"
        checked += 1
    assert checked > 50  # every token type Pygments knows, not a handful
    for name in ("text", "label", "link"):
        ratio = contrast_ratio(getattr(colours, name), colours.background)
        assert ratio >= MIN_CONTRAST, f"{name}: {ratio:.2f}:1"
    # Table borders are drawn on the window's own colours: a line, not text, needs 3:1.
    palette = dark_palette() if dark else light_palette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        assert contrast_ratio(colours.border, palette.color(role)) >= 3.0


def test_light_and_dark_blocks_differ_and_both_shade_the_code() -> None:
    light, dark = render_markdown(ANSWER), render_markdown(ANSWER, dark=True)
    assert f'bgcolor="{code_style(False).background}"' in light
    assert f'bgcolor="{code_style(True).background}"' in dark
    assert contrast_ratio(code_style(True).background, "#ffffff") > 10  # dark means dark


def test_python_is_highlighted_with_inline_styles_qt_applies() -> None:
    html = render_markdown(ANSWER)
    assert '<span style="color:' in html and "class=" not in html
    fragments = _fragments(_document(html))
    keyword = next(colour for text, colour in fragments if text.startswith("import"))
    plain = next(colour for text, colour in fragments if text.startswith("Two blocks"))
    assert keyword.name() != plain.name(), "Qt did not apply the token colour"
    expected = code_style(False).style.style_for_token(
        __import__("pygments.token", fromlist=["Keyword"]).Keyword.Namespace
    )["color"]
    assert keyword.name() == f"#{expected.lower()}"


def test_code_text_gets_the_blocks_own_colour_so_it_reads_on_any_window() -> None:
    """A light block shown in a dark window (or the reverse) still has readable plain text."""
    for dark in (False, True):
        fragments = _fragments(_document(render_markdown("```\nplain text here\n```", dark=dark)))
        colour = next(c for text, c in fragments if "plain text here" in text)
        assert colour.name() == code_style(dark).text


def test_markup_in_code_and_prose_is_escaped() -> None:
    html = render_markdown("<script>alert(1)</script>\n\n```html\n<script>x()</script>\n```\n")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>not bold</b>" not in render_markdown(ANSWER)


def test_each_block_has_a_numbered_copy_link_and_code_blocks_returns_its_code() -> None:
    html = render_markdown(ANSWER)
    assert re.findall(r'href="(copy:\d+)"', html) == ["copy:0", "copy:1"]
    assert ">Copy</span></a>" in html
    blocks = code_blocks(ANSWER)
    assert blocks == [
        'import os\n# a comment <b>not bold</b>\nprint(os.sep + "x")',
        "plain & short",
    ]
    # Indented blocks and blocks in quotes count too, in the order they are shown.
    text = "    indented\n\n> ```sh\n> echo hi\n> ```\n"
    assert code_blocks(text) == ["indented", "echo hi"]
    assert re.findall(r'href="(copy:\d+)"', render_markdown(text)) == ["copy:0", "copy:1"]


def test_a_later_part_of_an_answer_numbers_its_blocks_after_the_earlier_ones() -> None:
    cut = stable_split(ANSWER)
    head, tail = ANSWER[:cut], ANSWER[cut:]
    offset = len(code_blocks(head))
    numbers = re.findall(r'href="copy:(\d+)"', render_markdown(tail, first_block=offset))
    assert [int(n) for n in numbers] == list(range(offset, len(code_blocks(ANSWER))))


def test_unknown_or_missing_language_is_guessed_only_for_three_lines_or_more() -> None:
    assert "<span" not in highlight_code("echo hi", "")  # one line: plain
    assert "<span" not in highlight_code("x = 1\ny = 2", "no-such-language")  # two lines
    script = "#!/bin/bash\nfor f in *.txt; do\n  echo $f\ndone"
    assert "<span" in highlight_code(script, "")
    assert "<span" in highlight_code(script, "no-such-language")
    assert "<span" not in highlight_code("Just some words\nof prose\nin three lines", "")
    # The header names the language as given, escaped; the code itself is all there.
    html = render_markdown("```no<such>\nx\n```")
    assert "no&lt;such&gt;" in html and ">x</pre>" in html


def test_an_unclosed_fence_mid_stream_renders_as_highlighted_code() -> None:
    partial = "Intro\n\n```python\ndef f(x):\n    return x"
    html = render_markdown(partial)
    assert "<pre" in html and "copy:0" in html and '<span style="color' in html
    assert code_blocks(partial) == ["def f(x):\n    return x"]
    assert stable_split(partial) == len("Intro\n\n")


def test_highlight_off_shows_the_same_code_uncoloured() -> None:
    html = render_markdown(ANSWER, highlight=False)
    assert "<span style=" not in html.split("<pre", 1)[1].split("</pre>", 1)[0]
    assert "copy:1" in html
    document = _document(html)
    assert "import os" in document.toPlainText()


def test_tables_have_borders_padding_and_alignment_in_qt() -> None:
    document = _document(render_markdown(ANSWER))
    tables = [
        frame
        for frame in document.rootFrame().childFrames()
        if isinstance(frame, QTextTable) and frame.columns() == 2 and frame.rows() == 3
    ]
    markdown_table = next(
        t for t in tables if t.cellAt(0, 0).firstCursorPosition().block().text() == "Model"
    )
    table_format = markdown_table.format()
    assert table_format.border() >= 1
    assert table_format.cellPadding() >= 4
    size_cell = markdown_table.cellAt(1, 1).firstCursorPosition().block()
    assert size_cell.text() == "98 MB"
    from PySide6.QtCore import Qt

    assert size_cell.blockFormat().alignment() & Qt.AlignmentFlag.AlignRight


def test_lists_render_as_qt_lists_with_nesting() -> None:
    document = _document(render_markdown(ANSWER))
    lists: dict[str, int] = {}
    block = document.begin()
    while block.isValid():
        if block.textList() is not None:
            lists[block.text().strip()] = block.textList().format().indent()
        block = block.next()
    assert set(lists) >= {"first", "second", "nested"}
    assert lists["nested"] > lists["first"]


def test_existing_rendering_stays_as_it_was() -> None:
    html = render_markdown("Some **bold** and ~~gone~~\n\nline one\nline two")
    assert "<strong>bold</strong>" in html and "<s>gone</s>" in html
    assert "line one<br" in html


TWO_BLOCKS = 'First:\n\n```python\nprint("one")\n```\n\nSecond:\n\n```sh\necho "two" && ls\n```\n'


def test_the_second_copy_link_puts_the_second_blocks_code_on_the_clipboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from hybrid_desktop.ui.chat_view import BodyLabel, ChatView

    view = ChatView()
    qtbot.addWidget(view)
    answer = view.add_message("assistant", TWO_BLOCKS)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    (label,) = [w for w in answer.findChildren(BodyLabel) if "copy:" in w.text()]
    assert re.findall(r'href="(copy:\d+)"', label.text()) == ["copy:0", "copy:1"]
    assert "Copy" in label.accessibleDescription() and "Tab" in label.accessibleDescription()
    assert label.focusPolicy() & Qt.FocusPolicy.TabFocus, "the links are reached with Tab"
    QGuiApplication.clipboard().setText("something else")
    copied: list[int] = []
    answer.code_copied.connect(copied.append)
    # The keyboard: Tab to the label, Tab to its second link, Enter.
    label.setFocus()
    qtbot.keyClick(label, Qt.Key.Key_Tab)
    qtbot.keyClick(label, Qt.Key.Key_Tab)
    assert label.selectedText() == "Copy"
    qtbot.keyClick(label, Qt.Key.Key_Return)
    assert copied == [1]
    assert QGuiApplication.clipboard().text() == 'echo "two" && ls'
    # The mouse's way (the link's own activation) copies exactly the first block.
    label.linkActivated.emit("copy:0")
    assert QGuiApplication.clipboard().text() == 'print("one")'
    assert copied == [1, 0]
    # A user's message has no links: it is not a stop of the Tab chain.
    question = view.add_message("user", "```\nnot a block\n```")
    (plain,) = question.findChildren(BodyLabel)
    assert "<a " not in plain.text() and not plain.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_copy_works_on_a_streamed_answer_split_into_parts(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    from hybrid_desktop.ui.chat_view import BodyLabel, ChatView

    view = ChatView()
    qtbot.addWidget(view)
    answer = view.begin_stream()
    view.append_stream(TWO_BLOCKS + "\nAnd a third:\n\n```\nthree\n```")
    view.end_stream(None, "local · test")
    parts = sorted(
        (w for w in answer.findChildren(BodyLabel) if "copy:" in w.text()),
        key=answer.body.indexOf,  # as shown, top to bottom
    )
    assert len(parts) >= 2, "the finished paragraphs were frozen into their own labels"
    links = [n for part in parts for n in re.findall(r'href="copy:(\d+)"', part.text())]
    assert links == ["0", "1", "2"]
    last = next(part for part in parts if 'href="copy:2"' in part.text())
    last.linkActivated.emit("copy:2")
    assert QGuiApplication.clipboard().text() == "three"
    second = next(part for part in parts if 'href="copy:1"' in part.text())
    second.linkActivated.emit("copy:1")
    assert QGuiApplication.clipboard().text() == 'echo "two" && ls'
