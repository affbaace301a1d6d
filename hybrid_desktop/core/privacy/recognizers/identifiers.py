"""Pattern recognizers for structured identifiers: e-mail, phone, payment card, IBAN, national IDs,
passports, driving licences, IP addresses and personal web addresses.

Weak shapes (a bare 9-digit number, a short code) only count next to words that say what they are
("passport", "SSN", "call me"); strong ones are checked (Luhn, mod 97, Verhoeff, check letters).
No ``tldextract``: e-mail and URL shapes are matched with plain regexes, so nothing is ever fetched.
"""

from __future__ import annotations

import ipaddress
import re

from ._base import RegexRecognizer, Rule, digits, iban_ok, luhn_ok, verhoeff_ok

_I = re.IGNORECASE


def _ctx(*words: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|\W)(?:" + "|".join(words) + r")(?:\W|$)", _I)


EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+%-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@])"
)

# Phone numbers: optional +CC / 00CC, optional (area), then 2-5 groups of digits.
PHONE = re.compile(
    r"(?<![\w+/.-])(?:(?:\+|00)\d{1,3}[\s.-]?)?(?:\(0?\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]?\d{2,5}){0,5}"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-]|\.\d)"
)
PHONE_CONTEXT = _ctx(
    r"phone",
    r"tel",
    r"tel\.",
    r"telephone",
    r"mobile",
    r"mob",
    r"cell",
    r"cellphone",
    r"call",
    r"calling",
    r"ring",
    r"text",
    r"sms",
    r"whatsapp",
    r"signal",
    r"fax",
    r"number",
    r"no\.",
    r"contact",
    r"reach",
    r"reached",
    r"dial",
    r"desk",
    r"office",
    r"home",
    r"work",
    r"at",
    r"on",
    r"registered",
    r"to",
    r"is",
    r"handy",
    r"m",
    r"t",
    r"ph",
)
_DATE_LIKE = re.compile(r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$")


def _phone_ok(value: str) -> bool:
    n = len(digits(value))
    if not 7 <= n <= 15 or _DATE_LIKE.match(value):
        return False
    stripped = value.strip()
    # A long run of digits with no separators and no + is probably another number.
    if stripped.isdigit() and not 8 <= n <= 12:
        return False
    return len(set(digits(value))) > 2


def _phone_strong(value: str) -> bool:
    """Shapes that are phone numbers without any context: +CC, (area), or 3-3-4 / 4-3-3 groups."""
    if not _phone_ok(value):
        return False
    if value.startswith(("+", "00")) or "(" in value:
        return True
    groups = re.split(r"[\s.-]", value)
    return len(groups) >= 3 and len(digits(value)) >= 9


CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){11,18}\d(?![\w-])")


def _card_ok(value: str) -> bool:
    number = digits(value)
    return 12 <= len(number) <= 19 and luhn_ok(number) and len(set(number)) > 1


IBAN = re.compile(r"(?<!\w)[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?!\w)", _I)

SSN = re.compile(r"(?<![\w-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-])")


def _ssn_ok(value: str) -> bool:
    d = digits(value)
    return (
        len(d) == 9
        and d[:3] not in ("000", "666")
        and d[0] != "9"
        and d[3:5] != "00"
        and d[5:] != "0000"
        and len(set(d)) > 2
    )


SSN_CONTEXT = _ctx(r"ssn", r"social security", r"social security number", r"ss#", r"ss no\.?")
NINO = re.compile(
    r"(?<!\w)(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?!\w)"
)
AADHAAR = re.compile(r"(?<![\w-])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![\w-])")
PAN = re.compile(r"(?<!\w)[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z](?!\w)")
DNI = re.compile(r"(?<!\w)(?:\d{8}|[XYZ]\d{7})-?[A-Z](?!\w)")
CODICE_FISCALE = re.compile(r"(?<!\w)[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?!\w)", _I)
SIN = re.compile(r"(?<![\w-])\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w-])")
SIN_CONTEXT = _ctx(r"sin", r"social insurance", r"social insurance number", r"nas")
GENERIC_ID = re.compile(
    r"(?:national (?:id|identity|insurance)(?: card)?|id card|identity card|id|tax id|tin|tax number|"
    r"personal number|personnummer|bsn|steuer-?id|nif|nie|dni|cpf|curp|rut|ppsn|nhs number|medicare|"
    r"citizen id|resident id|aadhaar|aadhar|pan)"
    r"(?:\s*(?:no\.?|number|num|#))?\s*(?:is|:|=|-)?\s*([A-Z0-9][A-Z0-9./-]{4,20}[A-Z0-9])(?!\w)",
    _I,
)
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


def build() -> list[RegexRecognizer]:
    """All identifier recognizers."""
    return [
        RegexRecognizer("EmailRecognizer", [Rule("EMAIL_ADDRESS", EMAIL, 1.0)]),
        RegexRecognizer(
            "PhoneRecognizer",
            [
                Rule("PHONE_NUMBER", PHONE, 0.75, _phone_strong, PHONE_CONTEXT, 0.7, 30),
                Rule("PHONE_NUMBER", PHONE, 0.7, _phone_ok, PHONE_CONTEXT, 0.0, 30),
            ],
        ),
        RegexRecognizer("CreditCardRecognizer", [Rule("CREDIT_CARD", CARD, 1.0, _card_ok)]),
        RegexRecognizer("IbanRecognizer", [Rule("IBAN_CODE", IBAN, 1.0, iban_ok)]),
        RegexRecognizer(
            "NationalIdRecognizer",
            [
                Rule("NATIONAL_ID", SSN, 0.9, _ssn_ok, SSN_CONTEXT, 0.6),
                Rule("NATIONAL_ID", NINO, 0.9),
                Rule("NATIONAL_ID", AADHAAR, 0.9, verhoeff_ok),
                Rule("NATIONAL_ID", PAN, 0.85),
                Rule("NATIONAL_ID", DNI, 0.9, _dni_ok),
                Rule("NATIONAL_ID", CODICE_FISCALE, 0.9),
                Rule("NATIONAL_ID", SIN, 0.9, luhn_ok, SIN_CONTEXT, 0.0),
                Rule("NATIONAL_ID", GENERIC_ID, 0.8, _has_digit, group=1),
            ],
        ),
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


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_ok(value: str) -> bool:
    v = value.replace("-", "").upper()
    number = v[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return number.isdigit() and _DNI_LETTERS[int(number) % 23] == v[-1]
