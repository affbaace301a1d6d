"""Where a text holds code, and which parts of that code are free text.

People paste code, SQL, shell sessions, configuration and stack traces into prompts. In those
regions the names of classes, functions, tables, columns, modules, flags and files are not
personal data, and a placeholder in their place breaks the code ("JOIN x ON <PERSON_1>.id"). The
string literals and comments inside code are free text, though: a customer's name in a greeting
string or a colleague's name in a "# ask ..." comment is as personal there as in prose.

:func:`code_map` finds

* fenced blocks (```` ``` ```` and ``~~~``, with or without a language) and indented blocks, with
  markdown-it-py's CommonMark block parser (exact, and about 0.4 ms for 10,000 characters). A tag
  that names a programming, shell or configuration language (``data/code_words.txt``) makes the
  whole block code; an untagged block, or one tagged ``text``, is judged line by line with relaxed
  thresholds, because people fence letters, lists and CSV too;
* inline backtick spans whose content is not a phrase;
* unfenced lines that are clearly code: declarations (``def``, ``class``, ``fn``, ``func``,
  ``import``, ``const``/``let``), assignments and calls of code shape, SQL clauses, shell prompts
  and commands with flags or paths, stack-trace frames (Python, Java, JavaScript, Go, Rust,
  .NET, PHP, Jupyter), package-manager errors (``npm ERR!``), log lines that open with a
  timestamp and carry a level, and blocks of ``key: value`` configuration. A line counts only together with its neighbours: a run
  of lines that holds at least one clear line of code is a region, the weaker lines next to it
  (closing braces, ``host: String``) join it, and a line of prose ends it;
* code tokens in prose: calls (``refresh()``, ``df.head(``), ``::`` paths, dotted paths of three
  parts (``os.path.join``) and ``snake_case`` words.

Inside a region a small scanner separates the free text (string literals, comments, runs of
prose words, the user's segment of a home-directory path) from the code (identifiers, keywords,
punctuation, paths). Quotes and comment markers (``#``, ``//``, ``--``, ``/* */``) are the same
across the languages people paste, so no lexer library is needed: Pygments needs to know the
language (its ``guess_lexer`` takes about 15 ms on a 300-character snippet and misnames short
ones) and a parser such as tree-sitter needs a grammar per language and rejects fragments.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .code_scan import CODEY, HOME, masked_line, prose_runs, scan, words

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["CodeMap", "code_map"]

Span = tuple[int, int]


@dataclass(frozen=True)
class CodeMap:
    """The code of a text: regions, the free text inside them, and code tokens in prose.

    All spans are sorted and disjoint offsets into the text :func:`code_map` was given.
    """

    #: Blocks, lines and inline spans of code.
    regions: tuple[Span, ...] = ()
    #: Stretches inside ``regions`` that are free text: literals, comments, prose, home folders.
    free: tuple[Span, ...] = ()
    #: Single code tokens in prose ("refresh()", "os.path.join"); a web address is not one.
    tokens: tuple[Span, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.regions or self.tokens)

    def code_parts(self, start: int, end: int, *, tokens: bool = True) -> list[Span]:
        """The pieces of ``[start, end)`` that are code (in a region and not free text)."""
        out: list[Span] = []
        for rs, re_ in _overlapping(self.regions, start, end):
            s, e = max(rs, start), min(re_, end)
            cursor = s
            for fs, fe in _overlapping(self.free, s, e):
                if fs > cursor:
                    out.append((cursor, fs))
                cursor = max(cursor, fe)
            if cursor < e:
                out.append((cursor, e))
        if tokens:
            out.extend(
                (max(s, start), min(e, end)) for s, e in _overlapping(self.tokens, start, end)
            )
            out.sort()
        return out

    def is_code(self, pos: int) -> bool:
        """Whether the character at ``pos`` is code."""
        return bool(self.code_parts(pos, pos + 1))

    def prose(self, text: str) -> str:
        """``text`` with its code regions left out (the pieces joined by spaces)."""
        if not self.regions:
            return text
        parts = []
        cursor = 0
        for s, e in self.regions:
            parts.append(text[cursor:s])
            cursor = max(cursor, e)
        parts.append(text[cursor:])
        return " ".join(parts)


def _overlapping(spans: tuple[Span, ...], start: int, end: int) -> Iterator[Span]:
    """The spans of a sorted, disjoint tuple that overlap ``[start, end)``."""
    i = max(bisect_right(spans, (start, sys.maxsize)) - 1, 0)
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] > start:
            yield spans[i]
        i += 1


@cache
def _markdown() -> MarkdownIt:
    """A CommonMark parser with only the fenced and indented code block rules (no inline pass)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["fence", "code"]).disable(["inline", "text_join"])


