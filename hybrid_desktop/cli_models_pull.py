"""``hybrid-desktop models pull NAME_OR_URL [--sha256 HEX] [--json]``: download a model of the
catalogue (by name) or any GGUF link, verified, into the models folder, and list it.

Progress goes to stderr: one updating line on a terminal, a line every few seconds otherwise
(a log file or CI keeps a readable record). Ctrl+C stops the download and keeps the partial
file, so the same command resumes it; the file only gets its name once its sha256 matched
(``core.model_manager.download``). With ``--json`` the last stdout line is one object with
``name``, ``path``, ``size_bytes`` and ``sha256``.

``cli_models`` registers this subcommand (``add_pull_arguments``, ``run_pull``); this module
does not import ``cli`` (which imports it), so its JSON line is written by a small copy of
``cli``'s emitter.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO
from urllib.parse import unquote, urlsplit

from hybrid_desktop.cli_output import emit_json

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.catalogue import CatalogueEntry
    from hybrid_desktop.core.model_manager.download import Progress
    from hybrid_desktop.core.services import Services

#: Seconds between progress lines when stderr is not a terminal.
LOG_EVERY_S = 5.0


def add_pull_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name_or_url",
        metavar="NAME_OR_URL",
        help="a model name from `models recommend`, or an https link to a GGUF file",
    )
    parser.add_argument(
        "--sha256",
        metavar="HEX",
        help="the file's expected sha256 (else the catalogue's, else the server's X-Linked-Etag)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the installed model as one JSON object"
    )


@dataclass(frozen=True)
class Target:
    """What to download: the model's name, its link, and what is known of the file."""

    name: str
    url: str
    sha256: str | None
    size_bytes: int | None


def resolve_target(
    name_or_url: str, entries: list[CatalogueEntry], sha256: str | None = None
) -> Target:
    """A catalogue name (any case) or a link; a link to a catalogue file gets its entry's data."""
    from hybrid_desktop.errors import DownloadError

    wanted = name_or_url.strip()
    for entry in entries:
        if wanted.lower() == entry.name.lower() or wanted == entry.url:
            return Target(entry.name, entry.url, sha256 or entry.sha256, entry.size_bytes)
    parts = urlsplit(wanted)
    if parts.scheme in ("http", "https") and parts.hostname:
        return Target(name_from_url(wanted), wanted, sha256, None)
    raise DownloadError(
        f"{wanted!r} is neither a model of the catalogue nor a download link.",
        "Run `hybrid-desktop models recommend` for the catalogue's names, or give an https link.",
    )


def name_from_url(url: str) -> str:
    """The model name a link gives: its file name without ``.gguf``, in the registry's
    characters ([A-Za-z0-9._-])."""
    stem = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    if stem.lower().endswith(".gguf"):
        stem = stem[:-5]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")
    return stem or "model"


def run_pull(args: argparse.Namespace, services: Services) -> int:
    from hybrid_desktop.core.model_manager.catalogue import load_catalogue
    from hybrid_desktop.core.model_manager.download import download, incomplete_path
    from hybrid_desktop.core.model_manager.registry import ModelRegistry
    from hybrid_desktop.errors import HybridDesktopError

    try:
        _version, entries = load_catalogue()
    except HybridDesktopError as exc:  # a broken catalogue does not stop a download by link
        if "://" not in args.name_or_url:
            raise
        print(f"warning: {exc.message}", file=sys.stderr)
        entries = []
    target = resolve_target(args.name_or_url, entries, args.sha256)
    registry = ModelRegistry(services.paths)
    known = registry.find(target.name)
    if known is not None and known.origin == target.url:
        print(f"{known.name} is installed already ({known.path}).", file=sys.stderr)
        if args.json:
            emit_json({**known.to_json(), "installed_already": True})
        return 0
    dest = registry.path_for_new(registry.unique_name(target.name))
    name = dest.name.removesuffix(".gguf")
    offline = bool(services.settings.offline_mode or services.network.offline_mode)
    meter = _Meter(name, sys.stderr)
    try:
        sha256 = download(
            target.url,
            dest,
            sha256=target.sha256,
            expected_size=target.size_bytes,
            progress=meter,
            offline=offline,
        )
    except KeyboardInterrupt:
        meter.end()
        part = incomplete_path(dest)
        kept = f"the partial file {part} is kept; " if part.exists() else ""
        print(
            f"note: the download was interrupted; {kept}run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    finally:
        meter.end()
    try:
        entry = registry.add(dest, source="download", origin=target.url, sha256=sha256, name=name)
    except HybridDesktopError:
        dest.unlink(missing_ok=True)  # never leave a file the registry refused
        print(
            f"note: {dest.name} was downloaded but cannot be used; it was deleted.", file=sys.stderr
        )
        raise
    verified = meter.checked != "unverified"
    if not verified:
        print(
            f"warning: no checksum was known for {target.url}, so the file could not be "
            f"verified; its sha256 is {sha256}.",
            file=sys.stderr,
        )
    if not args.json:
        print(f"Installed {entry.name} ({_size(entry.size_bytes)}) at {entry.path}.")
        print(f"sha256 {entry.sha256}{' (verified)' if verified else ''}.")
        print(f"Use it with: hybrid-desktop models use {entry.name}")
    if args.json:
        emit_json({**entry.to_json(), "verified": verified})
    return 0


class _Meter:
    """Progress on ``out``: bytes, speed and ETA; one updating line on a terminal."""

    def __init__(self, name: str, out: TextIO) -> None:
        self.name = name
        self.out = out
        self.tty = out.isatty()
        self._last = 0.0
        self._width = 0
        self._open = False
        self.last_state = ""
        #: What the file was checked against (the final report's detail).
        self.checked = "unverified"

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        changed = p.state != self.last_state
        self.last_state = p.state
        if p.state == "retrying":
            self._line(f"{self.name}: connection problem ({p.detail}); retrying…", final=True)
            return
        if p.state == "verifying":
            self._line(f"{self.name}: checking the sha256…", final=not self.tty)
            return
        if p.state == "done":
            self.checked = p.detail or self.checked
            return
        every = 0.2 if self.tty else LOG_EVERY_S
        if not changed and now - self._last < every:
            return
        self._last = now
        self._line(self._text(p), final=not self.tty)

    def _text(self, p: Progress) -> str:
        if p.state in ("connecting", "paused"):
            return f"{self.name}: {p.state}…"
        total = f" of {_size(p.total_bytes)}" if p.total_bytes else ""
        share = f" ({p.done_bytes / p.total_bytes:.0%})" if p.total_bytes else ""
        speed = f", {_size(p.speed_bps)}/s" if p.speed_bps > 0 else ""
        eta = f", {_duration(p.eta_s)} left" if p.eta_s is not None else ""
        return f"{self.name}: {_size(p.done_bytes)}{total}{share}{speed}{eta}"

    def _line(self, text: str, *, final: bool) -> None:
        if self.tty:
            pad = " " * max(0, self._width - len(text))
            self.out.write(f"\r{text}{pad}")
            self._width = len(text)
            self._open = True
            if final:
                self.end()
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def end(self) -> None:
        if self._open:
            self.out.write("\n")
            self.out.flush()
            self._open = False
            self._width = 0


def _size(n: float | None) -> str:
    n = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover


def _duration(seconds: float | None) -> str:
    s = int(seconds or 0)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )
