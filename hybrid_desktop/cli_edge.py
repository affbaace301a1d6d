"""``hybrid-desktop edge ...``: the edge servers (machines on the user's network that answer with a
bigger model) from the command line.

    edge add NAME URL [--protocol openai|anthropic] [--trust private|organisation|external]
             [--model M] [--tier tiny|small|medium|large] [--price-in USD_PER_MTOK]
             [--price-out USD_PER_MTOK] [--api-key-stdin] [--json]
    edge list [--json] [--no-probe]        the configured servers, each asked whether it is up
    edge discover [--json] [--host H ...]  servers answering on localhost and the listed hosts
    edge rm NAME                           forget a server (and its key)

``add`` checks the server (``/v1/models``, 2 s): without ``--model`` it takes the first model
listed; a server that cannot be reached is added all the same, with a warning. The key, read
from stdin with ``--api-key-stdin``, goes to the OS keyring, never into the settings file.

With ``--json``: ``list`` prints one JSON array of the servers' settings fields plus ``health``
(``status`` ok|loading|down, ``detail``, ``latency_ms``; null with ``--no-probe``); ``discover``
one array of what it found (``url``, ``host``, ``port``, ``models``, ``kind``, ``latency_ms``,
``health``); ``add`` the new server's fields plus ``reachable``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json, printable

if TYPE_CHECKING:
    from hybrid_desktop.config.edge import EdgeServer
    from hybrid_desktop.core.services import Services

#: ``add`` waits this long for ``/v1/models``; ``list`` this long for each server's health.
ADD_PROBE_S = 2.0
LIST_PROBE_S = 1.5
DISCOVER_TIMEOUT_S = 1.0


def add_edge_parser(commands: Any) -> None:
    """Add the ``edge`` command and its actions to ``cli.build_parser``'s subparsers."""
    from hybrid_desktop.config.edge import PROTOCOLS, TIERS, TRUST_LEVELS

    edge = commands.add_parser(
        "edge", help="servers on your network that answer with a bigger model (the edge tier)"
    )
    actions = edge.add_subparsers(dest="edge_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a server, after checking that it answers")
    add.add_argument("name", metavar="NAME", help="a short name: letters, digits, '.', '_', '-'")
    add.add_argument("url", metavar="URL", help="its base address, e.g. http://office-gpu:8080")
    add.add_argument("--protocol", choices=PROTOCOLS, default="openai")
    add.add_argument(
        "--trust",
        choices=TRUST_LEVELS,
        default="organisation",
        help="private: a box you control (the privacy gate is not applied); organisation "
        "(default): the organisation's policy; external: treated like the cloud",
    )
    add.add_argument("--model", metavar="M", help="the model id (default: the first it lists)")
    add.add_argument(
        "--tier",
        choices=[t for t in TIERS if t],
        help="the model's capability tier for routing (default: from its name, else large)",
    )
    add.add_argument("--price-in", type=_price, default=0.0, metavar="USD_PER_MTOK")
    add.add_argument("--price-out", type=_price, default=0.0, metavar="USD_PER_MTOK")
    add.add_argument(
        "--api-key-stdin", action="store_true", help="read its API key from stdin (to the keyring)"
    )
    add.add_argument("--json", action="store_true", help="one JSON object on the last line")

    listing = actions.add_parser("list", help="the configured servers and whether each is up")
    listing.add_argument("--json", action="store_true", help="one JSON array")
    listing.add_argument("--no-probe", action="store_true", help="do not ask the servers")

    discover = actions.add_parser(
        "discover", help="look for servers on localhost and the listed hosts (never a range)"
    )
    discover.add_argument("--json", action="store_true", help="one JSON array")
    discover.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="H",
        help="a host (name or address, optionally :port) to probe too; repeatable",
    )

    remove = actions.add_parser("rm", help="forget a server and its key")
    remove.add_argument("name", metavar="NAME")


