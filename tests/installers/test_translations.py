"""The German catalogue is complete and current: every UI string extracted from the sources is in
it and translated, with its placeholders, and the packaged ``.qm`` is compiled from it."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installers"))

import translations  # noqa: E402


def test_the_german_catalogue_is_complete_and_compiled() -> None:
    assert translations.problems("de") == []
    messages = translations.read(translations.catalogue("de"))
    assert len(messages) > 400  # the whole UI, not a sample
    assert all(m.finished for m in messages)


def test_the_check_finds_a_lost_placeholder_and_an_untranslated_message(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="de">'
        "<context><name>C</name>"
        "<message><source>Saved {count} files</source><translation>Gespeichert</translation>"
        "</message><message><source>Close</source>"
        '<translation type="unfinished"></translation></message></context></TS>',
        encoding="utf-8",
    )
    lost, untranslated = translations.read(ts)
    assert translations.marks(lost.source) == ["{count}"]
    assert translations.marks(lost.translations[0]) == []
    assert not untranslated.finished