# -- line tests ------------------------------------------------------------------------------

_DEFINITE = re.compile(
    "|".join(
        (
            # declarations: Python, JavaScript/TypeScript, Rust, Go, Java/C#/Kotlin, C
            r"^\s*(?:async\s+)?def\s+\w+\s*\(",
            r"^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+|final\s+|data\s+|sealed\s+)?"
            r"class\s+[A-Za-z_]\w*\s*(?:[(:{<]|extends\b|implements\b|$)",
            r"^\s*from\s+\.*[\w.]+\s+import\s+(?:\(|\*|\w)",
            r"^\s*import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*;?\s*$",
            r"^\s*import\s+(?:type\s+)?(?:\{|\*\s+as\s|\w+\s*,?\s*(?:\{[^}]*\}\s*)?from\s+\0"
            r"|\0|\(\s*$|static\s)",
            r"^\s*@[A-Za-z_][\w.]*(?:\(.*\))?\s*$",
            r"^\s*(?:export\s+)?(?:async\s+)?function\*?\s+\w+\s*\(",
            r"^\s*(?:export\s+)?(?:const|let|var)\s+(?:mut\s+)?[\w${}\[\], :<>]+?\s*=(?!=)",
            r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+|unsafe\s+|const\s+)*fn\s+\w+\s*[(<]",
            r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|union|trait)\s+\w+[^\n]*[{;(<]\s*$",
            r"^\s*impl\b[^\n]*\{\s*$",
            r"^\s*(?:pub\s+)?(?:use|mod)\s+[\w:{}*, ]+;\s*$",
            r"^\s*#\[[\w:]+(?:\(.*\))?\]\s*$",
            r"^\s*func\s+(?:\([^)]*\)\s*)?\w+\s*[(\[]",
            r"^package\s+[\w.]+\s*;?\s*$",
            r"^\s*type\s+\w+\s+(?:struct|interface)\s*\{",
            r"^\s*(?:public|private|protected|internal)\s+(?:[\w<>\[\],.?]+\s+)*"
            r"[\w<>\[\]]+(?:\(|\s*[{=;])",
            r"^\s*#\s*(?:include|define|ifn?def|endif|pragma)\b",
            r"^#!\s*/",
            r"^\s*<\?php\b",
            # assignments whose right side has code shape: "x = f(", "df['a'] = 1", "a := b.c"
            r"^\s*(?:[A-Z]\w*(?:<[^>\n]*>)?(?:\[\])?\s+)?[A-Za-z_$][\w$]*"
            r"(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]*\])*(?:\s*,\s*[A-Za-z_$][\w$]*)*"
            r"(?:\s*:\s*[\w\[\], .|]+?)?\s*(?:[-+*/%|&^:]|//|\*\*)?=(?!=)\s*"
            r"(?:[-+]?\d|[\"'\[{(`\0]|(?:new|await|lambda|not|function)\b|[A-Za-z_$][\w$]*"
            r"(?:\s*(?:[(\[.,;]|[-+*/%<>]=?|==|!=|&&|\|\||$)))",
            # a call on its own line: "print(x)", "fmt.Println(a);", "println!(...)"
            r"^\s*(?:await\s+|return\s+|yield\s+)?[A-Za-z_$][\w$]*"
            r"(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*!?\(.*\)[;,]?\s*[{:]?\s*$",
            r"^\s*(?:if|while|for|switch|catch)\s*\(.*\)\s*\{?\s*$",
            r"^\s*(?:if|elif|while)\s+[^\n]*[=<>()\[\]][^\n]*:\s*$",
            r"^\s*for\s+[\w, ()]+\s+in\s+[\w.]*[(\[.][^\n]*:\s*$",
            r"^\s*(?:else|try|finally|except(?:\s+[\w.]+(?:\s+as\s+\w+)?)?)\s*:\s*$",
            # stack traces
            r"^Traceback \(most recent call last\):",
            r"^\s*File \0+, line \d+",
            r"^\s*at [\w$.<>\[\]/-]+\s*\([^\n]*\)\s*$",
            r"^\s*at (?:async )?[\w$./<>-]+:\d+(?::\d+)?\s*$",
            r"^\s*(?:Caused by: |Exception in thread )",
            r"^\s*\.\.\. \d+ (?:more|common frames omitted)",
            r"^\s*(?:[a-z_][\w$]*\.)+[A-Z]\w*(?:Error|Exception|Throwable)\b",
            r"^[A-Z]\w*(?:Error|Exception|Warning|Interrupt|Exit)(?::|$)",
            r"^\s*(?:panic: |goroutine \d+ \[|thread '[^'\n]*' panicked at )",
            r"^\s+[\w./-]+\.(?:go|rs|py|js|ts|java|kt|rb|c|cc|cpp|cs|php):\d+",
            r"^\s*\d+: (?:0x[0-9a-f]+ - )?[\w:<>]+::",
            # Jupyter/IPython tracebacks: "KeyError    Traceback (most recent call last)",
            # "Cell In[3], line 2", "----> 2 df['a'].sum()"
            r"^[A-Z]\w*(?:Error|Exception|Warning|Interrupt|Exit)\s+Traceback \(most recent",
            r"^\s*(?:Cell In\s*\[\d+\], line \d+|Input In \[\d+\])",
            r"^\s*-+> ?\d+ ",
            # PHP errors and .NET frames with their source file ("in C:\\src\\A.cs:line 42")
            r"^(?:PHP )?(?:Fatal error|Parse error|Warning|Notice|Deprecated):\s+\S[^\n]* on line \d+",
            r"^PHP (?:Fatal error|Parse error|Warning|Notice|Deprecated|Stack trace):",
            r"^\s*at [\w$.<>`\[\]]+\([^\n]*\)(?: in [^\n]+:line \d+)?\s*$",
            # Terraform/OpenTofu diagnostics, boxed: "│ Error: ...", "│   on main.tf line 14, ..."
            r"^│ (?:Error|Warning): \S",
            r"^│?\s*on [\w./-]+\.\w+ line \d+(?:, in \w+|:|\s*$)",
            # package managers: "npm ERR! code ERESOLVE", "yarn error ...", "pip ... ERROR:"
            r"^\s*(?:npm|yarn|pnpm) (?:ERR!|(?:WARN|warn|error|notice)\b)",
            # log lines: a timestamp and a level, with a compose or pod prefix ("web_1  | ...")
            r"^\s*(?:[\w.-]+\s+\|\s+)?\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}[^\n]*?"
            r"\b(?:DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|CRITICAL|FATAL|TRACE)\b",
            # shell prompts and REPLs: "$ git push", "PS C:\> dir", "jo@box:~/src$ make", ">>> x"
            r"^\s*(?:\$ [a-z./~]|>>> \S|PS [^>\n]*> \S|[\w.-]+@[\w.-]+:[^\n$#]*[$#] \S"
            r"|In \[\d+\]: \S)",
            # SQL statements that open with their verb
            r"^\s*\(?\s*(?:SELECT|INSERT\s+INTO|UPDATE\s+[\w.\"`]+\s+SET|DELETE\s+FROM"
            r"|CREATE\s+(?:OR\s+REPLACE\s+|TEMP(?:ORARY)?\s+|UNIQUE\s+)*(?:TABLE|VIEW|INDEX"
            r"|FUNCTION|PROCEDURE|TRIGGER|SCHEMA|DATABASE|TYPE|EXTENSION)"
            r"|ALTER\s+TABLE|DROP\s+(?:TABLE|VIEW|INDEX|DATABASE|SCHEMA)"
            r"|WITH(?:\s+RECURSIVE)?\s+\w+(?:\s*\([^)\n]*\))?\s+AS\s*(?=\())(?!\w)",
        )
    ),
)
#: Lines that are code unless they hold a run of prose words.
_PROBABLE = re.compile(
    "|".join(
        (
            r"^\s*(?:FROM|(?:(?:LEFT|RIGHT|FULL|INNER|CROSS|OUTER|NATURAL)\s+)*JOIN|WHERE"
            r"|GROUP\s+BY|ORDER\s+BY|PARTITION\s+BY|HAVING|LIMIT|OFFSET|UNION(?:\s+ALL)?"
            r"|INTERSECT|EXCEPT|VALUES|SET|ON|AND|OR|RETURNING|CASE|WHEN|THEN|ELSE|END"
            r"|SELECT)\b",
            r"(?i:^\s*select\s+(?:distinct\s+)?(?:\*|[\w.()*]+(?:\s+as\s+\w+)?"
            r"(?:\s*,\s*[\w.()*]+(?:\s+as\s+\w+)?)*)\s+from\s+[\w.\"`]+(?:\s+(?:as\s+)?\w+)?"
            r"\s*(?:$|;|\b(?:where|join|left|right|inner|group|order|limit)\b))",
            r"(?i:^\s*insert\s+into\s+[\w.\"`]+\s*(?:\(|values\b|select\b))",
            r"(?i:^\s*update\s+[\w.\"`]+\s+set\s+\w+\s*=)",
            r"(?i:^\s*delete\s+from\s+[\w.\"`]+)",
            r"(?i:^\s*(?:create|alter|drop)\s+(?:table|view|index)\s+)",
            r"(?i:\bjoin\s+[\w.\"`]+(?:\s+(?:as\s+)?\w+)?\s+on\s+[\w.]+\s*=\s*[\w.]+)",
            r"^\s*(?:return|yield|raise|throw)\b[^\n]*(?:[()\[\];=]|\w\.\w|\w\s*[-+*/%<>]\s*\w)",
            r"^\s*(?:return|yield|raise|throw|await|print|echo)\s*[\0\w.$\[\](){}!:]*;?\s*$",
        )
    ),
)
_COMMAND = re.compile(r"^\s*(?:sudo\s+)?([\w.+-]+)\s+\S")
_COMMAND_ARGS = re.compile(r"\s--?[A-Za-z]|\S/\S|\s[./~]/|\s\||&&|\s>|\w=\S")
#: Weak code marks: they make a line code only next to a clear line of code.
_WEAK = re.compile(
    r"[\w)\]]\(|[{};]\s*$|^\s*[)\]}]|\w\.\w+\(|::|->|=>|\w\[|\s=\s|==|!=|&&|\|\||<=|>="
    r"|^[\s\0,;:]*\0[\s\0,;:]*$"
)
_CONFIG = re.compile(
    r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w.-]*|\0+)\s*"
    r"(?:(?P<colon>:)(?:[ \t]+(?P<cval>\S.*?))?|(?P<eq>=)[ \t]*(?P<eval>.*?))\s*$"
    r"|^\s*-[ \t]+(?P<item>\S.*?)\s*$"
    r"|^\s*(?P<section>\[[\w. \"'-]+\])\s*$"
)
_LOWER_TOKEN = re.compile(r"[a-z][a-z0-9]*")
_CODE_KEY = re.compile(r"[a-z_][\w.-]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|\w*[_.-]\w*")
_INFO_WORD = re.compile(r"[^\s{]+")
#: A line that ends in a question: "Why does add('1', 2) raise a TypeError?"
_QUESTION = re.compile(r"[^\W\d_]\?\s*$")
_NEWLINE = re.compile("\n")
_CLOSING_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*$", re.MULTILINE)

