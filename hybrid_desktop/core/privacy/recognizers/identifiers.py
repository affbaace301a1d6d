"""Pattern recognizers for structured identifiers: e-mail, payment card, IBAN, passports, driving
licences, IP addresses and personal web addresses. Phone numbers are in :mod:`.phones`, national
IDs in :mod:`.national_ids`, dates of birth in :mod:`.dates`, labelled staff, patient and customer
numbers in :mod:`.labelled_ids`.

Weak shapes (a short code) only count next to words that say what they are; strong ones are
checked (Luhn, mod 97). Passports and driving licences have no shape common to all countries
("C01X00T47", "18AB12345", "MORGA753116SM9IJ", "01234/12/1234"), so they count after their label
in the eight languages (``data/ids_passport_labels.txt``, ``data/ids_licence_labels.txt``:
"Reisepass-Nr.", "n° de passeport", "numer paszportu", "Führerschein", "permis de conduire",
"carta de condução"), with at least three digits.
No ``tldextract``: e-mail and URL shapes are matched with plain regexes, so nothing is ever fetched.
"""

from __future__ import annotations

import ipaddress
import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import RegexRecognizer, Rule, digits, iban_ok, luhn_ok
from .cue_lists import alternation, first_words, labelled_value, read_list, scan

_I = re.IGNORECASE


EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+%-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@])"
)

CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){11,18}\d(?![\w-])")


def _card_ok(value: str) -> bool:
    number = digits(value)
    return 12 <= len(number) <= 19 and luhn_ok(number) and len(set(number)) > 1


IBAN = re.compile(r"(?<!\w)[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?(?!\w)", _I)

#: Passport and driving-licence labels in the eight languages, then a number with digits.
_PASSPORT_LABELS = read_list("ids_passport_labels.txt")
_LICENCE_LABELS = read_list("ids_licence_labels.txt")
PASSPORT = labelled_value(alternation(_PASSPORT_LABELS), filler=True)
LICENCE = labelled_value(alternation(_LICENCE_LABELS), filler=True)
#: "DL# D1234567", "licence no. 0123": abbreviations that need their number word.
LICENCE_SHORT = re.compile(
    r"(?<![\w-])(?:DL|licen[cs]e)\s*(?:no\.?|number|num|#)\s*(?:is|:|=|-)?\s*"
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
    r"(?:com|net|org|info|biz|io|co|me|dev|app|blog|site|online|xyz|design|studio|photo|photos"
    r"|photography|art|gallery|website|portfolio|[a-z]{2})(?:\.[a-z]{2})?(?:/[^\s]*)?(?![\w@.-]|\.\w)",
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

#: A person's profile on a public site ("linkedin.com/in/<handle>", "github.com/<handle>"):
#: host and handle prefix from ``data/names_profile_hosts.txt``; the site's own pages
#: (``data/names_profile_paths_stop.txt``) and longer paths (a project, a post) are not profiles.
_PROFILE_PREFIXES = read_list("names_profile_hosts.txt")
_PROFILE_STOP = frozenset(read_list("names_profile_paths_stop.txt"))
_PROFILE_URL = re.compile(
    r"(?<![\w@/.-])(?:https?://)?(?:www\.|m\.|[a-z]{2}\.)?"
    r"(?P<prefix>" + "|".join(re.escape(p) for p in _PROFILE_PREFIXES) + r")"
    r"(?P<handle>[\w.\-]*\w)/?(?=$|[\s<>\"'()\[\]{},;:!?]|\.(?!\w))",
    _I,
)


class ProfileRecognizer(RegexRecognizer):
    """A profile address on a public site: the whole address is the person's, the site is not."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Profile addresses whose handle is a user's, not a page of the site."""
        results: list[RecognizerResult] = []
        for m in _PROFILE_URL.finditer(text):
            handle = m.group("handle").lower()
            if handle in _PROFILE_STOP or (handle.isdigit() and "/users/" not in m.group("prefix")):
                continue
            if len(handle) < 2:
                continue
            results.append(self.result("DOMAIN_NAME", m.start(), m.end(), 0.8))
        return results


class LabelledRecognizer(RegexRecognizer):
    """Rules made of a long label alternation (:func:`.cue_lists.labelled_value`): each is tried
    only where one of its labels' first words stands (:func:`.cue_lists.scan`), and the value
    group is reported without trailing spaces."""

    def __init__(self, name: str, rules: list[tuple[Rule, frozenset[str] | None]]) -> None:
        super().__init__(name, [rule for rule, _ in rules])
        self._keys = [keys for _, keys in rules]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Run every rule; labelled rules start at their labels' first words only."""
        results: list[RecognizerResult] = []
        for rule, keys in zip(self.rules, self._keys, strict=True):
            matches = scan(rule.regex, keys, text) if keys else rule.regex.finditer(text)
            for match in matches:
                start, end = match.span(rule.group)
                value = text[start:end].rstrip()
                if start < 0 or not value or (rule.validator and not rule.validator(value)):
                    continue
                results.append(self.result(rule.entity, start, start + len(value), rule.score))
        return results


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
        LabelledRecognizer(
            "PassportRecognizer",
            [
                (
                    Rule("PASSPORT", PASSPORT, 0.9, _document_number, group=1),
                    first_words(_PASSPORT_LABELS),
                )
            ],
        ),
        LabelledRecognizer(
            "DriverLicenseRecognizer",
            [
                (
                    Rule("DRIVER_LICENSE", LICENCE, 0.9, _document_number, group=1),
                    first_words(_LICENCE_LABELS),
                ),
                (Rule("DRIVER_LICENSE", LICENCE_SHORT, 0.9, _has_digit, group=1), None),
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
        ProfileRecognizer("ProfileUrlRecognizer", [Rule("DOMAIN_NAME", _PROFILE_URL, 0.8)]),
    ]


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def _document_number(value: str) -> bool:
    """A passport or licence number: at least five characters, three of them digits."""
    value = value.rstrip()
    return len(value) >= 5 and sum(ch.isdigit() for ch in value) >= 3
