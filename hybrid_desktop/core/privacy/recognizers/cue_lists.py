"""Reading the cue-word lists in ``data/`` and turning them into regexes.

A list is plain text, one entry per line, ``#`` starts a comment line. Entries are matched
case-insensitively as whole words; a space in an entry matches any run of spaces, and a trailing
``.`` is optional ("tel." also matches "tel"). An entry that ends in a sign ("n°") may touch what
follows it ("n°4711").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources


@cache
def read_list(name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>``, lower-cased, in file order, without comments or blanks."""
    text = (resources.files("hybrid_desktop.core.privacy") / "data" / name).read_text(
        encoding="utf-8"
    )
    lines = (line.strip() for line in text.splitlines())
    seen: dict[str, None] = {}
    for line in lines:
        if line and not line.startswith("#"):
            seen.setdefault(" ".join(line.lower().split()), None)
    return tuple(seen)


def alternation(entries: tuple[str, ...]) -> str:
    """A regex alternation of ``entries`` (longest first), spaces matching any whitespace run."""
    parts = []
    for entry in sorted(entries, key=len, reverse=True):
        body = entry.removesuffix(".") if len(entry) > 1 else entry
        pattern = r"\s+".join(re.escape(word) for word in body.split())
        # "n°", "nº": the degree and ordinal signs are used alike.
        pattern = re.sub("[°º]", "[°º]", pattern)
        if body != entry:
            pattern += r"(?:\.|(?!\w))"
        elif pattern[-1:].isalnum():
            pattern += r"(?!\w)"  # a word ends here; "n°", "#" may touch the number
        parts.append(pattern)
    return "(?:" + "|".join(parts) + ")"


def word_regex(name: str) -> re.Pattern[str]:
    """A regex finding any entry of ``data/<name>`` as a whole word (case-insensitive)."""
    return re.compile(r"(?<!\w)" + alternation(read_list(name)), re.IGNORECASE)


#: An identifier's value: letters and digits, joined by ".", "/", "-" or single spaces between
#: digit groups or before a final check letter ("E40217", "884-221", "12 345 678 901",
#: "1 85 03 75 116 238 91", "QQ 12 34 56 C").
ID_VALUE = (
    r"(?P<value>[A-Z0-9](?:[A-Z0-9]|[./-](?=[A-Z0-9])|[ \t](?=\d|[A-Z](?![\w@]))){2,30})(?![\w@])"
)


def labelled_value(
    labels: str,
    number_word: bool = False,
    filler: bool = False,
    skip_numbers: frozenset[str] = frozenset(),
) -> re.Pattern[str]:
    """A regex for ``label [number word] [connector] value``, the value in group ``value``.

    ``labels`` is an alternation (see :func:`alternation`). Between label and value there may be a
    number word (``data/ids_number_words.txt``: "no.", "Nr.", "n°", "number"; required when
    ``number_word`` is set), a connector (``data/ids_connectors.txt``: "is", "lautet", "est") and
    punctuation (":", "#", "="). With ``filler``, up to three short words may come between the
    label and a number word ("Reisepass hat die Nummer X", "passeport porte le numéro X").
    Number words in ``skip_numbers`` do not count.
    """
    numbers = alternation(
        tuple(w for w in read_list("ids_number_words.txt") if w not in skip_numbers)
    )
    connectors = alternation(read_list("ids_connectors.txt"))
    # Filler words, then the number word (matched below): "Reisepass hat die | Nummer X".
    between = (
        r"(?:(?:[ \t]+[^\W\d]{1,12}){1,3}?(?=[ \t]+(?:" + numbers + r"|#)))?" if filler else ""
    )
    return re.compile(
        r"(?<![\w-])"
        + labels
        + between
        + r"(?:[ \t]*(?:"
        + numbers
        + r"|#))"
        + ("" if number_word else "?")
        + r"(?:[ \t]*(?:"
        + connectors
        + r"))?"
        + r"[ \t]*[:#=]?[ \t]*(?:\r?\n[ \t]*)?"
        + ID_VALUE,
        re.IGNORECASE,
    )


_WORD = re.compile(r"\w+")


def first_words(entries: tuple[str, ...]) -> frozenset[str]:
    """The first word of each entry ("n" of "n° client", "steuer" of "steuer-id"), lower-cased."""
    return frozenset(m.group().lower() for e in entries if (m := _WORD.search(e)))