# Line kinds, strongest first.
_DEF, _PROB, _WEAK_K, _CONF, _BLANK, _PROSE = range(6)


@dataclass
class _Line:
    start: int
    end: int
    kind: int
    structural: bool = False  # a config line that only configuration writes


def _classify(text: str, start: int, end: int, masked: list[Span]) -> _Line:
    """How strongly the line ``text[start:end]`` looks like code (see the module docstring)."""
    raw = text[start:end]
    if not raw.strip():
        return _Line(start, end, _BLANK)
    line = masked_line(text, start, end, masked)
    if _DEFINITE.match(line):
        return _Line(start, end, _DEF)
    if prose_runs(line, first=True) or _QUESTION.search(line):
        return _Line(start, end, _PROSE)
    if _PROBABLE.search(line):
        return _Line(start, end, _PROB)
    cmd = _COMMAND.match(line)
    if cmd and cmd.group(1).lower() in words().commands and _COMMAND_ARGS.search(line):
        return _Line(start, end, _PROB)
    c = _CONFIG.match(line)
    if c is not None:
        key = c.group("key") or ""
        value = c.group("cval") or c.group("eval") or ""
        structural = bool(c.group("section")) or (
            bool(key)
            and _CODE_KEY.fullmatch(key) is not None
            and (not value or c.group("eq") is not None or "_" in key or "." in key)
        )
        if key[:1].isupper() and " " in value.strip("\0"):
            return _Line(start, end, _PROSE)  # "Anna: see you at eight" is a chat line
        return _Line(start, end, _CONF, structural)
    if _WEAK.search(line):
        return _Line(start, end, _WEAK_K)
    return _Line(start, end, _PROSE)


