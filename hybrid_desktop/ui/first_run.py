"""The first-run panel: shown above the chat until dismissed, never in the way of asking.

It says what answers now (the embedded model, with its limits), the best model this machine can
run (the model manager's ``recommend``) with one button to get it, whether a cloud key is set with
one button to Settings → Cloud, and the privacy promise with a link to the preview. Everything in
it is also in the menus (File → Models…, File → Settings…, Privacy → Preview What Would Be
Sent…), and Help → Getting Started shows it again.

What it shows is read off the GUI thread (the machine, the catalogue, the keyring) by
:func:`read_facts`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.models_tasks import DownloadTarget, size_text
from hybrid_desktop.ui.models_text import TIERS, fit_text, word

if TYPE_CHECKING:
    from hybrid_desktop.config.paths import AppPaths
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.model_manager.catalogue import CatalogueEntry
    from hybrid_desktop.core.model_manager.fit import FitEstimate
    from hybrid_desktop.ui.state import AppState

log = logging.getLogger(__name__)


@dataclass
class Facts:
    """What the panel says, read from the machine."""

    embedded_name: str = ""
    embedded_bytes: int | None = None
    #: The best catalogue model that runs here (fits or is tight, and fits on the disk).
    best: tuple[CatalogueEntry, FitEstimate] | None = None
    #: ``best`` is installed already.
    best_installed: bool = False
    #: A cloud API key is set (keyring or environment).
    key_set: bool = False
    problems: list[str] = field(default_factory=list)


def read_facts(paths: AppPaths, settings: Settings) -> Facts:
    """The machine, the catalogue and the keyring, read for the panel (slow parts: off the GUI
    thread). Anything that cannot be read leaves its part of the panel honest, not wrong."""
    from hybrid_desktop.config.secrets import get_api_key
    from hybrid_desktop.core.model_manager.catalogue import recommend
    from hybrid_desktop.core.model_manager.fit import load_calibration
    from hybrid_desktop.core.model_manager.hardware import hardware_profile
    from hybrid_desktop.core.model_manager.registry import ModelRegistry
    from hybrid_desktop.core.models import EMBEDDED_NAME, resolve_model_path

    facts = Facts(embedded_name=EMBEDDED_NAME)
    try:
        facts.embedded_bytes = resolve_model_path(None).stat().st_size
    except (HybridDesktopError, OSError) as exc:
        facts.problems.append(str(exc))
    try:
        registry = ModelRegistry(paths)
        profile = hardware_profile(registry.folder)
        ranked = recommend(profile, load_calibration(paths.cache_dir), settings.n_ctx)
        runnable = [
            (entry, fit)
            for entry, fit in ranked
            if fit.label in ("fits", "tight") and entry.size_bytes <= profile.disk_free_bytes
        ]
        if runnable:
            facts.best = runnable[0]
            facts.best_installed = any(e.name == facts.best[0].name for e in registry.list())
    except HybridDesktopError as exc:
        facts.problems.append(exc.user_text())
    key, _source = get_api_key()
    facts.key_set = bool(key)
    return facts


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _text(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class FirstRunPanel(QFrame):
    """The welcome above the chat; its buttons ask the window to act."""

    #: Get this model (a ``DownloadTarget``), or ``None``: open the Models window.
    get_model = Signal(object)
    cloud_settings_requested = Signal()
    preview_requested = Signal()
    dismissed = Signal()
    #: The facts were read and are on show.
    facts_shown = Signal()

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.setObjectName("firstRun")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Getting started"))
        self.facts: Facts | None = None
        self._target: DownloadTarget | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel(self.tr("<b>Welcome to {app}</b>").format(app=_app_name()))
        top.addWidget(self.title, 1)
        self.dismiss_button = described(
            QPushButton(self.tr("Dismiss")),
            self.tr("Hide this welcome; Help → Getting Started shows it again"),
        )
        self.dismiss_button.clicked.connect(self._dismiss)
        top.addWidget(self.dismiss_button)
        outer.addLayout(top)

        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        outer.addLayout(grid)
        grid.addWidget(_heading(self.tr("Answering now")), 0, 0, 1, 2)
        self.now_text = _text()
        grid.addWidget(self.now_text, 1, 0, 1, 2)

        grid.addWidget(_heading(self.tr("A better model for this machine")), 2, 0, 1, 2)
        self.model_text = _text(self.tr("Looking at this machine…"))
        grid.addWidget(self.model_text, 3, 0)
        self.get_button = described(
            QPushButton(self.tr("Get This Model")),
            self.tr("Download the recommended model in the Models window"),
        )
        self.get_button.setEnabled(False)
        self.get_button.clicked.connect(lambda: self.get_model.emit(self._target))
        grid.addWidget(self.get_button, 3, 1, Qt.AlignmentFlag.AlignTop)

        grid.addWidget(_heading(self.tr("Hard questions")), 4, 0, 1, 2)
        self.cloud_text = _text()
        grid.addWidget(self.cloud_text, 5, 0)
        self.cloud_button = described(
            QPushButton(self.tr("Add a Cloud Key…")),
            self.tr("Open Settings on the Cloud page to add a Claude API key"),
        )
        self.cloud_button.clicked.connect(self.cloud_settings_requested)
        grid.addWidget(self.cloud_button, 5, 1, Qt.AlignmentFlag.AlignTop)

        grid.addWidget(_heading(self.tr("Your privacy")), 6, 0, 1, 2)
        grid.addWidget(
            _text(
                self.tr(
                    "Questions are answered on this device unless they need more. Before anything "
                    "leaves it, names, addresses, numbers and keys are replaced with placeholders "
                    "here, and put back here."
                )
            ),
            7,
            0,
        )
        self.preview_button = described(
            QPushButton(self.tr("Preview What Is Sent…")),
            self.tr("Show exactly what the message in the box (or an example) would send"),
        )
        self.preview_button.clicked.connect(self.preview_requested)
        grid.addWidget(self.preview_button, 7, 1, Qt.AlignmentFlag.AlignTop)
        self._show_now(None)

    # facts ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the machine, the catalogue and the keyring again (off the GUI thread)."""
        state = self.state
        if state.tasks.running("first-run"):
            return
        paths, settings = state.services.paths, state.settings
        state.tasks.run(
            lambda: read_facts(paths, settings), self.show_facts, self._failed, tag="first-run"
        )

    def _failed(self, error: BaseException) -> None:
        log.error("reading the first-run facts failed", exc_info=error)
        self.model_text.setText(self.tr("The model catalogue could not be read; see the log."))
        self.get_button.setText(self.tr("Open Models…"))
        self.get_button.setEnabled(True)
        self.facts_shown.emit()

    def show_facts(self, facts: Facts) -> None:
        self.facts = facts
        self._show_now(facts)
        self._show_best(facts)
        if facts.key_set:
            self.cloud_text.setText(
                self.tr(
                    "A cloud key is set: when a question needs a large model, Auto can send it "
                    "to Claude, with personal data replaced first."
                )
            )
            self.cloud_button.setText(self.tr("Cloud Settings…"))
        else:
            self.cloud_text.setText(
                self.tr(
                    "With a Claude API key, hard questions (long reasoning, code, careful "
                    "writing) can go to the cloud. Without one, everything stays on this device."
                )
            )
            self.cloud_button.setText(self.tr("Add a Cloud Key…"))
        self.facts_shown.emit()

    def _show_now(self, facts: Facts | None) -> None:
        from hybrid_desktop.core.models import EMBEDDED_NAME

        size = size_text(facts.embedded_bytes) if facts and facts.embedded_bytes else "?"
        self.now_text.setText(
            self.tr(
                "{model} ({size}) is built in and answers on this device, even offline. It is "
                "very small: fine for short everyday questions, but it often gets facts, "
                "arithmetic and code wrong and loses track of long conversations."
            ).format(model=EMBEDDED_NAME, size=size)
        )

    def _show_best(self, facts: Facts) -> None:
        self._target = None
        if facts.best is None and facts.problems:
            self.model_text.setText(
                self.tr("The model catalogue could not be read: {problem}").format(
                    problem=facts.problems[-1]
                )
            )
            self.get_button.setText(self.tr("Open Models…"))
            self.get_button.setEnabled(True)
            return
        if facts.best is None:
            self.model_text.setText(
                self.tr(
                    "No model in the catalogue fits this machine's free memory and disk now; "
                    "the built-in model is the best it can run. File → Models… lists them all."
                )
            )
            self.get_button.setText(self.tr("Open Models…"))
            self.get_button.setEnabled(True)
            return
        entry, fit = facts.best
        self.model_text.setText(
            self.tr("{model} ({size} download, {tier} tier): {fit}.").format(
                model=entry.name,
                size=size_text(entry.size_bytes),
                tier=word(TIERS, entry.tier),
                fit=fit_text(fit),
            )
        )
        if facts.best_installed:
            self.get_button.setText(self.tr("Open Models…"))
            self.get_button.setAccessibleDescription(
                self.tr("It is installed: choose it in the Models window")
            )
        else:
            self._target = DownloadTarget(entry.name, entry.url, entry.sha256, entry.size_bytes)
            self.get_button.setText(self.tr("Get This Model"))
            self.get_button.setAccessibleDescription(
                self.tr("Download {model} in the Models window").format(model=entry.name)
            )
            self.get_button.setToolTip(self.get_button.accessibleDescription())
        self.get_button.setEnabled(True)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


def _app_name() -> str:
    from hybrid_desktop import APP_NAME

    return APP_NAME


def example_prompt() -> str:
    """A message with personal data in it, for the preview when the input box is empty."""
    return QCoreApplication.translate(
        "FirstRunPanel",
        "Write a short reply to Maria Schmidt (maria.schmidt@example.com, +49 30 1234567) "
        "about invoice 2024-118.",
    )
