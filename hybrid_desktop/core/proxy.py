"""Which proxy a cloud request goes through: ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY`` and
``NO_PROXY``, as the Anthropic SDK's own HTTP client reads them (and, where the standard library
reads them, the system's settings on Windows and macOS).

The standard library does the reading: :func:`urllib.request.getproxies` (variables in either
case; on Windows and macOS the system's proxy settings when none is set) and
:func:`urllib.request.proxy_bypass` (``NO_PROXY``: names and their subdomains, ``*``, ports; on
Windows and macOS also the system's exceptions). An address on this machine (``localhost``,
127.0.0.0/8, ``::1``) never goes through a proxy, whatever the variables say: a local gateway or
test server is never sent to a corporate proxy.

Used by the cloud client (``engines.cloud``: a CONNECT tunnel for ``https``, the absolute URL for
``http``) and by the network probe (``network``), so both reach the service the same way.
"""

from __future__ import annotations

import ipaddress
import logging
import urllib.request
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def proxy_for(url: str) -> str | None:
    """The proxy URL that a request to ``url`` goes through, or None for a direct connection."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    scheme = parts.scheme.lower()
    if not host or is_loopback(host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy:
        return None
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    try:
        if urllib.request.proxy_bypass(netloc):
            return None
    except (OSError, ValueError):  # a malformed system setting: the variables still hold
        log.debug("proxy bypass check failed for %s", host, exc_info=True)
    return proxy if "://" in proxy else f"http://{proxy}"
