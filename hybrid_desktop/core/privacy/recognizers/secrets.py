"""Recognizers for credentials: provider API keys, tokens, JWTs, private keys, passwords, URLs with
credentials in them.

Provider keys have fixed prefixes and lengths, so they are matched without context; ``password``-
style assignments and sentences ("my password is hunter2") report only the secret value.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ._base import RegexRecognizer, Rule

_I = re.IGNORECASE
_END = r"(?![A-Za-z0-9_\-])"

PROVIDER_KEYS = re.compile(
    r"(?<![A-Za-z0-9_\-])(?:"
    r"(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}"  # AWS key id
    r"|gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{40,255}"  # GitHub
    r"|glpat-[A-Za-z0-9_\-]{20,}"  # GitLab
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,}"  # Slack
    r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,}"  # Stripe
    r"|sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"  # OpenAI / Anthropic style
    r"|AIza[A-Za-z0-9_\-]{35}"  # Google API key
    r"|ya29\.[A-Za-z0-9_\-]{20,}"  # Google OAuth token
    r"|hf_[A-Za-z0-9]{30,}"  # Hugging Face
    r"|npm_[A-Za-z0-9]{36}|pypi-[A-Za-z0-9_\-]{50,}"  # package registries
    r"|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}"  # SendGrid
    r"|(?:AC|SK)[a-f0-9]{32}"  # Twilio
    r"|dop_v1_[a-f0-9]{64}|shpat_[a-fA-F0-9]{32}|EAACEdEose0cBA[A-Za-z0-9]+"
    r")" + _END
)
JWT = re.compile(
    r"(?<![\w-])eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}" + _END
)
PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"
)
BEARER = re.compile(r"\b(?:bearer|token|basic)\s+([A-Za-z0-9_\-.=:+/~]{16,})", _I)
AWS_SECRET = re.compile(
    r"aws_?secret(?:_access)?_?key\W{0,4}\s*[:=]?\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])", _I
)
# key = value / "key": "value" / key: value, where the key names a secret.
_SECRET_KEY = (
    r"(?:[\w.-]*(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"auth[_-]?key|private[_-]?key|client[_-]?secret|credentials?|session[_-]?id|cookie|signing[_-]?key)[\w.-]*)"
)
ASSIGNMENT = re.compile(
    r"[\"']?"
    + _SECRET_KEY
    + r"[\"']?\s*(?::=|=>|=|:)\s*(?:[\"']([^\"'\s]{3,})[\"']|([^\s\"',;}{)]{3,}))",
    _I,
)
SENTENCE = re.compile(
    r"\b(?:password|passcode|passphrase|pin|pwd|wifi key|wi-fi key|secret)\s+(?:is|was|=|:)\s+[\"'“]?([^\s\"'”]{3,})",
    _I,
)
CONN_STRING = re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]+:([^\s@/]+)@[^\s/]+", _I)
_PLACEHOLDERS = frozenset(
    [
        "password",
        "secret",
        "token",
        "changeme",
        "example",
        "xxx",
        "xxxx",
        "xxxxx",
        "none",
        "null",
        "true",
        "false",
        "your_password",
        "yourpassword",
        "your_token",
        "your_api_key",
        "<password>",
        "********",
        "******",
        "env",
        "os.environ",
        "getenv",
    ]
)


def _entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def _value_ok(value: str) -> bool:
    v = value.strip("\"'`")
    low = v.lower()
    if low in _PLACEHOLDERS or low.startswith(
        ("os.", "env", "process.env", "${", "{{", "<", "settings.", "config.")
    ):
        return False
    return not ("(" in v or v.endswith(")") or set(v) <= {"*", "x", "X", "."})


def _bearer_ok(value: str) -> bool:
    return _value_ok(value) and any(ch.isdigit() for ch in value) and _entropy(value) > 3.0


def build() -> list[RegexRecognizer]:
    """All secret recognizers."""
    return [
        RegexRecognizer(
            "SecretRecognizer",
            [
                Rule("SECRET", PEM, 1.0),
                Rule("SECRET", PROVIDER_KEYS, 0.95),
                Rule("SECRET", JWT, 0.95),
                Rule("SECRET", AWS_SECRET, 0.95, group=1),
                Rule("SECRET", BEARER, 0.9, _bearer_ok, group=1),
                Rule("SECRET", ASSIGNMENT, 0.9, _value_ok, group=1),
                Rule("SECRET", ASSIGNMENT, 0.9, _value_ok, group=2),
                Rule("SECRET", SENTENCE, 0.85, _value_ok, group=1),
                Rule("SECRET", CONN_STRING, 0.95, _value_ok, group=1),
            ],
        )
    ]
