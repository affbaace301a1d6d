"""Which key names hold a password or a secret (``password=``, ``clientSecret:``), and which only
describe one (``password_length``, ``secretName``): detect-secrets' keyword list and ours
(``data/secrets_keys.txt``, ``data/secrets_key_ignore.txt``). Used by :mod:`.secrets`."""

from __future__ import annotations

import re

from detect_secrets.plugins import keyword as ds_keyword

from .secret_shapes import read_sections

__all__ = ["KeyClasses"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_KEY_SPLIT = re.compile(r"[_\-.\s]+")


class KeyClasses:
    """Which key names hold a password, a credential, or (generic names) maybe a secret."""

    def __init__(self) -> None:
        data = read_sections("secrets_keys.txt")
        password = [k for k in ds_keyword.DENYLIST if re.search("pass|pwd|contras", k)]
        secret = [k for k in ds_keyword.DENYLIST if k not in password]
        self.password = self._compile([*password, *data.get("password", [])])
        self.secret = self._compile([*secret, *data.get("secret", [])])
        self.entropy = self._compile(data.get("entropy", []))
        ignore = read_sections("secrets_key_ignore.txt")
        self.ignore = frozenset(w.lower() for w in ignore[""])
        self.ignore_after = self.ignore | {w.lower() for w in ignore.get("after_only", [])}

    @staticmethod
    def _compile(fragments: list[str]) -> re.Pattern[str]:
        # Short fragments ("pwd", "key") must be a whole word of the key; longer ones may end one
        # ("PGPASSWORD", "clientSecret" after camelCase splitting).
        fragments = sorted(set(fragments), key=len, reverse=True)
        short = [f for f in fragments if len(f.replace("_?", "")) <= 5]
        long = [f for f in fragments if f not in short]
        parts = []
        if short:
            parts.append(r"(?:^|_)(?:" + "|".join(short) + r")(?=_|$)")
        if long:
            parts.append(r"(?:" + "|".join(long) + r")(?=_|$)")
        return re.compile("|".join(parts) or r"(?!)")

    def classify(self, key: str) -> str | None:
        """``password``, ``secret``, ``entropy`` or None for a key token.

        None too when another word of the key makes it describe the secret (``password_length``,
        ``secretName``, ``api_key_id``); words inside the matched key name do not count
        (``session_id``).
        """
        norm = "_".join(w for w in _KEY_SPLIT.split(_CAMEL.sub("_", key).lower()) if w)
        for name, regex in (
            ("password", self.password),
            ("secret", self.secret),
            ("entropy", self.entropy),
        ):
            match = regex.search(norm)
            if match:
                before, after = norm[: match.start()].split("_"), norm[match.end() :].split("_")
                if any(w in self.ignore for w in before) or any(
                    w in self.ignore_after for w in after
                ):
                    return None
                return name
        return None

    def names_secret(self, value: str) -> bool:
        """A value that is itself a key name (``password=db_password``, ``key=API_KEY``)."""
        return (
            self.classify(value) is not None and re.fullmatch(r"[A-Za-z_][\w.]*", value) is not None
        )
