"""The UI translations: extract, compile and check, with Qt's own tools (shipped with PySide6).

    python installers/translations.py update    # lupdate: hybrid_desktop/ui/*.py -> resources/translations/*.ts
    python installers/translations.py release   # lrelease: *.ts -> hybrid_desktop/resources/translations/*.qm
    python installers/translations.py check     # exit 1 when a catalogue is stale or incomplete

``resources/translations/hybrid_desktop_<lang>.ts`` is the source a translator edits (Qt Linguist
opens it). ``update`` adds new strings as unfinished and drops vanished ones; ``check`` fails when
the sources hold a string the catalogue lacks, when a message is untranslated, when a translation
loses a ``{placeholder}``, ``%n``, HTML tag or ``&`` mnemonic of its source, or when the packaged
``.qm`` was not compiled from the catalogue as it is. ``tests/installers/test_translations.py`` runs
the check.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "hybrid_desktop" / "ui"
CATALOGUES = REPO / "resources" / "translations"
COMPILED = REPO / "hybrid_desktop" / "resources" / "translations"
#: Full catalogues; "en" (the source language) holds only the plural forms (``-pluralonly``).
LANGUAGES = ("en", "de")

_MARKS = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%n|%L?\d|</?[A-Za-z][A-Za-z0-9]*|&(?=[A-Za-z])")


def catalogue(language: str) -> Path:
    return CATALOGUES / f"hybrid_desktop_{language}.ts"


def compiled(language: str) -> Path:
    return COMPILED / f"hybrid_desktop_{language}.qm"


def tool(name: str) -> str:
    """A PySide6 tool (``pyside6-lupdate``), next to this Python first, then on PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    for candidate in (beside, beside.with_suffix(".exe")):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"error: pyside6-{name} not found; install PySide6 into this Python")
    return found


def sources() -> list[str]:
    return [str(path) for path in sorted(SOURCES.glob("*.py"))]


def lupdate(ts: Path, language: str) -> None:
    command = [tool("lupdate"), *sources(), "-ts", str(ts), "-no-obsolete", "-locations", "none"]
    command += ["-source-language", "en", "-target-language", language, "-silent"]
    if language == "en":
        command.append("-pluralonly")
    subprocess.run(command, check=True, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    qm.parent.mkdir(parents=True, exist_ok=True)
    command = [tool("lrelease"), str(ts), "-qm", str(qm), "-silent"]
    subprocess.run(command, check=True, capture_output=True, text=True)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    translations: tuple[str, ...]
    finished: bool


def read(ts: Path) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms: tuple[str, ...] = ()
            finished = False
            if translation is not None:
                numerus = translation.findall("numerusform")
                forms = (
                    tuple(f.text or "" for f in numerus) if numerus else (translation.text or "",)
                )
                finished = translation.get("type") not in ("unfinished", "vanished", "obsolete")
            messages.append(
                Message(
                    name,
                    message.findtext("source", ""),
                    message.findtext("comment", ""),
                    forms,
                    finished and all(forms),
                )
            )
    return messages


def marks(text: str) -> list[str]:
    return sorted(_MARKS.findall(text))


def source_texts() -> set[str]:
    """Every literal handed to ``tr``, ``translate``, ``QT_TR_NOOP`` or ``QT_TRANSLATE_NOOP`` in
    the sources, read with ``ast``: lupdate silently skips some call shapes (a plural whose count
    is an expression), and this is what catches it."""
    import ast

    found = set()
    for path in sources():
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            index = {"tr": 0, "QT_TR_NOOP": 0, "translate": 1, "QT_TRANSLATE_NOOP": 1}.get(name)
            if index is None or index >= len(node.args):
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def problems(language: str) -> list[str]:
    """What is wrong with ``language``'s catalogue and its compiled copy; empty when nothing."""
    ts, qm = catalogue(language), compiled(language)
    if not ts.is_file():
        return [f"{ts.relative_to(REPO)} is missing: run update"]
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts.name
        shutil.copyfile(ts, fresh)
        lupdate(fresh, language)
        have = {(m.context, m.source, m.comment) for m in read(ts)}
        need = {(m.context, m.source, m.comment) for m in read(fresh)}
        found += [f"not in the catalogue: {c}: {s!r}" for c, s, _ in sorted(need - have)]
        found += [f"no longer in the sources: {c}: {s!r}" for c, s, _ in sorted(have - need)]
        if not qm.is_file():
            found.append(f"{qm.relative_to(REPO)} is missing: run release")
        else:
            again = Path(tmp) / qm.name
            lrelease(ts, again)
            if again.read_bytes() != qm.read_bytes():
                found.append(f"{qm.relative_to(REPO)} is stale: run release")
    if language != "en":
        extracted = {m.source for m in read(ts)}
        found += [f"lupdate did not extract {t!r}" for t in sorted(source_texts() - extracted)]
    for m in read(ts):
        where = f"{m.context}: {m.source!r}"
        if not m.finished:
            found.append(f"untranslated: {where}")
            continue
        for form in m.translations:
            if marks(form) != marks(m.source) and not (
                "%n" in m.source and marks(form) == [x for x in marks(m.source) if x != "%n"]
            ):
                found.append(
                    f"{where} -> {form!r}: keeps {marks(form)}, source has {marks(m.source)}"
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("update", "release", "check"))
    args = parser.parse_args(argv)
    for language in LANGUAGES:
        ts = catalogue(language)
        if args.action == "update":
            ts.parent.mkdir(parents=True, exist_ok=True)
            lupdate(ts, language)
            unfinished = sum(not m.finished for m in read(ts))
            print(f"{ts.relative_to(REPO)}: {len(read(ts))} messages, {unfinished} to translate")
        elif args.action == "release":
            lrelease(ts, compiled(language))
            print(f"{compiled(language).relative_to(REPO)} compiled")
        else:
            found = problems(language)
            for line in found:
                print(f"{language}: {line}")
            if found:
                return 1
            print(f"{language}: {len(read(ts))} messages, all translated, compiled copy current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
