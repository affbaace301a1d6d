"""Login names (USERNAME) where text says they are one: log lines, login instructions,
connection settings and commands.

The cue phrases, in the languages the gate covers, are in ``data/usernames_cues.txt``:

- labels and keys: ``username: X``, ``user=X``, ``DB_USER=X``, ``"login": "X"``, "Benutzername: X",
  "nom d'utilisateur : X". Labels that also start chat turns ("User: how do I ...") count only
  when the value ends its field and is not an ordinary word;
- phrases before a name: "for user X", "invalid user X", "Failed password for X from", "log in
  as X", "als Benutzer X", "pour l'utilisateur X", "jako użytkownik X";
- the word "user" in each language, then a name, then a log verb: "user X logged in",
  "Benutzer X hat sich angemeldet", "utilisateur X connecté";
- commands and their options: ``mysql -u X``, ``psql -U X``, ``sudo -u X``, ``curl -u X:pw``,
  ``ssh X@host``, shell prompts ``X@host:~$``;
- log formats: sudo's ``sudo: X : TTY=...``, access logs ``host - X [date] "GET``, Windows
  ``DOMAIN\\X`` and event-log "Account Name: X", git "Author: X <mail>";
- chat mentions "@X" (not decorators alone on their line, doc tags, CSS at-rules or group
  mentions: the ``handles`` list);
- "log in as X / pw": the part after the slash is reported as a SECRET;
- the user and password arguments of well-known calls (``new PDO($dsn, 'shop', 'pw')``,
  :mod:`.secret_calls`): the password as a SECRET.

A name is shaped like a login (letters, digits, ``._-``, no spaces); outside labels it must start
in lower case or hold a digit, ``_``, ``.`` or ``-``, so capitalised words and nouns stay out.
System and example accounts (``root``, ``postgres``, ``ubuntu``, ``git``: ``data/usernames_generic
.txt``) and placeholders (``<username>``, ``$USER``, ``{user}``, ``%u``) are not personal and are
never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import GateRecognizer
from .secret_calls import credential_arguments
from .secrets import high_entropy, looks_like_password, phrase_regex, placeholder, read_sections

__all__ = ["UsernameRecognizer"]

_LOGIN = re.compile(r"[A-Za-z0-9][\w.\-]{0,63}(?:\\[\w.\-]{1,64})?", re.UNICODE)
_NAME_HERE = re.compile(r"""["'`]?([\w.\-\\$<>{}%]+)["'`]?""", re.UNICODE)
_FIELD_END = re.compile(
    r"""["'`]?[ \t]*(?:$|\r?\n|[,;|)\]}]|\t|  |[ \t]+[\w\-]+[ \t]*[:=]|[ \t]+/[ \t])"""
)
#: An access log line (Apache, nginx common/combined format): ``host ident user [date] "GET``.
_ACCESS_LOG = re.compile(
    r"(?m)^[ \t]*[\w.:\-]+[ \t]+\S+[ \t]+(?P<user>[^\s\[\]\"]+)[ \t]+\[\d{1,2}/\w{3}/\d{4}:"
)
#: ``DOMAIN\user`` (Windows): an upper-case NetBIOS domain, then a login that starts in lower
#: case ("CORP\ksato"); registry paths and ``SYSTEM\CurrentControlSet`` start in upper case.
_DOMAIN_USER = re.compile(
    r"(?<![\w\\])[A-Z][A-Z0-9\-]{1,14}\\(?P<user>[a-z][\w.\-]{1,30})(?![\w\\])"
)
#: The user's own folder in a home-directory path: ``/home/X/``, ``/Users/X/``, ``C:\\Users\\X\\``
#: (also JSON-escaped, ``C:\\\\Users\\\\X``). Shared folders and system accounts (``Public``,
#: ``Default``, ``ubuntu``) are in ``usernames_generic.txt``.
_HOME = re.compile(
    r"(?:(?<![\w.])/home/|(?<![\w.])/Users/|(?:[A-Za-z]:|\\)?\\{1,2}Users\\{1,2})"
    r"(?P<user>[A-Za-z0-9][\w.\-]{0,63})(?=[/\\\"'`\s:,;)]|$)",
    re.IGNORECASE,
)
#: ``.netrc`` (``machine host login X``) and ``~/.pgpass`` (``host:port:db:X:password``).
_NETRC_LOGIN = re.compile(r"(?<!\S)(?:machine[ \t]+\S+|default)[ \t\n]+login[ \t]+(?P<user>\S+)")
_PGPASS_USER = re.compile(
    r"(?m)^[ \t]*[\w.\-*\[\]]+:(?:\d{2,5}|\*):[\w.\-*]+:(?P<user>[\w.\-@]+):[^\s:]\S*[ \t]*$"
)
#: The user of a URL with a password: ``https://kfoster:pw@host``.
_URL_USER = re.compile(r"\b[a-z][a-z0-9+.\-]{1,20}://(?P<user>[^\s:/@]+):[^\s@/]+@", re.I)
#: Git and patch trailers: "Author: login <mail>", "Signed-off-by: login <mail>".
_GIT_PERSON = re.compile(
    r"(?m)^[ \t]*(?:Author|Commit|Committer|Signed-off-by|Co-authored-by|Reviewed-by):[ \t]+"
    r"(?P<user>[\w.\-]+)[ \t]+<"
)
#: A chat mention "@handle": not an e-mail, a scoped package (``@types/node``), a decorator on
#: its own line (``@dataclass``), or a dotted call (``@app.route``).
_MENTION = re.compile(
    r"(?<![\w@./:+\-])@(?P<user>[A-Za-z][\w.\-]{0,38}[A-Za-z0-9_])(?![\w@(/]|[.\-]\w)"
)
_PROMPT = re.compile(
    r"(?m)^[ \t]*\[?(?P<user>[a-z_][\w.\-]{0,31})@(?P<host>[\w.\-]+)(?::[^\s$#]*[$#]|[ \t][^\]\n]*\][$#]|'s password:)"
)
_AT_HOST = re.compile(r"(?<![\w.\-@/])(?P<user>[\w.\-]{1,64})@(?P<host>[\w.\-]+)")
_SEGMENT_SPLIT = re.compile(r"\|\||&&|[|;\n`]|\$\(")
_PROMPT_PREFIX = re.compile(r"^\s*(?:[\w.\-]*@[\w.\-]+:[^\s$#]*[$#]|PS [^>]*>|[$#>%])?\s*")
_REFERENCE = re.compile(r"\.(?:\w*_)?(?:user(?:name)?|login|name|id|uid)$", re.IGNORECASE)
#: A ``login`` subcommand's password option: ``docker login -u ci -p X``, ``az login -p X``,
#: ``helm registry login --password X``, ``oc login --password=X``.
_LOGIN_PASSWORD = re.compile(
    r"(?<![\w\-])login\b[^\n|;]*?(?<!\S)(?:-p|--password)[ =](?P<pw>\"[^\"\n]+\"|'[^'\n]+'|[^\s\-]\S*)"
)
_SLASH_PASSWORD = re.compile(r"[ \t]*/[ \t]*(\S+)")
#: A command's password option: ``--password X``/``--password=X`` of any command,
#: ``redis-cli -a X``, ``sshpass -p X``.
_OPTION_PASSWORD = re.compile(
    r"(?:(?<!\S)--password(?:[ =])|(?<![\w-])redis-cli\b[^\n|;]*?(?<!\S)-a[ \t]+"
    r"|(?<![\w-])sshpass\b[^\n|;]*?(?<!\S)-p[ \t]+)"
    r"(?P<pw>\"[^\"\n]+\"|'[^'\n]+'|[^\s\-$]\S*)"
)


#: ``ssh-keygen ... -N "new passphrase"`` / ``-P "old passphrase"``.
_KEYGEN_PASSPHRASE = re.compile(
    r"""(?<!\S)ssh-keygen\b[^\n|;]*?(?<!\S)-[NP][ \t]+(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s"'-]\S*))"""
)


class UsernameRecognizer(GateRecognizer):
    """USERNAME in login, log and connection contexts (and a password given with it)."""

    def __init__(self, english: frozenset[str] = frozenset()) -> None:
        data = read_sections("usernames_cues.txt")
        self._english = english
        self._generic = frozenset(w.lower() for w in read_sections("usernames_generic.txt")[""])
        self._not_names = frozenset(w.lower() for w in data["not_names"])
        self._not_handles = frozenset(w.lower() for w in data["handles"])
        self._weak = frozenset(" ".join(w.lower().split()) for w in data["weak_labels"])
        edge = r"(?<![\w\-])"
        # A few dotted segments before the label ("db.primary.user:"); unbounded, "x.x.x…" was
        # retried from every segment, quadratic time.
        self._label = re.compile(
            rf"{edge}(?:[A-Za-z0-9]+[_\-.]){{0,8}}(?P<label>{phrase_regex(data['labels'])})(?![\w\-])"
            r"""["'\]]{0,2}[ \t]*(?:=>|[:=])[ \t]*""",
            re.IGNORECASE,
        )
        befores = [b for b in data["before"] if "*" not in b]
        self._before = re.compile(
            rf"{edge}(?:{phrase_regex(befores)})\s+(?:(?:invalid|illegal)\s+user\s+)?",
            re.IGNORECASE,
        )
        self._framed = [
            re.compile(
                rf"{edge}{phrase_regex([head])}\s+(?:(?:invalid|illegal)\s+user\s+)?"
                rf"(?P<name>\S+)\s+{phrase_regex([tail])}(?![\w\-])",
                re.IGNORECASE,
            )
            for head, _, tail in (b.partition("*") for b in data["before"] if "*" in b)
        ]
        self._noun_verb = re.compile(
            rf"{edge}(?:{phrase_regex(data['nouns'])})\s+(?P<name>\S+)\s+(?:{phrase_regex(data['after'])})"
            r"(?![\w\-])",
            re.IGNORECASE,
        )
        prose = read_sections("secrets_prose.txt")
        passwords = phrase_regex([*prose["cues"], *prose["short_cues"]])
        #: "user kfoster pass hunter22", "login: jnowak, hasło: Lato2024": a name, then a
        #: password cue and its value.
        self._pair = re.compile(
            rf"{edge}(?:{phrase_regex(data['labels'])})[ \t]*[:=]?[ \t]+(?P<name>[^\s,;/]+)"
            rf"[ \t]*[,;/]?[ \t]*(?:{passwords})(?![\w\-])[ \t]*[:=]?[ \t]*(?P<pw>\S+)",
            re.IGNORECASE,
        )
        self._noun = re.compile(
            rf"{edge}(?:{phrase_regex(data['nouns'])})\s+(?P<name>\S+)", re.IGNORECASE
        )
        #: First word of a command -> (the whole command, its options that take a name).
        self._commands: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for line in data["commands"]:
            words = line.split()
            split = next(i for i, w in enumerate(words) if w[0] in "-@+")
            self._commands.setdefault(words[0], []).append(
                (tuple(words[:split]), tuple(words[split:]))
            )
        self._command_words = re.compile(
            rf"(?<![\w\-]){phrase_regex(list(self._commands))}(?![\w\-])"
        )
        super().__init__("UsernameRecognizer", ["USERNAME", "SECRET"])

    # -- what counts as a name --------------------------------------------------------------

    def _name(self, text: str, start: int, *, labelled: bool) -> tuple[int, int] | None:
        """The login name at ``start`` (quotes skipped), or None when it is not one."""
        match = _NAME_HERE.match(text, start)
        if not match:
            return None
        s, e = match.span(1)
        value = text[s:e].rstrip(".,:")
        e = s + len(value)
        if not self.is_login(value, labelled=labelled):
            return None
        if text[e : e + 1] in ("(", "[") and not text.startswith("(uid=", e):
            return None
        if _REFERENCE.search(value):
            return None  # code: ``user = args.user``, ``login = self.username``
        return s, e

    def is_login(self, value: str, *, labelled: bool) -> bool:
        """A personal login name: login-shaped, not a system account, placeholder or word."""
        low = value.lower()
        if not _LOGIN.fullmatch(value) or not any(ch.isalpha() for ch in value):
            return False
        if low in self._generic or low in self._not_names or value[0] in "<${%":
            return False
        if value.isupper() and ("USER" in value or "NAME" in value or "LOGIN" in value):
            return False  # $USER without the dollar: an environment variable's name
        if labelled:
            return True
        shaped = any(ch.isdigit() or ch in "._-\\" for ch in value)
        return shaped or (value[0].islower() and not self._word(low))

    def is_labelled_login(self, value: str) -> bool:
        """A login name under a key or a column header that names one (not ``args.user``)."""
        return self.is_login(value, labelled=True) and not _REFERENCE.search(value)

    def _word(self, low: str) -> bool:
        """An ordinary English word ("clicks", "usual"), with simple inflections."""
        english = self._english
        if low in english:
            return True
        for suffix in ("s", "es", "ed", "ing", "d"):
            if low.endswith(suffix) and low[: -len(suffix)] in english:
                return True
        return False

    # -- the recognizer ---------------------------------------------------------------------

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every login name (and slash-given password) in ``text``."""
        found: list[tuple[str, int, int, float]] = []
        for start, end, score in self._spans(text):
            found.append(("USERNAME", start, end, score))
            after = _SLASH_PASSWORD.match(text, end)
            if after and looks_like_password(after.group(1).rstrip(".,")):
                value = after.group(1)
                stop = after.end(1) - (1 if value[-1] in ".," and len(value) > 1 else 0)
                found.append(("SECRET", after.start(1), stop, 0.9))
        found.extend(self._command_secrets(text))
        for kind, start, end in credential_arguments(text):
            if kind == "SECRET" or self.is_login(text[start:end], labelled=True):
                found.append((kind, start, end, 0.9))
        for match in self._pair.finditer(text):
            name, password = match.group("name"), match.group("pw").rstrip(".,")
            if self.is_login(name, labelled=True) and not placeholder(password):
                found.append(("USERNAME", *match.span("name"), 0.9))
                found.append(("SECRET", match.start("pw"), match.start("pw") + len(password), 0.9))
        return [self.result(*f) for f in found if f[2] > f[1]]

    def _spans(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in self._label.finditer(text):
            label = " ".join(match.group("label").lower().split())
            weak = label in self._weak
            span = self._name(text, match.end(), labelled=not weak)
            if span is None:
                continue
            if weak:
                # "User: how do I ...": a chat turn, not a login. The name must end its field.
                value = text[span[0] : span[1]]
                if not _FIELD_END.match(text, span[1]) or self._word(value.lower()):
                    continue
            yield span[0], span[1], 0.9
        for match in self._before.finditer(text):
            span = self._name(text, match.end(), labelled=False)
            if span:
                yield span[0], span[1], 0.9
        for regex in (*self._framed, self._noun_verb):
            for match in regex.finditer(text):
                span = self._name(text, match.start("name"), labelled=False)
                if span:
                    yield span[0], span[1], 0.9
        for match in self._noun.finditer(text):
            value = match.group("name").rstrip(".,:")
            if any(ch.isdigit() or ch in "._-" for ch in value):
                span = self._name(text, match.start("name"), labelled=False)
                if span:
                    yield span[0], span[1], 0.7
        for match in _PROMPT.finditer(text):
            if self.is_login(match.group("user"), labelled=True):
                yield match.start("user"), match.end("user"), 0.9
        for regex in (_ACCESS_LOG, _DOMAIN_USER, _URL_USER, _NETRC_LOGIN, _PGPASS_USER, _HOME):
            for match in regex.finditer(text):
                if self.is_login(match.group("user"), labelled=True):
                    yield match.start("user"), match.end("user"), 0.9
        for match in _GIT_PERSON.finditer(text):
            if self.is_login(match.group("user"), labelled=False):
                yield match.start("user"), match.end("user"), 0.9
        if "@" in text:
            yield from self._mentions(text)
        yield from self._command_names(text)

    def _mentions(self, text: str) -> Iterator[tuple[int, int, float]]:
        """Chat mentions ("@mbrzezinski can you ...", "thanks @ravi.menon")."""
        for match in _MENTION.finditer(text):
            value = match.group("user")
            low = value.lower()
            if low in self._not_handles or not self.is_login(value, labelled=True):
                continue
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            rest = text[match.end() : len(text) if line_end < 0 else line_end]
            if not text[line_start : match.start()].strip() and not rest.strip():
                continue  # a decorator or annotation alone on its line
            shaped = any(ch.isdigit() or ch in "._-" for ch in value)
            if not shaped and self._word(low):
                continue  # "@media", "@import": words, not handles
            # "@anika" may be a first name: a PERSON finding of the same span wins.
            yield match.start("user"), match.end("user"), 0.9 if shaped else 0.6

    def _segments(self, text: str) -> Iterator[tuple[int, str]]:
        """Shell command segments of ``text`` (offset, text), split at ``|``, ``;``, ``&&``."""
        pos = 0
        for match in _SEGMENT_SPLIT.finditer(text):
            yield pos, text[pos : match.start()]
            pos = match.end()
        yield pos, text[pos:]

    def _command_names(self, text: str) -> Iterator[tuple[int, int, float]]:
        if not self._command_words.search(text):
            return
        for offset, segment in self._segments(text):
            if not self._command_words.search(segment):
                continue
            tokens = [(m.start() + offset, m.group()) for m in re.finditer(r"\S+", segment)]
            head = _PROMPT_PREFIX.match(segment)
            first = head.end() + offset if head else offset
            for i, (pos, word) in enumerate(tokens):
                for command, flags in self._commands.get(word, ()):
                    n = len(command)
                    if tuple(w for _, w in tokens[i : i + n]) != command:
                        continue
                    at_start = pos == first or (
                        i > 0 and tokens[i - 1][1] == "sudo" and tokens[i - 1][0] == first
                    )
                    yield from self._command_args(text, tokens[i + n :], flags, at_start)

    def _command_args(
        self, text: str, args: list[tuple[int, str]], flags: tuple[str, ...], at_start: bool
    ) -> Iterator[tuple[int, int, float]]:
        options = [f for f in flags if f.startswith("-")]
        for j, (pos, word) in enumerate(args):
            target: tuple[int, str] | None = None
            if word in options and j + 1 < len(args):
                target = args[j + 1]
            else:
                for option in options:
                    if option.startswith("--") and word.startswith(option + "="):
                        target = (pos + len(option) + 1, word[len(option) + 1 :])
                    elif (
                        len(option) == 2
                        and word.startswith(option)
                        and len(word) > 2
                        and word[2] != "="
                    ):
                        target = (pos + 2, word[2:])
            if target is None and "@" in flags and "@" in word and not word.startswith("-"):
                at = _AT_HOST.search(word)
                if at:
                    target = (pos + at.start("user"), at.group("user"))
            if target is None and "+" in flags and at_start and not word.startswith("-"):
                target = (pos, word)
                at_start = False
            if target is None:
                continue
            start, value = target
            value = value.strip("\"'").split(":", 1)[0]
            begin = start + (1 if text[start] in "\"'" else 0)
            if self.is_login(value, labelled=True):
                yield begin, begin + len(value), 0.9
            if "+" in flags:
                return

    def _command_secrets(self, text: str) -> Iterator[tuple[str, int, int, float]]:
        """``curl -u name:password`` and ``mysql -pPASSWORD``: the password part."""
        for match in re.finditer(r"""(?<!\S)(?:-u|--user)[ =]["']?([^\s:"']+):([^\s"']+)""", text):
            if looks_like_password(match.group(2)) or len(match.group(2)) >= 4:
                yield "SECRET", match.start(2), match.end(2), 0.9
            if len(match.group(1)) >= 20 and high_entropy(match.group(1)):
                yield "SECRET", match.start(1), match.end(1), 0.9  # an API key as the user
        for match in _KEYGEN_PASSPHRASE.finditer(text):
            group = next(g for g in ("dq", "sq", "bare") if match.group(g) is not None)
            if match.group(group) and not placeholder(match.group(group)):
                yield "SECRET", match.start(group), match.end(group), 0.9
        for match in _OPTION_PASSWORD.finditer(text):
            value = match.group("pw")
            quoted = value[:1] in "\"'"
            if not placeholder(value.strip("\"'")):
                yield "SECRET", match.start("pw") + quoted, match.end("pw") - quoted, 0.9
        for match in _LOGIN_PASSWORD.finditer(text):
            value = match.group("pw").strip("\"'")
            if not placeholder(value):
                start = match.start("pw") + (1 if match.group("pw")[0] in "\"'" else 0)
                yield "SECRET", start, start + len(value), 0.9
        for match in re.finditer(
            r"(?<!\S)(?:mysql|mysqldump|mariadb|sshpass)\b[^\n|;]*?(?<!\S)-p[ \t]?([^\s\-]\S*)",
            text,
        ):
            yield "SECRET", match.start(1), match.end(1), 0.9
