"""The command-line face of Hybrid Desktop. Outside checks rely on these names and JSON fields.

    hybrid-desktop                      launch the GUI
    hybrid-desktop --version            print the version
    hybrid-desktop --self-test          a real round trip through the window and the embedded model
    hybrid-desktop ask [--route auto|local|edge|cloud] [--json] [--conversation ID] [--max-tokens N] PROMPT
    hybrid-desktop history list [--json]
    hybrid-desktop history show ID [--json]
    hybrid-desktop history encrypt|decrypt|status [--json]   encryption at rest (SQLCipher)
    hybrid-desktop history search QUERY [--json] [--route R] [--since DATE] [--conversation ID]   (cli_history)
    hybrid-desktop history export [ID] --format md|json|chatgpt FILE   (cli_history_io)
    hybrid-desktop history import FILE [--json]   ChatGPT's conversations.json (cli_history_io)
    hybrid-desktop redact [--json | --jsonl]     what the privacy gate would send (stdin)
    hybrid-desktop route [--json | --jsonl] PROMPT   where a prompt would run, and why
    hybrid-desktop key set|status|delete          the API key in the OS keyring
    hybrid-desktop bench [--json]                 the app's speed against same-run baselines
    hybrid-desktop models list|recommend|pull|import|verify|quantize|prune|use|rm   (cli_models)
    hybrid-desktop edge add|list|discover|rm      servers on your network (cli_edge)
    hybrid-desktop audit [--since DATE] [--until DATE] [--json]   the workload audit (cli_audit)
    hybrid-desktop audit export --csv|--jsonl FILE   every request record (cli_audit)
    hybrid-desktop audit simulate ...             the policy simulator (cli_audit_simulate)

Exit codes: 0 success, 1 a failure explained on stderr, 2 a usage error, 130 interrupted.

A thin face: ``hybrid_desktop.app`` parses the command line with :func:`build_parser` and hands
the commands here with the services it built (the GUI, the self-test and ``bench`` are
dispatched there). This module never imports Qt, the UI, the workers or the app.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from hybrid_desktop import APP_NAME, __version__
from hybrid_desktop.cli_output import emit_json, printable
from hybrid_desktop.config.paths import AppPaths, default_paths
from hybrid_desktop.domain import ROUTES
from hybrid_desktop.errors import HybridDesktopError

if TYPE_CHECKING:
    from hybrid_desktop.core.services import Services
    from hybrid_desktop.storage.history import HistoryStore

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hybrid-desktop",
        description=f"{APP_NAME}: a private AI assistant that answers on this device first. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window, answer one prompt with the embedded model, and exit 0 on success",
    )
    parser.add_argument(
        "--quick-prompt",
        action="store_true",
        help="show the Quick Prompt (in the running instance, or start with it)",
    )
    parser.add_argument(
        "--minimized", action="store_true", help="start in the system tray, without the window"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser(
        "ask", help="answer a prompt, streaming to stdout, and store the turn"
    )
    ask.add_argument("prompt", nargs="*", help="the prompt (read from stdin when omitted)")
    ask.add_argument(
        "--route", choices=ROUTES, default="auto", help="where to answer (default: auto)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ask.add_argument(
        "--conversation", type=_positive_int, metavar="ID", help="continue this conversation"
    )
    ask.add_argument("--max-tokens", type=_positive_int, metavar="N", help="answer length limit")
    ask.add_argument(
        "--private",
        action="store_true",
        help="don't keep this turn: only the audit record of what left the device is stored",
    )

    redact = commands.add_parser(
        "redact",
        help="read text on stdin and print exactly what the privacy gate would send",
        description="Read text on stdin and print exactly what would leave the device. "
        'With --jsonl, read one JSON object per line ({"text": ...}) and write one result per '
        "line; entity offsets refer to the original text.",
    )
    redact_mode = redact.add_mutually_exclusive_group()
    redact_mode.add_argument(
        "--json", action="store_true", help="one JSON object with the findings"
    )
    redact_mode.add_argument(
        "--jsonl", action="store_true", help='one {"text": ...} object per input line'
    )

    route = commands.add_parser(
        "route", help="print where a prompt would be answered, and why, without answering"
    )
    route.add_argument("prompt", nargs="*", help="the prompt (read from stdin when omitted)")
    route.add_argument("--route", choices=ROUTES, default="auto", help="the user's choice")
    route_mode = route.add_mutually_exclusive_group()
    route_mode.add_argument("--json", action="store_true", help="one JSON object")
    route_mode.add_argument(
        "--jsonl", action="store_true", help='one {"prompt": ...} object per input line'
    )

    bench = commands.add_parser(
        "bench", help="measure decode speed, first-token time, UI stalls, gate and router speed"
    )
    bench.add_argument("--json", action="store_true", help="one JSON object on the last line")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke check)")

    key = commands.add_parser("key", help="the Anthropic API key in the OS keyring")
    key_commands = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    key_commands.add_parser("set", help="read the key from stdin (never echoed) and save it")
    key_status = key_commands.add_parser("status", help="whether a key is set, and where")
    key_status.add_argument("--json", action="store_true")
    key_commands.add_parser("delete", help="remove the key from the keyring")

    history = commands.add_parser("history", help="list or show stored conversations")
    history_commands = history.add_subparsers(
        dest="history_command", metavar="ACTION", required=True
    )
    listing = history_commands.add_parser("list", help="list conversations, newest first")
    listing.add_argument("--json", action="store_true")
    show = history_commands.add_parser("show", help="show one conversation")
    show.add_argument("id", type=_positive_int, metavar="ID")
    show.add_argument("--json", action="store_true")
    history_commands.add_parser(
        "encrypt", help="encrypt history and the vault at rest, with a new key in the OS keyring"
    )
    history_commands.add_parser("decrypt", help="turn encryption at rest off again")
    encryption = history_commands.add_parser("status", help="whether history is encrypted")
    encryption.add_argument("--json", action="store_true")
    from hybrid_desktop.cli_history import add_search_parser

    add_search_parser(history_commands)  # search
    from hybrid_desktop.cli_history_io import add_history_io_parsers

    add_history_io_parsers(history_commands)  # export, import

    from hybrid_desktop.cli_models import add_models_parser

    add_models_parser(commands)
    from hybrid_desktop.cli_edge import add_edge_parser

    add_edge_parser(commands)
    from hybrid_desktop.cli_audit import add_audit_parser

    add_audit_parser(commands)  # audit, audit export, audit simulate
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    if value > _ID_MAX:  # SQLite's integers are 64-bit
        raise argparse.ArgumentTypeError(f"must be at most {_ID_MAX}")
    return value


_ID_MAX = 2**63 - 1
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 text of ``data``; invalid bytes become U+FFFD (and the flag says so)."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), True


def _read_stdin() -> str:
    """All of stdin, read as bytes and decoded with replacement, saying so on stderr."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return str(sys.stdin.read())
    text, replaced = _decode(buffer.read())
    if replaced:
        print(
            "note: the input is not valid UTF-8; invalid bytes were replaced with U+FFFD.",
            file=sys.stderr,
        )
    return text


