"""Pygments, lean: replaces PyInstaller's hook, which collects all 600 lexers (1.5 MB).

Pygments arrives through rich (spaCy's command line and typer); the app itself highlights
nothing. Its lexers load lazily by name, so only the Python lexer (rich's tracebacks) is kept.
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("pygments.formatters") + collect_submodules("pygments.styles")
hiddenimports += ["pygments.lexers._mapping", "pygments.lexers.python"]
