"""Addresses that are nobody's: loopback and unspecified addresses, whole networks, public
resolvers and home routers' factory addresses, and reserved example domains (RFC 2606, RFC 6761)
with a mailbox that names no one. The detector leaves them alone as general knowledge."""

from __future__ import annotations

import ipaddress
import re
from functools import cache

__all__ = ["ADDRESS_TYPES", "generic_address"]

ADDRESS_TYPES = frozenset({"IP_ADDRESS", "DOMAIN_NAME", "EMAIL_ADDRESS", "URL"})
#: Domains reserved for documentation and tests (RFC 2606, RFC 6761): never anyone's.
_RESERVED_DOMAIN = re.compile(
    r"(?:^|[.@])(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid|localhost)|localhost)$",
    re.IGNORECASE,
)
#: Public DNS resolvers and home routers' factory addresses that how-tos name: general knowledge,
#: like a famous place (a router at 192.168.1.1 is every reader's router, not someone's).
_PUBLIC_RESOLVERS = frozenset(
    {"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", "149.112.112.112", "208.67.222.222"}
    | {"192.168.0.1", "192.168.1.1", "192.168.2.1", "192.168.178.1", "10.0.0.1", "10.0.0.138"}
)


#: The SSH endpoints of public code hosts, as in ``git clone git@github.com:org/repo.git``.
_PUBLIC_SSH = frozenset(
    {"git@github.com", "git@gitlab.com", "git@bitbucket.org", "git@ssh.dev.azure.com"}
    | {"git@codeberg.org", "git@gist.github.com"}
)


@cache
def _generic_mailboxes() -> frozenset[str]:
    from .recognizers.cue_lists import read_list  # the recognizers import Presidio

    return frozenset(w.lower() for w in read_list("generic_mailboxes.txt"))


def generic_address(value: str) -> bool:
    """An address that is nobody's: loopback or unspecified ("http://0.0.0.0:8000"), a whole
    network ("10.0.0.0/16"), a public resolver, a reserved example domain, or a public code host's
    SSH endpoint (``git@github.com``)."""
    host = re.sub(r"^[a-z][\w+.-]*://", "", value.strip(), flags=re.I)
    if host.lower() in _PUBLIC_SSH:
        return True
    mailbox, at, host = host.rpartition("@")
    if at and mailbox.lower() not in _generic_mailboxes():
        return False
    if re.search(r"/\d{1,3}$", host):  # CIDR: a network, unless host bits are set
        try:
            network = ipaddress.ip_network(host, strict=True)
        except ValueError:
            network = None
        if network is not None and network.num_addresses > 1:
            return True
    host = re.sub(r"(?::\d+)?(?:/.*)?$", "", host).strip("[]")
    if _RESERVED_DOMAIN.search(host.rstrip(".")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or host in _PUBLIC_RESOLVERS
