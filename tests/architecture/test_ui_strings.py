"""Every string a user reads in the window goes through Qt's translation functions.

The source is read with ``ast``: a raw literal (or an f-string, which ``lupdate`` cannot extract)
handed straight to a Qt text setter, a widget constructor or an accessibility helper in
``hybrid_desktop/ui`` is a string no translation can reach."""

from __future__ import annotations

import ast
from pathlib import Path

import hybrid_desktop.ui

UI = Path(hybrid_desktop.ui.__file__).parent

#: Method name -> the positions of the arguments a user reads.
SETTERS: dict[str, tuple[int, ...]] = {
    "setText": (0,),
    "setWindowTitle": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setPlaceholderText": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "addTab": (1,),
    "insertTab": (2,),
    "addRow": (0,),
    "addMenu": (0,),
    "addAction": (0,),
    "addItem": (0,),
    "showMessage": (0, 1),
    "setHeaderLabels": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setSpecialValueText": (0,),
    "setSuffix": (0,),
    "setPrefix": (0,),
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "getText": (1, 2),
    "getOpenFileName": (1,),
    "getSaveFileName": (1,),
    "getExistingDirectory": (1,),
    "described": (1,),
    "announce": (1,),
}

#: Constructors whose first argument is their visible text.
CONSTRUCTORS = {
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QToolButton",
    "QGroupBox",
    "QAction",
    "QMenu",
    "QTableWidgetItem",
    "QListWidgetItem",
}

KEYWORDS = {"name", "text", "title", "description", "toolTip", "placeholderText"}


def _raw_text(node: ast.AST) -> bool:
    """A literal a user would read: a string constant with letters in it, an f-string, or a
    ``+``/``%`` of such pieces, or a list of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and any(ch.isalpha() for ch in str(part.value))
            for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _raw_text(node.left) or _raw_text(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_raw_text(element) for element in node.elts)
    return False


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def untranslated(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        positions = SETTERS.get(name, ())
        if name in CONSTRUCTORS:
            positions = (0,)
        for index in positions:
            if index < len(node.args) and _raw_text(node.args[index]):
                found.append((node.lineno, name))
        if name in SETTERS or name in CONSTRUCTORS:
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS and _raw_text(keyword.value):
                    found.append((node.lineno, f"{name}({keyword.arg}=)"))
    return found


def test_the_checker_finds_raw_text() -> None:
    source = (
        "QLabel('Hello')\nb.setText(f'{n} items')\nbox.addTab(w, 'Model')\n"
        "described(w, 'Sends it', name='Send')\n"
        "QLabel(self.tr('Hello'))\nb.setText('…')\nQLabel(t('Ctx', 'Hi'))\n"
    )
    assert [line for line, _ in untranslated(source)] == [1, 2, 3, 4, 4]


def test_every_user_string_in_the_ui_goes_through_translation() -> None:
    offenders = [
        f"{path.name}:{line} {name}"
        for path in sorted(UI.glob("*.py"))
        for line, name in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_translation_function_under_another_name() -> None:
    """``t = QCoreApplication.translate; t("Ctx", "Text")`` runs, but lupdate never sees the
    text: the catalogue would lack it and the window would show it in English."""
    aliases = []
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("translate", "tr")
            ):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(name != "translate" for name in names):
                    aliases.append(f"{path.name}:{node.lineno} {names}")
    assert aliases == []
