"""Shapes of credentials that need no key name beside them, and the data-file helpers the secret
and username recognizers share.

- **Random tokens** (``random_tokens``): API keys and session tokens are pasted on their own
  line, in a list, after "here it is:", as a call argument (``Client("...")``) or in a header
  whose name says nothing. A run of 20 to 128 characters of the base64/base62 alphabet counts
  wherever it stands when it mixes upper case, lower case and digits, changes character class
  often (random text does, words and ``camelCase``/``snake_case`` identifiers do not) and
  reaches the entropy detect-secrets' Base64 plugin expects of its length. Not counted: hex-only
  strings (hashes, git SHAs), UUIDs, parts of a path, file name or dotted name, a ``data:``
  URI's or an integrity hash's base64, base64 that decodes to plain text, certificates and
  public keys, and values under a key that names an identifier or a hash (``X-Request-Id``,
  ``etag``, ``commit``: ``data/secrets_not_token_keys.txt``).
- **Code lists** (``code_lists``): recovery and backup codes written after their cue
  ("Recovery codes: 4f7k-2m9q, 8x3p-6w1z", "Wiederherstellungscodes: ..."), each a group of
  digits and letters split by ``-`` or a space, one per line or separated by commas.
- **Credential pairs in code** (``credential_pairs``): a constructor, call or variable whose
  name says it holds credentials (``auth``, ``credential``), given a user and a password as two
  string literals: ``auth=("u", "pw")``, ``HTTPBasicAuth("u", "pw")``, ``new
  NetworkCredential("u", "pw")``, ``SetBasicAuth("u", "pw")``; the second literal is the secret.
- **Keys in prose** (``key_values``): the word for a key in a language other than English, or a
  Wi-Fi key ("Schlüssel: X", "clé : X", "wifi key: X") before ``:`` or ``=``; the value must hold
  a letter and a digit, so labels of key-value tables ("Schlüssel: Wert") stay.
- **Private keys** (``key_blocks``): PEM ``BEGIN ... PRIVATE KEY`` blocks; an armored PGP key
  has a blank line after its header, so it runs to its end marker. A key pasted inside a JSON
  string takes the escaped line break after its end marker with it.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from detect_secrets.filters.heuristic import (
    is_potential_uuid,
    is_prefixed_with_dollar_sign,
    is_sequential_string,
    is_templated_secret,
)
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
)

__all__ = [
    "PATH",
    "basic_credentials",
    "code_lists",
    "credential_pairs",
    "high_entropy",
    "key_blocks",
    "key_values",
    "kubernetes_secret_values",
    "looks_like_password",
    "phrase_regex",
    "placeholder",
    "random_tokens",
    "read_sections",
    "seed_phrases",
    "slash_pairs",
]


def read_sections(name: str) -> dict[str, list[str]]:
    """The ``[section]`` lists of a data file (entries before any header go under ``""``)."""
    text = (resources.files("hybrid_desktop.core.privacy") / "data" / name).read_text("utf-8")
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return sections


def phrase_regex(phrases: Iterable[str]) -> str:
    """One regex (no groups) for a list of phrases: flexible whitespace (or a hyphen: "sms-code")
    between words, and
    factored into a character trie so that a long list costs little more than a short one."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in {" ".join(p.lower().split()) for p in phrases if p.strip()}:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [
            (r"(?:\s+|-)" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie) or "(?!)"


_FORMAT_SPEC = re.compile(r"%\(?\w*\)?[sdr]|\{\w*\}|\?|:\w+")
#: A file path: ``/etc/x``, ``./secret``, ``~/.ssh``, ``C:\\keys``.
PATH = re.compile(r"(?:[~.]{0,2}/|[A-Za-z]:\\)\S*[/\\]?")
_HEX_ENTROPY = HexHighEntropyString()
_B64 = Base64HighEntropyString()
_WORD_RUN = re.compile(r"[a-z]{4,}")
_HEX = frozenset("0123456789abcdefABCDEF")