def _config_values(text: str, line: _Line, masked: list[Span]) -> list[Span]:
    """The unquoted values of a configuration line that are free text ("author: Jane Roe")."""
    m = _CONFIG.match(masked_line(text, line.start, line.end, masked))
    if m is None:
        return []
    group = next((g for g in ("cval", "eval", "item") if m.group(g)), None)
    if group is None:
        return []
    s, e = line.start + m.start(group), line.start + m.end(group)
    value = text[s:e]
    if "\0" in m.group(group) or CODEY.fullmatch(value) or _LOWER_TOKEN.fullmatch(value):
        # Quoted (the scanner has it), a single code token (a path, an image) or one
        # lower-case word: a resource, service or host name ("name: orders").
        return []
    return [(s, e)]


# -- building the map ------------------------------------------------------------------------

_INLINE = re.compile(r"(?<!`)(`+)(?!`)([^\n]+?)(?<!`)\1(?!`)")
#: What every code token in prose holds; searching for it first keeps prose cheap.
_TOKEN_MARK = re.compile(r"[(_]|::|\.[\w$]+\.")
_CHUNK_TAIL = re.compile(r"[\w$.:()]*")
_NON_WORD = re.compile(r"[^\w\s'’-]")
_PROSE_TOKEN = re.compile(
    r"(?<![\w.$@/\\-])(?:"
    r"[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)+\((?=[\w\"'\[{)])(?:\))?"
    r"|[A-Za-z_$][\w$]*\(\)"
    r"|[A-Za-z_$][\w$]*(?:::[A-Za-z_$][\w$]*)+"
    r"|[a-z_][\w$]*(?:\.[A-Za-z_$][\w$]*){2,}(?![\w$@-])"
    r"|[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w$@.-])"
    r")"
)


