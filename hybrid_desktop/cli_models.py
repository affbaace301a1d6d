"""``hybrid-desktop models ...``: the installed models, from the command line.

    models list [--json]                       installed models, the one in use, and their fit
    models recommend [--json]                  catalogue models that suit this machine, best first
    models pull NAME_OR_URL [--sha256 HEX] [--json]   download one (cli_models_pull)
    models import PATH [--name NAME] [--json]  copy a GGUF file in, after checking it
    models verify NAME [--json]                recompute the sha256 and re-check the file
    models quantize NAME --type Q4_0 [--out NAME]     derive a smaller model (cli_models_derive)
    models prune NAME --layers N|--drop 10,11 [--out NAME]   drop layers (cli_models_derive)
    models use NAME                            make it the model that answers
    models rm NAME                             delete it (not the embedded or the configured one)

With ``--json`` the last stdout line is exactly one JSON object: one model's ``name``, ``path``,
``size_bytes``, ``sha256`` (plus ``perplexity``, ``source_perplexity``, ``kl_divergence`` and
``top1_agreement`` for a derived model), or for ``list`` and ``recommend`` ``{"models": [...]}``
with those fields for each.

``pull``, ``quantize`` and ``prune`` live in their own modules (same import layer, below this
one); they are imported when the parser is built and when they run, so the rest of this
command works without them.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json, printable

if TYPE_CHECKING:
    from types import ModuleType

    from hybrid_desktop.core.model_manager.fit import FitEstimate
    from hybrid_desktop.core.model_manager.registry import ModelEntry, ModelRegistry
    from hybrid_desktop.core.services import Services

#: Extra subcommands written in their own modules: (module, argument adder, runner).
_EXTERNAL = {
    "pull": ("hybrid_desktop.cli_models_pull", "add_pull_arguments", "run_pull"),
    "quantize": ("hybrid_desktop.cli_models_derive", "add_quantize_arguments", "run_quantize"),
    "prune": ("hybrid_desktop.cli_models_derive", "add_prune_arguments", "run_prune"),
}
_EXTERNAL_HELP = {
    "pull": "download a catalogue model or a GGUF link, verified, into the models folder",
    "quantize": "make a smaller copy of a model in another quantization, with a quality receipt",
    "prune": "make a smaller copy of a model without some of its layers, with a quality receipt",
}


def add_models_parser(commands: Any) -> None:
    """Add the ``models`` command and its actions to ``cli.build_parser``'s subparsers."""
    models = commands.add_parser("models", help="list, add, check, switch and remove local models")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the installed models, which is in use, and fit")
    listing.add_argument("--json", action="store_true", help='one {"models": [...]} object')
    recommend = actions.add_parser(
        "recommend", help="catalogue models for this machine, best first"
    )
    recommend.add_argument("--json", action="store_true", help='one {"models": [...]} object')
    for action in ("pull",):
        _add_external(actions, action)
    imported = actions.add_parser("import", help="check a GGUF file and copy it into the folder")
    imported.add_argument("path", metavar="PATH", help="the GGUF file")
    imported.add_argument("--name", metavar="NAME", help="the name to list it under")
    imported.add_argument("--json", action="store_true", help="one JSON object on the last line")
    verify = actions.add_parser("verify", help="recompute a model's sha256 and re-check the file")
    verify.add_argument("name", metavar="NAME")
    verify.add_argument("--json", action="store_true", help="one JSON object on the last line")
    for action in ("quantize", "prune"):
        _add_external(actions, action)
    use = actions.add_parser("use", help="make this model the one that answers")
    use.add_argument("name", metavar="NAME", help="a name from `models list` (or 'embedded')")
    remove = actions.add_parser("rm", help="delete an installed model")
    remove.add_argument("name", metavar="NAME")


def _add_external(actions: Any, action: str) -> None:
    parser = actions.add_parser(action, help=_EXTERNAL_HELP[action])
    module_name, adder, _runner = _EXTERNAL[action]
    module = _optional_module(module_name)
    if module is not None and hasattr(module, adder):
        getattr(module, adder)(parser)
    else:  # not in this build yet: accept anything, and say so when run
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)