def _price(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 10_000:  # also refuses nan
        raise argparse.ArgumentTypeError("must be from 0 to 10000 dollars per million tokens")
    return value


def run_edge(args: argparse.Namespace, services: Services) -> int:
    """Run one ``edge`` action and return its exit code (errors propagate to ``cli.run``)."""
    action = args.edge_command
    if action == "add":
        return _add(args, services)
    if action == "list":
        return _list(args, services)
    if action == "discover":
        return _discover(args, services)
    return _remove(args, services)


def _save(services: Services, servers: list[EdgeServer]) -> None:
    from hybrid_desktop.config.settings import save_settings

    new = replace(services.settings, edge_servers=[s.to_json() for s in servers])
    save_settings(new, services.paths.settings_file)
    services.update_settings(new)


def _find(servers: list[EdgeServer], name: str) -> EdgeServer | None:
    return next((s for s in servers if s.name.lower() == name.lower()), None)


def _read_key() -> str:
    from hybrid_desktop.errors import SecretStoreError

    buffer = getattr(sys.stdin, "buffer", None)
    raw = buffer.read() if buffer is not None else str(sys.stdin.read()).encode()
    key = raw.decode("utf-8", errors="replace").strip()
    if not key or any(c.isspace() for c in key) or "\ufffd" in key:
        raise SecretStoreError(
            "The API key read from stdin is empty, has spaces inside or is not text.",
            'Pipe the key alone, e.g. `printf %s "$KEY" | hybrid-desktop edge add ...`.',
        )
    return key


def _add(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.config.edge import EdgeServer
    from hybrid_desktop.config.secrets import delete_edge_key, set_edge_key
    from hybrid_desktop.core.edge.discovery import probe_models
    from hybrid_desktop.errors import EdgeError, HybridDesktopError

    servers = services.settings.edge()
    taken = _find(servers, args.name)
    if taken is not None:
        raise HybridDesktopError(
            f"An edge server named {printable(taken.name)!r} already exists ({taken.url}).",
            f"Choose another name, or remove it first: hybrid-desktop edge rm {taken.name}",
        )
    server = EdgeServer(
        name=args.name,
        url=args.url,
        protocol=args.protocol,
        trust=args.trust,
        model=args.model or "",
        tier=args.tier or "",
        price_in_per_mtok=args.price_in,
        price_out_per_mtok=args.price_out,
    )
    server.validate()
    key = _read_key() if args.api_key_stdin else None
    reachable = True
    try:
        models = probe_models(server.base_url, key, ADD_PROBE_S, protocol=server.protocol)
    except EdgeError as exc:
        reachable = False
        print(
            f"warning: {printable(server.name)} could not be reached: {printable(exc.message)} "
            "It was added anyway; `hybrid-desktop edge list` checks it again.",
            file=sys.stderr,
        )
    else:
        if not server.model and models:
            server = replace(server, model=models[0])
        elif server.model and server.model not in models:
            listed = ", ".join(models[:5]) or "none"
            print(
                f"warning: {printable(server.name)} does not list the model "
                f"{printable(server.model)!r} (it lists: {printable(listed)}).",
                file=sys.stderr,
            )
    if key is not None:
        set_edge_key(server.name, key)
        server = replace(server, has_key=True)
    try:
        _save(services, [*servers, server])
    except BaseException:
        if key is not None:
            delete_edge_key(server.name)
        raise
    if args.json:
        emit_json({**server.to_json(), "reachable": reachable})
    else:
        model = f", model {printable(server.model)}" if server.model else ""
        print(
            f"Added edge server {printable(server.name)} ({printable(server.url)}{model}, "
            f"trust {server.trust})."
        )
    return 0


def _list(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.config.secrets import get_edge_key
    from hybrid_desktop.core.edge.discovery import health_all

    servers = services.settings.edge()
    states: list[Any] = [None] * len(servers)
    if servers and not args.no_probe:
        keys = [get_edge_key(s.name) if s.has_key else None for s in servers]
        states = list(health_all(list(zip(servers, keys, strict=True)), LIST_PROBE_S))
    if args.json:
        emit_json(
            [
                {
                    **s.to_json(),
                    "health": None
                    if h is None
                    else {"status": h.status, "detail": h.detail, "latency_ms": h.latency_ms},
                }
                for s, h in zip(servers, states, strict=True)
            ]
        )
        return 0
    if not servers:
        print(
            "No edge servers. Add one with `hybrid-desktop edge add NAME URL`, or look for "
            "some with `hybrid-desktop edge discover`."
        )
        return 0
    for s, h in zip(servers, states, strict=True):
        model = printable(s.model) or "(first listed)"
        off = "" if s.enabled else "  [disabled]"
        print(f"{printable(s.name)}  {printable(s.url)}  {s.protocol}  {s.trust}  {model}{off}")
        if h is not None:
            print(f"    {h.status}: {printable(h.detail)}")
    return 0


def _discover(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.config.edge import WELL_KNOWN_PORTS, split_host
    from hybrid_desktop.core.edge.discovery import discover

    hosts = [*services.settings.edge_hosts, *args.host]
    for host in args.host:
        split_host(host)  # a SettingsError names the bad one
    found = discover(hosts, timeout_s=DISCOVER_TIMEOUT_S)
    if args.json:
        emit_json([f.to_json() for f in found])
        return 0
    where = ", ".join(["localhost", *(printable(h) for h in hosts)])
    if not found:
        ports = ", ".join(str(p) for p in WELL_KNOWN_PORTS)
        print(f"No server answered /v1/models on {where} (ports {ports}).")
        print(
            "Name the machine that serves the model: `hybrid-desktop edge discover --host "
            "NAME[:PORT]` (address ranges are never scanned).",
            file=sys.stderr,
        )
        return 0
    configured = {s.base_url.rstrip("/") for s in services.settings.edge()}
    for f in found:
        models = ", ".join(printable(m) for m in f.models[:3]) or "no model listed"
        more = f" and {len(f.models) - 3} more" if len(f.models) > 3 else ""
        notes = [f.kind, f"{f.latency_ms:.0f} ms"]
        if f.health != "ok":
            notes.append(f.health)
        if f.url in configured:
            notes.append("configured")
        print(f"{printable(f.url)}  {models}{more}  ({', '.join(notes)})")
    return 0


def _remove(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.config.secrets import delete_edge_key
    from hybrid_desktop.errors import HybridDesktopError

    servers = services.settings.edge()
    server = _find(servers, args.name)
    if server is None:
        names = ", ".join(printable(s.name) for s in servers)
        raise HybridDesktopError(
            f"There is no edge server named {printable(args.name)!r}.",
            f"The configured ones: {names}." if names else "No edge server is configured.",
        )
    _save(services, [s for s in servers if s is not server])
    delete_edge_key(server.name)
    print(f"Removed edge server {printable(server.name)}.")
    return 0
