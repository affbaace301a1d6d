"""How every CLI command writes: one JSON object per line, and text made safe for a terminal.

Shared by ``cli`` and the ``models`` commands (``cli_models*``), which sit below it in the import
layers and so cannot import it.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Line breaks to ``str.splitlines`` and JavaScript that JSON leaves raw: escaped in our output, so
#: one JSON object is one line to every reader.
LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
#: Control characters that could retitle or drive a terminal (all but tab and newline).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def emit_json(data: Any) -> None:
    """Print ``data`` as one JSON object on one line."""
    line = json.dumps(data, ensure_ascii=False).translate(LINE_BREAKS)
    try:
        print(line)
    except UnicodeEncodeError:  # a lone surrogate, or a terminal that is not UTF-8
        print(json.dumps(data))


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), for a terminal."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
