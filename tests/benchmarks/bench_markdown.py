"""Markdown rendering benchmark: a long answer with code, highlighted (light and dark) against the
same answer with highlighting off (the baseline), measured in the same run.

    python tests/benchmarks/bench_markdown.py [--json] [--repeat 30] [--blocks 12]

The answer: ``--blocks`` code blocks (Python, JavaScript, Bash, SQL, JSON, Rust, C and one
unlabelled shell script that the guesser names), 25 to 40 lines each, with a paragraph of prose
before each, a Markdown table and a list. Timed, interleaved, ``--repeat`` times each:

- **render_plain_code** (the baseline): ``render_markdown(text, highlight=False)``;
- **render_light** / **render_dark**: ``render_markdown(text)`` / ``render_markdown(text, dark=True)``;
- **qt_layout_plain** / **qt_layout_light**: those HTML strings laid out by Qt (``QTextDocument``
  ``setHtml`` at 700 px wide), which the label in the chat view does on every paint of the text;
- **stream_tail**: what a streaming repaint costs at the end of the answer: the unclosed last
  block (its lines so far) rendered highlighted, as ``ChatView`` re-renders its tail.

Also once: the first render in a fresh process (markdown-it and Pygments imported, styles built),
which ``running`` does after the window's first paint. Figures: p50 and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PROSE = (
    "The function below reads the file once and keeps the result, so later calls are cheap; "
    "note how errors are reported to the caller rather than printed."
)
SNIPPETS = {
    "python": [
        "def load(path: str) -> dict[str, int]:",
        '    """Count the words of a file."""',
        "    counts: dict[str, int] = {}",
        "    with open(path, encoding='utf-8') as handle:",
        "        for line in handle:  # one line at a time",
        "            for word in line.split():",
        "                counts[word] = counts.get(word, 0) + 1",
        "    return counts",
    ],
    "javascript": [
        "async function fetchAll(urls) {",
        "  const results = await Promise.all(urls.map((u) => fetch(u)));",
        "  // keep only the successful ones",
        "  return results.filter((r) => r.ok).map((r) => r.status * 2 + 1);",
        "}",
    ],
    "bash": [
        'for f in "$@"; do',
        '  if [ -f "$f" ]; then',
        '    echo "$(wc -l < "$f") $f"  # lines per file',
        "  fi",
        "done | sort -n",
    ],
    "sql": [
        "SELECT route, count(*) AS n, avg(latency_ms)",
        "FROM requests",
        "WHERE created_at >= '2026-01-01' AND status = 'complete'",
        "GROUP BY route ORDER BY n DESC;",
    ],
    "json": ['{"name": "tiny", "size_mb": 98, "tags": ["local", "fast"], "ok": true},'],
    "rust": [
        "fn parse(line: &str) -> Option<(String, u32)> {",
        "    let mut parts = line.splitn(2, '=');",
        "    let key = parts.next()?.trim().to_string();",
        "    let value = parts.next()?.trim().parse::<u32>().ok()?;",
        "    Some((key, value))",
        "}",
    ],
    "c": [
        "#include <stdio.h>",
        "int main(int argc, char **argv) {",
        '    for (int i = 1; i < argc; i++) printf("%d: %s\\n", i, argv[i]);',
        "    return 0;",
        "}",
    ],
}


def code(language: str, lines: int) -> str:
    pattern = SNIPPETS[language]
    return "\n".join(pattern[i % len(pattern)] for i in range(lines))


def answer(blocks: int) -> str:
    parts = ["Here is a **walk-through** with `inline code` and several blocks.\n"]
    languages = list(SNIPPETS)
    for i in range(blocks):
        language = languages[i % len(languages)]
        lines = 25 + (i * 7) % 16
        parts.append(f"{i + 1}. {PROSE}\n")
        if i == blocks - 1:  # unlabelled: the guesser names it
            parts.append("```\n#!/bin/bash\n" + code("bash", lines) + "\n```\n")
        else:
            parts.append(f"```{language}\n{code(language, lines)}\n```\n")
    parts.append(
        "| Model | Size | Speed |\n|---|--:|:-:|\n| tiny | 98 MB | fast |\n| small | 1 GB | ok |\n"
    )
    parts.append("- one point\n- another point\n  - a nested one\n")
    return "\n".join(parts)


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--blocks", type=int, default=12)
    args = parser.parse_args(argv)
    report = run(args.repeat, args.blocks)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0


def run(repeat: int, blocks: int) -> dict[str, Any]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    text = answer(blocks)
    started = time.perf_counter()
    from hybrid_desktop.ui.markdown import code_blocks, render_markdown

    render_markdown("warm *up*")
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    render_markdown(text)  # the first block guess loads Pygments' lexers' modules
    first_code_ms = (time.perf_counter() - started) * 1000

    from PySide6.QtGui import QGuiApplication, QTextDocument

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])

    def layout(html: str) -> Callable[[], object]:
        def lay_out() -> object:
            document = QTextDocument()
            document.setTextWidth(700)
            document.setHtml(html)
            return document.size()

        return lay_out

    plain_html = render_markdown(text, highlight=False)
    light_html = render_markdown(text)
    cut = text.rfind("```\n", 0, len(text) - 200)  # the last block's opening fence
    tail = text[cut:].split("\n```\n", 1)[0]  # its lines so far, not yet closed
    jobs: dict[str, Callable[[], object]] = {
        "render_plain_code": lambda: render_markdown(text, highlight=False),
        "render_light": lambda: render_markdown(text),
        "render_dark": lambda: render_markdown(text, dark=True),
        "qt_layout_plain": layout(plain_html),
        "qt_layout_light": layout(light_html),
        "stream_tail": lambda: render_markdown(tail),
    }
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            t = time.perf_counter()
            job()
            samples[name].append((time.perf_counter() - t) * 1000)
    figures = {name: stats(values) for name, values in samples.items()}
    base = figures["render_plain_code"]["p50_ms"]
    del app
    return {
        "chars": len(text),
        "code_blocks": len(code_blocks(text)),
        "code_lines": sum(block.count("\n") + 1 for block in code_blocks(text)),
        "html_chars": {"plain": len(plain_html), "light": len(light_html)},
        "repeat": repeat,
        "first_render_ms": round(first_ms, 1),
        "first_code_render_ms": round(first_code_ms, 1),
        "figures": figures,
        "highlight_over_plain": round(figures["render_light"]["p50_ms"] / base, 2)
        if base
        else None,
    }


def print_report(r: dict[str, Any]) -> None:
    print(
        f"Markdown rendering: an answer of {r['chars']:,} characters, {r['code_blocks']} code "
        f"blocks ({r['code_lines']} lines); {r['repeat']} runs each, interleaved"
    )
    print(
        f"  first render in the process {r['first_render_ms']} ms (imports, styles); "
        f"first with code {r['first_code_render_ms']} ms"
    )
    print(
        f"  HTML: {r['html_chars']['plain']:,} chars plain, {r['html_chars']['light']:,} highlighted"
    )
    print(f"  {'':22} {'p50 ms':>8} {'p95 ms':>8}")
    for name, s in r["figures"].items():
        print(f"  {name:22} {s['p50_ms']:>8} {s['p95_ms']:>8}")
    print(f"  highlighted / plain render (p50): {r['highlight_over_plain']}x")


if __name__ == "__main__":
    raise SystemExit(main())
