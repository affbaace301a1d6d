"""Regenerate ``hybrid_desktop/core/privacy/data/common_words_<lang>.txt``.

Development tool, not shipped. The lists hold the most frequent words of each non-English gate
language, from ``wordfreq`` 3.1 (Robyn Speer; code Apache-2.0, word data CC BY-SA 4.0, built
from Wikipedia, subtitles (OpenSubtitles, SUBTLEX), news, books (Google Books Ngrams), web text
(OSCAR) and social media). The detector uses them as it uses spaCy's English lexicon for English:
a capitalised word that is a common word of the prompt's language ("Personen", "Rechnung",
"Millionen") and not a name the name lists know is an ordinary noun, not a person.

wordfreq itself is not a dependency: its wheel is 57 MB, and these lists are 2.6 MB. The files
carry the attribution that CC BY-SA asks for and are under that licence.

    python3 -m venv /tmp/wfenv && /tmp/wfenv/bin/pip install wordfreq==3.1.1
    /tmp/wfenv/bin/python tests/data/pii/make_common_words.py
"""

from __future__ import annotations

import re
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

OUT = Path(__file__).resolve().parents[3] / "hybrid_desktop" / "core" / "privacy" / "data"
LANGUAGES = ("de", "fr", "es", "it", "nl", "pl", "pt", "sv", "da", "fi", "tr", "cs")
#: Words of each language, most frequent first; rarer than about 1 in a million words is left out.
TOP = 25_000
MIN_ZIPF = 3.0
WORD = re.compile(r"^[^\W\d_]{3,}$")

HEADER = """\
# The {n} most frequent words of language "{lang}" (3 letters or more, at least about one in a
# million words), lower case, from wordfreq 3.1.1 by Robyn Speer and contributors
# (https://github.com/rspeer/wordfreq), whose word data is licensed CC BY-SA 4.0
# (https://creativecommons.org/licenses/by-sa/4.0/); so is this list, derived from it.
# Regenerate with tests/data/pii/make_common_words.py.
"""


def main() -> None:
    for lang in LANGUAGES:
        words = [
            w
            for w in top_n_list(lang, TOP)
            if WORD.match(w) and zipf_frequency(w, lang) >= MIN_ZIPF
        ]
        path = OUT / f"common_words_{lang}.txt"
        path.write_text(
            HEADER.format(n=len(words), lang=lang) + "\n".join(words) + "\n", encoding="utf-8"
        )
        print(f"{path.name}: {len(words)} words")


if __name__ == "__main__":
    main()
