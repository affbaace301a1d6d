"""Street addresses and postcodes from many countries.

Three street shapes are recognised on their own: number-first with a street type after the name
("18 Elm Street", "12 rue des Lilas"), a street-type word before the name ("Calle Mayor 12",
"ul. Długa 3", "Via Toledo 256") and a street name built with a street morpheme ("Lindenstr.
12a", "Kerkstraat 8", "Storgatan 4", "Aleksanterinkatu 9"). A capitalised name followed by a
house number only counts after an address cue ("my address is", "lives at"). National shapes:
a German street named after a place ("Am Weiher 3", only with a postcode and town after it),
Japanese block numbers with their ward and prefecture ("1-1-2 Oshiage, Sumida-ku, Tokyo"), and
a European or Brazilian postcode right before a town on the place lists ("80331 München",
"00-001 Warszawa", "1100-048 Lisboa"), never a bare number. The street-type, unit and floor
words of French, German, Spanish, Italian, Dutch, Polish, Portuguese and Japanese addresses are
in ``data/address_<lang>.txt``.

Each street is then grown along its address block: units, floor and door ("3º B", "2.º Esq.",
"m. 5"), postcodes, city, region and country pieces on the same line or on the following short
lines, and a number just before it; the town after a postcode is taken whatever follows it, and
a piece stops where a sentence ends. Postcodes with a distinctive national shape (UK, Canada,
Netherlands, Japan, "CA 94105", "NSW 2000") or after "zip"/"postcode" count on their own.
Also: a name, a separate street-type word and a number ("Váci u. 20", "Schönbrunner Straße
7"), US military mail ("PSC 1234, Box 5678, APO AE 09012"), "the corner of X and Y" when a side
has a number or street word or both are capitalised, a name and number just before a unit, and
address blocks with a blank line before the country/postcode line. Blocks may be quoted or
boxed ("> ", "| " at each line start); a number-first street just before a unit ("176 Akti
Pagalou / Suite 3") counts, a house number may carry its full stop ("Síp utca 71."), and an
address cue may be followed by "the north side of" or a JSON quote.

The patterns and word lists are in ``address_patterns``; this module holds the recognizer and
the code that judges a corner and grows an address along its block.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ._base import RegexRecognizer, Rule
from .address_patterns import (
    ADDRESS_CUE,
    BEFORE_UNIT,
    CORNER,
    CORNER_STOP,
    CUED_POSTCODE,
    CUED_STREET,
    FILLER,
    JAPANESE_STREET,
    LEAD_NUMBER,
    LEAD_STREET,
    LINE_STREET,
    LOWER_WORD_AFTER,
    MILITARY,
    NL_POSTCODE,
    NOT_TOWNS,
    PIECE,
    POSTCODE_PIECE,
    POSTCODE_SHAPES,
    POSTCODE_TOWN,
    SENTENCE_END_IN_PIECE,
    STATE_POSTCODE,
    STOP_WORDS,
    STREET_MORPHEME,
    STREET_NAME_TYPE_NUMBER,
    STREET_NUMBER_FIRST,
    STREET_NUMBER_FIRST_NAMED,
    STREET_NUMBER_TYPE_BEFORE,
    STREET_TYPE_BEFORE_NUMBER_AFTER,
    STREET_WORD,
    TOWN_LINKS,
    TOWN_POSTCODE,
    UNIT,
    UNIT_THEN_STREET,
)


class AddressRecognizer(RegexRecognizer):
    """Street addresses (grown along their address block) and stand-alone postcodes."""

    def __init__(self) -> None:
        super().__init__(
            "AddressRecognizer",
            [
                Rule("STREET_ADDRESS", STREET_NUMBER_FIRST, 0.85),
                Rule("STREET_ADDRESS", STREET_NUMBER_FIRST_NAMED, 0.75),
                Rule("STREET_ADDRESS", STREET_TYPE_BEFORE_NUMBER_AFTER, 0.8),
                Rule("STREET_ADDRESS", STREET_NUMBER_TYPE_BEFORE, 0.85),
                Rule("STREET_ADDRESS", STREET_MORPHEME, 0.8),
                Rule("STREET_ADDRESS", STREET_NAME_TYPE_NUMBER, 0.8),
                Rule("STREET_ADDRESS", MILITARY, 0.9),
                Rule("STREET_ADDRESS", LEAD_STREET, 0.8),
                Rule("STREET_ADDRESS", JAPANESE_STREET, 0.85),
                Rule("STREET_ADDRESS", UNIT, 0.6, _home_unit),
                Rule("POSTCODE", POSTCODE_SHAPES, 0.85),
                Rule("POSTCODE", STATE_POSTCODE, 0.85, group=1),
                Rule("POSTCODE", STATE_POSTCODE, 0.85, group=2),
                Rule("POSTCODE", NL_POSTCODE, 0.6),
                Rule("POSTCODE", CUED_POSTCODE, 0.85, _has_digit, group=1),
                Rule("POSTCODE", TOWN_POSTCODE, 0.7, _town_postcode, group=1),
            ],
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find street and postcode pieces, add cued streets, then grow each along its block."""
        results = super().analyze(text, entities, nlp_artifacts)
        letters = [ch for ch in text if ch.isalpha()]
        if letters and sum(ch.isupper() for ch in letters) <= 1:
            # All lower case ("ul. długa 3 m. 4, gdańsk"): match the street shapes on a
            # copy with capitalised words (same length, so the offsets hold).
            cased = _capitalise_words(text)
            for r in super().analyze(cased, entities, nlp_artifacts):
                if r.entity_type == "STREET_ADDRESS" and r.score >= 0.75:
                    start, end = _grow(cased, r.start, r.end)
                    results.append(self.result("STREET_ADDRESS", start, end, r.score))
        for unit_first in UNIT_THEN_STREET.finditer(text):
            results.append(
                self.result("STREET_ADDRESS", unit_first.start(), unit_first.end(), 0.75)
            )
        for town in POSTCODE_TOWN.finditer(text):
            if _known_town(town.group(2)):
                results.append(self.result("POSTCODE", town.start(1), town.end(1), 0.8))
        for cue in _cue_ends(text):
            m = CUED_STREET.match(text, cue)
            if m and _has_digit(m.group(0)):
                results.append(self.result("STREET_ADDRESS", m.start(), m.end(), 0.75))
        for m in CORNER.finditer(text):
            span = _corner(text, m)
            if span:
                results.append(self.result("STREET_ADDRESS", *span, 0.8))
        for m in UNIT.finditer(text):
            prev_nl = text.rfind("\n", 0, m.start())
            line_start = text.rfind("\n", 0, prev_nl) + 1 if prev_nl > 0 else 0
            lead = BEFORE_UNIT.search(text, max(line_start, m.start() - 80), m.start())
            if lead and _has_digit(lead.group(1)) and lead.group(1).split()[0] not in STOP_WORDS:
                results.append(self.result("STREET_ADDRESS", lead.start(1), m.end(), 0.75))
        for m in LINE_STREET.finditer(text):
            start, end = _grow(text, m.start(1), m.end(1))
            if end > m.end(1) and "\n" in text[m.end(1) : end]:
                results.append(self.result("STREET_ADDRESS", start, end, 0.75))
        for result in results:
            if result.entity_type == "STREET_ADDRESS" and result.score >= 0.75:
                result.start, result.end = _grow(text, result.start, result.end)
        return results