def _stdin_lines() -> Iterator[tuple[str, bool]]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        for line in sys.stdin:
            yield line, False
        return
    for raw in buffer:
        yield _decode(raw)


def run(args: argparse.Namespace, make_services: Callable[[AppPaths], Services]) -> int:
    """Run one command (``ask``, ``redact``, ``route``, ``key``, ``history``) and return its exit
    code; ``make_services`` builds the app's services for these paths (``app.build_services``)."""
    from hybrid_desktop.config.logs import setup_logging

    paths = default_paths()
    try:
        paths.ensure()
    except HybridDesktopError as exc:
        setup_logging(None)
        return _fail(exc)
    setup_logging(paths.log_file)
    services: Services | None = None
    try:
        if args.command == "key":
            return _key(args)
        services = make_services(paths)
        for problem in services.settings.problems:
            print(f"warning: settings: {problem}", file=sys.stderr)
        if args.command == "ask":
            return _ask(args, services)
        if args.command == "redact":
            return _redact(args, services)
        if args.command == "route":
            return _route(args, services)
        if args.command == "models":
            from hybrid_desktop.cli_models import run_models

            return run_models(args, services)
        if args.command == "edge":
            from hybrid_desktop.cli_edge import run_edge

            return run_edge(args, services)
        if args.command == "audit":
            from hybrid_desktop.cli_audit import run_audit

            return run_audit(args, services)
        return _history(args, services)
    except HybridDesktopError as exc:
        log.info("command failed: %s", exc.message, exc_info=True)
        return _fail(exc)
    except BrokenPipeError:  # "… | head": the reader left; exit quietly, as Unix tools do
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except KeyboardInterrupt:  # Ctrl+C before the answer streams (loading): exit 130, quietly
        log.info("interrupted")
        print("\nnote: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: no traceback on screen
        log.exception("unexpected error")
        print(
            f"error: something went wrong ({type(exc).__name__}). Details are in {paths.log_file}",
            file=sys.stderr,
        )
        return 1
    finally:
        if services is not None:
            services.close()


def _fail(exc: HybridDesktopError) -> int:
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.hint:
        print(exc.hint, file=sys.stderr)
    return 1


def _serve_jsonl(field: str, answer: Callable[[str], dict[str, Any]]) -> int:
    """One JSON object per stdin line (``{field: text}``) in, one result line out, flushed at
    once, all from one process start. Every line gets its own answer or ``error`` object, and the
    batch never stops: invalid UTF-8 and lone surrogates are replaced (with a ``warning``)."""
    for number, (line, replaced) in enumerate(_stdin_lines(), start=1):
        if not line.strip():  # answered too, so output line N is always input line N's
            emit_json({"error": f"invalid input line {number}: the line is empty"})
            sys.stdout.flush()
            continue
        try:
            item = json.loads(line)
            value = item[field]
            if not isinstance(value, str):
                raise TypeError(f"{field} must be a string")
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            emit_json({"error": f"invalid input line {number}: {str(exc)[:200]}"})
            sys.stdout.flush()
            continue
        if _SURROGATE.search(value):
            value, replaced = _SURROGATE.sub("\ufffd", value), True
        try:
            out = answer(value)
        except HybridDesktopError as exc:
            out = {"error": exc.user_text()}
        except Exception as exc:  # one bad line never stops the batch
            log.exception("jsonl line %d failed", number)
            out = {"error": f"line {number} could not be processed ({type(exc).__name__})."}
        if replaced:
            out["warning"] = "invalid UTF-8 or lone surrogates were replaced with U+FFFD"
        emit_json(out)
        sys.stdout.flush()
    return 0


def _ask(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.core.router import check_requested
    from hybrid_desktop.core.turns import TurnRequest
    from hybrid_desktop.errors import EmptyPromptError

    prompt = " ".join(args.prompt)
    if not args.prompt and not sys.stdin.isatty():
        prompt = _read_stdin().rstrip("\n")
    check_requested(args.route)
    if not prompt.strip():
        raise EmptyPromptError(
            "The prompt is empty.", "Pass the prompt as an argument or on stdin."
        )
    service = services.chat_service()
    request = TurnRequest(
        prompt=prompt,
        conversation_id=args.conversation,
        route=args.route,
        max_tokens=args.max_tokens,
        private=args.private,
    )
    if args.private and args.conversation:
        raise HybridDesktopError(
            "A private turn cannot continue a kept conversation.",
            "Leave out --conversation, or --private.",
        )

    terminal = sys.stdout.isatty()

    def stream(text: str) -> None:
        if not args.json:
            sys.stdout.write(printable(text) if terminal else text)
            sys.stdout.flush()

    def notice(text: str) -> None:
        print(f"note: {text}", file=sys.stderr)

    def fallback(_reason: str) -> None:
        if not args.json:
            sys.stdout.write("\n\n")

    # Ctrl+C, and SIGTERM / SIGHUP (logout, shutdown): stop and keep the partial answer.
    stops = [signal.SIGINT] + [
        getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)
    ]
    previous = {s: signal.signal(s, lambda *_: request.cancel.set()) for s in stops}
    try:
        result = service.ask(request, on_text=stream, on_notice=notice, on_fallback=fallback)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        service.close()
    if args.json:
        out = result.to_json()
        if args.private:  # its ids were the in-memory history's, gone with this process
            out.update(private=True, conversation_id=None)
        emit_json(out)
    else:
        sys.stdout.write("\n")
        print(f"[{result.reason}]", file=sys.stderr)
        if result.status == "stopped" and result.saved:
            saved = "the partial answer was saved" if result.text else "no answer text yet"
            print(f"note: stopped; {saved}.", file=sys.stderr)
    if not result.saved:  # a full disk: the answer is on screen only
        shown = "The answer" if args.json else "The answer above"
        print(f"error: {shown} was not saved: the disk is full.", file=sys.stderr)
        print(
            f"Free some space on the disk that holds {services.paths.data_dir}; "
            "reading your history still works.",
            file=sys.stderr,
        )
        return 1
    return 130 if result.status == "stopped" else 0


def _route(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.core.turns import TurnRequest

    service = services.chat_service()

    def decision(prompt: str) -> dict[str, Any]:
        plan = service.plan(TurnRequest(prompt=prompt, route=args.route))
        c = plan.complexity
        return {
            "route": plan.decision.route,
            "tier": plan.decision.route,
            "edge_server": plan.decision.signals.get("edge_server"),
            "reason": plan.decision.reason,
            "complexity": c.get("score"),
            "category": c.get("category"),
            "complexity_route": "cloud" if c.get("needs_cloud") else "local",
            "est_cost_usd": round(plan.decision.est_cost_usd, 6),
            "signals": plan.decision.signals,
        }

    if args.jsonl:
        return _serve_jsonl("prompt", decision)
    prompt = " ".join(args.prompt)
    if not args.prompt and not sys.stdin.isatty():
        prompt = _read_stdin().rstrip("\n")
    result = decision(prompt)
    if args.json:
        emit_json(result)
    else:
        print(result["reason"])
    return 0


def _key(args: argparse.Namespace) -> int:
    from hybrid_desktop.config import secrets

    if args.key_command == "set":
        if sys.stdin.isatty():
            import getpass

            key = getpass.getpass("Anthropic API key (not shown): ")
        else:
            key = sys.stdin.readline()
        backend = secrets.set_api_key(key)
        print(f"The API key is saved in the OS keyring ({backend}).")
        return 0
    if args.key_command == "delete":
        removed = secrets.delete_api_key()
        print(
            "The API key was removed from the OS keyring."
            if removed
            else "There was no API key in the OS keyring."
        )
        return 0
    status = secrets.key_status()
    if args.json:
        emit_json({"present": status.present, "source": status.source, "backend": status.backend})
    else:
        print(status.describe())
        if not status.backend or status.backend.startswith("unavailable"):
            print(f"OS keyring: {status.backend}. {secrets.NO_BACKEND_HINT}")
    return 0


def _redact(args: argparse.Namespace, services: Services) -> int:
    gate = services.gate
    gate.load()

    def summary(verdict: Any) -> dict[str, Any]:
        return {
            "text": verdict.preview,
            "entities": [f.to_json() for f in verdict.replaced],
            "action": verdict.action,
        }

    if args.jsonl:
        return _serve_jsonl("text", lambda text: summary(gate.check(text)))
    verdict = gate.check(_read_stdin())
    if args.json:
        emit_json({**summary(verdict), "reason": verdict.reason})
        return 0
    if verdict.blocked:
        print(f"blocked: {verdict.reason}", file=sys.stderr)
        return 1
    sys.stdout.write(printable(verdict.preview) if sys.stdout.isatty() else verdict.preview)
    sys.stdout.flush()
    return 0


def _history(args: argparse.Namespace, services: Services) -> int:
    if args.history_command in ("encrypt", "decrypt", "status"):
        return _encryption(args, services)
    if args.history_command == "search":
        from hybrid_desktop.cli_history import run_search

        return run_search(args, services)
    if args.history_command in ("export", "import"):
        from hybrid_desktop.cli_history_io import run_history_io

        return run_history_io(args, services)
    store = services.history()
    if args.history_command == "list":
        conversations = store.list_conversations()
        _warn_if_journal_lost(store)
        if args.json:
            emit_json({"conversations": [c.to_json() for c in conversations]})
        elif not conversations:
            print("No conversations yet.")
        else:
            for c in conversations:
                print(
                    f"{c.id:>5}  {c.updated_at[:16].replace('T', ' ')}  "
                    f"{c.message_count:>3} msgs  {printable(c.title)}"
                )
        return 0
    conversation = store.get_conversation(args.id)
    messages = store.messages(args.id)
    _warn_if_journal_lost(store)
    if args.json:
        emit_json({**conversation.to_json(), "messages": [m.to_json() for m in messages]})
        return 0
    print(f"# {printable(conversation.title)}  (conversation {conversation.id})")
    for m in messages:
        label = m.role
        if m.role == "assistant":
            label += f" · {m.route or '?'} · {m.model or '?'}"
        if m.status != "complete":
            label += f" · {m.status}"
        stamp = m.created_at[:19].replace("T", " ")
        print(f"\n--- {label} · {stamp} ---\n{printable(m.content)}")
    return 0


def _warn_if_journal_lost(store: HistoryStore) -> None:
    if store.journal_lost:
        print(
            "warning: the history's journal (history.db-wal) was deleted while another Hybrid "
            "Desktop process had it open; this is the history without that process's newest "
            "changes, which it saves when it next writes or closes.",
            file=sys.stderr,
        )


def _encryption(args: argparse.Namespace, services: Services) -> int:
    """``history encrypt`` / ``decrypt`` convert the file now (nothing else may have it open)
    and record the choice in the settings, which the window applies at start-up; ``status``."""
    from dataclasses import replace

    from hybrid_desktop.config.settings import save_settings
    from hybrid_desktop.storage import encryption

    database = services.paths.database
    if args.history_command == "status":
        status = encryption.history_status(database)
        if args.json:
            emit_json({**status.to_json(), "setting": services.settings.encrypt_history})
        else:
            print(status.describe())
        return 0 if status.key_opens is not False else 1
    wanted = args.history_command == "encrypt"
    convert = encryption.encrypt_history if wanted else encryption.decrypt_history
    done = convert(database)
    print(done.describe())
    if services.settings.encrypt_history is not wanted:
        save_settings(
            replace(services.settings, encrypt_history=wanted), services.paths.settings_file
        )
    return 0
