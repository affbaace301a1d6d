"""The pieces of model downloads (``download``): the HTTP client, TLS, header parsing, the
download-link policy, the speed meter and the disk check, kept apart so that ``download`` reads
as the procedure it is."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import socket
import ssl
from collections import deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from hybrid_desktop.core.proxy import is_loopback
from hybrid_desktop.errors import DownloadDiskFullError, DownloadError

#: Free space left over after the download: the registry index, logs and history keep growing,
#: and a disk filled to the last byte breaks the rest of the app.
DISK_MARGIN_BYTES = 64 << 20
#: The window of the moving-average speed: long enough to smooth TCP's bursts, short enough that
#: the ETA follows a link that got slower.
SPEED_WINDOW_S = 5.0
#: The longest wait between two attempts (the backoff doubles from half a second up to this).
MAX_BACKOFF_S = 30.0
_SHA256 = re.compile(r"[0-9a-f]{64}")


def client(proxy: str | None, timeout: httpx.Timeout) -> httpx.Client:
    """One connection pool per proxy; redirects are followed by hand (checked per hop)."""
    return httpx.Client(
        proxy=proxy, timeout=timeout, follow_redirects=False, trust_env=False, verify=tls()
    )


def tls() -> ssl.SSLContext:
    """Whom to trust: ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set (how a corporate proxy's CA is
    usually given, and what the cloud SDK's client honours too), else the system's store through
    ``truststore`` (installed with the cloud SDK), else Python's defaults."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if cafile or capath:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    try:
        import truststore
    except ImportError:
        return ssl.create_default_context()
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def shutter(response: httpx.Response) -> Callable[[], None]:
    """A function that shuts the response's socket, waking a blocked read in another thread."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None

    def shut() -> None:
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    return shut


def normal_sha256(value: str) -> str | None:
    value = value.strip()
    value = value.removeprefix("W/").strip('"').strip().lower()
    return value if _SHA256.fullmatch(value) else None


def validator(response: httpx.Response) -> str | None:
    """A validator for ``If-Range``: a strong ETag, else Last-Modified (a weak ETag may not be
    used with ranges)."""
    etag = str(response.headers.get("etag", ""))
    if etag and not etag.startswith("W/"):
        return etag
    return str(response.headers.get("last-modified", "")) or None


def content_range(value: str) -> tuple[int, int | None]:
    match = re.fullmatch(r"\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*", value)
    if not match:
        raise ValueError(f"the server's Content-Range is unreadable ({value[:40]!r})")
    total = match.group(3)
    return int(match.group(1)), int(total) if total.isdigit() else None


def range_total(value: str) -> int | None:
    match = re.fullmatch(r"\s*bytes\s+\*/(\d+)\s*", value)
    return int(match.group(1)) if match else None


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return min(float(value), MAX_BACKOFF_S * 4) if value.isdigit() else None


def backoff(failures: int) -> float:
    """Exponential, from half a second, capped, with jitter so many clients do not retry in
    step."""
    return min(MAX_BACKOFF_S, 0.5 * 2.0 ** (failures - 1)) * random.uniform(0.5, 1.0)


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return
    if parts.scheme == "http":
        raise DownloadError(
            f"{url} is a plain http link; models are downloaded over https only.",
            "Use the https link to the file.",
        )
    raise DownloadError(f"{url!r} is not a download link.", "Give an https:// link to a GGUF file.")


def certificate_problem(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def why(exc: BaseException) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection dropped"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    return "the connection failed"


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def size_text(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover


class Speed:
    """Moving-average speed over the last :data:`SPEED_WINDOW_S` seconds."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()

    def reset(self) -> None:
        self._samples.clear()

    def add(self, now: float, done: int) -> float:
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[1][0] > SPEED_WINDOW_S:
            self._samples.popleft()
        first_t, first_done = self._samples[0]
        elapsed = now - first_t
        return (done - first_done) / elapsed if elapsed > 0 else 0.0


def check_disk(folder: Path, needed: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if needed > 0 and free < needed + DISK_MARGIN_BYTES:
        raise DownloadDiskFullError(
            f"The download needs {size_text(needed)} and {folder} has {size_text(free)} free "
            f"(keeping {size_text(DISK_MARGIN_BYTES)} spare); nothing was downloaded."
        )