@cache
def _placeholders() -> frozenset[str]:
    return frozenset(v.lower() for v in read_sections("secrets_placeholders.txt")[""])


#: Code in a value's place: a call or method chain ("->min(12)", "getenv('X')"), a Symfony or
#: Windows parameter ("%env(DB_PASSWORD)%", "%DB_PASS%"), a TypeScript optional type ("string |").
_CODE_VALUE = re.compile(r"[A-Za-z_]\w*\([^()]*\)|->|^%[\w().:-]+%$|^(?:string|number|str)\s*\|")


def placeholder(value: str) -> bool:
    """A value that stands for a secret without being one.

    Placeholders from the data file, detect-secrets' templated and ``$``-prefixed values
    (``${VAR}``, ``<your-key>``, ``{{ x }}``, ``$API_KEY``), format specifiers (``%s``, ``{}``), and
    values with no letter or digit or made of one repeated character (``*****``, ``xxxx``).
    """
    v = value.strip().rstrip(";,")
    low = v.lower()
    if len(v) < 3 or low in _placeholders() or _FORMAT_SPEC.fullmatch(v):
        return True
    if _CODE_VALUE.search(v) or (v[:1] in "?:" and v[1:2].isalpha()):
        return (
            True  # a call, a type, a parameter: "%env(DB_PASSWORD)%", "?DB_PASSWORD", "->min(12)"
        )
    if is_templated_secret(v) or is_prefixed_with_dollar_sign(v) or v.startswith(("{{", "{%")):
        return True
    if low.startswith(("your", "<", "os.", "process.env", "env.", "env:", "getenv", "environ")):
        return True
    if not any(ch.isalnum() for ch in v) or len(set(low) - {"-", "_", "."}) <= 1:
        return True
    return low.startswith(("http://", "https://"))


def high_entropy(value: str) -> bool:
    """A random-looking string by detect-secrets' Base64/Hex entropy, not a UUID or a sequence.

    The Base64 limit is scaled to the length (a 20-character string can never reach the plugin's
    4.5 bits), and the value must mix letters and digits, so identifiers and words do not count.
    """
    if len(value) < 16 or is_potential_uuid(value) or is_sequential_string(value):
        return False
    if not any(ch.isdigit() for ch in value) or not any(ch.isalpha() for ch in value):
        return False
    if all(ch in _HEX for ch in value):
        return _HEX_ENTROPY.calculate_shannon_entropy(value) > _HEX_ENTROPY.entropy_limit
    limit = min(_B64.entropy_limit, 0.75 * math.log2(len(value)))
    return _B64.calculate_shannon_entropy(value) > limit


def looks_like_password(value: str) -> bool:
    """Shaped like a password rather than a word: a digit, a symbol, or a capital inside."""
    if placeholder(value) or PATH.fullmatch(value):
        return False
    return (
        any(ch.isdigit() for ch in value)
        or any(not ch.isalnum() for ch in value)
        or any(ch.isupper() for ch in value[1:])
    )


# -- private keys -------------------------------------------------------------------------------

_PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\\n)?|\n[ \t]*\n|\Z)"
)
_PGP = re.compile(
    r"-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?(?:-----END PGP PRIVATE KEY BLOCK-----(?:\\n)?|\Z)"
)


def key_blocks(text: str) -> Iterator[tuple[int, int]]:
    """PEM and armored PGP private-key blocks, each through its end marker."""
    if "PRIVATE KEY" not in text:
        return
    for regex in (_PEM, _PGP):
        for match in regex.finditer(text):
            yield match.start(), match.end()


# -- random tokens ------------------------------------------------------------------------------

#: A run of token characters that is not part of a longer word, path or dotted name.
_TOKEN = re.compile(
    r"(?<![\w\-+/.\\%])[A-Za-z0-9][A-Za-z0-9_\-+]{18,126}[A-Za-z0-9]={0,2}(?![\w\-+/\\%]|\.\w)"
)
#: What may stand before a base64 run that is data, not a credential.
_DATA_BEFORE = re.compile(r"(?:base64,|sha\d{1,3}-|md5-|integrity[\"']?\s*[:=]\s*[\"']?)$", re.I)


