"""The regular expressions and word lists that describe an address, for ``addresses``.

Street shapes (number first, a street-type word before the name, a street morpheme, a name, a
street-type word and a number, US military mail, street corners), the address cues ("my
address is", "lives at"), postcode shapes of many countries, the pieces an address block is
grown over (units, postcodes, city, region and country), and the words that end a block or
rule a number out as a postcode.
"""

from __future__ import annotations

import re
from importlib import resources

_I = re.IGNORECASE
#: Languages whose street words are in ``data/address_<lang>.txt`` ("kind word" lines).
ADDRESS_LANGUAGES = ("fr", "de", "es", "it", "nl", "pl", "pt", "ja")


def _read_words() -> dict[str, list[str]]:
    """The words of every ``data/address_<lang>.txt``, by kind ("before", "morpheme", ...)."""
    data = resources.files("hybrid_desktop.core.privacy") / "data"
    words: dict[str, list[str]] = {}
    for lang in ADDRESS_LANGUAGES:
        for line in (data / f"address_{lang}.txt").read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, word = line.partition(" ")
            if word.strip() and word.strip() not in words.setdefault(kind, []):
                words[kind].append(word.strip())
    return words


def _alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any blank run."""
    escaped = (re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))
    return "|".join(escaped)


_WORDS = _read_words()
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я0-9]"
_CAP_LETTER = r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я]"
_WORD = r"[^\W_][\w'’.\-]*"
#: Words are bounded in length: unbounded, a long run such as "Ab-Ab-Ab…" was retried from every
#: word start, quadratic time (found by the fuzzing, issue 14). No street word is this long.
_CAPWORD = _CAP + r"[\w'’.\-]{0,60}"

_TYPES_AFTER = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Close|Crescent|Cres|Row|Mews|"
    r"Gardens|Gdns|Grove|Hill|Walk|Trail|Trl|Loop|Alley|Plaza|Path|Pike|Green|Rise|View|Wharf|"
    r"Quay|Esplanade|Parade|Pde|Heights|Hts|Hollow|Crossing|Xing|Run|Point|Pt|Ridge|Manor|Vale|"
    r"Marg|Nagar|Chowk|Gali|Lain|Estate|Expressway|Freeway|Motorway|Broadway"
)
_TYPES_BEFORE = (
    _alternation(_WORDS["before"]) + r"|"
    r"strada|calea|bulevardul|jalan|jl\.|lorong|soi|thanon|đường|phố|odos|οδός|leoforos|λεωφόρος|"
    r"ulitsa|улица|ул\.|prospekt|проспект|пр\.|náměstí|nám\.|trg|bulevar|sokak|sok\.|cadde|caddesi|"
    r"mahallesi|mah\.|street|st\.|road"
)
_MORPHEMES = (
    _alternation(_WORDS["morpheme"]) + r"|"
    r"vägen|väg|gatan|gata|gränd|backe|vej|gade|allé|stræde|veien|vegen|veg|gaten|"
    r"katu|kuja|tie|polku|kaari|rinne|väylä|"
    r"utca|út|tér|ulica|cesta|iela|gatvė|tee|maantee|stræti|braut|vegur"
)
#: Street-type words written as a separate word between the name and the house number
#: ("Váci u. 20", "Kirkegata 5", "Pärnu maantee 12", "Schönbrunner Straße 7").
_TYPES_BETWEEN = (
    _alternation(_WORDS["between"]) + r"|"
    r"u\.|utca|út|útja|útca|tér|körút|krt\.|rkp\.|kapu|sor|köz|sétány|"
    r"gate|gata|gatan|gaten|vei|veien|vej|gade|väg|vägen|allé|alle|"
    r"tee|tie|katu|kuja|iela|gatvė|ulica|cesta|"
    r"street|st\.|road|rd\.|avenue|ave\.|lane|drive|boulevard|blvd\."
)
_UNIT = (
    r"(?:Suite|Ste\.?|Apt\.?|Apartment|Unit|Flat|Floor|Fl\.?|Room|Rm\.?|Bldg\.?|Building|"
    r"Wohnung|Whg\.?|Piso|Puerta|Étage|Bâtiment|Bât\.?|Escalera|Esc\.?|Stiege|Top)\s*#?\s*\d{1,5}[A-Za-z]?"
    r"|P\.?\s?O\.?\s?Box\s+\d{1,7}|Post(?:fach| Box)\s+\d{1,7}"
)
_HOUSE = r"\d{1,6}[A-Za-z]?(?:\s?[-/]\s?\d{1,5}[A-Za-z]?)?"
_PARTICLE = (
    r"(?:" + _alternation([*_WORDS["particle"], "do", "y", "e", "el", "al", "of", "the"]) + r")"
)
#: Flat, floor and door after a street, in the languages of the data files: "3º B", "2.º Esq.",
#: "2º izda.", "m. 5", "lok. 3", "Stiege 2". Taken only while growing an address.
_UNIT_AFTER = (
    r"\d{1,2}[ \t]?\.?[ \t]?[º°ª]\.?(?:[ \t]*(?:(?i:"
    + _alternation(_WORDS["floor"])
    + r")|[A-Z])(?![\w.]))?"
    + r"|(?i:"
    + _alternation(_WORDS["unit"])
    + r")[ \t]*\d{1,4}[A-Za-z]?(?!\w)"
)
#: Linking words inside place names: "Ostrov nad Ohří", "Frankfurt am Main", "Turkovice u Prelouce".
_PLACE_PARTICLE = r"(?:nad|pod|u|na|am|an|im|bei|sur|sous|lès|en|op|aan|ob|pri|upon|on)"
#: Further USPS street suffixes, taken only after a house number and a capitalised name.
_TYPES_AFTER_NAMED = (
    r"Creek|Cliffs?|Points?|Falls|Springs?|Meadows?|Park|Harbou?r|Island|Mills?|Station|Valley|"
    r"Villages?|Fields?|Shores?|Brooks?|Canyon|Cove|Crest|Glens?|Haven|Hills|Knolls?|Lakes?|"
    r"Landing|Lodge|Mountain|Orchard|Pass|Pines?|Plains?|Prairie|Ranch|Rapids|Ridges|River|"
    r"Summit|Trace|Tunnel|Turnpike|Underpass|Vista|Ways|Wells|Forks?|Fords?|Forest|Junction|"
    r"Estates|Extension|Ferry|Flats?|Groves|Heights|Isle|Keys?|Locks?|Manors|Ports?|"
    r"Radial|Roads|Route|Shoals?|Squares|Streets|Views|Walks|Burgs?|Bypass|Camp|Cape|Causeway|"
    r"Centers?|Circles|Corners?|Courts|Crossroad|Curve|Dale|Dam|Divide|Drives|Expressway"
)
STREET_NUMBER_FIRST_NAMED = re.compile(
    rf"(?<![\w.,-]){_HOUSE},?\s+(?:[A-Z][\w'’\-]+\s+){{1,3}}(?:{_TYPES_AFTER_NAMED})(?!\w)"
)
STREET_NUMBER_FIRST = re.compile(
    rf"(?<![\w.,-]){_HOUSE},?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West|Old|New)\s+)?"
    rf"(?:{_CAPWORD}\s+){{0,4}}(?:{_TYPES_AFTER})\.?(?!\w)(?:\s+(?:[NSEW]{{1,2}}|NE|NW|SE|SW)\b)?"
)
STREET_TYPE_BEFORE_NUMBER_AFTER = re.compile(
    rf"(?<!\w)(?i:{_TYPES_BEFORE})[ \t]+(?:(?:{_PARTICLE}|{_CAPWORD}|\d{{1,3}}\.?)[ \t]+){{0,5}}?"
    rf"(?:{_CAPWORD}|{_PARTICLE})[ \t,]+(?:n[ºo°]\.?\s*|nr\.?\s*|no\.?\s*)?{_HOUSE}(?!\w|[.,]\d)"
)
STREET_NUMBER_TYPE_BEFORE = re.compile(
    rf"(?<![\w.,-]){_HOUSE}(?:\s?(?:bis|ter))?,?[ \t]+(?i:{_TYPES_BEFORE})[ \t]+"
    rf"(?:(?:{_PARTICLE})[ \t]+)*{_CAPWORD}(?:[ \t]+(?:(?:{_PARTICLE})[ \t]+)*{_CAPWORD}){{0,4}}"
)
STREET_MORPHEME = re.compile(
    rf"(?<!\w)(?:{_CAPWORD}[ \t]+){{0,2}}[^\W\d_][\w'’\-]{{0,60}}(?i:{_MORPHEMES})[ \t]*,?[ \t]*"
    rf"(?:nr\.?\s*)?{_HOUSE}(?!\w|[.,]\d)"
)
STREET_NAME_TYPE_NUMBER = re.compile(
    rf"(?<![\w.])(?:{_CAPWORD}[ \t]+){{1,3}}(?:[^\W\d_]+[ \t]+)?(?i:{_TYPES_BETWEEN})[ \t]*"
    rf"{_HOUSE}(?!\w|[.,]\d)"
)
UNIT = re.compile(rf"(?<!\w)(?:{_UNIT})(?!\w)")
#: A unit written before its street: "Apt. 4 12 Storgatan 8".
UNIT_THEN_STREET = re.compile(
    rf"(?<!\w)(?:{_UNIT})[ \t,]+\d{{1,6}}[ \t]+{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,3}}[ \t]+{_HOUSE}(?!\w)"
)
#: US military mail: "Unit 2050 Box 4190, APO AP 96278", "PSC 1234, Box 5678, APO AE 09012",
#: "USNS Comfort FPO AA 34090".
MILITARY = re.compile(
    r"(?i)(?<!\w)(?:(?:Unit|PSC|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}"
    r"|(?:USNS|USNV|USS|USCGC)[ \t]+[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*)?)"
    r"[ \t,]*(?:\n[ \t>?*|}\-]*)?(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?(?!\w)"
    r"|(?<!\w)(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?(?!\w)"
)
#: "the corner of 5th Avenue and Main Street": both sides are taken, and judged in code.
CORNER = re.compile(
    r"(?i:\bcorner)[ \t]+of[ \t]+([^\s,;:!?()]+(?:[ \t]+[^\s,;:!?()]+){0,5}?)"
    r"[ \t]+(?:and|&)[ \t]+([^\W_][\w'’\-]*\.?(?:[ \t]+[^\W_][\w'’\-]*\.?){0,3})"
)
STREET_WORD = re.compile(
    rf"(?i)(?<!\w)(?:{_TYPES_AFTER}|{_TYPES_BEFORE}|{_TYPES_BETWEEN})(?!\w)|\w(?i:{_MORPHEMES})(?!\w)|\d"
)
CORNER_STOP = frozenset(
    "and or but in on at the for to is it with near by so then when where which that this "
    "tomorrow today tonight please".split()
)
#: A street (name and house number) ending a line or just before a unit on the same line.
BEFORE_UNIT = re.compile(
    r"(?:(?<=[\s,>:|}])|^)((?:\d{1,6}[ \t]+)?[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,4}"
    r"[ \t]+\d{1,5}[A-Za-z]?\.?"
    # or number first, as in Greece and Cyprus: "176 Akti Pagalou", "12 Odos Ermou"
    rf"|(?:\d{{1,6}}[ \t]+){{1,2}}{_CAP_LETTER}[\w'’.\-]*(?:[ \t]+{_CAP_LETTER}[\w'’.\-]*){{0,3}})"
    r"[ \t,]*(?:\n[ \t>?*|}\-]*)?$"
)
LINE_STREET = re.compile(
    rf"^[ \t>?*|}}-]*((?:\d{{3,6}}[ \t]+)?{_CAPWORD}(?:[ \t]+(?:{_CAPWORD}|{_PARTICLE})){{0,4}}[ \t]+"
    rf"\d{{1,5}}[A-Za-z]?\.?)(?=[ \t]*(?:,|\n|$))",
    re.MULTILINE,
)


def _read_cues() -> tuple[list[str], list[str]]:
    """The address cues of other languages (``data/places_address_cues.txt``): all of them,
    and those that may end a compound ("-adresse")."""
    data = resources.files("hybrid_desktop.core.privacy") / "data" / "places_address_cues.txt"
    lines = [line.strip() for line in data.read_text(encoding="utf-8").splitlines()]
    cues = [line for line in lines if line and not line.startswith("#")]
    return [c.lstrip("-") for c in cues], [c[1:] for c in cues if c.startswith("-")]


_CUES, _COMPOUND_CUES = _read_cues()
ADDRESS_CUE = re.compile(
    rf"(?:\b(?:{_alternation(_CUES)})\b|\b\w{{2,20}}?(?:{_alternation(_COMPOUND_CUES)})\b|"
    r"\baddress\s+(?:to|with)|\baddress\W{1,3}(?:it\s+is|it's)|\baddress(?:e|es)?\b(?:\s+is)?|\baddr\b|\badresse\b|\bdirección\b|\banschrift\b|\bindirizzo\b|"
    r"\bli?ves?\s+(?:at|on)|\bliving\s+(?:at|on)|\blocated\s+(?:at|on)|\bis\s+on|\bship(?:ping)?\s+(?:it\s+)?to|"
    r"\bdeliver(?:y|ed)?\s+(?:it\s+)?to|\bsend\s+(?:it|them|this|the \w+)\s+to|\bmail\s+(?:it\s+)?to|"
    r"\bmoved?\s+to|\bstay(?:ing)?\s+at|\bvisit\s+(?:me|us)\s+at|\bpick\s+(?:me\s+)?up\s+(?:at|from)|"
    r"\bhouse\s+(?:at|on)|\bflat\s+(?:at|on)|\bhome\s+(?:at|on|is)|\bfind\s+(?:me|us)\s+at|"
    r"\baddress\W{1,3}(?:it\s+is|it's)|\b(?:sent|return(?:ed)?|forward(?:ed)?|post(?:ed)?)\s+(?:it\s+)?to|"
    r"\barrived\s+at|\bdrops?\s+(?:you|me|us)\s+off\s+at|\baddress\s+(?:to|with))"
    # "address": "...", "lives at the far end of ...", "on the north side of ..."
    r"[\s:,\-\"']*(?:the\s+(?:north|south|east|west|far|other|near|top|bottom)\s+(?:side|end)\s+of\s+)?",
    _I,
)
CUED_STREET = re.compile(
    rf"(?:{_HOUSE}[ \t,]+)?(?:{_CAPWORD}|{_PARTICLE})(?:[ \t]+(?:{_CAPWORD}|{_PARTICLE})){{0,4}}[ \t,]+{_HOUSE}(?!\w)"
    rf"|{_HOUSE}[ \t,]+{_CAPWORD}(?:[ \t]+(?:{_CAPWORD}|{_PARTICLE})){{0,4}}"
)

# Postcodes with a shape that is distinctive enough on its own.
UK = r"(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
CANADA = r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d"
US_STATES = (
    r"AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    r"NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|AP|AE|AA"
)
POSTCODE_SHAPES = re.compile(rf"(?<![\w-])(?:{UK}|{CANADA}|〒\s?\d{{3}}-?\d{{4}})(?![\w-])")
STATE_POSTCODE = re.compile(
    rf"(?<=[\s,])(?:(?:{US_STATES})[ \t]+(\d{{5}}(?:-\d{{4}})?)"
    rf"|(?:NSW|VIC|QLD|SA|WA|TAS|ACT|NT)[ \t]+(\d{{4}}))(?![\w-])"
)
NL_POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3} ?(?!SA|SD|SS|AD|BC|AM|PM|CE|BCE|GB|MB|KB|TB)[A-Z]{2}(?![\w-])"
)
CUED_POSTCODE = re.compile(
    r"(?:zip ?code|zip|postcode|post code|postal code|postal|plz|cep|pin ?code|pin|código postal|"
    r"code postal|cap|c\.p\.|cp)\s*(?:is|:|=|-|no\.?|number)?\s*([A-Z0-9]{2,5}(?:[ -]?[A-Z0-9]{2,4})?)(?!\w)",
    _I,
)
#: "in Odense 5000", "in UPPSALA 753 20", "near Vila Nova de Gaia 4400-123": a town and its
#: postcode after a place preposition.
TOWN_POSTCODE = re.compile(
    rf"(?i:\b(?:in|at|near|from))[ \t]+((?:{_CAPWORD}[ \t]+(?:(?:{_PARTICLE}|{_PLACE_PARTICLE})[ \t]+)?){{1,3}}"
    r"(?:\d{4,5}|\d{3}[ \t]\d{2}|\d{4}-\d{3}|\d{2}-\d{3}))(?![\w.,]\d|[\w-])"
)
#: Words before a number that make it a version, year or count, not a postcode.
NOT_TOWNS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter q1 q2 q3 "
    "q4 windows office excel word outlook python java chrome firefox ios android macos ubuntu "
    "debian fedora version v chapter section page room level season episode model series year "
    "week day top rank row line item step part phase round stage grade class size order "
    "invoice ticket issue case account id no number figure table".split()
)
PIECE = re.compile(
    rf"(?:(?<=\d)\.)?(?:[ \t]*,[ \t]*(?:\n[ \t>?*|}}\-]*)?|[ \t]*\n(?:[ \t>?*|}}\-]*\n)?[ \t>?*|}}\-]*|[ \t]+|[ \t]*-[ \t]*)"
    rf"((?:{_UNIT})|{_UNIT_AFTER}|{UK}|{CANADA}|〒[ \t]?\d{{3}}-?\d{{4}}|\d{{3,6}}(?:[ -]\d{{2,4}})?|"
    rf"\d{{2}}-\d{{3}}|[1-9]\d{{3}} ?[A-Z]{{2}}|"
    rf"(?:{_CAPWORD}|\([\w ]+\))(?:[ \t]+(?:{_CAPWORD}|\([\w ]+\)|{_PARTICLE}|{_PLACE_PARTICLE})){{0,3}})(?![\w'’])"
)
LOWER_WORD_AFTER = re.compile(r"[ \t]+[a-z]")
#: One lower-case word inside an address block followed by a postcode-like number.
FILLER = re.compile(
    r"(?:[ \t]*,?[ \t]*|[ \t]*\n[ \t>?*|}\-]*)([a-z]{2,12})(?=[ \t]*,?[ \t]*(?:\n[ \t>?*|}\-]*)?\d{3,6}(?:[ -]\d{2,4})?(?:\s|$|[.,]))"
)
LEAD_NUMBER = re.compile(rf"(?:^|(?<=[\s,>]))(\d{{3,6}}(?:[ -]\d{{2,4}})?|{UK})[ \t,]*$")
#: Capitalised words that end an address block rather than continue it.
STOP_WORDS = frozenset(
    [
        "I",
        "I'm",
        "I'll",
        "I've",
        "I'd",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "It's",
        "He",
        "She",
        "We",
        "They",
        "You",
        "My",
        "Our",
        "Your",
        "His",
        "Her",
        "Their",
        "And",
        "But",
        "Or",
        "So",
        "If",
        "When",
        "Then",
        "Please",
        "Thanks",
        "Thank",
        "Can",
        "Could",
        "Would",
        "Should",
        "Will",
        "What",
        "Where",
        "Who",
        "How",
        "Why",
        "Is",
        "Are",
        "Was",
        "Were",
        "Do",
        "Does",
        "Did",
        "Have",
        "Has",
        "Had",
        "Hi",
        "Hello",
        "Dear",
        "Best",
        "Regards",
        "Cheers",
        "Tel",
        "Phone",
        "Mobile",
        "Fax",
        "Email",
        "E-mail",
        "Website",
        "Desk",
        "Office",
        "Call",
        "Note",
        "Also",
        "Let",
        "Send",
        "Ship",
        "Deliver",
    ]
)
TOWN_LINKS = frozenset(
    "de la del du u nad am an sur upon on el le di da dos das do van von der den y e".split()
)

#: A German street named after a place, opened by a preposition and article ("Am Weiher 3",
#: "An der Alster 12", "Im Winkel 4b"): only with a postcode and a town after it, since "Im
#: Jahr 2020" and "Am Ende 2" have the same shape.
_LEADS = _alternation([w[:1].upper() + w[1:] for w in _WORDS["lead"]])
LEAD_STREET = re.compile(
    rf"(?<![\w.])(?:{_LEADS})[ \t]+{_CAPWORD}(?:[ \t]+{_CAPWORD})?[ \t]+{_HOUSE}"
    rf"(?=[ \t]*,?[ \t]*(?:(?:D|A|CH)-)?\d{{4,5}}[ \t]+{_CAP})"
)
#: A Japanese address in Latin letters: block numbers (chōme-banchi-gō), a district, then a
#: ward or city with its suffix or a prefecture ("4-2-8 Shibakoen, Minato-ku, Tokyo").
_JA_WORD = r"[A-Z][a-zāēīōū]+"
JAPANESE_STREET = re.compile(
    rf"(?<![\w-])\d{{1,2}}(?:-\d{{1,4}}){{1,2}},?[ \t]+{_JA_WORD}(?:[- ]{_JA_WORD})?,?[ \t]+"
    rf"(?:{_JA_WORD}-(?i:{_alternation(_WORDS['suffix'])})(?!\w)|(?i:{_alternation(_WORDS['region'])})(?!\w))"
)
#: A postcode of the European and Brazilian formats right before its town ("75002 Paris",
#: "1010 Wien", "00-001 Warszawa", "1100-048 Lisboa", "01310-100 São Paulo", "2517 AB Den
#: Haag"); the town is checked against the place lists in code.
POSTCODE_TOWN = re.compile(
    r"(?<![\w.,:/#-])((?:(?:D|A|CH|F|I|E|L|B|NL|PL|P)-)?(?:\d{5}(?:-\d{3})?|\d{4}(?:-\d{3}| ?[A-Z]{2}(?![\w-]))?|\d{2}-\d{3}))"
    rf"[ \t]+({_CAP}[\w'’\-]*(?:[ \t]+(?:{_PARTICLE}|{_PLACE_PARTICLE}|{_CAP}[\w'’\-]*)){{0,3}})"
)
#: A grown piece that is a postcode: the town after it is taken whatever follows.
POSTCODE_PIECE = re.compile(
    r"(?:\d{4,5}|\d{2}-\d{3}|\d{4}-\d{3}|\d{5}-\d{3}|[1-9]\d{3} ?[A-Z]{2}|〒.*)"
)
#: A word of three or more letters that ends a sentence inside a grown piece ("Paris. Merci").
SENTENCE_END_IN_PIECE = re.compile(r"[^\W\d_]{3,}(?=\.[ \t]+\S)")
