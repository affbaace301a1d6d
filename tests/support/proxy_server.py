"""A small HTTP proxy on 127.0.0.1, for tests: what a corporate proxy does, and nothing leaves
this machine.

Every host it is asked for is answered by one upstream server on 127.0.0.1 (the Messages API
server of tests/support/anthropic_server.py), so a request for ``api.example.test`` is never
looked up in DNS: only the proxy would resolve it, and it does not. It handles

- ``CONNECT host:port`` (how a client tunnels ``https``): answers 200, then speaks TLS itself with
  a certificate for ``host`` (made here, trusted by the client through ``SSL_CERT_FILE``) and
  relays what it decrypts to the upstream, as an intercepting proxy does;
- an absolute URL (``POST http://host/v1/messages``, plain ``http``): forwarded to the upstream,
  one request a connection.

It records each request line it was sent (:attr:`ProxyServer.seen`).
"""

from __future__ import annotations

import datetime
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` and its key (PEM files in ``folder``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "proxy-cert.pem", folder / "proxy-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class ProxyServer:
    def __init__(
        self, upstream_port: int, tls: ssl.SSLContext | None = None, refuse: int | None = None
    ) -> None:
        """``refuse``: answer every request with this status (407: a sign-in is needed)."""
        self.upstream_port = upstream_port
        self._tls = tls
        self._refuse = refuse
        #: Request lines received, in order: ``CONNECT api.example.test:443 HTTP/1.1``, ...
        self.seen: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            head = _read_head(conn)
            if not head:
                return
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            self.seen.append(line)
            method, target, _version = line.split(" ", 2)
            if self._refuse is not None:
                conn.sendall(
                    f"HTTP/1.1 {self._refuse} Refused\r\n"
                    'Proxy-Authenticate: Basic realm="corp"\r\n'
                    "Content-Length: 0\r\nConnection: close\r\n\r\n".encode("ascii")
                )
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
            with upstream:
                if method == "CONNECT":
                    conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    client: socket.socket = conn
                    if self._tls is not None:
                        client = self._tls.wrap_socket(conn, server_side=True)
                    _relay(client, upstream)
                else:  # an absolute URL: forward it in origin form, one request a connection
                    parts = urlsplit(target)
                    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                    rest = head.split(b"\r\n", 1)[1]
                    rest = b"\r\n".join(
                        h
                        for h in rest.split(b"\r\n")
                        if not h.lower().startswith((b"connection:", b"proxy-"))
                    )
                    upstream.sendall(
                        f"{method} {path} {_version}\r\nConnection: close\r\n".encode("latin-1")
                        + rest
                    )
                    _relay(conn, upstream)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(10)
        self._listener.close()


def _read_head(conn: socket.socket) -> bytes:
    """The request line and headers, byte by byte (what follows belongs to the body/tunnel)."""
    conn.settimeout(30)
    head = b""
    with suppress(OSError):
        while b"\r\n\r\n" not in head and len(head) < 65536:
            byte = conn.recv(1)
            if not byte:
                return b""
            head += byte
    return head


def _relay(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes (one thread: an SSL socket must not be read
    and written from two at once)."""
    with suppress(OSError):
        while True:
            pending = isinstance(client, ssl.SSLSocket) and client.pending()
            ready = [client] if pending else select.select([client, upstream], [], [], 60)[0]
            if not ready:
                return
            for source in ready:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is client else client).sendall(data)


@contextmanager
def running_proxy(upstream_port: int, tls: ssl.SSLContext | None = None) -> Iterator[ProxyServer]:
    proxy = ProxyServer(upstream_port, tls)
    try:
        yield proxy
    finally:
        proxy.close()
