"""The chat view's rendering and coalesced streaming (no model needed)."""

from __future__ import annotations

from hybrid_desktop.ui.chat_view import ChatView
from hybrid_desktop.ui.markdown import render_markdown, stable_split


def test_markdown_renders_code_blocks_and_escapes_html() -> None:
    html = render_markdown("Some **bold**\n\n```python\nprint('<hi>')\n```\n<script>x</script>")
    assert "<strong>bold</strong>" in html
    assert "<table" in html and "<pre" in html and "python" in html
    assert "&lt;hi&gt;" in html
    assert "<script>" not in html


def test_stable_split_stops_outside_code_fences() -> None:
    text = "Para one.\n\n```\ncode\n\nmore code\n"
    assert stable_split(text) == len("Para one.\n\n")
    assert stable_split(text + "```\n\nTail") == len(text + "```\n\n")


def test_streaming_repaints_on_a_timer_and_freezes_finished_paragraphs(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    view.add_message("user", "hi")
    widget = view.begin_stream()
    text = "".join(f"Paragraph {i} has some words in it.\n\n" for i in range(30)) + "Tail"
    paints: list[int] = []
    view.stream_painted.connect(lambda: paints.append(1))
    for i in range(0, len(text), 7):
        view.append_stream(text[i : i + 7])
    qtbot.waitUntil(lambda: bool(paints), timeout=2000)
    assert len(paints) == 1, "all buffered tokens go out in one repaint"
    assert widget.plain_text() == text
    # 30 finished paragraphs became one frozen label; only the tail is re-rendered later.
    assert widget.body.count() == 2
    view.append_stream(" more")
    qtbot.waitUntil(lambda: len(paints) == 2, timeout=2000)
    view.end_stream(text + " more", "local · test", "why")
    assert widget.plain_text() == text + " more"
    assert widget.badge.text() == "local · test"
    assert view.streaming is None
