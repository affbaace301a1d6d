"""Credentials given as positional arguments of well-known calls (``new PDO($dsn, 'shop',
'Pw!')``, ``ldap_bind($c, $dn, 'Pw!')``, ``server.login("ops", "Pw!")``, ``auth=("u", "pw")``).

The calls and the places of their password and user arguments are in ``data/secrets_calls.txt``.
Arguments are read by a small scanner that knows quotes and brackets, so commas inside strings
or nested calls do not shift the count; only a string literal counts, never a variable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from .secret_shapes import placeholder

__all__ = ["credential_arguments"]

#: How far after its opening bracket a call's arguments are read.
_MAX_ARGS = 2000


@cache
def _calls() -> tuple[re.Pattern[str], dict[str, tuple[int, int | None]]]:
    """The calls' regex (one group per call) and each call's argument places, by call key."""
    path = resources.files("hybrid_desktop.core.privacy") / "data" / "secrets_calls.txt"
    places: dict[str, tuple[int, int | None]] = {}
    for raw in path.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        numbers = [p for p in parts if p.isdigit()]
        name = " ".join(p for p in parts if not p.isdigit())
        places[_key(name)] = (int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else None)
    alternatives = []
    for name in sorted(places, key=len, reverse=True):
        head = r"(?<![\w$>\-])" if name[0].isalnum() else ""
        if name.startswith("."):
            head = r"(?<=[\w)\]])"
        body = re.escape(name).replace(r"\ ", r"\s+").replace("=", r"\s*=")
        alternatives.append(head + body)
    regex = re.compile(rf"(?P<call>{'|'.join(alternatives)})\s*\(", re.IGNORECASE)
    return regex, places


def _key(name: str) -> str:
    """A call as written or listed, for look-up ("new  PDO" -> "new pdo", "auth =" -> "auth=")."""
    return re.sub(r"\s*(=|->)\s*", r"\1", " ".join(name.lower().split()))


def _arguments(text: str, pos: int) -> list[tuple[int, int]]:
    """The top-level arguments of the call whose bracket opened just before ``pos``, as spans
    (empty if the call does not close within reach)."""
    args: list[tuple[int, int]] = []
    depth = 0
    quote = ""
    start = pos
    end = min(len(text), pos + _MAX_ARGS)
    i = pos
    while i < end:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                args.append((start, i))
                return args
            depth -= 1
        elif ch == "," and depth == 0:
            args.append((start, i))
            start = i + 1
        i += 1
    return []


def _literal(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The inside of ``text[span]`` when it is one string literal ('x', "x", `x`)."""
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 3 or text[start] not in "\"'`" or text[end - 1] != text[start]:
        return None
    inner = text[start + 1 : end - 1]
    if text[start] in inner or ("${" in inner and text[start] == "`"):
        return None  # two literals joined, or a template string
    return start + 1, end - 1


def credential_arguments(text: str) -> Iterator[tuple[str, int, int]]:
    """("SECRET" | "USERNAME", start, end) for each literal credential argument."""
    if "(" not in text:
        return
    regex, places = _calls()
    for match in regex.finditer(text):
        secret_at, user_at = places[_key(match.group("call"))]
        args = _arguments(text, match.end())
        if len(args) <= secret_at:
            continue
        secret = _literal(text, args[secret_at])
        if secret is None or placeholder(text[secret[0] : secret[1]]):
            continue
        yield "SECRET", secret[0], secret[1]
        if user_at is not None and user_at < len(args):
            user = _literal(text, args[user_at])
            if user is not None and not placeholder(text[user[0] : user[1]]):
                yield "USERNAME", user[0], user[1]
