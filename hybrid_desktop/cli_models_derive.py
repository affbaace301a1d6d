"""``hybrid-desktop models quantize NAME --type Q4_0 [--out NAME]`` and
``models prune NAME --layers N|--drop 10,11 [--type T] [--out NAME]``: derive a smaller model
from an installed one, on this machine, with a quality receipt.

Each command quantizes (or prunes) in a child process (``core.model_manager.quantize``),
reloads the result and asks it a short question, measures the receipt against the source
(perplexity, KL divergence, same top token, size and decode speed:
``core.model_manager.receipt``), and only then lists the new model. When the KL divergence
is above ``receipt.KL_WARN`` the model is kept only with ``--yes`` or a "y" typed at the
prompt on a terminal; otherwise it is deleted and the command exits 1 with the receipt shown.
Ctrl+C or any failure leaves nothing in the models folder.

Progress goes to stderr; with ``--json`` the last stdout line is one object with ``name``,
``path``, ``size_bytes``, ``sha256`` and the receipt's ``perplexity``, ``source_perplexity``,
``kl_divergence``, ``top1_agreement`` (plus ``receipt``: all of it).

Prune's ``--type`` defaults to keeping the source's tensors exactly as they are (llama.cpp's
copy mode), whatever their type: the receipt then measures the removed layers alone, and the
file shrinks by exactly those layers. Requantizing on top (``--type Q4_0``) is allowed; the
receipt then measures both losses together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hybrid_desktop.cli_output import emit_json
from hybrid_desktop.core.model_manager.quantize import KEEP_TYPE, QUANT_TYPES

if TYPE_CHECKING:
    from hybrid_desktop.core.model_manager.registry import ModelEntry, Receipt
    from hybrid_desktop.core.services import Services

#: Seconds between progress lines when stderr is not a terminal.
LOG_EVERY_S = 5.0
#: Types that are not quantized already: deriving from them adds one rounding, not two.
_UNQUANTIZED = {"F32", "F16", "BF16", "ALL_F32"}


def _qtype(text: str) -> str:
    value = text.strip().upper()
    if value not in QUANT_TYPES:
        raise argparse.ArgumentTypeError(
            f"invalid type {text!r} (choose from {', '.join(QUANT_TYPES)})"
        )
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _layer_numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a list of layer numbers: {text!r} (e.g. 10,11)"
        ) from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="an installed model (`models list`)")
    parser.add_argument("--out", metavar="NAME", help="the new model's name (default: derived)")
    parser.add_argument(
        "--json", action="store_true", help="print the new model as one JSON object"
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="keep the new model even when its KL divergence is above the warning threshold",
    )
    parser.add_argument(
        "--receipt-tokens",
        type=_count,
        default=2048,
        metavar="N",
        help="score at most N tokens of the receipt text (default 2048; fewer is faster and "
        "noisier; at least one 512-token window is always scored)",
    )


def add_quantize_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        dest="qtype",
        type=_qtype,
        required=True,
        metavar="TYPE",
        help=f"the target type: {', '.join(QUANT_TYPES)}. Requantizing an already quantized "
        "model compounds the error; the receipt measures it.",
    )
    _common(parser)


def add_prune_arguments(parser: argparse.ArgumentParser) -> None:
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--layers",
        type=_count,
        metavar="N",
        help="remove N layers, the suggested ones (ShortGPT: the deepest middle layers first)",
    )
    how.add_argument(
        "--drop", type=_layer_numbers, metavar="10,11", help="remove these layers (from 0)"
    )
    parser.add_argument(
        "--type",
        dest="qtype",
        type=_qtype,
        default=None,
        metavar="TYPE",
        help="also requantize to this type (default: keep the source's tensors as they are)",
    )
    _common(parser)


def run_quantize(args: argparse.Namespace, services: Services) -> int:
    return _derive(args, services, method="quantize")


def run_prune(args: argparse.Namespace, services: Services) -> int:
    return _derive(args, services, method="prune")


def _derive(args: argparse.Namespace, services: Services, *, method: str) -> int:
    from hybrid_desktop.core.gguf import inspect_gguf
    from hybrid_desktop.core.model_manager.quantize import (
        layer_count,
        quantize,
        suggested_prune_layers,
        validate_prune_layers,
    )
    from hybrid_desktop.core.model_manager.receipt import measure_receipt
    from hybrid_desktop.core.model_manager.registry import ModelRegistry
    from hybrid_desktop.errors import ModelNotFoundError

    registry = ModelRegistry(services.paths)
    source = registry.get(args.name)
    if not source.present:
        raise ModelNotFoundError(
            f"The file of {source.name} ({source.path}) is missing.",
            f"Remove it with `hybrid-desktop models rm {source.name}`, or add it again.",
        )
    layers: tuple[int, ...] = ()
    if method == "prune":
        n_layers = layer_count(inspect_gguf(source.path))
        if args.layers is not None:
            layers = tuple(suggested_prune_layers(n_layers, args.layers))
        else:
            layers = validate_prune_layers(n_layers, args.drop)
    qtype = args.qtype or KEEP_TYPE
    receipt_type = (source.file_type or "unchanged") if qtype == KEEP_TYPE else qtype
    name = args.out or registry.unique_name(_default_name(source.name, method, qtype, layers))
    dest = registry.path_for_new(name)
    show = _Progress(sys.stderr)
    if qtype != KEEP_TYPE and (source.file_type or "").upper() not in _UNQUANTIZED:
        show.note(
            f"note: {source.name} is already quantized ({source.file_type or 'unknown type'}); "
            f"requantizing to {qtype} adds a second rounding error. The receipt measures it."
        )
    if layers:
        show.note(f"removing layers {', '.join(map(str, layers))}")
    quantize(source.path, dest, qtype=qtype, prune_layers=layers, progress=show.phase("derive"))
    kept = False
    try:
        receipt = measure_receipt(
            source.path,
            dest,
            method=method,
            qtype=receipt_type,
            pruned_layers=layers,
            max_tokens=args.receipt_tokens,
            progress=show.phase("receipt"),
            source_name=source.name,
        )
        show.done()
        if not _confirmed(receipt, args, show):
            return _rejected(receipt, dest, args)
        entry = registry.add(dest, source="derived", origin=source.name, receipt=receipt, name=name)
        kept = True
    finally:
        if not kept:
            dest.unlink(missing_ok=True)
    _report(entry, receipt, args)
    return 0


def _default_name(source: str, method: str, qtype: str, layers: tuple[int, ...]) -> str:
    if method == "quantize":
        return f"{source}-{qtype}"
    name = f"{source}-pruned{len(layers)}"
    return name if qtype == KEEP_TYPE else f"{name}-{qtype}"


def _confirmed(receipt: Receipt, args: argparse.Namespace, show: _Progress) -> bool:
    from hybrid_desktop.core.model_manager.receipt import KL_WARN, describe, needs_confirmation

    if not needs_confirmation(receipt) or args.yes:
        return True
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    for line in describe(receipt):
        show.note(line)
    show.note(
        f"warning: the KL divergence {receipt.kl_divergence:.3f} is above {KL_WARN}: this model "
        "departs from its source more than llama.cpp's Q2_K of an 8B model does."
    )
    print("Keep it anyway? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes")


def _rejected(receipt: Receipt, dest: Path, args: argparse.Namespace) -> int:
    from hybrid_desktop.core.model_manager.receipt import KL_WARN, describe

    dest.unlink(missing_ok=True)
    for line in describe(receipt):
        print(line, file=sys.stderr)
    message = (
        f"The new model's KL divergence from its source is {receipt.kl_divergence:.3f}, above "
        f"the warning threshold {KL_WARN}, so it was deleted."
    )
    print(f"error: {message}", file=sys.stderr)
    print(
        "Run the command again with --yes to keep it, or try a gentler type or fewer layers.",
        file=sys.stderr,
    )
    if args.json:
        emit_json({"error": message, "kept": False, **_receipt_fields(receipt)})
    return 1


def _receipt_fields(receipt: Receipt) -> dict[str, Any]:
    return {
        "perplexity": receipt.perplexity,
        "source_perplexity": receipt.source_perplexity,
        "kl_divergence": receipt.kl_divergence,
        "top1_agreement": receipt.top1_agreement,
        "receipt": receipt.to_dict(),
    }


def _report(entry: ModelEntry, receipt: Receipt, args: argparse.Namespace) -> None:
    from hybrid_desktop.core.model_manager.receipt import describe

    if args.json:
        for line in describe(receipt):
            print(line, file=sys.stderr)
        emit_json(entry.to_json())
        return
    for line in describe(receipt):
        print(line)
    print(f"Added {entry.name} ({entry.path}). Switch to it with `hybrid-desktop models use "
          f"{entry.name}`.")  # fmt: skip


class _Progress:
    """Progress on stderr: one updating line on a terminal, a line every few seconds (and at
    each new phase) otherwise, so a log file keeps a readable record."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last = 0.0
        self.open_line = False

    def note(self, text: str) -> None:
        self._end_line()
        print(text, file=self.stream, flush=True)

    def phase(self, label: str) -> Any:
        self.last = 0.0

        def update(fraction: float, message: str) -> None:
            now = time.monotonic()
            text = f"{label}: {fraction:4.0%} {message}"
            if self.tty:
                print(f"\r\x1b[2K{text}", end="", file=self.stream, flush=True)
                self.open_line = True
            elif now - self.last >= LOG_EVERY_S or fraction >= 1.0 or self.last == 0.0:
                print(text, file=self.stream, flush=True)
                self.last = now

        return update

    def done(self) -> None:
        self._end_line()

    def _end_line(self) -> None:
        if self.open_line:
            print(file=self.stream, flush=True)
            self.open_line = False
