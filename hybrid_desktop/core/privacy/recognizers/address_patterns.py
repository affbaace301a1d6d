"""The regular expressions and word lists that describe an address, for ``addresses``.

Street shapes (number first, a street-type word before the name, a street morpheme, a name, a
street-type word and a number, US military mail, street corners), the address cues ("my
address is", "lives at"), postcode shapes of many countries, the pieces an address block is
grown over (units, postcodes, city, region and country), and the words that end a block or
rule a number out as a postcode.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я0-9]"
_WORD = r"[^\W_][\w'’.\-]*"
_CAPWORD = _CAP + r"[\w'’.\-]*"

_TYPES_AFTER = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Close|Crescent|Cres|Row|Mews|"
    r"Gardens|Gdns|Grove|Hill|Walk|Trail|Trl|Loop|Alley|Plaza|Path|Pike|Green|Rise|View|Wharf|"
    r"Quay|Esplanade|Parade|Pde|Heights|Hts|Hollow|Crossing|Xing|Run|Point|Pt|Ridge|Manor|Vale|"
    r"Marg|Nagar|Chowk|Gali|Lain|Estate|Expressway|Freeway|Motorway|Broadway"
)
_TYPES_BEFORE = (
    r"rue|avenue|av\.?|boulevard|bd\.?|blvd\.?|place|pl\.|allée|allee|impasse|chemin|quai|route|"
    r"cours|calle|c/|avenida|avda\.?|paseo|plaza|carrer|camino|ronda|via|viale|corso|piazza|largo|"
    r"vicolo|rua|travessa|praça|praca|estrada|alameda|rúa|ul\.|ulica|al\.|aleja|os\.|osiedle|"
    r"strada|calea|bulevardul|jalan|jl\.|lorong|soi|thanon|đường|phố|odos|οδός|leoforos|λεωφόρος|"
    r"ulitsa|улица|ул\.|prospekt|проспект|пр\.|náměstí|nám\.|trg|bulevar|sokak|sok\.|cadde|caddesi|"
    r"mahallesi|mah\.|street|st\.|road"
)
_MORPHEMES = (
    r"straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|steig|chaussee|pfad|markt|"
    r"laan|straat|gracht|plein|dijk|kade|singel|steeg|dreef|hof|"
    r"vägen|väg|gatan|gata|gränd|backe|vej|gade|allé|stræde|veien|vegen|veg|gaten|"
    r"katu|kuja|tie|polku|kaari|rinne|väylä|"
    r"utca|út|tér|ulica|cesta|iela|gatvė|tee|maantee|stræti|braut|vegur|"
    r"straße|stra[sß]e"
)
#: Street-type words written as a separate word between the name and the house number
#: ("Király u. 15", "Trenerys gate 232", "Luite tee 87", "Passauer Strasse 33").
_TYPES_BETWEEN = (
    r"u\.|utca|út|útja|útca|tér|körút|krt\.|rkp\.|kapu|sor|köz|sétány|"
    r"gate|gata|gatan|gaten|vei|veien|vej|gade|väg|vägen|"
    r"straat|laan|weg|gracht|kade|plein|"
    r"stra(?:ss|ß)e|str\.|gasse|platz|allee|ring|"
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
    r"(?:de|du|des|la|le|les|d'|l'|del|della|di|da|dos|das|do|van|von|der|den|y|e|el|al|of|the)"
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
    rf"(?<!\w)(?:{_CAPWORD}[ \t]+){{0,2}}[^\W\d_][\w'’\-]*(?i:{_MORPHEMES})[ \t]*,?[ \t]*"
    rf"(?:nr\.?\s*)?{_HOUSE}(?!\w|[.,]\d)"
)
STREET_NAME_TYPE_NUMBER = re.compile(
    rf"(?<![\w.])(?:{_CAPWORD}[ \t]+){{1,3}}(?:[^\W\d_]+[ \t]+)?(?i:{_TYPES_BETWEEN})[ \t]*"
    rf"{_HOUSE}(?!\w|[.,]\d)"
)
UNIT = re.compile(rf"(?<!\w)(?:{_UNIT})(?!\w)")
#: A unit written before its street: "Suite 541 6343 Skogstien 106".
UNIT_THEN_STREET = re.compile(
    rf"(?<!\w)(?:{_UNIT})[ \t,]+\d{{1,6}}[ \t]+{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,3}}[ \t]+{_HOUSE}(?!\w)"
)
#: US military mail: "Unit 4719 Box 7394, DPO AP 70942", "PSC 0413, Box 8144 APO AA 42323",
#: "USNS Bergman FPO AP 93757".
MILITARY = re.compile(
    r"(?i)(?<!\w)(?:(?:Unit|PSC|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}"
    r"|(?:USNS|USNV|USS|USCGC)[ \t]+[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*)?)"
    r"[ \t,]*(?:\n[ \t>?*\-]*)?(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?(?!\w)"
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
    r"(?:(?<=[\s,>:])|^)((?:\d{1,6}[ \t]+)?[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,4}"
    r"[ \t]+\d{1,5}[A-Za-z]?\.?)[ \t,]*(?:\n[ \t>?*\-]*)?$"
)
LINE_STREET = re.compile(
    rf"^[ \t>?*-]*((?:\d{{3,6}}[ \t]+)?{_CAPWORD}(?:[ \t]+(?:{_CAPWORD}|{_PARTICLE})){{0,4}}[ \t]+"
    rf"\d{{1,5}}[A-Za-z]?\.?)(?=[ \t]*(?:,|\n|$))",
    re.MULTILINE,
)
ADDRESS_CUE = re.compile(
    r"(?:\baddress\s+(?:to|with)|\baddress\W{1,3}(?:it\s+is|it's)|\baddress(?:e|es)?\b(?:\s+is)?|\baddr\b|\badresse\b|\bdirección\b|\banschrift\b|\bindirizzo\b|"
    r"\bli?ves?\s+(?:at|on)|\bliving\s+(?:at|on)|\blocated\s+(?:at|on)|\bis\s+on|\bship(?:ping)?\s+(?:it\s+)?to|"
    r"\bdeliver(?:y|ed)?\s+(?:it\s+)?to|\bsend\s+(?:it|them|this|the \w+)\s+to|\bmail\s+(?:it\s+)?to|"
    r"\bmoved?\s+to|\bstay(?:ing)?\s+at|\bvisit\s+(?:me|us)\s+at|\bpick\s+(?:me\s+)?up\s+(?:at|from)|"
    r"\bhouse\s+(?:at|on)|\bflat\s+(?:at|on)|\bhome\s+(?:at|on|is)|\bfind\s+(?:me|us)\s+at|"
    r"\baddress\W{1,3}(?:it\s+is|it's)|\b(?:sent|return(?:ed)?|forward(?:ed)?|post(?:ed)?)\s+(?:it\s+)?to|"
    r"\barrived\s+at|\bdrops?\s+(?:you|me|us)\s+off\s+at|\baddress\s+(?:to|with))"
    r"[\s:,-]*",
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
#: "in Bjert 6091", "in ÖVERTURINGEN 840 24", "near Quinta de São Tiago 3610-114": a town and
#: its postcode after a place preposition.
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
    rf"(?:[ \t]*,[ \t]*(?:\n[ \t>?*\-]*)?|[ \t]*\n(?:[ \t>?*\-]*\n)?[ \t>?*\-]*|[ \t]+|[ \t]*-[ \t]*)"
    rf"((?:{_UNIT})|{UK}|{CANADA}|\d{{3,6}}(?:[ -]\d{{2,4}})?|[1-9]\d{{3}} ?[A-Z]{{2}}|"
    rf"(?:{_CAPWORD}|\([\w ]+\))(?:[ \t]+(?:{_CAPWORD}|\([\w ]+\)|{_PARTICLE}|{_PLACE_PARTICLE})){{0,3}})(?![\w'’])"
)
LOWER_WORD_AFTER = re.compile(r"[ \t]+[a-z]")
#: One lower-case word inside an address block followed by a postcode-like number.
FILLER = re.compile(
    r"(?:[ \t]*,?[ \t]*|[ \t]*\n[ \t>?*\-]*)([a-z]{2,12})(?=[ \t]*,?[ \t]*(?:\n[ \t>?*\-]*)?\d{3,6}(?:[ -]\d{2,4})?(?:\s|$|[.,]))"
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
