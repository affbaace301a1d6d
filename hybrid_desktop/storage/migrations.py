"""The history database's schema: every migration, in order, and the runner that applies them.

Migrations are plain functions recorded by name in the ``_migrations`` table, so each runs once
per database (the scheme of Simon Willison's ``llm``). The app runs them once at start-up, on the
connection that writes; other connections open the migrated file without checking again.

The DDL is SQL because the schema needs what ``table.create()`` cannot say: ``CHECK``
constraints and ``ON DELETE`` actions. The runner is our own rather than sqlite-utils'
``Migrations`` because several processes (the window and a CLI call) may open a brand-new file at
the same moment: each migration runs under ``BEGIN IMMEDIATE`` and re-checks the table once it
holds the write lock, and existing databases already record their migrations under these names.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

import sqlite_utils

from hybrid_desktop.storage.stamps import utc_now

log = logging.getLogger(__name__)

Migration = Callable[[sqlite_utils.Database], None]


def _run_statements(db: sqlite_utils.Database, script: str) -> None:
    """Run ``;``-separated DDL inside the caller's transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m001_conversations_and_messages(db: sqlite_utils.Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete',
            created_at TEXT NOT NULL,
            route TEXT,
            reason TEXT,
            model TEXT,
            meta TEXT
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX conversations_by_update ON conversations(updated_at);
        """,
    )


def m002_privacy_vault(db: sqlite_utils.Database) -> None:
    """Each conversation's placeholder mapping; it goes when the conversation goes."""
    _run_statements(
        db,
        """
        CREATE TABLE privacy_vault (
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            entity_type TEXT NOT NULL,
            placeholder TEXT NOT NULL,
            value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_id, placeholder)
        )
        """,
    )


def m003_audit_log(db: sqlite_utils.Database) -> None:
    """What was sent off the device. It outlives the conversation it came from: deleting one
    sets its rows' conversation_id to NULL (found through the second index)."""
    _run_statements(
        db,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            destination TEXT NOT NULL,
            model TEXT,
            conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
            redacted_text TEXT NOT NULL,
            entity_counts TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'failed', 'blocked')),
            detail TEXT
        );
        CREATE INDEX audit_log_by_time ON audit_log(created_at);
        CREATE INDEX audit_log_by_conversation ON audit_log(conversation_id)
        """,
    )


def m004_cloud_usage(db: sqlite_utils.Database) -> None:
    """Tokens, price and latency of every cloud request (budgets are summed from it)."""
    _run_statements(
        db,
        """
        CREATE TABLE usage (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            model TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            latency_ms REAL,
            status TEXT NOT NULL,
            conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL
        );
        CREATE INDEX usage_by_time ON usage(created_at)
        """,
    )


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Like :func:`_run_statements`, for scripts whose statements hold ``;`` (trigger bodies):
    a statement ends where SQLite says it is complete."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \t\r\n;"):
                db.execute(statement)
            statement = ""
    if statement.strip(" \t\r\n;"):
        db.execute(statement)


def m005_message_search(db: sqlite_utils.Database) -> None:
    """History search (``storage.search``): an FTS5 index over ``messages.content``, made by
    sqlite-utils' ``enable_fts``, filled with the existing messages and kept in sync by its
    triggers (insert, update, delete; the ``ON DELETE CASCADE`` from a conversation fires them
    too). It is an external-content index: it holds the words, not a second copy of the text.

    Deleting a conversation also rewrites the index (``optimize``): FTS5 otherwise only adds a
    delete marker, and the deleted words stay in the old index pages until a later merge. With
    ``PRAGMA secure_delete`` (``storage.db``) the freed pages are zeroed, so no word of a
    deleted conversation stays in the file. FTS5's own ``secure-delete`` option would be
    cheaper, but it needs SQLite 3.42 and makes the index unreadable to older libraries: the
    plaintext history is opened with Python's SQLite (3.40 here), the encrypted one with
    SQLCipher's (3.5x), and the same file moves between the two.
    """
    # enable_fts runs its DDL with executescript, which would COMMIT the migration's
    # BEGIN IMMEDIATE: run those statements inside this transaction instead.
    setattr(db, "executescript", lambda script: _run_script(db, script))  # noqa: B010
    try:
        db.table("messages").enable_fts(
            ["content"],
            fts_version="FTS5",
            create_triggers=True,
            # No stemmer: a prefix typed so far must match the stored words ("runni" -> running).
            tokenize="unicode61 remove_diacritics 2",
        )
    finally:
        del db.executescript
    _run_script(
        db,
        """
        CREATE TRIGGER conversations_fts_purge AFTER DELETE ON conversations BEGIN
          INSERT INTO messages_fts (messages_fts) VALUES ('optimize');
        END;
        """,
    )


REQUESTS_DDL = """
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    user_message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    route TEXT NOT NULL CHECK (route IN ('local', 'edge', 'cloud')),
    requested TEXT,
    server TEXT,
    model TEXT,
    quantization TEXT,
    reason TEXT,
    signals TEXT NOT NULL DEFAULT '{}',
    fallbacks TEXT NOT NULL DEFAULT '[]',
    fallback_count INTEGER NOT NULL DEFAULT 0,
    escalated INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    ttft_ms REAL,
    latency_ms REAL,
    tokens_per_s REAL,
    cost_usd REAL NOT NULL DEFAULT 0,
    cost_source TEXT NOT NULL CHECK (cost_source IN ('priced', 'local_zero_cost', 'unpriced')),
    pii TEXT NOT NULL DEFAULT '{}',
    pii_count INTEGER NOT NULL DEFAULT 0,
    gate_action TEXT NOT NULL,
    kept_local_by_policy INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    complexity REAL,
    category TEXT,
    private INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX requests_by_time ON requests(created_at);
CREATE INDEX requests_by_route_time ON requests(route, created_at);
CREATE INDEX requests_by_conversation ON requests(conversation_id);
CREATE INDEX requests_by_message ON requests(message_id)
"""


def m006_request_records(db: sqlite_utils.Database) -> None:
    """One record per request (``storage.requests``): where it ran and why, its tokens, times,
    cost with its source, the gate's findings and action, and its status. It holds no prompt text
    (the prompt is ``user_message_id``'s message); deleting a conversation keeps its records, as
    the audit log's rows are kept. The answers already in history and the usage rows are
    migrated into it (``storage.request_migration``)."""
    from hybrid_desktop.storage.request_migration import migrate_existing

    _run_statements(db, REQUESTS_DDL)
    migrate_existing(db)


#: The whole schema, oldest first. Append; never reorder, rename or edit a released migration.
MIGRATIONS: list[Migration] = [
    m001_conversations_and_messages,
    m002_privacy_vault,
    m003_audit_log,
    m004_cloud_usage,
    m005_message_search,
    m006_request_records,
]


def pending_migrations(db: sqlite_utils.Database) -> list[str]:
    """The migrations this database lacks, found by reading only (it writes nothing)."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone():
        return [fn.__name__ for fn in MIGRATIONS]
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    return [fn.__name__ for fn in MIGRATIONS if fn.__name__ not in done]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for fn in MIGRATIONS:
        name = fn.__name__
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while we waited for the write lock.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                db.commit()
                continue
            fn(db)
            db.table("_migrations").insert({"name": name, "applied_at": utc_now()})
        except BaseException:
            db.rollback()
            raise
        db.commit()
        log.info("applied migration %s", name)
        applied.append(name)
    return applied
