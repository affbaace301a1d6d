"""Name resolution with a deadline: ``getaddrinfo`` has no timeout, so it runs on a daemon thread
and the caller waits at most ``timeout_s``. Handed to ``core.network.NetworkMonitor`` by the app
(core starts no threads of its own)."""

from __future__ import annotations

import socket
import threading
from typing import Any

from hybrid_desktop.core.network import literal_address


def resolve_with_deadline(host: str, port: int, timeout_s: float) -> list[tuple[Any, ...]]:
    literal = literal_address(host, port)
    if literal is not None:
        return literal
    box: list[object] = []

    def work() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            box.append(exc)

    thread = threading.Thread(target=work, name="dns-probe", daemon=True)
    thread.start()
    thread.join(timeout_s)
    if not box:
        raise TimeoutError(f"name lookup for {host} took longer than {timeout_s:.1f} s")
    result = box[0]
    if isinstance(result, OSError):
        raise result
    return list(result)  # type: ignore[call-overload,no-any-return]