def _class_runs(value: str) -> int:
    runs, last = 0, ""
    for ch in value:
        kind = "u" if ch.isupper() else "l" if ch.islower() else "d" if ch.isdigit() else "s"
        if kind != last:
            runs, last = runs + 1, kind
    return runs


def _plain_text_base64(value: str) -> bool:
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(decoded) >= 8 and decoded.isprintable()


def random_looking(value: str) -> bool:
    """A string of the base64/base62 alphabets shaped like a random credential (see module)."""
    core = value.rstrip("=")
    if len(core) < 20 or is_potential_uuid(core) or is_sequential_string(core):
        return False
    if not (
        any(ch.isupper() for ch in core)
        and any(ch.islower() for ch in core)
        and sum(ch.isdigit() for ch in core) >= 2
    ):
        return False
    if _class_runs(core) < 0.4 * len(core) or sum(map(len, _WORD_RUN.findall(core))) > 0.3 * len(
        core
    ):
        return False  # words and identifiers: long runs of one case, runs of lower-case letters
    limit = min(_B64.entropy_limit, 0.8 * math.log2(len(core)))
    if _B64.calculate_shannon_entropy(core) <= limit:
        return False
    return not _plain_text_base64(value)


#: Public material: certificates, public keys, ``ssh-rsa AAAA...`` lines.
_PUBLIC = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*(?:CERTIFICATE|PUBLIC KEY)(?: [A-Z]+)*-----[\s\S]*?"
    r"(?:-----END [^\n]*?-----|\Z)"
    r"|\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)[ \t]+\S+"
)
#: The key or header name right before a value on its line: ``X-Request-Id: v``, ``etag="v``.
_KEY_BEFORE = re.compile(r"""([A-Za-z][\w.\-]*)["']?[ \t]*[:=][ \t]*["']?$""")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@cache
def _not_token_keys() -> frozenset[str]:
    return frozenset(w.lower() for w in read_sections("secrets_not_token_keys.txt")[""])


def _names_public_value(text: str, start: int) -> bool:
    """Whether the key before ``start`` says its value is an identifier or a hash."""
    key = _KEY_BEFORE.search(text, max(0, start - 60), start)
    if key is None:
        return False
    words = re.split(r"[_\-.]+", _CAMEL.sub("_", key.group(1)).lower())
    return any(word in _not_token_keys() for word in words)


