"""Storage benchmark: what encryption at rest (SQLCipher) costs, against plaintext SQLite measured
in the same run.

    python tests/benchmarks/bench_storage.py [--json] [--turns 300] [--repeats 3] [--dir PATH]

Both histories go through the app's own code (``HistoryStore``, ``PrivacyStore``,
``storage.encryption``) on the same disk, with the key in a real Secret Service: gnome-keyring
on a private D-Bus session (``tests/support/secret_service.py``; needs dbus, gnome-keyring and
libsecret-tools). Plaintext and encrypted runs alternate, ``--repeats`` times; each figure is the
median of its runs:

- **write**: one turn (a new conversation with its prompt, the answer, one vault entry): three
  committed transactions with ``synchronous=FULL``, so the disk's flushes dominate;
- **list**: ``list_conversations()`` of all the turns;
- **show**: ``messages()`` of one conversation, over all of them;
- **scan**: reading every message's text on a fresh connection (SQLite's page cache empty, so
  every page is read and, encrypted, decrypted and checked; the OS file cache stays warm);
- **open**: opening a store and its first read (the key from the process's memory; *first open*
  includes reading it from the keyring);
- **encrypt / decrypt**: converting the whole history in place, and the file sizes; also for a
  large history (``--big-mb``, default 20 MB of messages).

The plaintext side runs the standard library's SQLite and the encrypted side SQLCipher's own
(a newer SQLite), so **same library** repeats the write and the scan with SQLCipher's library
alone, with and without a key: that ratio is the cipher's cost and nothing else.

Nothing here asserts a target; it prints what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PROMPT = "Draft a reply to <PERSON_1> about invoice 2231 and the delivery of the {i}th batch. " * 3
ANSWER = "Dear <PERSON_1>, thank you for your message about the batch. " * 12


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-mb", type=int, default=20, help="size of the large conversion")
    parser.add_argument("--dir", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args(argv)

    missing = [
        t
        for t in ("dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool")
        if not shutil.which(t)
    ]
    if missing:
        print(
            f"error: needs {', '.join(missing)} (apt: dbus gnome-keyring libsecret-tools)",
            file=sys.stderr,
        )
        return 1
    from tests.support.secret_service import secret_service

    base = Path(tempfile.mkdtemp(prefix="bench-storage-", dir=args.dir))
    try:
        with secret_service(base / "keyring") as env:
            os.environ.update(env)
            import keyring
            from keyring.backends import SecretService

            keyring.set_keyring(SecretService.Keyring())
            report = run(base, args.turns, args.repeats)
            report["big_conversion"] = measure_big_conversion(
                base / "big" / "history.db", args.big_mb
            )
            report["same_library"] = same_library(
                base / "library", rows=args.turns * 3, repeats=args.repeats
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    return 0


def run(base: Path, turns: int, repeats: int) -> dict[str, Any]:
    from hybrid_desktop.storage import cipher

    runs: dict[str, list[dict[str, float]]] = {"plaintext": [], "encrypted": []}
    conversions: list[dict[str, float]] = []
    for repeat in range(repeats):
        for mode in ("plaintext", "encrypted"):
            folder = base / f"{mode}-{repeat}"
            runs[mode].append(measure(folder / "history.db", turns, mode == "encrypted"))
        conversions.append(measure_conversion(base / f"plaintext-{repeat}" / "history.db"))
    medians = {mode: _medians(items) for mode, items in runs.items()}
    plain, encrypted = medians["plaintext"], medians["encrypted"]
    return {
        "turns": turns,
        "repeats": repeats,
        "sqlcipher": _cipher_version(base / "encrypted-0" / "history.db"),
        "filesystem_dir": str(base),
        "plaintext": plain,
        "encrypted": encrypted,
        "ratio": {k: round(encrypted[k] / plain[k], 2) for k in plain if plain[k] > 0},
        "conversion": _medians(conversions),
        "encrypted_files_are_sqlcipher": cipher.is_encrypted(base / "encrypted-0" / "history.db"),
    }


def measure(path: Path, turns: int, encrypted: bool) -> dict[str, float]:
    from hybrid_desktop.storage import cipher, encryption
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.storage.privacy import PrivacyStore

    if encrypted:
        encryption.encrypt_history(path)  # an empty history, encrypted before the first turn
    store = HistoryStore(path)
    ids = []
    started = time.perf_counter()
    for i in range(turns):
        first = store.start_conversation(PROMPT.format(i=i))
        store.add_message(first.conversation_id, "assistant", ANSWER, route="local")
        PrivacyStore(store).save_vault(first.conversation_id, [("PERSON", "<PERSON_1>", f"N {i}")])
        ids.append(first.conversation_id)
    write_ms = (time.perf_counter() - started) * 1000 / turns
    list_ms = _best_of(20, lambda: store.list_conversations())
    show_ms = _best_of(3, lambda: [store.messages(c) for c in ids]) / len(ids)
    store.close()

    def scan() -> None:
        reader = HistoryStore(path, run_migrations=False)
        reader.db.execute("SELECT count(*), sum(length(content)) FROM messages").fetchone()
        reader.close()

    scan_ms = _best_of(5, scan)
    cipher.forget_key(path)
    first_open_ms = _timed(lambda: HistoryStore(path, run_migrations=False).close())
    open_ms = _best_of(20, lambda: HistoryStore(path, run_migrations=False).close())
    return {
        "write_turn_ms": write_ms,
        "list_ms": list_ms,
        "show_ms": show_ms,
        "scan_ms": scan_ms,
        "open_ms": open_ms,
        "first_open_ms": first_open_ms,
        "size_bytes": float(path.stat().st_size),
    }


def measure_conversion(path: Path) -> dict[str, float]:
    from hybrid_desktop.storage import encryption

    size = path.stat().st_size
    encrypted = encryption.encrypt_history(path)
    decrypted = encryption.decrypt_history(path)
    return {
        "encrypt_s": encrypted.seconds,
        "decrypt_s": decrypted.seconds,
        "plaintext_bytes": float(size),
        "encrypted_bytes": float(encrypted.size_after),
        "rows": float(encrypted.rows),
    }


def measure_big_conversion(path: Path, megabytes: int) -> dict[str, float]:
    """Encrypt and decrypt a history of ``megabytes`` of messages (written in one transaction)."""
    import sqlite3

    from hybrid_desktop.storage.history import HistoryStore

    store = HistoryStore(path)
    conversation = store.start_conversation("big").conversation_id
    store.close()
    conn = sqlite3.connect(str(path))
    with conn:
        conn.executemany(
            "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, 'user', ?, '')",
            ((conversation, ANSWER * 5) for _ in range(megabytes * 1024 * 1024 // len(ANSWER * 5))),
        )
    conn.close()
    return measure_conversion(path)


def same_library(folder: Path, rows: int, repeats: int) -> dict[str, float]:
    """SQLCipher's library with and without a key, alternating, median of ``repeats``."""
    runs = [_same_library_once(folder / str(i), rows) for i in range(repeats)]
    result = _medians(runs)
    result["write_ratio"] = round(result["write_keyed_ms"] / result["write_plain_ms"], 2)
    result["scan_ratio"] = round(result["scan_keyed_ms"] / result["scan_plain_ms"], 2)
    result["rows"] = float(rows)
    return result


