"""spaCy, lean: replaces the contrib hook, which collects every submodule and data file.

Left out: spaCy's own test suite and the 60-odd language packages the privacy gate does not
read (it loads English and French pipelines, and the tokenizers and stop words of eleven more
languages). Everything else the contrib hook collected is still collected.
"""

from importlib.util import find_spec
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

#: The gate's languages (``core/privacy/language.LANGUAGES``): English and French NER models, and
#: for the others a blank tokenizer and stop words (``spacy.blank``, ``spacy.lang.<xx>.stop_words``).
KEEP_LANGUAGES = {"en", "fr", "de", "es", "it", "nl", "pl", "pt", "sv", "da", "fi", "tr", "cs"}
# find_spec on a top-level name locates spaCy without importing it.
_LANG = Path(find_spec("spacy").submodule_search_locations[0]) / "lang"
_LANGUAGE_PACKAGES = {p.name for p in _LANG.iterdir() if (p / "__init__.py").is_file()}
_DROPPED = _LANGUAGE_PACKAGES - KEEP_LANGUAGES


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    return not (len(parts) > 2 and parts[1] == "lang" and parts[2] in _DROPPED)


def _wanted_data(dest: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    return not (len(parts) > 2 and parts[1] == "lang" and parts[2] in _DROPPED)


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = [(src, dest) for src, dest in collect_data_files("spacy") if _wanted_data(dest)]