def random_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Random-looking tokens wherever they stand (see the module docstring)."""
    public: list[tuple[int, int]] | None = None
    for match in _TOKEN.finditer(text):
        value, start = match.group(), match.start()
        if not random_looking(value) or _DATA_BEFORE.search(text, max(0, start - 40), start):
            continue
        if public is None:
            public = [m.span() for m in _PUBLIC.finditer(text)]
        if any(s <= start < e for s, e in public) or _names_public_value(text, start):
            continue
        yield match.span()


# -- recovery codes -----------------------------------------------------------------------------

_GROUP = r"[A-Za-z0-9]{3,6}"
_CODE = re.compile(rf"{_GROUP}(?:[- ]{_GROUP}){{1,7}}")
_CODE_SEP = re.compile(
    r"[ \t]*(?:,|;|\n|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\ben\b)?[ \t]*(?:[-*•]|\d+[.)])?[ \t]*"
)


@cache
def _code_cues() -> re.Pattern[str]:
    cues = read_sections("secrets_prose.txt").get("code_lists", [])
    links = read_sections("secrets_prose.txt").get("links", [])
    return re.compile(
        rf"(?<![\w\-])(?:{phrase_regex(cues)})"
        rf"(?:[^\n:]{{0,40}}:|[ \t]+(?:{phrase_regex(links)}|are|sont|sind|son|sono|zijn|são)(?=\s))?\s*",
        re.I,
    )


#: The start of the next line that is not blank.
_NEXT_LINE = re.compile(r"[^\n]*\n(?:[ \t]*\n)?[ \t]*(?:[-*•]|\d+[.)])?[ \t]*")


def code_lists(text: str) -> Iterator[tuple[int, int]]:
    """Recovery and backup codes listed after their cue, each of them: on the cue's line, or
    from the next line on ("… recovery codes for my account:\n\n69648-d3f46\n6da18-17fcb")."""
    for cue in _code_cues().finditer(text):
        pos = cue.end()
        first = _CODE.match(text, pos)
        if first is None or not any(ch.isdigit() for ch in first.group()):
            below = _NEXT_LINE.match(text, pos)
            pos = below.end() if below else pos
        while True:
            match = _CODE.match(text, pos)
            if match is None or not any(ch.isdigit() for ch in match.group()):
                break
            end = match.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "-_"):
                break
            yield match.start(), end
            sep = _CODE_SEP.match(text, end)
            if sep is None or sep.end() == end:
                break
            pos = sep.end()


# -- credential pairs and keys in prose ---------------------------------------------------------

_PAIR = re.compile(
    r"""(?i)\b\w*(?:auth|credential)\w*[ \t]*(?:=|\()[ \t]*(?:new[ \t]+\w+[ \t]*\()?\(?[ \t]*"""
    r"""(?P<q>["'])[^"'\n]{1,64}(?P=q)[ \t]*,[ \t]*(?P<q2>["'])(?P<pw>[^"'\n]{3,128})(?P=q2)"""
)


def credential_pairs(text: str) -> Iterator[tuple[int, int]]:
    """The password of a user/password pair given to a credentials call (see the module)."""
    for match in _PAIR.finditer(text):
        if not placeholder(match.group("pw")):
            yield match.span("pw")


@cache
def _key_cues() -> re.Pattern[str]:
    cues = read_sections("secrets_prose.txt").get("key_cues", [])
    links = read_sections("secrets_prose.txt").get("links", [])
    return re.compile(
        rf"(?<![\w\-])(?:{phrase_regex(cues)})"
        rf"(?:[ \t]*[:=]|[ \t]+(?:{phrase_regex(links)})(?=[ \t])|(?=[ \t]))[ \t]*(?P<v>\S+)",
        re.I,
    )


#: A key of digit groups only ("4829-1173-6650-2291-8834"): at least eight digits.
_DIGIT_KEY = re.compile(r"\d{2,8}(?:-\d{2,8}){2,}")


def key_values(text: str) -> Iterator[tuple[int, int]]:
    """A key given after its cue word (see the module): letters and digits, or groups of digits,
    not a placeholder."""
    for match in _key_cues().finditer(text):
        value = match.group("v").rstrip(".,;)")
        if (
            len(value) >= 6
            and not placeholder(value)
            and (
                (any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value))
                or _DIGIT_KEY.fullmatch(value)
            )
        ):
            yield match.start("v"), match.start("v") + len(value)


#: "wifi: Albion3 / marmalade-skies-71", "netflix: sam@example.org / popcornFriday", "… es
#: MOVISTAR_4F2A / paella_con_limon_9": a login and a password joined by a slash after a label
#: or a link word.
_SLASH_PAIR = re.compile(
    r"(?:[:=]|(?<=\s)(?:is|es|est|ist|è|é|to|jest|são|é))[ \t]+"
    r"(?P<user>[^\s/:=,;()\[\]{}]{2,64})[ \t]+/[ \t]+(?P<pw>[^\s/,;()]*[^\s/,;().])(?=[.,;)]?(?:\s|$))",
    re.I,
)


def slash_pairs(text: str) -> Iterator[tuple[int, int]]:
    """The password of a "login / password" pair given after a label (see :data:`_SLASH_PAIR`)."""
    if " / " not in text:
        return
    for match in _SLASH_PAIR.finditer(text):
        user, pw = match.group("user"), match.group("pw")
        if (
            looks_like_password(pw)
            and not placeholder(pw)
            and not PATH.fullmatch(pw)
            and not user.replace(".", "").isdigit()
            and not any(ch.isdigit() for ch in user.split("-")[0][:1])
        ):
            yield match.span("pw")


# -- wallet seed phrases ------------------------------------------------------------------------

#: Words of a seed phrase: 12 to 24, split by spaces, commas or line breaks, maybe numbered.
_SEED_WORD = re.compile(
    r"(?:(?<=\s)|^|(?<=[,:(\"'\[]))(?:\d{1,2}[.)][ \t]*)?([^\W\d_]{3,8})(?=[\s,.;)\"'\]]|$)"
)
_SEED_GAP = re.compile(r"^[\s,]*(?:\d{1,2}[.)])?[ \t]*$")
_SEED_LENGTH = 12


@cache
def _seed_words() -> frozenset[str]:
    """Every BIP39 word list of the ``mnemonic`` package (English, Spanish, French, Italian,
    Portuguese, Czech, Turkish ...), folded to lower case."""
    from mnemonic import Mnemonic

    words: set[str] = set()
    for language in Mnemonic.list_languages():
        words.update(w.lower() for w in Mnemonic(language).wordlist if w.isalpha())
    return frozenset(words)


def seed_phrases(text: str) -> Iterator[tuple[int, int]]:
    """A BIP39 seed phrase: twelve or more words in a row, all but at most one (a typo) from
    one of its word lists, nothing but spaces, commas, line breaks and numbering between them.
    Prose never runs that long on the 2,048 words of a list (it needs "the", "is", "of", which
    no list has)."""
    words = _seed_words()
    run: list[tuple[int, int, bool]] = []  # (start, end, listed)

    def emit(run: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int]]:
        listed = [w for w in run if w[2]]
        if len(run) >= _SEED_LENGTH and listed:
            yield run[0][0], listed[-1][1]

    for match in _SEED_WORD.finditer(text):
        listed = match.group(1).lower() in words
        joined = bool(run) and bool(_SEED_GAP.match(text[run[-1][1] : match.start(1)]))
        misses = [i for i, w in enumerate(run) if not w[2]]
        if joined and (listed or not misses):
            run.append((*match.span(1), listed))
            continue
        end = len(run) - 1 if run and not run[-1][2] else len(run)
        yield from emit(run[:end])
        if joined:  # a second unknown word: start again after the first
            run = [*run[misses[0] + 1 :], (*match.span(1), listed)]
        else:
            run = [(*match.span(1), listed)] if listed else []
    end = len(run) - 1 if run and not run[-1][2] else len(run)
    yield from emit(run[:end])


# -- credentials whose place says what they are ----------------------------------------------

_KIND_SECRET = re.compile(r"(?m)^[ \t]*kind:[ \t]*[\"']?Secret[\"']?[ \t]*$")
_SECRET_DATA = re.compile(r"(?m)^(?P<indent>[ \t]*)(?:data|stringData):[ \t]*$")
_YAML_ENTRY = re.compile(r"(?P<indent>[ \t]+)[\w.\-]+:[ \t]*(?P<value>\S[^\n]*?)[ \t]*$")


def basic_credentials(value: str) -> bool:
    """Whether a ``Basic`` token decodes to ``user:password`` (not a placeholder)."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    user, sep, password = decoded.partition(":")
    return bool(sep and user and decoded.isprintable() and not placeholder(password))


def kubernetes_secret_values(text: str) -> Iterator[tuple[int, int, float]]:
    """Every value under ``data:`` / ``stringData:`` of a ``kind: Secret`` manifest: whatever
    their keys are called, they are the secret's contents (base64 or plain)."""
    if not _KIND_SECRET.search(text):
        return
    for section in _SECRET_DATA.finditer(text):
        outer = len(section.group("indent"))
        pos = section.end() + 1
        while pos < len(text):
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            line = text[pos:line_end]
            if line.strip() and not line.lstrip().startswith("#"):
                entry = _YAML_ENTRY.match(line)
                if entry is None or len(entry.group("indent")) <= outer:
                    break
                value = entry.group("value").strip("\"'")
                start = pos + line.index(value, entry.start("value"))
                if not placeholder(value):
                    yield start, start + len(value), 0.9
            pos = line_end + 1
