"""Model downloads that users can trust: resumed after a drop, verified before they are kept.

A download writes ``<dest>.incomplete`` and only an ``os.replace`` makes it ``<dest>``, after its
sha256 matched (the caller's, else the server's ``X-Linked-Etag``, which Hugging Face sends with
the sha256 of large files). Nothing half-written ever carries the final name. What the desktop
anchors' users complain about (Jan, LM Studio) is what this module is for:

- a dropped connection resumes where it stopped, with HTTP ``Range`` on the ``.incomplete`` file
  and ``If-Range`` with the server's validator, so a file changed on the server restarts from zero
  instead of being spliced; a rerun of the command resumes too (the validator and URL are kept in
  ``<dest>.incomplete.json``);
- retries with exponential backoff and jitter; a stalled transfer (no byte for ``stall_s``) counts
  as a drop. The retry loop is ours rather than ``tenacity``/``backoff``/``stamina`` (none is
  installed): its sleeps must wake on cancel, it resets its count when an attempt made progress,
  and it is a dozen lines;
- pause, resume and cancel from another thread (:class:`DownloadControl`); pause keeps the partial
  file, cancel deletes it;
- free disk checked before starting and ``ENOSPC`` while writing turned into a plain message, with
  the partial file removed;
- the proxy in force for the URL (``core.proxy.proxy_for``, per hop), redirects followed by hand
  (Hugging Face answers with a redirect to its CDN) to ``https`` or this machine only, at most
  :data:`MAX_REDIRECTS`; Offline mode refuses before any connection.

The HTTP client is ``httpx`` (streaming, separate connect/read timeouts); its pieces (TLS, header
parsing, the link policy, the speed meter, the disk check) are in ``download_support``. Core
starts no threads: ``download`` runs on the caller's thread (the GUI's worker pool), and so does
its ``progress`` callback, which a GUI must hand to its own thread.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import httpx

from hybrid_desktop import __version__
from hybrid_desktop.config.private import fsync_folder
from hybrid_desktop.core.model_manager import download_support as web
from hybrid_desktop.core.proxy import is_loopback, proxy_for
from hybrid_desktop.errors import (
    DownloadCancelledError,
    DownloadChecksumError,
    DownloadDiskFullError,
    DownloadError,
    DownloadOfflineError,
)

log = logging.getLogger(__name__)

#: Redirect hops followed (Hugging Face needs one: resolve URL -> CDN).
MAX_REDIRECTS = 5
#: How often progress is reported while bytes flow (state changes are reported at once).
PROGRESS_EVERY_S = 0.1


@dataclass
class Progress:
    """One progress report. ``state``: connecting, downloading, paused, retrying, verifying or
    done. ``detail`` says why when retrying, and when done what the file was checked against:
    ``sha256`` (the one given), ``x-linked-etag`` (the server's) or ``unverified``."""

    done_bytes: int
    total_bytes: int | None
    speed_bps: float
    eta_s: float | None
    state: str
    detail: str = ""

    @property
    def fraction(self) -> float | None:
        return self.done_bytes / self.total_bytes if self.total_bytes else None


class DownloadControl:
    """Pause, resume and cancel a running :func:`download` from any thread.

    Pausing or cancelling also shuts the socket the transfer is blocked on, so either takes
    effect at once, even while the server sends nothing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = threading.Event()
        self._running.set()
        self._cancelled = threading.Event()
        self._interrupt: Callable[[], None] | None = None

    def pause(self) -> None:
        self._running.clear()
        self._fire_interrupt()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancelled.set()
        self._running.set()  # wake a paused download so it can clean up
        self._fire_interrupt()

    @property
    def is_paused(self) -> bool:
        return not self._running.is_set() and not self._cancelled.is_set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def wait_while_paused(self) -> None:
        self._running.wait()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` unless cancelled first."""
        self._cancelled.wait(seconds)

    def _set_interrupt(self, interrupt: Callable[[], None] | None) -> None:
        with self._lock:
            self._interrupt = interrupt

    def _fire_interrupt(self) -> None:
        with self._lock:
            interrupt = self._interrupt
        if interrupt is not None:
            interrupt()


class _Retry(Exception):
    """An attempt failed in a way another attempt may fix (drop, stall, 5xx, 429)."""

    def __init__(self, why: str, wait_s: float | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.wait_s = wait_s


class _Interrupted(Exception):
    """The control paused or cancelled the transfer (its socket was shut)."""


@dataclass
class _State:
    """What one download knows across its attempts."""

    url: str
    part: Path
    meta: Path
    total: int | None
    validator: str | None = None
    server_sha256: str | None = None
    linked_size: int | None = None
    hasher: Any = None
    hashed: int = 0


def incomplete_path(dest: Path) -> Path:
    """Where ``dest`` is written until it is verified."""
    return dest.with_name(dest.name + ".incomplete")


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None = None,
    expected_size: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    control: DownloadControl | None = None,
    offline: bool = False,
    retries: int = 5,
    stall_s: float = 30.0,
    timeout_s: float = 30.0,
) -> str:
    """Download ``url`` to ``dest`` (which must not exist yet); return the file's sha256.

    ``retries``: attempts in a row that may fail without progress before giving up. ``stall_s``:
    the longest silence of a connection that is tolerated (also while waiting for the answer's
    head). ``timeout_s``: connecting and sending the request. Raises a :class:`~hybrid_desktop.errors.DownloadError`
    (subclasses for cancel, checksum, offline and disk full), each with a plain message.
    A ``KeyboardInterrupt`` propagates with the partial file kept, so a rerun resumes.
    """
    if offline:
        raise DownloadOfflineError(f"Offline mode is on, so {web.host(url)} was not contacted.")
    web.check_url(url)
    expected = web.normal_sha256(sha256) if sha256 else None
    if sha256 and expected is None:
        raise DownloadError(
            f"{sha256!r} is not a sha256 checksum.",
            "Give the 64 hexadecimal digits of the file's sha256, or leave the checksum out.",
        )
    if dest.exists():
        raise DownloadError(f"{dest} already exists; it was left as it is.", "Choose another name.")
    control = control or DownloadControl()
    # expected_size (a catalogue's figure, maybe approximate) only serves the disk check: the
    # server's own Content-Length / Content-Range decides where the file ends.
    state = _State(url, incomplete_path(dest), dest.with_name(dest.name + ".incomplete.json"), None)
    if not dest.parent.is_dir():
        raise DownloadError(f"The folder {dest.parent} does not exist.")
    with _only_one(state.part):
        return _locked(
            state, dest, expected, expected_size, progress, control, retries, stall_s, timeout_s
        )


def _locked(
    state: _State,
    dest: Path,
    expected: str | None,
    expected_size: int | None,
    progress: Callable[[Progress], None] | None,
    control: DownloadControl,
    retries: int,
    stall_s: float,
    timeout_s: float,
) -> str:
    """The download itself, once this process alone writes the partial file."""
    url = state.url
    _load_meta(state)
    if expected_size is not None:
        web.check_disk(dest.parent, expected_size - web.size(state.part))
    report = _Reporter(progress)
    clients: dict[str | None, httpx.Client] = {}
    timeout = httpx.Timeout(timeout_s, read=stall_s)  # read: headers and every chunk
    failures = 0
    keep_partial = False
    try:
        while True:
            if control.is_cancelled:
                raise DownloadCancelledError(
                    "The download was cancelled; its partial file was deleted."
                )
            if control.is_paused:
                report(state, "paused", force=True)
                control.wait_while_paused()
                continue
            before = web.size(state.part)
            try:
                _attempt(state, clients, timeout, control, report, stall_s)
                break
            except _Interrupted:
                continue  # paused or cancelled: the loop's head decides
            except _Retry as exc:
                failures = 0 if web.size(state.part) > before else failures + 1
                if failures > retries:
                    keep_partial = True
                    raise DownloadError(
                        f"The download of {web.host(url)} failed {failures} times in a row "
                        f"({exc.why}); the partial file is kept."
                    ) from None
                wait = exc.wait_s if exc.wait_s is not None else web.backoff(failures)
                log.info("download retry in %.1f s: %s", wait, exc.why)
                report(state, "retrying", detail=exc.why, force=True)
                control.sleep(wait)
        return _finish(state, dest, expected, report)
    except DownloadError:
        # Cancelled, checksum, disk full, refused (404...): nothing is kept. After the retries
        # ran out the partial file stays, so that a rerun resumes (the message says so).
        if not keep_partial:
            _discard(state)
        raise
    finally:
        control._set_interrupt(None)
        for client in clients.values():
            client.close()


@contextlib.contextmanager
def _only_one(part: Path) -> Iterator[None]:
    """One writer per partial file, across windows and commands (two would interleave their
    bytes): a ``filelock`` lock next to it, taken without waiting, removed afterwards."""
    from filelock import FileLock, Timeout

    path = part.with_name(part.name + ".lock")
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise DownloadError(
            f"{part.name.removesuffix('.incomplete')} is being downloaded already.",
            "Wait for that download to finish, or cancel it where it runs.",
        ) from None
    try:
        yield
    finally:
        lock.release()
        path.unlink(missing_ok=True)


# one attempt -----------------------------------------------------------------------------------


def _attempt(
    state: _State,
    clients: dict[str | None, httpx.Client],
    timeout: httpx.Timeout,
    control: DownloadControl,
    report: _Reporter,
    stall_s: float,
) -> None:
    """One request: follow redirects, then append the body to the partial file."""
    offset = web.size(state.part)
    if state.total is not None and offset == state.total and offset > 0:
        return  # complete already (a rerun after the last byte arrived)
    report(state, "connecting", force=True)
    url = state.url
    for _hop in range(MAX_REDIRECTS + 1):
        proxy = proxy_for(url)
        client = clients.get(proxy)
        if client is None:
            client = clients[proxy] = web.client(proxy, timeout)
        headers = {"User-Agent": f"hybrid-desktop/{__version__}", "Accept-Encoding": "identity"}
        if offset > 0:
            headers["Range"] = f"bytes={offset}-"
            if state.validator:
                headers["If-Range"] = state.validator
        try:
            with client.stream("GET", url, headers=headers) as response:
                control._set_interrupt(web.shutter(response))
                if control.is_cancelled or control.is_paused:
                    raise _Interrupted()
                location = _redirect(response, url, state)
                if location is not None:
                    url = location
                    continue
                _receive(response, state, offset, control, report)
                return
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            if control.is_cancelled or control.is_paused:
                raise _Interrupted() from None
            if web.certificate_problem(exc):
                raise DownloadError(
                    f"The certificate of {web.host(url)} could not be verified.",
                    "Check the system's date and certificates, or the proxy's certificate.",
                ) from None
            if isinstance(exc, httpx.ReadTimeout):
                raise _Retry(f"no data for {stall_s:g} s") from None
            raise _Retry(web.why(exc)) from None
        finally:
            control._set_interrupt(None)
    raise DownloadError(f"{web.host(state.url)} redirected more than {MAX_REDIRECTS} times.")


def _redirect(response: httpx.Response, url: str, state: _State) -> str | None:
    """The next URL when ``response`` redirects (checked: https or this machine), else None;
    raises for an answer that is not a body to write."""
    _note_linked(response, state)
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = str(response.headers.get("location", ""))
        if not target:
            raise DownloadError(f"{web.host(url)} redirected without saying where to.")
        target = urljoin(url, target)
        parts = urlsplit(target)
        if parts.scheme != "https" and not (
            parts.scheme == "http" and is_loopback(parts.hostname or "")
        ):
            raise DownloadError(
                f"{web.host(url)} redirected to an address that is not https ({parts.scheme}://"
                f"{parts.hostname}); it was not followed.",
                "Use an https link to the file.",
            )
        return target
    if status in (200, 206, 416):
        return None
    if status == 429 or status >= 500:
        raise _Retry(f"HTTP {status} from {web.host(url)}", web.retry_after(response))
    if status == 404:
        raise DownloadError(
            f"There is no file at {url} (HTTP 404).",
            "Check the name or link; `hybrid-desktop models recommend` lists the catalogue.",
        )
    if status in (401, 403):
        raise DownloadError(
            f"{web.host(url)} refused the download (HTTP {status}).",
            "The model may need you to sign in or accept its licence on its web page first.",
        )
    raise DownloadError(f"{web.host(url)} answered HTTP {status} to the download.")


def _receive(
    response: httpx.Response,
    state: _State,
    offset: int,
    control: DownloadControl,
    report: _Reporter,
) -> None:
    """Append the body to the partial file, from ``offset`` when the server resumed (206),
    from zero when it sent the whole file (200)."""
    status = response.status_code
    if status == 416:  # nothing left after offset, or the file shrank on the server
        total = web.range_total(response.headers.get("content-range", ""))
        if total is not None and total == offset:
            state.total = total
            return
        log.info("range not satisfiable at %d (server size %s): restarting", offset, total)
        _discard(state)
        raise _Retry("the server could not resume the partial file", 0.0)
    start = 0
    if status == 206:
        try:
            start, total = web.content_range(str(response.headers.get("content-range", "")))
        except ValueError as exc:
            raise _Retry(str(exc)) from None
        if start != offset:
            log.info("server resumed at %s, not %d: restarting", start, offset)
            _discard(state)
            raise _Retry("the server resumed at the wrong place", 0.0)
        state.total = total
    else:  # 200: the whole file (no range support, or If-Range saw a changed file)
        if offset:
            log.info("server sent the whole file: restarting from zero")
        length = response.headers.get("content-length", "")
        state.total = int(length) if length.isdigit() else state.linked_size
    if state.total is not None:
        web.check_disk(state.part.parent, state.total - start)
    state.validator = web.validator(response) or (state.validator if status == 206 else None)
    _save_meta(state)
    _prepare_hasher(state, start)
    report.speed.reset()
    try:
        with open(state.part, "r+b" if start else "wb") as out:
            out.seek(start)
            out.truncate()
            for chunk in response.iter_raw():  # as they arrive: none is held back
                _write(out, chunk, state)
                state.hasher.update(chunk)
                state.hashed += len(chunk)
                report(state, "downloading")
                if control.is_cancelled or control.is_paused:
                    raise _Interrupted()
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DownloadDiskFullError(
                f"The disk filled up while downloading to {state.part.parent}; "
                "the partial file was deleted."
            ) from None
        raise DownloadError(
            f"The download could not be written to {state.part}: {exc.strerror}.",
            "Check the models folder's permissions and disk.",
        ) from None
    if state.total is not None and web.size(state.part) != state.total:
        raise _Retry(f"the connection ended at {web.size(state.part)} of {state.total} bytes")


def _write(out: IO[bytes], chunk: bytes, state: _State) -> None:
    if state.total is not None and state.hashed + len(chunk) > state.total:
        raise _Retry("the server sent more bytes than it announced")
    out.write(chunk)


def _finish(state: _State, dest: Path, expected: str | None, report: _Reporter) -> str:
    """Check the sha256, then give the file its final name (atomically)."""
    report(state, "verifying", force=True)
    done = web.size(state.part)
    _prepare_hasher(state, done)
    actual = str(state.hasher.hexdigest())
    want = expected or state.server_sha256
    if want is None:
        log.warning("no checksum known for %s: kept unverified (sha256 %s)", state.url, actual)
    elif actual != want:
        which = "the expected" if expected else "the server's (X-Linked-Etag)"
        raise DownloadChecksumError(
            f"The downloaded file's sha256 ({actual[:12]}…) is not {which} ({want[:12]}…); "
            "the file was deleted."
        )
    os.replace(state.part, dest)
    fsync_folder(dest.parent)
    state.meta.unlink(missing_ok=True)
    how = "unverified" if want is None else "sha256" if expected else "x-linked-etag"
    report(state, "done", detail=how, force=True)
    return actual


# helpers ---------------------------------------------------------------------------------------


class _Reporter:
    """Calls the progress callback, at most every :data:`PROGRESS_EVERY_S` while bytes flow."""

    def __init__(self, callback: Callable[[Progress], None] | None) -> None:
        self.callback = callback
        self.speed = web.Speed()
        self._last = 0.0
        self._bps = 0.0

    def __call__(self, state: _State, what: str, *, detail: str = "", force: bool = False) -> None:
        now = time.monotonic()
        done = state.hashed if what == "downloading" else max(state.hashed, web.size(state.part))
        if what == "downloading":
            self._bps = self.speed.add(now, done)
        if self.callback is None or (not force and now - self._last < PROGRESS_EVERY_S):
            return
        self._last = now
        total = state.total
        speed = self._bps if what == "downloading" else 0.0
        eta = (total - done) / speed if total is not None and speed > 0 else None
        self.callback(Progress(done, total, speed, eta, what, detail))


def _note_linked(response: httpx.Response, state: _State) -> None:
    """Hugging Face's ``X-Linked-Etag`` (sha256 of an LFS file) and ``X-Linked-Size``, which it
    sends on the redirect to its CDN."""
    linked = web.normal_sha256(response.headers.get("x-linked-etag", ""))
    if linked:
        state.server_sha256 = linked
    size = response.headers.get("x-linked-size", "")
    if size.isdigit():
        state.linked_size = int(size)


def _prepare_hasher(state: _State, upto: int) -> None:
    """The hash of the partial file's first ``upto`` bytes, reusing what was hashed already."""
    if state.hasher is not None and state.hashed == upto:
        return
    state.hasher = hashlib.sha256()
    state.hashed = 0
    if upto == 0:
        return
    with open(state.part, "rb") as f:
        while state.hashed < upto:
            block = f.read(min(1 << 20, upto - state.hashed))
            if not block:
                break
            state.hasher.update(block)
            state.hashed += len(block)


def _load_meta(state: _State) -> None:
    """A partial file from an earlier run is resumed when it came from the same URL."""
    if not state.part.exists():
        state.meta.unlink(missing_ok=True)
        return
    try:
        meta = json.loads(state.meta.read_text(encoding="utf-8"))
        same = isinstance(meta, dict) and meta.get("url") == state.url
    except (OSError, ValueError):
        meta, same = {}, False
    if not same:
        log.info("partial file %s is from another source: restarting", state.part)
        _discard(state)
        return
    state.validator = meta.get("validator") if isinstance(meta.get("validator"), str) else None
    total = meta.get("total")
    if isinstance(total, int) and state.total is None:
        state.total = total
    log.info("resuming %s at %d bytes", state.part, web.size(state.part))


def _save_meta(state: _State) -> None:
    data = json.dumps({"url": state.url, "validator": state.validator, "total": state.total})
    temp = state.meta.with_name(state.meta.name + ".tmp")
    try:
        temp.write_text(data, encoding="utf-8")
        os.replace(temp, state.meta)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DownloadDiskFullError(
                f"The disk that holds {state.part.parent} is full; nothing was kept."
            ) from None
        raise DownloadError(f"{state.meta.parent} cannot be written: {exc.strerror}.") from None


def _discard(state: _State) -> None:
    for path in (state.part, state.meta):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    state.hasher, state.hashed = None, 0