def code_map(text: str) -> CodeMap:
    """Find the code in ``text`` and the free text inside it (see the module docstring)."""
    if not text.strip():
        return CodeMap()
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    ends = [s - 1 for s in starts[1:]] + [len(text)]
    bounds = list(zip(starts, ends, strict=True))
    # Fenced and indented blocks: line index -> dialect ("program", "config", "shell" or "" for
    # a block judged line by line).
    block_of: dict[int, str] = {}
    fence_lines: set[int] = set()
    if "```" in text or "~~~" in text or "\n    " in text or "\n\t" in text or text[:1] in " \t":
        # markdown-it counts a lone "\r" as a line break and _NEWLINE does not: read it as a
        # space, so both number the lines alike ("```\rx" raised IndexError; found by fuzzing).
        for token in _markdown().parse(text.replace("\r", " ")):
            if token.map is None or token.type not in ("fence", "code_block"):
                continue
            first, last = token.map
            if token.type == "fence":
                fence_lines.add(first)
                if last - 1 > first and _CLOSING_FENCE.match(text, *bounds[last - 1]):
                    fence_lines.add(last - 1)
                    last -= 1
                first += 1
                info = _INFO_WORD.match(token.info.strip().lower())
                dialect = words().dialects.get(info.group(0).lstrip(".")) if info else None
            else:
                dialect = None
            for i in range(first, min(last, len(bounds))):
                block_of[i] = dialect or ""

    regions: list[Span] = []
    free: list[Span] = []
    n = len(bounds)
    i = 0
    while i < n:
        if i in fence_lines:
            i += 1
            continue
        if i in block_of:
            j = i
            while j < n and j not in fence_lines and block_of.get(j) == block_of[i]:
                j += 1
            dialect = block_of[i]
            if dialect:
                _add_region(text, bounds[i:j], dialect, regions, free, judged=None)
            else:
                _judge_lines(text, bounds[i:j], True, regions, free)
            i = j
            continue
        j = i
        while j < n and j not in block_of and j not in fence_lines:
            j += 1
        _judge_lines(text, bounds[i:j], False, regions, free)
        i = j

    tokens = _prose_tokens(text, regions, free)
    regions.sort()
    free.sort()
    return CodeMap(tuple(regions), tuple(_union(free)), tuple(tokens))


def _judge_lines(
    text: str, lines: list[Span], relaxed: bool, regions: list[Span], free: list[Span]
) -> None:
    """Find the runs of code among lines outside any tagged block."""
    if not lines:
        return
    start, end = lines[0][0], lines[-1][1]
    _, masked = scan(text, start, end)
    judged = [_classify(text, s, e, masked) for s, e in lines]
    k = 0
    while k < len(judged):
        if judged[k].kind in (_PROSE, _BLANK):
            k += 1
            continue
        m = k
        while m < len(judged) and judged[m].kind != _PROSE:
            if judged[m].kind == _BLANK and not relaxed:
                # After a blank line only a clear line of code goes on with the region.
                nxt = next((x for x in judged[m:] if x.kind != _BLANK), None)
                if nxt is None or nxt.kind not in (_DEF, _PROB):
                    break
            m += 1
        run = judged[k:m]
        while run and run[-1].kind == _BLANK:
            run.pop()
        kinds = [x.kind for x in run if x.kind != _BLANK]
        code = any(x in (_DEF, _PROB) for x in kinds)
        config = all(x == _CONF for x in kinds) and (
            (len(kinds) >= 2 and any(x.structural for x in run)) or relaxed
        )
        if code or config or (relaxed and kinds):
            dialect = "config" if all(x == _CONF for x in kinds) else "program"
            _add_region(text, [(x.start, x.end) for x in run], dialect, regions, free, run)
        k = m


def _add_region(
    text: str,
    lines: list[Span],
    dialect: str,
    regions: list[Span],
    free: list[Span],
    judged: list[_Line] | None,
) -> None:
    """Record a region of whole lines and the free text inside it."""
    start, end = lines[0][0], lines[-1][1]
    if start >= end:
        return
    regions.append((start, end))
    lit, masked = scan(text, start, end)
    free.extend(lit)
    for idx, (s, e) in enumerate(lines):
        if dialect == "config":
            line = judged[idx] if judged else _Line(s, e, _CONF)
            free.extend(_config_values(text, line, masked))
        else:
            line_text = masked_line(text, s, e, masked)
            free.extend((s + a, s + b) for a, b in prose_runs(line_text))
    for m in HOME.finditer(text, start, end):
        free.append(m.span(1))


def _prose_tokens(text: str, regions: list[Span], free: list[Span]) -> list[Span]:
    """Inline backtick spans become regions; code tokens in the remaining prose are returned."""
    if "`" in text:
        taken = sorted(regions)
        for m in _INLINE.finditer(text):
            if _inside(taken, m.start()):
                continue
            s, e = m.span(2)
            body = text[s:e]
            if prose_runs(body) or (" " in body.strip() and not _NON_WORD.search(body)):
                continue  # a phrase in backticks, not code
            regions.append(m.span())
            free.extend(scan(text, s, e)[0])
            free.extend(h.span(1) for h in HOME.finditer(text, s, e))
    taken = sorted(regions)
    out: list[Span] = []
    done = 0
    pos = 0
    while (mark := _TOKEN_MARK.search(text, pos)) is not None:
        k = bisect_left(taken, (mark.start() + 1, 0)) - 1
        if k >= 0 and taken[k][0] <= mark.start() < taken[k][1]:
            pos = done = taken[k][1]  # inside a region: skip it
            continue
        start = mark.start()
        while start > done and (text[start - 1].isalnum() or text[start - 1] in "_$.:()"):
            start -= 1
        tail = _CHUNK_TAIL.match(text, mark.start())
        pos = done = max(tail.end() if tail else 0, mark.end())
        out.extend(m.span() for m in _PROSE_TOKEN.finditer(text, start, done))
    return out


def _inside(spans: list[Span], pos: int) -> bool:
    k = bisect_left(spans, (pos + 1, 0)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _union(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
