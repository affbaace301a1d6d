"""Pattern recognizers for structured identifiers: e-mail, payment card, IBAN, passports, driving
licences, IP addresses and personal web addresses. Phone numbers are in :mod:`.phones`, national
IDs in :mod:`.national_ids`, dates of birth in :mod:`.dates`, labelled staff, patient and customer
numbers in :mod:`.labelled_ids`.

Weak shapes (a short code) only count next to words that say what they are ("passport"); strong
ones are checked (Luhn, mod 97).
No ``tldextract``: e-mail and URL shapes are matched with plain regexes, so nothing is ever fetched.
"""

from __future__ import annotations

import ipaddress
import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import RegexRecognizer, Rule, digits, iban_ok, luhn_ok

_I = re.IGNORECASE


EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+%-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@])"
)

CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){11,18}\d(?![\w-])")


def _card_ok(value: str) -> bool:
    number = digits(value)
    return 12 <= len(number) <= 19 and luhn_ok(number) and len(set(number)) > 1


IBAN = re.compile(r"(?<!\w)[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?!\w)", _I)

PASSPORT = re.compile(
    r"passport(?:\s*(?:no\.?|number|num|#|id))?\s*(?:is|:|=|-)?\s*([A-Z0-9]{1,3}[A-Z0-9 ]{4,10}[0-9])(?!\w)",
    _I,
)
LICENCE = re.compile(
    r"(?:driver'?s?|driving|drivers)\s+licen[cs]e(?:\s*(?:no\.?|number|num|#|id))?\s*(?:is|:|=|-)?\s*"
    r"([A-Z0-9][A-Z0-9 -]{3,20}[A-Z0-9])(?!\w)|(?:\bDL|licen[cs]e)\s*(?:no\.?|number|num|#)\s*(?:is|:|=|-)?\s*"
    r"([A-Z0-9][A-Z0-9 -]{3,20}[A-Z0-9])(?!\w)",
    _I,
)

IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:/\d{1,2})?(?![\w.]|\.\d)"
)
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?(?![\w:])", _I)


def _ipv6_ok(value: str) -> bool:
    if value.count(":") < 2 or sum(ch.isalnum() for ch in value) < 3:
        return False
    try:
        ipaddress.IPv6Address(value.split("%")[0])
    except ValueError:
        return False
    return True


URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]", _I)
BARE_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|net|org|info|biz|io|co|me|dev|app|blog|site|online|xyz|[a-z]{2})(?:\.[a-z]{2})?(?:/[^\s]*)?(?![\w@.-]|\.\w)",
    _I,
)
#: Public sites that say nothing about the user; URLs on them are not personal data.
PUBLIC_DOMAINS = frozenset(
    [
        "google.com",
        "youtube.com",
        "github.com",
        "gitlab.com",
        "stackoverflow.com",
        "python.org",
        "pypi.org",
        "wikipedia.org",
        "en.wikipedia.org",
        "microsoft.com",
        "apple.com",
        "amazon.com",
        "aws.amazon.com",
        "azure.com",
        "openai.com",
        "anthropic.com",
        "mozilla.org",
        "developer.mozilla.org",
        "w3.org",
        "npmjs.com",
        "docs.python.org",
        "example.com",
        "example.org",
        "example.net",
        "localhost",
        "reddit.com",
        "bbc.co.uk",
        "nytimes.com",
        "twitter.com",
        "x.com",
        "linkedin.com",
        "facebook.com",
        "instagram.com",
        "medium.com",
        "readthedocs.io",
        "rust-lang.org",
        "golang.org",
        "go.dev",
        "nodejs.org",
        "reactjs.org",
        "react.dev",
        "kubernetes.io",
        "docker.com",
        "hub.docker.com",
    ]
)
_FILE_EXT = re.compile(
    r"\.(?:py|js|ts|json|txt|md|csv|html?|css|yml|yaml|toml|cfg|ini|sh|exe|png|jpe?g|gif|pdf|docx?|xlsx?|zip|tar|gz|log|env|lock|rs|go|java|cpp|h|c|rb|php|sql)$",
    _I,
)


def _domain_of(value: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", value, flags=_I).split("/")[0].split("?")[0]
    host = host.split("@")[-1].split(":")[0].lower()
    return host[4:] if host.startswith("www.") else host


def _url_ok(value: str) -> bool:
    host = _domain_of(value)
    if not host or ("." not in host and host != "localhost"):
        return False
    parts = host.split(".")
    return not any(".".join(parts[i:]) in PUBLIC_DOMAINS for i in range(len(parts)))


def _bare_domain_ok(value: str) -> bool:
    if _FILE_EXT.search(value.split("/")[0]) or value[0].isdigit():
        return False
    host = _domain_of(value)
    # "e.g", "i.e", "node.js", "os.path": too short or code-like labels.
    labels = host.split(".")
    if len(labels[0]) < 3 or any(not lab for lab in labels):
        return False
    # "Customers.ID", "Orders.Total": a class or table and its field in code, not a host name.
    raw_labels = value.split("/")[0].split(".")
    if raw_labels[-1].isupper() and any(ch.islower() for ch in raw_labels[-2]):
        return False
    return _url_ok(value)


_GROUP_BREAK = re.compile(r"[ -]+")


class TrimmingRecognizer(RegexRecognizer):
    """Checked numbers that may be followed by more digits: "4539 1488 0343 6467 09/27",
    "5100000000000008 0", an IBAN and a stray digit. When the whole run fails its check, the
    run cut at each separator, longest first, is checked instead."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Run every rule, falling back to the longest checked prefix of a failing match."""
        results: list[RecognizerResult] = []
        for rule in self.rules:
            validator = rule.validator
            for match in rule.regex.finditer(text):
                start, end = match.span()
                value = match.group()
                if validator is not None and not validator(value):
                    cuts = [m.start() for m in _GROUP_BREAK.finditer(value)]
                    end = next((start + c for c in reversed(cuts) if validator(value[:c])), -1)
                    if end < 0:
                        continue
                results.append(self.result(rule.entity, start, end, rule.score))
        return results


def build() -> list[RegexRecognizer]:
    """All identifier recognizers."""
    return [
        RegexRecognizer("EmailRecognizer", [Rule("EMAIL_ADDRESS", EMAIL, 1.0)]),
        TrimmingRecognizer("CreditCardRecognizer", [Rule("CREDIT_CARD", CARD, 1.0, _card_ok)]),
        TrimmingRecognizer("IbanRecognizer", [Rule("IBAN_CODE", IBAN, 1.0, iban_ok)]),
        RegexRecognizer(
            "PassportRecognizer", [Rule("PASSPORT", PASSPORT, 0.9, _has_digit, group=1)]
        ),
        RegexRecognizer(
            "DriverLicenseRecognizer",
            [
                Rule("DRIVER_LICENSE", LICENCE, 0.9, _has_digit, group=1),
                Rule("DRIVER_LICENSE", LICENCE, 0.9, _has_digit, group=2),
            ],
        ),
        RegexRecognizer(
            "IpRecognizer",
            [
                Rule("IP_ADDRESS", IPV4, 0.95),
                Rule("IP_ADDRESS", IPV6, 0.95, _ipv6_ok),
            ],
        ),
        RegexRecognizer(
            "UrlRecognizer",
            [
                Rule("DOMAIN_NAME", URL, 0.8, _url_ok),
                Rule("DOMAIN_NAME", BARE_DOMAIN, 0.6, _bare_domain_ok),
            ],
        ),
    ]


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)