def _capitalise_words(text: str) -> str:
    """``text`` with the first letter of each word upper-cased where that keeps its length."""
    out = list(text)
    for m in re.finditer(r"(?<![\w'’])[^\W\d_]", text):
        up = m.group(0).upper()
        if len(up) == 1:
            out[m.start()] = up
    return "".join(out)


def _corner(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The span of "corner of X and Y" when X and Y look like streets, else None."""
    first, second = m.group(1), m.group(2)
    words = second.split()
    keep = 1
    for w in words[1:]:
        bare = w.rstrip(".")
        if bare.lower() in CORNER_STOP:
            break
        streety_word = bare[:1].isupper() or bare[:1].isdigit() or STREET_WORD.search(w)
        if not streety_word and second[:1].isupper():
            break
        keep += 1
    if words[0].rstrip(".").lower() in CORNER_STOP:
        return None
    second_end = m.start(2) + _nth_word_end(second, keep)
    streety = bool(STREET_WORD.search(first) or STREET_WORD.search(text[m.start(2) : second_end]))
    both_caps = first[:1].isupper() and second[:1].isupper()
    if not (streety or both_caps) or first.split()[0].lower() in ("the", "a", "my", "this"):
        return None
    start = m.start()
    before = text[max(0, start - 4) : start]
    if before.lower().endswith("the "):
        start -= 4
    end = second_end
    while end > start and text[end - 1] in ".,":
        # keep "St." but not a sentence full stop after a plain word
        if text[end - 1] == "." and re.search(
            r"(?i)(?:\bst|\bave|\brd|\bu|\bdr)\.$", text[start:end]
        ):
            break
        end -= 1
    return start, end


def _nth_word_end(value: str, n: int) -> int:
    spans = [m.end() for m in re.finditer(r"\S+", value)]
    return spans[min(n, len(spans)) - 1]


def _cue_ends(text: str) -> list[int]:
    return sorted({m.end() for m in ADDRESS_CUE.finditer(text)})


def _grow(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend an address over the pieces of its block before and after it."""
    line_start = text.rfind("\n", 0, start) + 1
    lead = LEAD_NUMBER.search(text, line_start, start)
    if lead:
        start = lead.start(1)
    newlines = 0
    after_postcode = False
    for _ in range(8):
        m = PIECE.match(text, end)
        if not m:
            filler = FILLER.match(text, end)
            if filler:  # a lower-case word between address pieces, then a postcode
                end = filler.end(1)
                continue
            break
        piece = m.group(1)
        words = piece.split()
        if words[0] in STOP_WORDS:
            break
        if not any(ch.isdigit() for ch in piece):
            cut = SENTENCE_END_IN_PIECE.search(piece)
            if cut:  # "75002 Paris. Merci ...": the town, then the next sentence
                end = m.start(1) + cut.end()
                break
            if after_postcode:  # "41001 Sevilla desde enero": the town after its postcode
                while len(words) > 1 and not words[-1][:1].isupper():
                    words.pop()
                end = m.start(1) + _nth_word_end(piece, len(words))
                after_postcode = False
                continue
            if LOWER_WORD_AFTER.match(text, m.end()) and not FILLER.match(text, m.end()):
                break
        gap = text[end : m.start(1)]
        if "\n" in gap:
            newlines += 1
            line_end = text.find("\n", m.start(1))
            line = text[m.start(1) : line_end if line_end >= 0 else len(text)]
            if newlines > 5 or len(line.strip()) > 45 or _has_sentence(line):
                break
        end = m.end(1)
        after_postcode = bool(POSTCODE_PIECE.fullmatch(piece))
    return start, end


def _has_sentence(line: str) -> bool:
    return bool(re.search(r"[a-z]{2,}\s+[a-z]{2,}\s+[a-z]{2,}", line)) or line.rstrip().endswith(
        ("?", "!", ":")
    )


def _home_unit(value: str) -> bool:
    """A flat or suite on its own is part of an address; "Room 4021" or "Floor 3" is not."""
    return not re.match(r"(?i)(?:floor|fl\b|room|rm\b|bldg|building)", value)


def _town_postcode(value: str) -> bool:
    words = value.split()
    number = "".join(ch for ch in value if ch.isdigit())
    first_number = next(w for w in words if w[:1].isdigit())
    names = words[: words.index(first_number)]
    if any(w.lower() in NOT_TOWNS for w in names) or any(w[:1].isdigit() for w in names):
        return False
    if len(number) == 4 and 1900 <= int(number) <= 2099:
        return False  # a year: "in March 2024", "in Berlin 2019"
    return all(w[:1].isupper() or w.lower() in TOWN_LINKS for w in names)


@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """Town and place names, lower case (``data/well_known_places.txt``, ``lang_places.txt``
    and ``places_country_names.txt``)."""
    data = resources.files("hybrid_desktop.core.privacy") / "data"
    names: set[str] = set()
    lists = ("well_known_places.txt", "well_known_landmarks.txt", "lang_places.txt")
    for name in (*lists, "places_country_names.txt"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            line = " ".join(line.strip().lower().split())
            if line and not line.startswith("#"):
                names.add(line)
    return frozenset(names)


def _known_town(words: str) -> bool:
    """Whether ``words`` open with a known town ("Paris", "Den Haag", "Aix-en-Provence")."""
    parts = words.split()
    places = towns()
    return any(" ".join(parts[:n]).lower().rstrip(".,") in places for n in range(len(parts), 0, -1))


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def build() -> list[RegexRecognizer]:
    """The address recognizer."""
    return [AddressRecognizer()]