def scan(regex: re.Pattern[str], keys: frozenset[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``regex`` that start at a word of ``keys`` (see :func:`first_words`).

    A regex made of a long alternation of labels is slow to search with (every position of the
    text tries every label); trying it only where a label's first word stands is much faster.
    """
    end = 0
    for word in _WORD.finditer(text):
        if word.start() >= end and word.group().lower() in keys:
            match = regex.match(text, word.start())
            if match is not None:
                end = match.end()
                yield match


# -- labels in key and header positions ---------------------------------------------------------

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_KEY_SPLIT = re.compile(r"[^\w#°º]+|_")
#: Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "đ": "d", "æ": "ae", "œ": "oe"})
#: Number words of a label, made one token ("n°", "Nr.", "número", "#" -> ``no``).
NUMBER_TOKEN = "no"


def fold(word: str) -> str:
    """``word`` lower-cased without accents ("Número" -> "numero", "hasło" -> "haslo")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _number_words() -> frozenset[str]:
    words = {fold(w).rstrip(".") for w in read_list("ids_number_words.txt")}
    words -= {"id", "code", "ref"}  # kinds of number, not the word "number"
    return frozenset(words | {"n", "#", "n°", "nº", "no", "nr", "nro", "num"})


@cache
def _fillers() -> frozenset[str]:
    return frozenset(fold(w) for w in read_list("ids_key_fillers.txt"))


def key_tokens(key: str) -> tuple[str, ...]:
    """The words of a key, label or header, normalised for comparison with the label lists.

    snake_case, camelCase, kebab-case, dotted paths and spaces all split into words; accents
    are dropped; number words become :data:`NUMBER_TOKEN`; filler words ("of", "de", "di") are
    dropped. ``dateOfBirth``, ``date_of_birth`` and "Date of birth" give the same words, so do
    ``n_passeport`` and "N° de passeport".
    """
    spaced = _CAMEL_HUMP.sub(" ", key.replace("’", "'"))
    numbers, fillers = _number_words(), _fillers()
    out: list[str] = []
    for raw in _KEY_SPLIT.split(spaced):
        word = fold(raw)
        if not word or word in fillers:
            continue
        if word in numbers or word.rstrip("°º") in ("n", "no", "nr"):
            word = NUMBER_TOKEN
        if word.startswith(("n°", "nº")) and len(word) > 2:
            out.append(NUMBER_TOKEN)
            word = word[2:]
        out.append(word)
    return tuple(out)


class KeyLabels:
    """Which entity a key names: the label lists of each type, compared word by word.

    A key matches when its last words are a label of one type (``billing_zip`` ends in
    ``zip``, ``customer.passport_no`` in ``passport no``). For the types in ``bare``, whose
    label names a document alone, the number words of the key may be left out or added
    (``passport``, ``passport_no`` and ``passportNumber`` are the same key); for the others a
    number word stays part of the label ("tax number" is not "tax"), and the kinds of number
    whose label is a noun for a person (``staff_no``, ``patient_id``, from ``heads``) need one. A key whose other words
    describe the field (``last_login``, ``dob_format``: ``data/ids_key_ignore.txt``) matches
    nothing. Words of ``after`` at the end of a key are adjectives that follow their noun, as
    Romance and Slavic languages put them (``haslo_startowe``, ``mot_de_passe_initial``).
    """

    def __init__(
        self,
        labels: dict[str, tuple[str, ...]],
        heads: dict[str, tuple[str, ...]] | None = None,
        ignore: frozenset[str] = frozenset(),
        bare: tuple[str, ...] = (),
        after: frozenset[str] = frozenset(),
    ) -> None:
        self._exact: dict[tuple[str, ...], str] = {}
        self._bare: dict[tuple[str, ...], str] = {}
        for entity, entries in labels.items():
            for entry in entries:
                tokens = key_tokens(entry)
                if tokens:
                    self._exact.setdefault(tokens, entity)
                    without = tuple(t for t in tokens if t != NUMBER_TOKEN)
                    if without and entity in bare:
                        self._bare.setdefault(without, entity)
        for entity, entries in (heads or {}).items():
            for entry in entries:
                tokens = key_tokens(entry)
                for kind in (NUMBER_TOKEN, "id", "code"):
                    self._exact.setdefault((*tokens, kind), entity)
                    self._exact.setdefault((*tokens[:-1], tokens[-1] + kind), entity)
        self._ignore = frozenset(fold(w) for w in ignore)
        self._after = frozenset(fold(w) for w in after)
        self.longest = max(map(len, [*self._exact, *self._bare]), default=0)

    def entity(self, key: str) -> str | None:
        """The entity type ``key`` names, or None."""
        tokens = key_tokens(key)
        while len(tokens) > 1 and tokens[-1] in self._after:
            tokens = tokens[:-1]  # an adjective after its noun: ``haslo_startowe``
        if not tokens or len(tokens) > 8:
            return None
        bare = tuple(t for t in tokens if t != NUMBER_TOKEN)
        for words, table in ((tokens, self._exact), (bare, self._bare)):
            for n in range(min(len(words), self.longest), 0, -1):
                entity = table.get(words[-n:])
                if entity is not None:
                    if any(w in self._ignore for w in words[:-n]):
                        return None
                    return entity
        return None
