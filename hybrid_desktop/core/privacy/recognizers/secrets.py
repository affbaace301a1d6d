"""Recognizers for credentials: provider tokens, private keys, secret assignments, passwords in
prose, bearer tokens and URLs with a password in them.

Built on detect-secrets (1.5) used in-process, with no settings singleton, baseline, file scan or
network (its ``verify`` calls are never made):

- **Token formats** run the compiled ``denylist`` regexes of its format plugins (AWS, GitHub,
  GitLab, Slack, Stripe, OpenAI, JWT, Twilio, SendGrid, npm, PyPI, Discord, Mailchimp, Telegram,
  Square, Azure storage), so each hit comes with its offsets; JWTs are checked with the plugin's
  own ``is_formally_valid``. Formats it has no plugin for (Anthropic, fine-grained GitHub,
  Google, Hugging Face, ...) are listed in ``data/secrets_token_formats.txt``.
- **Private keys**: the plugin's key headers (PuTTY, SSH2) and the PEM ``BEGIN ... PRIVATE KEY``
  header start a block that runs to its end marker, so the whole key is reported.
- **Assignments** (``DB_PASSWORD=x``, ``"api_key": "x"``, ``password: x`` in YAML, ``--password=x``,
  ``X-API-Key: x``): the key must name a secret (detect-secrets' keyword list plus
  ``data/secrets_keys.txt``); the value is parsed here so that it may start with a symbol and
  ends at its closing quote or, unquoted, at whitespace. Its heuristic filters drop templated
  values (``${VAR}``, ``<your-key>``, ``{{ x }}``) and indirect references (``os.environ[...]``,
  ``getenv("X")``). Generic key names (``key``, ``session``, ``cookie``) count only when the value
  is a high-entropy string by its Base64/Hex plugins' entropy, so hashes, git SHAs and UUIDs under
  other keys, and data URIs, are never looked at.
- **Passwords in prose** ("the password is X", "connect with password X", "Passwort: X",
  "mot de passe : X", "la contraseña es X", "hasło to X"), from the cue words of
  ``data/secrets_prose.txt``.

  A plain word counts too after a link word when it ends its clause ("the wifi password is
  sunflower."), unless it says what the password is like ("is wrong", "ist falsch":
  ``not_values``).
- **PINs and one-time codes** ("PIN 4821", "mein PIN ist 4821", "verification code: 482913",
  "code de vérification 661093"): 4 to 8 digits after a code word of ``data/secrets_prose.txt``.

Kept from before because detect-secrets has nothing like them: PEM blocks that span lines,
connection strings whose password holds characters its ``BasicAuthDetector`` refuses
(``postgres://u:p@ss!@host``), and ``Bearer``/``Basic`` tokens in headers. Also read here,
because their place says what they are whatever they look like: ``Basic`` credentials of any
length (they decode to ``user:password``), ``.netrc`` ``machine ... login ... password X``,
``~/.pgpass`` ``host:port:db:user:X``, every value under ``data:``/``stringData:`` of a
Kubernetes ``kind: Secret``, the token part of Slack, Discord and Teams webhook URLs, and an
``api_key=`` in a query string (up to the next ``&``). A webhook path made of ``XXXX`` and
``T000`` segments shows the format, not a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from detect_secrets.filters.heuristic import (
    is_indirect_reference,
)
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import GateRecognizer
from .secret_keys import KeyClasses
from .secret_prose import CALL, IDENTIFIER_PATH, Prose, value_span
from .secret_shapes import (
    PATH,
    basic_credentials,
    code_lists,
    credential_pairs,
    high_entropy,
    key_blocks,
    key_values,
    kubernetes_secret_values,
    looks_like_password,
    phrase_regex,
    placeholder,
    random_tokens,
    read_sections,
    seed_phrases,
    slash_pairs,
)
from .secret_windows import cueless_passwords, recovery_code_lines, window_secrets

__all__ = [
    "SecretRecognizer",
    "build",
    "high_entropy",
    "looks_like_password",
    "phrase_regex",
    "placeholder",
    "read_sections",
]

#: detect-secrets format plugins whose regexes run as they are (verification is never called).
_FORMAT_PLUGINS: tuple[type[RegexBasedDetector], ...] = (
    AWSKeyDetector,
    AzureStorageKeyDetector,
    DiscordBotTokenDetector,
    GitHubTokenDetector,
    GitLabTokenDetector,
    JwtTokenDetector,
    MailchimpDetector,
    NpmDetector,
    OpenAIDetector,
    PypiTokenDetector,
    SendGridDetector,
    SlackDetector,
    SquareOAuthDetector,
    StripeDetector,
    TelegramBotTokenDetector,
    TwilioKeyDetector,
)
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+")
_KEY_BLOCK_END = re.compile(r"END [A-Z0-9 ]*PRIVATE KEY[^\n]*|Private-MAC:[^\n]*|\n[ \t]*\n|\Z")
_BEARER = re.compile(r"\b(?:bearer|token|basic)\s+([A-Za-z0-9_\-.=:+/~]{16,})", re.IGNORECASE)
#: ``Authorization: Basic dXNlcjpwYXNz``: base64 of ``user:password``, any length.
_BASIC = re.compile(r"\bbasic[ \t]+([A-Za-z0-9+/]{6,}={0,2})(?![\w+/=])", re.IGNORECASE)
#: ``.netrc``: ``machine host login user password pw`` (or ``default login ... password ...``).
_NETRC = re.compile(
    r"(?<!\S)(?:machine[ \t]+\S+|default)(?:[ \t\n]+(?:login|account)[ \t]+\S+)?"
    r"[ \t\n]+password[ \t]+(?P<pw>\S+)"
)
#: ``~/.pgpass``: ``host:port:database:user:password``, the port a number or ``*``.
_PGPASS = re.compile(
    r"(?m)^[ \t]*[\w.\-*\[\]]+:(?:\d{2,5}|\*):[\w.\-*]+:[\w.\-*@]+:(?P<pw>[^\s:]\S*)[ \t]*$"
)
#: A Kubernetes Secret's ``data:`` or ``stringData:`` section, and a ``key: value`` under it.
#: A password in markup or SQL: ``<password>X</password>`` (Maven ``settings.xml``, Tomcat),
#: ``IDENTIFIED BY 'X'`` and ``PASSWORD 'X'`` in ``CREATE USER`` / ``ALTER ROLE``; and a DSN
#: without a scheme, ``user:X@tcp(host)`` (Go's MySQL driver).
_TAGGED = re.compile(
    r"<(?P<tag>[\w:.\-]*(?:password|passwd|pwd|secret|token)[\w.\-]*)>(?P<pw>[^<\s][^<\n]*?)</(?P=tag)>"
    r"|\b(?:IDENTIFIED\s+BY|PASSWORD)\s+'(?P<pw2>[^'\n]+)'"
    r"|(?<![\w/:])[\w.\-]+:(?P<pw3>[^\s:@/\"']+)@(?:tcp|unix|udp)\(",
    re.IGNORECASE,
)
#: ``scheme://user:password@host``; the password may hold "@" itself (up to the last "@").
_CONN_STRING = re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@]*:([^\s/'\"]+)@[^\s/@'\"]+", re.I)
#: A key token followed by an assignment or call: ``KEY=``, ``"key":``, ``key :=``, ``key(``.
_KEY_TOKEN = re.compile(
    r"""(?<![\w.\-])[\w.\-]++(?=["'\]]{0,2}[ \t]*(?::=|=>|[=:!(]|\.assign\())""", re.UNICODE
)
_OPERATOR = re.compile(r"""["'\]]{0,2}[ \t]*(:=|=>|===?|!==?|=|:|\(|\.assign\()[ \t]*@?""")
_SNAKE_IDENTIFIER = re.compile(r"[a-z]+(?:_[a-z]+)+")


# -- token formats ----------------------------------------------------------------------------


def _format_regexes() -> list[re.Pattern[str]]:
    regexes: list[re.Pattern[str]] = []
    for plugin in _FORMAT_PLUGINS:
        regexes.extend(plugin().denylist)
    for line in read_sections("secrets_token_formats.txt")[""]:
        _, _, pattern = line.partition(" ")
        regexes.append(re.compile(pattern.strip()))
    return regexes


#: How long a run of base64 characters before a token makes it part of a blob.
_BLOB_RUN = 24


def _inside_blob(text: str, start: int) -> bool:
    """Whether ``start`` sits inside base64 data (``...Kz+/AKIA...``) rather than after a
    delimiter (``https://ghp_...``)."""
    if not (start >= 2 and text[start - 1] in "+/" and text[start - 2] in _BASE64_CHARS):
        return False
    # A URL path ("/Accounts/AC...") is short runs between slashes; base64 is one long run.
    run = start - 1
    while run > 0 and text[run - 1] in _BASE64_CHARS and start - run < _BLOB_RUN:
        run -= 1
    return start - run >= _BLOB_RUN


#: A path segment of a documented format: only ``X`` (``XXXX``) or only zeros after a letter.
_FILLER = re.compile(r"[xX]{4,}|[A-Za-z]?0{3,}")


def _token_spans(text: str, regexes: Iterable[re.Pattern[str]]) -> Iterator[tuple[int, int]]:
    for regex in regexes:
        for match in regex.finditer(text):
            start, end = match.span()
            grouped = False  # the regex matched the token's context too (a webhook's URL path)
            for group in range(1, (match.lastindex or 0) + 1):
                if match.group(group):
                    start, end = match.span(group)
                    grouped = start > match.start()
                    break
            while start < end and text[start] in " \t\"'=:":
                start += 1
            space = re.search(r"\s", text[start:end])
            if space:
                end = start + space.start()
            while end < len(text) and (
                text[end] in _TOKEN_CHARS or (text[end] in ".=" and text.startswith("eyJ", start))
            ):
                end += 1
            token = text[start:end].rstrip(".")
            end = start + len(token)
            if (start > 0 and text[start - 1] in _TOKEN_CHARS) or (
                not grouped and _inside_blob(text, start)
            ):
                continue
            if token.startswith("eyJ") and not JwtTokenDetector.is_formally_valid(token):
                continue
            if "/" in token and any(_FILLER.fullmatch(part) for part in token.split("/")):
                continue  # ".../services/T000/B000/XXXX": a webhook's documented format
            if end > start:
                yield start, end


def _key_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Private-key blocks: PEM ``BEGIN ... PRIVATE KEY`` and the PuTTY / SSH2 headers of the
    detect-secrets plugin, each through its end marker (or a blank line, or the end)."""
    yield from key_blocks(text)
    for regex in PrivateKeyDetector().denylist:
        if regex.pattern.startswith("BEGIN") and "SSH2" not in regex.pattern:
            continue  # the PEM headers, found above with their whole block
        for match in regex.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            end_marker = _KEY_BLOCK_END.search(text, match.end())
            yield start, end_marker.end() if end_marker else len(text)


# -- assignments --------------------------------------------------------------------------------


def _assignment_ok(kind: str, value: str, quoted: bool, snippet: str, keys: KeyClasses) -> bool:
    if placeholder(value) or keys.names_secret(value):
        return False
    if not quoted:
        if is_indirect_reference(snippet) or CALL.match(value):
            return False  # ``password = getenv("PW")``, ``key = os.environ["KEY"]``
        if IDENTIFIER_PATH.fullmatch(value) or _SNAKE_IDENTIFIER.fullmatch(value):
            return False  # a variable or attribute: ``password = args.password``
        if PATH.fullmatch(value) and "/" in value:
            return False  # ``PWD=/home/me``, ``password_file: ./secret``
    if kind == "password":
        return True
    if kind == "secret":
        return len(value) >= 6 and (
            len(value) >= 16
            or any(not ch.isalpha() for ch in value)
            or any(ch.isupper() for ch in value[1:])
        )
    return "=" not in value.rstrip("=") and high_entropy(value)


#: The rest of a config line after a first word: more short words, nothing else
#: (an app password or passphrase written with spaces).
_SPACED_REST = re.compile(r"(?:[ ][A-Za-z0-9]{3,8}){1,7}(?=[ \t]*$)", re.MULTILINE)


def _line_start(text: str, pos: int) -> bool:
    """Whether only indentation stands between the line start and ``pos``."""
    return not text[text.rfind("\n", 0, pos) + 1 : pos].strip()


def _assignments(text: str, keys: KeyClasses) -> Iterator[tuple[int, int, float]]:
    for match in _KEY_TOKEN.finditer(text):
        kind = keys.classify(match.group().strip("-."))
        if kind is None:
            continue
        op = _OPERATOR.match(text, match.end())
        if op is None:
            continue
        line_end = text.find("\n", op.end())
        line_end = len(text) if line_end < 0 else line_end
        span = value_span(text, op.end(), line_end)
        if span is None:
            continue
        start, end, quoted = span
        if (
            not quoted
            and end - start > 1
            and text[end - 1] == "."
            and (end == line_end or text[end].isspace())
        ):
            end -= 1  # the full stop of a sentence: "... password: abc.def."
        if match.start() > 0 and text[match.start() - 1] in "?&" and op.group(1) == "=":
            cut = re.search(r"[&#]", text[start:end])
            end = start + cut.start() if cut else end  # a query string: ``?api_key=x&units=y``
        operator = op.group(1)
        if kind == "password" and not quoted and operator in ("=", ":"):
            more = _SPACED_REST.match(text, end, line_end)
            if more and _line_start(text, match.start()):
                end = more.end()  # ``smtp_pass = eqzo pvlt kahr wnbs``: an app password
        if operator in ("(", ".assign(", "==", "===", "!=", "!==") and not quoted:
            continue  # calls and comparisons count only with a string literal
        snippet = text[match.start() : line_end]
        if _assignment_ok(kind, text[start:end], quoted, snippet, keys):
            yield start, end, 0.9


#: An XML or HTML element with text only: ``<Pass encoding="base64">S2Fy…</Pass>``.
_XML_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z][\w:.\-]{0,40})(?:[ \t][^<>\n]*)?>(?P<v>[^<>\n]{1,300})</(?P=tag)>"
)


def _xml_values(text: str, keys: KeyClasses) -> Iterator[tuple[int, int, float]]:
    """The text of an element whose tag names a secret (``<password>``, ``<apiKey>``)."""
    if "</" not in text:
        return
    for match in _XML_ELEMENT.finditer(text):
        kind = keys.classify(match.group("tag").rpartition(":")[2])
        value = match.group("v").strip()
        if kind is not None and value and _assignment_ok(kind, value, True, "", keys):
            start = match.start("v") + match.group("v").index(value)
            yield start, start + len(value), 0.9


# -- the recognizer ---------------------------------------------------------------------------


class SecretRecognizer(GateRecognizer):
    """Credentials in text: detect-secrets formats and assignments, private keys, prose, URLs."""

    def __init__(self) -> None:
        self._formats = _format_regexes()
        self._keys = KeyClasses()
        self._prose = Prose()
        super().__init__("SecretRecognizer", ["SECRET"])

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every secret in ``text``, with offsets into it."""
        found: list[tuple[int, int, float]] = []
        found.extend((s, e, 1.0) for s, e in _key_blocks(text))
        found.extend((s, e, 0.95) for s, e in _token_spans(text, self._formats))
        found.extend(_assignments(text, self._keys))
        found.extend(_xml_values(text, self._keys))
        found.extend(self._prose.spans(text))
        found.extend((s, e, 0.85) for s, e in random_tokens(text))
        found.extend((s, e, 0.9) for s, e in code_lists(text))
        found.extend((s, e, 0.9) for s, e in credential_pairs(text))
        found.extend((s, e, 0.85) for s, e in key_values(text))
        found.extend((s, e, 0.85) for s, e in slash_pairs(text))
        found.extend((s, e, 0.9) for s, e in seed_phrases(text))
        found.extend((s, e, 0.85) for s, e in window_secrets(text))
        found.extend((s, e, 0.8) for s, e in cueless_passwords(text))
        found.extend((s, e, 0.9) for s, e in recovery_code_lines(text))
        for match in _TAGGED.finditer(text):
            group = next(g for g in ("pw", "pw2", "pw3") if match.group(g))
            if not placeholder(match.group(group)):
                found.append((*match.span(group), 0.9))
        for match in _BEARER.finditer(text):
            value = match.group(1)
            if not placeholder(value) and high_entropy(value.rstrip("=")):
                found.append((*match.span(1), 0.9))
        for match in _BASIC.finditer(text):
            if basic_credentials(match.group(1)):
                found.append((*match.span(1), 0.95))
        for regex in (_NETRC, _PGPASS):
            for match in regex.finditer(text):
                if not placeholder(match.group("pw")):
                    found.append((*match.span("pw"), 0.9))
        if "Secret" in text:
            found.extend(kubernetes_secret_values(text))
        for match in _CONN_STRING.finditer(text):
            if not placeholder(match.group(1)):
                found.append((*match.span(1), 0.95))
        return [self.result("SECRET", s, e, score) for s, e, score in found if e > s]


def build() -> list[EntityRecognizer]:
    """All secret recognizers."""
    return [SecretRecognizer()]
