"""One edge server, added or edited: name, URL, protocol, trust (with what each level means),
the model (listed by the server's ``/v1/models``), tier, prices and the API key.

The key typed here is handed back to the Settings page, which writes it to the OS keyring when
the Settings dialog is accepted; a kept key is never read back onto the screen. The model list is
fetched in a :class:`~hybrid_desktop.workers.jobs.Job`, so the dialog never waits on the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from hybrid_desktop.config.edge import PROTOCOLS, TIERS, TRUST_LEVELS, EdgeServer
from hybrid_desktop.errors import SettingsError
from hybrid_desktop.ui.accessible import describe_buttons, described
from hybrid_desktop.ui.models_tasks import error_text
from hybrid_desktop.workers.jobs import Job, Report

#: The texts below are English source strings, translated where they are shown (``tr_``).
TRUST_LABELS = {
    "private": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Private")),
    "organisation": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Organisation")),
    "external": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "External")),
}
#: One line each: what the privacy gate does before a request goes to a server of that trust.
TRUST_TEXT = {
    "private": str(
        QT_TRANSLATE_NOOP("EdgeServerDialog", "A box you control: the privacy gate is not applied.")
    ),
    "organisation": str(
        QT_TRANSLATE_NOOP("EdgeServerDialog", "The organisation's policy is applied (the default).")
    ),
    "external": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Treated like the cloud.")),
}
PROTOCOL_LABELS = {
    "openai": str(
        QT_TRANSLATE_NOOP("EdgeServerDialog", "OpenAI-compatible (/v1/chat/completions)")
    ),
    "anthropic": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Anthropic Messages (/v1/messages)")),
}
TIER_LABELS = {
    "": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "From the model's name")),
    "tiny": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Tiny")),
    "small": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Small")),
    "medium": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Medium")),
    "large": str(QT_TRANSLATE_NOOP("EdgeServerDialog", "Large")),
}
#: Seconds a health check or model list may take (a LAN server answers in milliseconds).
PROBE_TIMEOUT_S = 2.0
OFFLINE_TEXT = str(
    QT_TRANSLATE_NOOP("EdgeServerDialog", "Offline mode is on: no server is asked anything.")
)
#: Examples in the empty fields (a host name and a URL: not translated).
EXAMPLE_NAME = "office-gpu"
EXAMPLE_URL = "http://office-gpu:8080"


def tr_(text: str) -> str:
    """One of this module's marked texts (above) in the user's language."""
    return QCoreApplication.translate("EdgeServerDialog", text)


def coloured(text: str, error: bool) -> str:
    colour = "#b91c1c" if error else "#374151"
    return f"<span style='color:{colour}'>{text}</span>"


# background work (runs in a Job's thread) ------------------------------------------------------


def list_models(server: EdgeServer, key: str | None, kept_key_of: str) -> list[str]:
    """What ``/v1/models`` lists; ``kept_key_of``: the server whose kept key to use when no key
    was typed ("" : none)."""
    from hybrid_desktop.config.secrets import get_edge_key
    from hybrid_desktop.core.edge.discovery import probe_models

    if key is None and kept_key_of:
        key = get_edge_key(kept_key_of)
    return list(
        probe_models(
            server.base_url, api_key=key, timeout_s=PROBE_TIMEOUT_S, protocol=server.protocol
        )
    )


class JobsMixin:
    """Runs Jobs and keeps them (Python owns each Job; see workers/jobs.py)."""

    jobs: list[Job]

    def run_job(
        self,
        kind: str,
        fn: Callable[[Report], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[Any], None] | None = None,
    ) -> Job:
        job = Job(f"edge-{kind}", fn)
        self.jobs = [j for j in self.jobs if not j.finished] + [job]
        if on_progress is not None:
            job.progress.connect(on_progress)

        def done(result: object) -> None:
            job.finished = True
            on_done(result)

        def failed(error: object) -> None:
            job.finished = True
            assert isinstance(error, BaseException)
            on_error(error)

        job.done.connect(done)
        job.failed.connect(failed)
        job.start()
        return job

    def wait_jobs(self, timeout_s: float = 10.0) -> bool:
        """Wait for the probes still running (dialog close, tests); True when all ended."""
        return all(job.wait(timeout_s) for job in self.jobs)


# one server --------------------------------------------------------------------------------------


class EdgeServerDialog(JobsMixin, QDialog):
    """Add or edit one server: name, URL, protocol, trust, model (listed by the server),
    tier, prices and the API key (typed here, kept in the keyring, never shown back)."""

    models_listed = Signal(object)  # list[str] or the exception

    def __init__(
        self,
        server: EdgeServer | None,
        taken: Sequence[str],
        parent: QWidget | None = None,
        offline: Callable[[], bool] = lambda: False,
        models: Sequence[str] = (),
        pending_key: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.jobs = []
        self.original = server
        self._taken = {t.lower() for t in taken}
        self._offline = offline
        self._pending_key = pending_key
        self.setWindowTitle(
            self.tr("Edge Server")
            if server is None
            else self.tr("Edge Server {name}").format(name=server.name)
        )
        server = server or EdgeServer(name="", url="")
        form = QFormLayout(self)
        self.name = QLineEdit(server.name)
        self.name.setPlaceholderText(EXAMPLE_NAME)
        described(self.name, self.tr("A short name of your own for this server"))
        form.addRow(self.tr("Name:"), self.name)
        self.url = QLineEdit(server.url)
        self.url.setPlaceholderText(EXAMPLE_URL)
        described(self.url, self.tr("The address the server answers on, with its port"))
        form.addRow(self.tr("URL:"), self.url)
        self.protocol = QComboBox()
        for protocol in PROTOCOLS:
            self.protocol.addItem(tr_(PROTOCOL_LABELS[protocol]), protocol)
        self.protocol.setCurrentIndex(PROTOCOLS.index(server.protocol))
        described(self.protocol, self.tr("Which API the server speaks"))
        form.addRow(self.tr("Protocol:"), self.protocol)
        self.trust = trust_combo(server.trust)
        described(self.trust, self.tr("How far the server is trusted with personal data"))
        self.trust_text = QLabel()
        self.trust_text.setWordWrap(True)
        self.trust.currentIndexChanged.connect(self._show_trust)
        form.addRow(self.tr("Trust:"), self.trust)
        form.addRow("", self.trust_text)
        model_row = QHBoxLayout()
        self.model = QComboBox()
        self.model.setEditable(True)
        edit = self.model.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("The first model the server lists"))
        self.model.addItems([m for m in models if m])
        self.model.setCurrentText(server.model or (models[0] if models else ""))
        described(
            self.model,
            self.tr("The model to ask on this server: type its name or pick a listed one"),
            name=self.tr("Model"),
        )
        self.list_button = QPushButton(self.tr("List Models"))
        self.list_button.setToolTip(self.tr("Ask the server which models it serves (/v1/models)"))
        described(self.list_button, self.list_button.toolTip())
        self.list_button.clicked.connect(self.refresh_models)
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.list_button)
        form.addRow(self.tr("Model:"), model_row)
        self.tier = QComboBox()
        for tier in TIERS:
            self.tier.addItem(tr_(TIER_LABELS[tier]), tier)
        self.tier.setCurrentIndex(TIERS.index(server.tier))
        self.tier.setToolTip(
            self.tr("How capable the model is, for routing: harder tasks go to bigger tiers.")
        )
        described(self.tier, self.tier.toolTip())
        form.addRow(self.tr("Model tier:"), self.tier)
        self.price_in = price_box(server.price_in_per_mtok)
        described(self.price_in, self.tr("What a million prompt tokens cost on this server"))
        form.addRow(self.tr("Price of input:"), self.price_in)
        self.price_out = price_box(server.price_out_per_mtok)
        described(self.price_out, self.tr("What a million answer tokens cost on this server"))
        form.addRow(self.tr("Price of output:"), self.price_out)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        had_key = server.has_key or bool(pending_key)
        self.key.setPlaceholderText(
            self.tr("A key is kept in the OS keyring; type a new one to replace it")
            if had_key
            else self.tr("Optional: the server's API key (kept in the OS keyring)")
        )
        described(self.key, self.tr("The server's API key; it is kept in the OS keyring"))
        form.addRow(self.tr("API key:"), self.key)
        self.forget_key = QCheckBox(self.tr("Forget the kept key"))
        described(self.forget_key, self.tr("Delete the key kept for this server from the keyring"))
        self.forget_key.setVisible(had_key)
        form.addRow("", self.forget_key)
        self.enabled = QCheckBox(self.tr("Use this server"))
        described(self.enabled, self.tr("Whether requests may be sent to this server"))
        self.enabled.setChecked(server.enabled)
        form.addRow("", self.enabled)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        describe_buttons(self.buttons, ok=self.tr("Keep this server and close"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._show_trust()

    def _show_trust(self) -> None:
        self.trust_text.setText(tr_(TRUST_TEXT[str(self.trust.currentData())]))

    def say(self, text: str, error: bool = False) -> None:
        self.status.setText(coloured(text, error))

    def refresh_models(self) -> None:
        """Fill the model list from the server's ``/v1/models``, off the GUI thread."""
        if self._offline():
            self.say(tr_(OFFLINE_TEXT), error=True)
            return
        probe = EdgeServer(
            name="probe", url=self.url.text().strip(), protocol=str(self.protocol.currentData())
        )
        try:
            probe.validate()
        except SettingsError as exc:
            self.say(exc.user_text(), error=True)
            return
        key = self.key.text().strip() or self._pending_key or None
        kept = (
            self.original.name
            if self.original and self.original.has_key and not self.forget_key.isChecked()
            else ""
        )
        self.list_button.setEnabled(False)
        self.say(self.tr("Asking {url} for its models…").format(url=probe.base_url))
        self.run_job(
            "models",
            lambda _report: list_models(probe, key, kept),
            self._models_done,
            self._models_failed,
        )

    def _models_done(self, models: list[str]) -> None:
        self.list_button.setEnabled(True)
        if not models:
            self.say(self.tr("The server answered but lists no models."), error=True)
        else:
            current = self.model.currentText().strip()
            self.model.clear()
            self.model.addItems(models)
            self.model.setCurrentText(current if current in models else models[0])
            n = len(models)
            self.say(
                self.tr("The server serves 1 model.")
                if n == 1
                else self.tr("The server serves %n models.", "", n)
            )
        self.models_listed.emit(models)

    def _models_failed(self, error: BaseException) -> None:
        self.list_button.setEnabled(True)
        self.say(error_text(error), error=True)
        self.models_listed.emit(error)

    def server(self) -> EdgeServer:
        """The server as entered (not yet validated)."""
        return EdgeServer(
            name=self.name.text().strip(),
            url=self.url.text().strip(),
            protocol=str(self.protocol.currentData()),
            trust=str(self.trust.currentData()),
            model=self.model.currentText().strip(),
            tier=str(self.tier.currentData()),
            price_in_per_mtok=round(self.price_in.value(), 4),
            price_out_per_mtok=round(self.price_out.value(), 4),
            has_key=bool(self.new_key())
            or (
                not self.forget_key.isChecked()
                and (bool(self._pending_key) or bool(self.original and self.original.has_key))
            ),
            enabled=self.enabled.isChecked(),
        )

    def new_key(self) -> str | None:
        return self.key.text().strip() or None

    def accept(self) -> None:
        server = self.server()
        try:
            server.validate()
            if server.name.lower() in self._taken:
                raise SettingsError(
                    self.tr("An edge server is already named {name}.").format(
                        name=repr(server.name)
                    ),
                    self.tr("Choose another name."),
                )
            key = self.new_key()
            if key is not None and any(c.isspace() for c in key):
                raise SettingsError(
                    self.tr("The API key contains spaces."), self.tr("Paste the key as issued.")
                )
        except SettingsError as exc:
            self.say(exc.user_text(), error=True)
            return
        super().accept()


def trust_combo(trust: str) -> QComboBox:
    combo = QComboBox()
    for level in TRUST_LEVELS:
        combo.addItem(tr_(TRUST_LABELS[level]), level)
        combo.setItemData(combo.count() - 1, tr_(TRUST_TEXT[level]), Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(TRUST_LEVELS.index(trust))
    return combo


def price_box(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, 10_000.0)
    box.setDecimals(3)
    box.setSingleStep(0.1)
    box.setPrefix("$")
    box.setSuffix(QCoreApplication.translate("EdgeServerDialog", " per million tokens"))
    box.setSpecialValueText(QCoreApplication.translate("EdgeServerDialog", "free"))
    box.setValue(value)
    return box
