"""One app per user and data folder: a second launch hands over to the first and exits.

The first instance listens on a local socket (``QLocalServer``: a Unix socket file, or a named
pipe on Windows) named after the user and the data folder, so a portable install or a test with
its own ``HYBRID_DESKTOP_HOME`` is an instance of its own. A later launch connects, sends one line
(``show`` or ``quick-prompt``), waits for ``ok`` and exits. A socket file left behind by a crash
refuses connections; it is removed and the new instance takes over.
"""

from __future__ import annotations

import getpass
import logging
import zlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIONS = ("show", "quick-prompt")
TIMEOUT_MS = 2_000


def server_name(data_dir: str) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        user = "user"
    # Two 32-bit checksums (zlib's, cheaper to import than hashlib before the first window).
    key = f"{user}\0{data_dir}".encode()
    digest = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}"
    return f"hybrid-desktop-{digest}"


def hand_over(name: str, action: str) -> bool:
    """Ask a running instance to do ``action``; True when one answered."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(f"{action}\n".encode())
    socket.flush()
    socket.waitForBytesWritten(TIMEOUT_MS)
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll().data()).startswith(
        b"ok"
    )
    socket.disconnectFromServer()
    return bool(answered)


class InstanceServer(QObject):
    """Listens for later launches; emits ``requested(action)`` in the GUI thread."""

    requested = Signal(str)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self.server.listen(self.name):
            log.info("listening for other launches (%s)", self.name)
            return True
        # A socket left by a crashed instance: nobody answers on it, so it can go.
        log.info("removing a stale instance socket (%s)", self.server.errorString())
        QLocalServer.removeServer(self.name)
        ok = self.server.listen(self.name)
        if ok:
            log.info("listening for other launches (%s)", self.name)
        else:
            log.warning("cannot listen for other launches: %s", self.server.errorString())
        return ok

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            if connection is None:
                continue

            def read(conn: QLocalSocket = connection) -> None:
                if not conn.canReadLine():
                    return
                action = bytes(conn.readLine().data()).decode(errors="replace").strip()
                conn.write(b"ok\n" if action in ACTIONS else b"unknown\n")
                conn.flush()
                conn.disconnectFromServer()
                if action in ACTIONS:
                    log.info("another launch asked to %s", action)
                    self.requested.emit(action)

            connection.readyRead.connect(read)
            connection.disconnected.connect(connection.deleteLater)
            read()

    def close(self) -> None:
        self.server.close()
