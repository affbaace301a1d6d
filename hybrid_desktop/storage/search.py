"""Full-text search over every stored message: the FTS5 index of ``migrations.m005_message_search``.

:func:`search` turns what the user typed into an FTS5 query (:func:`fts_query`), so no input can
be an FTS5 syntax error, and returns the newest hits first, each with a ``snippet()`` of the text
around it. The words that matched are wrapped in :data:`MARK_OPEN` and :data:`MARK_CLOSE`
(private-use characters), so that each face marks them its own way after escaping the text:
``**bold**`` in the CLI's JSON, HTML in a window (:meth:`Hit.marked`).

Why newest first and not by relevance: FTS5 reads a match in rowid order and can stop after
``limit`` hits, while ``ORDER BY rank`` must score every match before returning the first one.
A one-letter prefix typed into the search box matches most of a large history: 100-500 ms by
rank at 100,000 messages, a few ms by rowid (``tests/benchmarks/bench_search.py``).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

import sqlite_utils

from hybrid_desktop.errors import StorageError
from hybrid_desktop.storage.db import revive

log = logging.getLogger(__name__)

#: Around each matched word in :attr:`Hit.snippet` (Unicode private-use characters).
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
#: Put where the snippet cuts the message short.
ELLIPSIS = "…"
#: How many words a snippet shows at most.
SNIPPET_WORDS = 16
#: The most hits one call returns.
MAX_LIMIT = 500
#: Where the search filters by route (the stored ones; "auto" is only ever asked for).
SEARCH_ROUTES = ("local", "edge", "cloud")

#: CROSS JOIN keeps the index the outer loop (SQLite never reorders it): given a conversation's
#: range of ids, SQLCipher's newer SQLite would otherwise loop over its messages and look each
#: one up in the index, which repeats the whole prefix expansion per message (200 ms, not 20).
_SQL = """
SELECT m.conversation_id, m.id, m.role, m.route, m.created_at, c.title,
       snippet(messages_fts, 0, ?, ?, ?, ?)
FROM messages_fts
CROSS JOIN messages m ON m.id = messages_fts.rowid
CROSS JOIN conversations c ON c.id = m.conversation_id
WHERE messages_fts MATCH ?{filters}
ORDER BY messages_fts.rowid DESC
LIMIT ? OFFSET ?
"""


@dataclass(frozen=True)
class Hit:
    """One message that matched, with where to open it."""

    conversation_id: int
    message_id: int
    role: str
    route: str | None
    created_at: str
    title: str
    #: The text around the match; matched words between MARK_OPEN and MARK_CLOSE.
    snippet: str

    def marked(self, open_mark: str = "**", close_mark: str = "**") -> str:
        """The snippet with its matches marked by ``open_mark`` / ``close_mark``."""
        return self.snippet.replace(MARK_OPEN, open_mark).replace(MARK_CLOSE, close_mark)

    def plain(self) -> str:
        """The snippet without marks."""
        return self.marked("", "")

    def to_json(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "message_id": self.message_id,
            "role": self.role,
            "route": self.route,
            "created_at": self.created_at,
            "title": self.title,
            "snippet": self.marked(),
        }


def fts_query(text: str, *, prefix: bool = True) -> str:
    """The FTS5 query for what the user typed; ``""`` when there is nothing to look for.

    Each whitespace-separated chunk becomes one FTS5 string: put between double quotes, with
    any double quote inside doubled, the only escape FTS5 strings have. So ``AND``, ``NEAR``,
    ``-``, ``*``, ``:``, ``^`` and parentheses are words to find, never operators, and no input
    is a syntax error. FTS5 splits each string with the index's tokenizer, so ``e-mail`` finds
    the phrase "e mail". The chunks must all match (FTS5's implicit AND), in any order.

    With ``prefix`` (search-as-you-type) the last chunk is a prefix (``"wor"*`` finds "world"),
    unless the text ends with a space: that word is finished. A chunk with no letter or digit
    ("-", "!!") is a phrase of no words, which FTS5 ignores. A NUL would end FTS5's reading of
    the query inside a string (an "unterminated string"): it separates words like a space.
    """
    text = text.replace("\x00", " ")
    chunks = text.split()
    if not chunks:
        return ""
    strings = ['"' + chunk.replace('"', '""') + '"' for chunk in chunks]
    if prefix and not text[-1].isspace():
        strings[-1] += "*"
    return " ".join(strings)


def parse_when(text: str) -> datetime:
    """A date (``2026-12-01``) or an ISO time (``2026-12-01T09:30``, ``...+02:00``, ``...Z``) as
    an aware datetime; one without a zone is UTC, as stored. ValueError when it is neither."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(), timezone.utc)
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a date or ISO time: {text!r}") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _stamp(when: datetime | date | str) -> str:
    """``when`` as stored timestamps are written (UTC, milliseconds), so strings compare."""
    if isinstance(when, str):
        when = parse_when(when)
    elif not isinstance(when, datetime):
        when = datetime.combine(when, time(), timezone.utc)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def search(
    history_db: sqlite_utils.Database,
    query: str,
    *,
    route: str | None = None,
    since: datetime | date | str | None = None,
    until: datetime | date | str | None = None,
    conversation_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    prefix: bool = True,
) -> list[Hit]:
    """The messages matching ``query`` (see :func:`fts_query`), newest first.

    Filters: ``route`` (local, edge or cloud), ``since`` (inclusive) and ``until`` (exclusive)
    as datetimes, dates or ISO strings (UTC unless they say otherwise), ``conversation_id``.
    ``limit`` and ``offset`` page the hits. Raises StorageError when the history cannot be
    read, or has no search index yet (opened read-only before its migration ran).
    """
    if route is not None and route not in SEARCH_ROUTES:
        raise ValueError(f"route must be one of {SEARCH_ROUTES}, not {route!r}")
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValueError(f"limit must be 1..{MAX_LIMIT} and offset >= 0")
    match = fts_query(query, prefix=prefix)
    if not match:
        return []
    filters = ""
    params: list[Any] = [MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_WORDS, match]
    if route is not None:
        filters += " AND m.route = ?"
        params.append(route)
    if since is not None:
        filters += " AND m.created_at >= ?"
        params.append(_stamp(since))
    if until is not None:
        filters += " AND m.created_at < ?"
        params.append(_stamp(until))
    revive(history_db)  # a history opened read-only on a full disk, that has space again
    try:
        if conversation_id is not None:
            # The conversation's range of message ids lets FTS5 skip the rest of each match
            # list instead of reading all of it (15 ms -> 0.4 ms for "the" at 100,000).
            low, high = history_db.execute(
                "SELECT min(id), max(id) FROM messages WHERE conversation_id = ?",
                [conversation_id],
            ).fetchone()
            if low is None:
                return []
            filters += " AND m.conversation_id = ? AND messages_fts.rowid BETWEEN ? AND ?"
            params += [conversation_id, low, high]
        params += [limit, offset]
        rows = history_db.execute(_SQL.format(filters=filters), params).fetchall()
    except sqlite3.Error as exc:
        if "no such table" in str(exc) and "messages_fts" in str(exc):
            raise StorageError(
                "This history has no search index yet: it was opened read-only, before it "
                "could be updated.",
                "Free some disk space if the disk is full, then search again.",
            ) from exc
        log.exception("history search failed")
        raise StorageError(
            f"Could not search the history: {exc}.",
            "Check that the data folder is readable; the app keeps a log of the error.",
        ) from exc
    return [Hit(*row) for row in rows]
