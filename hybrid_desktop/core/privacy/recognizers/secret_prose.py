"""Passwords, PINs and codes written in prose, for :mod:`.secrets`: the cue phrases of
``data/secrets_prose.txt`` compiled (:class:`Prose`), and how a value is read after a cue or an
assignment operator (:func:`value_span`, :func:`prose_value`). See :mod:`.secrets` for what each
cue kind finds."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .secret_shapes import looks_like_password, phrase_regex, placeholder, read_sections

__all__ = ["CALL", "IDENTIFIER_PATH", "Prose", "prose_value", "strong_password", "value_span"]

_WORDS = re.compile(r"\S+")
#: Where an unquoted password in prose stops: a closing double quote, or a closing single quote
#: at the end of the word ("... is Blue7!'").
_PROSE_CLOSE = re.compile(r"[\"”»]|['’](?=\s|$)")
_OPENERS = "([{"
_CLOSERS = ")]}"
_QUOTES = "\"'`"
_CLOSING_QUOTE = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "«": "»", "„": "“"}
CALL = re.compile(r"[\w.$\-]+[\[(]")
#: A variable or attribute path (``args.password``, ``settings.DB_PASSWORD``): lower-case start,
#: no digit. ``Gato.Negro99`` is a password.
IDENTIFIER_PATH = re.compile(r"[a-z_$][A-Za-z_$]*(?:\.[A-Za-z_$][A-Za-z_$]*)+")


def value_span(text: str, pos: int, line_end: int) -> tuple[int, int, bool] | None:
    """The value that starts at ``pos``: quoted (to its closing quote) or up to whitespace."""
    if pos >= line_end:
        return None
    quote = text[pos]
    if quote in _CLOSING_QUOTE:
        close = text.find(_CLOSING_QUOTE[quote], pos + 1, line_end)
        if close > pos + 1:
            return pos + 1, close, True
        if close == pos + 1:
            return None
        pos += 1
    match = _WORDS.match(text, pos, line_end)
    if not match:
        return None
    start, end = match.span()
    value = text[start:end]
    # Trailing separators and brackets that close something opened before the value.
    while value and (
        value[-1] in ",;" + _QUOTES
        or (
            value[-1] in _CLOSERS
            and value.count(_OPENERS[_CLOSERS.index(value[-1])]) < value.count(value[-1])
        )
    ):
        value = value[:-1]
    return start, start + len(value), False


# -- prose ------------------------------------------------------------------------------------


_phrase = phrase_regex


#: A code's value: 4821 | 482 913 | 66 41 90 | 80-26-13 | 4-1-7-7 (a combination lock) | *4419 |
#: 4817# | 2B47A, B2207 (intercom codes) | 3T5K-75UTRG-ZCE1 (a gift card or voucher: groups of
#: capitals and digits, two digits at least), not followed by more of a number, a word or a path.
_CODE_VALUE = (
    r"\*?(?:\d{4,8}|\d{3}[ -]\d{3}|\d{2}(?:[ -]\d{2}){2,3}|\d(?:-\d){3,7}|[A-Z]\d{4,6}"
    r"|(?=[A-Z\d]{3,6}(?:-[A-Z\d]{3,6}){1,4}(?![\w-]))(?=[A-Z\d-]*[A-Z])(?=(?:[A-Z-]*\d){2})"
    r"[A-Z\d]{3,6}(?:-[A-Z\d]{3,6}){1,4}"
    r"|(?=[A-Z\d]{4,6}(?![\w]))(?=(?:[A-Z]*\d){3})\d[A-Z\d]{3,5})[#*]?"
    r"(?![\w.,/-]\w|[\w/-])"
)


class Prose:
    """Compiled cue phrases of ``data/secrets_prose.txt``."""

    def __init__(self) -> None:
        data = read_sections("secrets_prose.txt")
        cues, short = _phrase(data["cues"]), _phrase(data["short_cues"])
        links, between = _phrase(data["links"]), _phrase(data["between"])
        qualifier = rf"(?:\s+(?:{_phrase(data['qualifiers'])})(?![\w\-]))?"
        edge = r"(?<![\w\-])"
        # cue [qualifier] [for (the) thing] link value   |   cue [qualifier] value
        self.linked = re.compile(
            rf"{edge}(?P<cue>{cues}|{short}){qualifier}"
            rf"(?:\s+(?:{between})(?:\s+[^\s:=]+){{1,4}}?)?"
            rf"\s*(?P<link>(?<=\s)(?:{links})(?=\s)|[:=]|->)\s*",
            re.IGNORECASE,
        )
        # "the PSK we agreed on is 'X'": a few words between the cue and the link, quoted value.
        self.quoted_after = re.compile(
            rf"{edge}(?:{cues}){qualifier}(?:\s+[^\s:=\"'.,;!?]+){{1,5}}?"
            rf"\s+(?:{links})\s+(?=[\"'“«])",
            re.IGNORECASE,
        )
        self.bare = re.compile(rf"{edge}(?:{cues}){qualifier}[ \t]+", re.IGNORECASE)
        # "Fritz-Passwort X", "Routerpasswort: X", "adminlösen: X": a compound ending in a cue
        # that compounds; "hasło admina X": one word (whose password) before a strong value.
        compound = _phrase(data["compound_cues"])
        self.compound = re.compile(
            rf"{edge}[^\W\d_]{{2,15}}-?(?:{compound})(?![\w\-])[ \t]*(?P<link>[:=])?[ \t]*",
            re.IGNORECASE,
        )
        self.one_word = re.compile(
            rf"{edge}(?:{cues}|{compound})[ \t]+[^\W\d_]{{2,12}}[ \t]+", re.IGNORECASE
        )
        # "pass Hedgehog!Bank22": an abbreviation with nothing after it, then a strong password.
        self.short_bare = re.compile(
            rf"{edge}(?:{short})[ \t]+(?P<v>\S{{8,64}}?)[),.;]*(?!\S)"
            rf"(?![ \t]+(?:to|into|as|in|through|on)\b)",
            re.IGNORECASE,
        )
        self.short = re.compile(rf"{edge}(?:{short})$", re.IGNORECASE)
        self.not_values = frozenset(w.lower() for w in data["not_values"])
        codes = _phrase(data["codes"])
        # "Haustür: Code 7351", "the code is 80-26-13" (see code_words in the data file).
        self.code_word = re.compile(
            # "pre" starts only where a word starts: from inside a long run of letters it was
            # retried at every position, quadratic time (a 200,000-letter line took minutes).
            rf"(?:(?<![^\W\d_])(?P<pre>[^\W\d_]+)[ \t]+)?{edge}(?:{_phrase(data['code_words'])})"
            rf"(?:(?:[ \t]+[^\s:=\d]+){{1,5}}?(?=[ \t]*:)"  # "kluis in de kast van Ruud: 46-12-80"
            rf"|\s+(?:{between})(?:\s+[^\s:=\d]+){{1,4}}?(?=\s+(?:{links})\s))?"  # "code for the gate is"
            rf"(?:\s*(?:(?<=\s)(?:{links})(?=\s)|[:=]))?\s*\(?(?P<code>{_CODE_VALUE})",
            re.IGNORECASE,
        )
        self.code_not_after = frozenset(w.lower() for w in data["code_not_after"])
        # PIN 4821 | mein PIN ist 4821 | el PIN de la tarjeta es 7730 | verification code: 482913
        self.codes = re.compile(
            rf"{edge}(?:{codes})(?:\s+(?:{between})(?:\s+[^\s:=\d]+){{1,6}}?"
            rf"|(?:\s+[^\s:=\d]+){{1,5}}?(?=\s*(?::|(?<=\s)(?:{links})\s)))?"
            rf"(?:\s*,?\s*(?:(?<=\s)(?:{links})(?=\s)|[:=#]|->))?\s*\(?"
            # 4821 | 482 913 | 66 41 90 | 80-26-13 | *4419 | 4817# | 2B47A (an intercom code)
            rf"(?P<code>{_CODE_VALUE})",
            re.IGNORECASE,
        )

    def spans(self, text: str) -> Iterator[tuple[int, int, float]]:
        for match in self.linked.finditer(text):
            strong = match.group("link") in (":", "=", "->")
            if not strong and self.short.match(match.group("cue")):
                # "mein PW ist X", "le mdp c'est X": only a value with a digit in it.
                found = prose_value(text, match.end(), False)
                if found and any(ch.isdigit() for ch in text[found[0] : found[1]]):
                    yield found[0], found[1], 0.85
                continue
            found = prose_value(text, match.end(), strong) or (
                None if strong else self._plain_word(text, match.end())
            )
            if found and strong:
                more = _WORDS_TO_LINE_END.match(text, found[1])
                found = (found[0], more.end()) if more else found  # "password: wild garlic"
            if found:
                yield found[0], found[1], 0.9
        for match in self.codes.finditer(text):
            yield match.start("code"), match.end("code"), 0.9
        for match in self.code_word.finditer(text):
            pre = (match.group("pre") or "").lower()
            if pre not in self.code_not_after:
                yield match.start("code"), match.end("code"), 0.85
        for match in self.bare.finditer(text):
            found = prose_value(text, match.end(), False)
            if found:
                yield found[0], found[1], 0.8
        for match in self.compound.finditer(text):
            linked = match.group("link") is not None
            found = prose_value(text, match.end(), linked)
            if found and (linked or strong_password(text[found[0] : found[1]])):
                yield found[0], found[1], 0.85
        for match in self.one_word.finditer(text):
            found = prose_value(text, match.end(), False)
            if found and (
                strong_password(text[found[0] : found[1]])
                or _JOINED_WORDS.fullmatch(text, found[0], found[1])
            ):
                yield found[0], found[1], 0.8
        for match in self.quoted_after.finditer(text):
            found = prose_value(text, match.end(), True)
            quoted = found is not None and text[found[0] - 1] in "\"'“«"
            if found and quoted and looks_like_password(text[found[0] : found[1]]):
                yield found[0], found[1], 0.85
        for match in _LINE_END_VALUE.finditer(text):
            value = match.group("v")
            if strong_password(value) and any(ch in _SYMBOLS for ch in value):
                yield match.start("v"), match.end("v"), 0.9
        for match in self.short_bare.finditer(text):
            value = match.group("v").rstrip(".,;)")
            if strong_password(value):
                yield match.start("v"), match.start("v") + len(value), 0.8

    def _plain_word(self, text: str, pos: int) -> tuple[int, int] | None:
        """A plain word given as the password ("the wifi password is sunflower."): it must end
        its clause and not say what the password is like ("is wrong", "ist falsch")."""
        match = _PLAIN_WORD.match(text, pos)
        if match is None or match.group().lower() in self.not_values:
            return None
        return match.span()


def strong_password(value: str) -> bool:
    """Lower and upper case letters, a digit and no code punctuation: a password, not a word."""
    return (
        any(ch.islower() for ch in value)
        and any(ch.isupper() for ch in value)
        and any(ch.isdigit() for ch in value)
        and not any(ch in "()[]{}<>./\\=:" for ch in value)
        and not placeholder(value)
    )


#: A value that ends a labelled line ("- Instagram @shop: Pioenroos!2026"): a password when it
#: mixes lower and upper case, digits and a symbol, whatever the label says.
_LINE_END_VALUE = re.compile(r"(?m):[ \t]+(?P<v>[^\s\"'`]{8,64})[ \t]*$")
_SYMBOLS = frozenset("!#$%&*?+~^")


#: Words joined by a symbol, each capitalised: "Sernik&Makowiec", "Kaffee#Kuchen" (a password).
_JOINED_WORDS = re.compile(r"[A-ZÀ-Ý][^\W\d_]{2,}(?:[&#$%*+!?~^][A-ZÀ-Ý][^\W\d_]{2,})+[!?#$%*]*")


#: A plain word that ends its clause: a full stop, comma, other punctuation, or the line's end.
_PLAIN_WORD = re.compile(r"[^\W\d_]{4,32}(?=[ \t]*(?:[.,;!?)]|$))", re.MULTILINE)


#: An app password as Google and Apple show them: four groups of four lower-case letters.
_APP_PASSWORD = re.compile(r"[a-z]{4}(?: [a-z]{4}){3}(?![\w-])")
#: One to three more words that end the line after a labelled password: a passphrase.
_WORDS_TO_LINE_END = re.compile(r"(?:[ ][^\W\d_]{2,12}){1,3}(?=[ \t]*(?:\n|$))")


def prose_value(text: str, pos: int, strong: bool) -> tuple[int, int] | None:
    """The password after a cue: quoted, or a whitespace-delimited word; a sentence's final
    ``.`` or ``,`` is dropped, never a character that can belong to a password (``#``, ``!``)."""
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    app = _APP_PASSWORD.match(text, pos, line_end)
    if app:
        return app.span()  # "the app password gmro zbjk rtdc spjn"
    span = value_span(text, pos, line_end)
    if span is None:
        return None
    start, end, quoted = span
    if not quoted:
        word = _WORDS.match(text, start, line_end)
        end = word.end() if word else end
        close = _PROSE_CLOSE.search(text, start + 1, end)
        end = close.start() if close else end
        if (
            end - start > 1
            and text[end - 1] in ".,"
            and any(ch.isalnum() for ch in text[start : end - 1])
        ):
            end -= 1
    value = text[start:end]
    if (
        not quoted
        and value[-1:] in _CLOSERS
        and value.count(_OPENERS[_CLOSERS.index(value[-1])]) == 0
    ):
        end -= 1  # "def f(password: str)": the bracket closes something opened before
        value = value[:-1]
    if not quoted and value.endswith(":") and value[:-1].isalpha():
        # A word that ends a label ("la contraseña nueva: X"): the value follows it.
        after = end + len(text[end:line_end]) - len(text[end:line_end].lstrip(" \t"))
        return prose_value(text, after, True) if not strong and after > end else None
    if placeholder(value):
        return None
    if not quoted and (
        (not strong and not looks_like_password(value))
        or CALL.match(value)
        or IDENTIFIER_PATH.fullmatch(value)
    ):
        return None
    return start, end