def _optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def run_models(args: argparse.Namespace, services: Services) -> int:
    """Run one ``models`` action and return its exit code (errors propagate to ``cli.run``)."""
    from hybrid_desktop.core.model_manager.registry import ModelRegistry

    action = args.models_command
    if action in _EXTERNAL:
        module_name, _adder, runner = _EXTERNAL[action]
        module = _optional_module(module_name)
        if module is None or not hasattr(module, runner):
            from hybrid_desktop.errors import HybridDesktopError

            raise HybridDesktopError(
                f"`models {action}` is not available in this build of Hybrid Desktop.",
                "Update Hybrid Desktop.",
            )
        code: int = getattr(module, runner)(args, services)
        return code
    registry = ModelRegistry(services.paths)
    if action == "list":
        return _list(args, services, registry)
    if action == "recommend":
        return _recommend(args, services, registry)
    if action == "import":
        return _import(args, registry)
    if action == "verify":
        return _verify(args, registry)
    if action == "use":
        return _use(args, services, registry)
    return _remove(args, registry)


# -- output ---------------------------------------------------------------------------------------


def _printable(text: str) -> str:
    """Control characters as escapes on a terminal (a model name is file-derived text)."""
    if not sys.stdout.isatty():
        return text
    return printable(text)


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def _progress(label: str) -> Any:
    """A progress callback for long copies and hashes: a percentage on a terminal's stderr."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def report(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if percent != shown[0]:
            shown[0] = percent
            end = "\n" if done >= total else ""
            print(f"\r{label}: {percent:3d}%", end=end, file=sys.stderr, flush=True)

    return report


# -- which model is in use ------------------------------------------------------------------------


def _in_use(services: Services, registry: ModelRegistry, entries: list[ModelEntry]) -> str | None:
    """The name of the configured model, or ``None`` when the settings name a file outside
    the registry."""
    configured = services.settings.model_path
    if not configured:
        return next(e.name for e in entries if e.is_embedded)
    found = registry.find(configured)
    return found.name if found is not None else None


def _fits(services: Services, registry: ModelRegistry, entries: list[ModelEntry]) -> list[Any]:
    """A :class:`FitEstimate` per present model (``None`` for a missing or unreadable file)."""
    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.model_manager.fit import estimate_fit, load_calibration
    from hybrid_desktop.core.model_manager.hardware import hardware_profile
    from hybrid_desktop.errors import HybridDesktopError

    profile = hardware_profile(registry.folder)
    calibration = load_calibration(services.paths.cache_dir)  # cached only: list stays quick
    fits: list[FitEstimate | None] = []
    for entry in entries:
        fit = None
        if entry.present:
            with contextlib.suppress(HybridDesktopError, OSError):
                fit = estimate_fit(
                    inspect_gguf(entry.path),
                    n_ctx=services.settings.n_ctx,
                    profile=profile,
                    calibration=calibration,
                )
        fits.append(fit)
    return fits


def _list(args: argparse.Namespace, services: Services, registry: ModelRegistry) -> int:
    entries = registry.list()
    in_use = _in_use(services, registry, entries)
    fits = _fits(services, registry, entries)
    if args.json:
        models = []
        for entry, fit in zip(entries, fits, strict=True):
            models.append(
                {
                    **entry.to_json(),
                    "in_use": entry.name == in_use,
                    "fit": fit.to_json() if fit is not None else None,
                }
            )
        emit_json({"models": models, "in_use": in_use, "model_path": services.settings.model_path})
        return 0
    width = max(len(e.name) for e in entries)
    for entry, fit in zip(entries, fits, strict=True):
        mark = "*" if entry.name == in_use else " "
        state = fit.summary() if fit is not None else "-"
        if not entry.present:
            state = f"MISSING: {entry.path} is gone (`models rm {entry.name}` drops it)"
        kind = entry.file_type or "?"
        print(
            f"{mark} {_printable(entry.name):<{width}}  {_size(entry.size_bytes):>9}  "
            f"{kind:<7}  {entry.source:<8}  {_printable(state)}"
        )
    if in_use is None:
        print(
            f"* in use: {_printable(str(services.settings.model_path))} (not in the models folder)"
        )
    return 0


def _recommend(args: argparse.Namespace, services: Services, registry: ModelRegistry) -> int:
    from hybrid_desktop.core.model_manager.catalogue import recommend
    from hybrid_desktop.core.model_manager.fit import load_calibration
    from hybrid_desktop.core.model_manager.hardware import hardware_profile

    profile = hardware_profile(registry.folder)
    calibration = load_calibration(services.paths.cache_dir)
    rated = recommend(profile, calibration, n_ctx=services.settings.n_ctx)
    installed = {e.origin: e for e in registry.list()}
    if args.json:
        models = []
        for entry, fit in rated:
            local = installed.get(entry.url)
            models.append(
                {
                    **entry.to_json(),
                    "path": str(local.path) if local is not None else None,
                    "installed": local is not None,
                    "fit": fit.to_json(),
                }
            )
        emit_json({"models": models, "hardware": profile.to_json()})
        return 0
    if not rated:
        print("The catalogue is empty.")
        return 0
    width = max(len(entry.name) for entry, _fit in rated)
    for entry, fit in rated:
        mark = "installed" if entry.url in installed else ""
        print(
            f"{entry.name:<{width}}  {_size(entry.size_bytes):>9}  {entry.tier:<8}  "
            f"{fit.summary()}  {mark}".rstrip()
        )
    print(f"\nInstall one with: hybrid-desktop models pull {rated[0][0].name}")
    return 0


def _import(args: argparse.Namespace, registry: ModelRegistry) -> int:
    from hybrid_desktop.core.model_manager.registry import chat_template_note, validate_gguf

    source = Path(args.path).expanduser()
    note = chat_template_note(validate_gguf(source, warn=False))
    entry = registry.import_file(source, name=args.name, progress=_progress("copying"))
    if note:
        print(f"warning: {note}", file=sys.stderr)
    if args.json:
        emit_json(entry.to_json())
    else:
        print(f"Imported {_printable(entry.name)} ({_size(entry.size_bytes)}) to {entry.path}.")
        print(f"Use it with: hybrid-desktop models use {entry.name}")
    return 0


def _verify(args: argparse.Namespace, registry: ModelRegistry) -> int:
    from hybrid_desktop.errors import ModelError

    try:
        entry = registry.verify(args.name)
    except ModelError as exc:
        if not args.json:
            raise
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        failed = registry.find(args.name)
        data = failed.to_json() if failed is not None else {"name": args.name}
        emit_json({**data, "ok": False, "error": exc.message})
        return 1
    if args.json:
        emit_json({**entry.to_json(), "ok": True})
    else:
        print(f"{_printable(entry.name)}: OK ({_size(entry.size_bytes)}, sha256 {entry.sha256})")
    return 0


def _use(args: argparse.Namespace, services: Services, registry: ModelRegistry) -> int:
    from hybrid_desktop.config.settings import save_settings
    from hybrid_desktop.core.model_manager.registry import validate_gguf
    from hybrid_desktop.errors import ModelFileError

    entry = registry.get(args.name)
    if not entry.present:
        raise ModelFileError(
            f"The model file of {entry.name} is missing: {entry.path} was deleted or moved.",
            f"Import or download it again, or choose another model (`hybrid-desktop models "
            f"list`); {entry.name} was not selected.",
        )
    validate_gguf(entry.path, warn=False)  # the header only: a full verify would hash gigabytes
    model_path = None if entry.is_embedded else str(entry.path)
    if services.settings.model_path != model_path:
        new = replace(services.settings, model_path=model_path)
        save_settings(new, services.paths.settings_file)
        services.update_settings(new)
    print(f"Now using {_printable(entry.name)}.")
    print(
        "New `hybrid-desktop ask` commands use it. A window that is already open keeps its "
        "model until you choose one in it or restart it.",
        file=sys.stderr,
    )
    return 0


def _remove(args: argparse.Namespace, registry: ModelRegistry) -> int:
    entry = registry.get(args.name)
    registry.remove(entry.name)  # refuses the embedded model and the one the settings name
    print(f"Removed {_printable(entry.name)} ({_size(entry.size_bytes)} freed).")
    return 0
