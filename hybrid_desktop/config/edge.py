"""Edge servers: machines on the user's own network that answer with a bigger model than the
laptop's (llama.cpp's ``llama-server``, vLLM, Ollama, LM Studio, a LiteLLM gateway).

Each is kept in Settings (``edge_servers``, a list of JSON objects) as an :class:`EdgeServer`;
its API key, when it has one, is in the OS keyring (:mod:`hybrid_desktop.config.secrets`), never
in the settings file.

Trust says what the privacy gate does before a request goes to the server:

- ``private``: a box the user controls. It counts as this device: the gate is not applied.
- ``organisation`` (the default): the gate applies the organisation's policy
  (Settings ``edge_org_actions``).
- ``external``: the gate applies the same policy as for the cloud.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from hybrid_desktop.errors import SettingsError

PROTOCOLS = ("openai", "anthropic")
TRUST_LEVELS = ("private", "organisation", "external")
#: "" reads the tier from the model's name (a size such as 70B in it), else ``large``.
TIERS = ("", "tiny", "small", "medium", "large")
DEFAULT_TRUST = "organisation"
#: Ports that serving engines listen on by default: Ollama, llama.cpp, vLLM and
#: llama-cpp-python, LM Studio.
WELL_KNOWN_PORTS = (11434, 8080, 8000, 1234)
#: The organisation's policy until the user sets one: what stays inside the organisation
#: (its own name, its hosts and addresses) may go as it is; personal data is replaced.
DEFAULT_ORG_ACTIONS: dict[str, str] = {
    "ORGANIZATION": "allow",
    "IP_ADDRESS": "allow",
    "DOMAIN_NAME": "allow",
}

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class EdgeServer:
    """One configured server."""

    name: str
    #: The base URL, e.g. ``http://office-gpu:8080`` (``/v1`` is added where needed).
    url: str
    protocol: str = "openai"
    trust: str = DEFAULT_TRUST
    #: The model id to ask for ("" : the first one ``/v1/models`` lists).
    model: str = ""
    #: The model's capability tier for routing ("" : from the model's name, else large).
    tier: str = ""
    #: What the server charges in US dollars per million tokens (0: free).
    price_in_per_mtok: float = 0.0
    price_out_per_mtok: float = 0.0
    #: Whether a key for it is kept in the keyring (the key itself never is here).
    has_key: bool = False
    enabled: bool = True

    def validate(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise SettingsError(
                f"Edge server name {self.name!r} is not usable.",
                "Use letters, digits, '.', '_' or '-' (up to 64), starting with a letter or digit.",
            )
        if not isinstance(self.url, str):
            raise SettingsError(f"Edge server {self.name}: the URL must be text.")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(
                f"Edge server {self.name}: {self.url!r} is not an http:// or https:// URL.",
                "Give the server's address, e.g. http://office-gpu:8080.",
            )
        try:
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            raise SettingsError(
                f"Edge server {self.name}: the port in {self.url!r} is not valid."
            ) from None
        if self.protocol not in PROTOCOLS:
            raise SettingsError(
                f"Edge server {self.name}: unknown protocol {self.protocol!r}.",
                f"Use one of: {', '.join(PROTOCOLS)}.",
            )
        if self.trust not in TRUST_LEVELS:
            raise SettingsError(
                f"Edge server {self.name}: unknown trust level {self.trust!r}.",
                f"Use one of: {', '.join(TRUST_LEVELS)}.",
            )
        if self.tier not in TIERS:
            raise SettingsError(
                f"Edge server {self.name}: unknown tier {self.tier!r}.",
                "Use tiny, small, medium or large (or leave it empty).",
            )
        if not isinstance(self.model, str):
            raise SettingsError(f"Edge server {self.name}: the model must be text.")
        for price in (self.price_in_per_mtok, self.price_out_per_mtok):
            if (
                isinstance(price, bool)
                or not isinstance(price, (int, float))
                or not (0 <= price <= 10_000)
            ):
                raise SettingsError(
                    f"Edge server {self.name}: a price must be a number of dollars per million "
                    "tokens, from 0 to 10000."
                )
        for flag in (self.has_key, self.enabled):
            if not isinstance(flag, bool):
                raise SettingsError(f"Edge server {self.name}: has_key and enabled are true/false.")

    @property
    def base_url(self) -> str:
        """The URL without a trailing slash or ``/v1`` (each client adds what it needs)."""
        url = self.url.rstrip("/")
        return url[:-3] if url.endswith("/v1") else url

    @property
    def host(self) -> str:
        """``host:port`` for the audit log and messages."""
        return urlsplit(self.url).netloc

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> EdgeServer:
        """Parse one settings entry; raises SettingsError with what is wrong."""
        if not isinstance(data, dict):
            raise SettingsError("An edge server entry must be a JSON object.")
        known = {f.name for f in fields(cls)}
        missing = [k for k in ("name", "url") if k not in data]
        if missing:
            raise SettingsError(f"An edge server entry has no {' or '.join(missing)}.")
        server = cls(**{k: v for k, v in data.items() if k in known})
        server.validate()
        return server


def parse_servers(entries: object) -> list[EdgeServer]:
    """The servers of the ``edge_servers`` setting; raises SettingsError on the first bad one."""
    if not isinstance(entries, list):
        raise SettingsError("Setting edge_servers must be a list of servers.")
    servers = [EdgeServer.from_json(e) for e in entries]
    names = [s.name.lower() for s in servers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SettingsError(f"Two edge servers are named {duplicates[0]!r}.")
    return servers


def split_host(entry: str) -> tuple[str, int | None]:
    """``"office-gpu"`` -> ("office-gpu", None); ``"10.0.0.5:8080"`` -> ("10.0.0.5", 8080);
    ``"[fe80::1]:8000"`` and URLs work too. Raises SettingsError on anything else."""
    text = entry.strip()
    if not text:
        raise SettingsError("An edge host is empty.")
    parts = urlsplit(text if "//" in text else f"//{text}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise SettingsError(f"The edge host {entry!r} has a port that is not valid.") from None
    if not host or (parts.path not in ("", "/")) or any(c.isspace() for c in host):
        raise SettingsError(
            f"The edge host {entry!r} is not a host name or address.",
            "Give a name or an address, with a port if it is not a well-known one.",
        )
    return host, port