def _same_library_once(folder: Path, rows: int) -> dict[str, float]:
    """One committed insert per message (WAL, ``synchronous=FULL``), then a scan of them all
    on a fresh connection: without a key, then with one."""
    from hybrid_desktop.storage import cipher

    module = cipher.sqlcipher()
    folder.mkdir(parents=True)
    result: dict[str, float] = {}
    for keyed in (False, True):
        path = folder / f"{'keyed' if keyed else 'plain'}.db"

        def connect(path: Path = path, keyed: bool = keyed) -> Any:
            conn = module.connect(str(path))
            if keyed:
                conn.execute("PRAGMA key = \"x'" + "5a" * 32 + "'\"")
            return conn

        conn = connect()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, content TEXT)")
        conn.commit()
        started = time.perf_counter()
        for _ in range(rows):
            conn.execute("INSERT INTO m (content) VALUES (?)", [ANSWER])
            conn.commit()
        result[f"write_{'keyed' if keyed else 'plain'}_ms"] = (
            (time.perf_counter() - started) * 1000 / rows
        )
        conn.close()

        def scan(connect: Callable[[], Any] = connect) -> None:
            reader = connect()
            reader.execute("SELECT count(*), sum(length(content)) FROM m").fetchone()
            reader.close()

        result[f"scan_{'keyed' if keyed else 'plain'}_ms"] = _best_of(5, scan)
    return result


def _timed(job: Callable[[], object]) -> float:
    started = time.perf_counter()
    job()
    return (time.perf_counter() - started) * 1000


def _best_of(n: int, job: Callable[[], object]) -> float:
    return statistics.median(_timed(job) for _ in range(n))


def _medians(items: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.median(i[k] for i in items), 3) for k in items[0]}


def _cipher_version(path: Path) -> str:
    from hybrid_desktop.storage import cipher

    key = cipher.key_for(path)
    if key is None:
        return ""
    conn = cipher.open_with_key(str(path), key, path=path)
    try:
        return str(conn.execute("PRAGMA cipher_version").fetchone()[0])
    finally:
        conn.close()


def print_report(report: dict[str, Any]) -> None:
    plain, encrypted, ratio = report["plaintext"], report["encrypted"], report["ratio"]
    print(
        f"Storage: {report['turns']} turns, median of {report['repeats']} runs, "
        f"SQLCipher {report['sqlcipher']}"
    )
    print(f"{'':28}{'plaintext':>12}{'encrypted':>12}{'ratio':>8}")
    labels = {
        "write_turn_ms": "write one turn (ms)",
        "list_ms": "list all (ms)",
        "show_ms": "show one (ms)",
        "scan_ms": "scan every message (ms)",
        "open_ms": "open a store (ms)",
        "first_open_ms": "first open, keyring (ms)",
        "size_bytes": "file size (bytes)",
    }
    for key, label in labels.items():
        print(f"{label:28}{plain[key]:>12,.3f}{encrypted[key]:>12,.3f}{ratio.get(key, 0):>8.2f}")
    c = report["conversion"]
    print(
        f"convert in place: encrypt {c['encrypt_s']:.3f} s, decrypt {c['decrypt_s']:.3f} s "
        f"({c['rows']:,.0f} rows, {c['plaintext_bytes']:,.0f} -> {c['encrypted_bytes']:,.0f} bytes)"
    )
    b = report["big_conversion"]
    print(
        f"large history: encrypt {b['encrypt_s']:.2f} s, decrypt {b['decrypt_s']:.2f} s "
        f"({b['plaintext_bytes'] / 1e6:,.1f} MB)"
    )
    lib = report["same_library"]
    print(
        f"same library ({lib['rows']:,.0f} messages): write {lib['write_plain_ms']:.3f} -> "
        f"{lib['write_keyed_ms']:.3f} ms each (x{lib['write_ratio']:.2f}), scan "
        f"{lib['scan_plain_ms']:.3f} -> {lib['scan_keyed_ms']:.3f} ms (x{lib['scan_ratio']:.2f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
