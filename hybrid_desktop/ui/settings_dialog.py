"""Settings: the model (file, threads, context, generation limits), the window (hotkey, tray,
colours), the cloud, the edge servers (``ui/edge_settings.py``) and privacy (policies, lists)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.models import EMBEDDED_NAME
from hybrid_desktop.domain import ACTIONS, ENTITY_TYPES
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import describe_buttons
from hybrid_desktop.ui.edge_settings import EdgeSettingsPage
from hybrid_desktop.workers.tasks import TaskRunner


class SettingsDialog(QDialog):
    #: The API key was saved or removed here (the cloud tier reads it again).
    key_changed = Signal()

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        tray_status: str = "",
        hotkey_status: str = "",
        tasks: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        #: The app's task pool (a dialog opened on its own makes a small one when needed).
        self._tasks = tasks
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        model_tab = QWidget()
        form = QFormLayout(model_tab)
        self.tabs.addTab(model_tab, "Model")
        self.tabs.addTab(self._general_tab(settings, tray_status, hotkey_status), "General")
        self.tabs.addTab(self._cloud_tab(settings), "Cloud")
        self.edge_page = EdgeSettingsPage(
            settings.edge(), settings.edge_hosts, offline=self.offline_mode.isChecked
        )
        self.tabs.addTab(self.edge_page, "Edge")
        self.tabs.addTab(self._privacy_tab(settings), "Privacy")
        # The servers are asked for their health once the Edge tab is looked at, not before.
        self.tabs.currentChanged.connect(
            lambda index: (
                self.edge_page.check_once() if self.tabs.widget(index) is self.edge_page else None
            )
        )

        model_row = QHBoxLayout()
        self.model_path = QLineEdit(settings.model_path or "")
        self.model_path.setPlaceholderText(f"Embedded model ({EMBEDDED_NAME})")
        self.model_path.textChanged.connect(self._check_model)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        embedded = QPushButton("Use Embedded")
        embedded.clicked.connect(self.model_path.clear)
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(browse)
        model_row.addWidget(embedded)
        form.addRow("Model file (GGUF):", model_row)
        self.model_status = QLabel()
        self.model_status.setWordWrap(True)
        form.addRow("", self.model_status)

        self.n_threads = self._spin(*Settings.LIMITS["n_threads"], settings.n_threads)
        form.addRow("CPU threads:", self.n_threads)
        self.n_ctx = self._spin(*Settings.LIMITS["n_ctx"], settings.n_ctx, step=1024)
        self.n_ctx.setToolTip("Tokens of conversation the model sees. More uses more memory.")
        form.addRow("Context size (tokens):", self.n_ctx)
        self.max_tokens = self._spin(*Settings.LIMITS["max_tokens"], settings.max_tokens, step=128)
        form.addRow("Longest answer (tokens):", self.max_tokens)
        self.temperature = self._double(*Settings.LIMITS["temperature"], settings.temperature)
        form.addRow("Temperature:", self.temperature)
        self.top_p = self._double(*Settings.LIMITS["top_p"], settings.top_p)
        form.addRow("Top-p:", self.top_p)
        self.repeat_penalty = self._double(
            *Settings.LIMITS["repeat_penalty"], settings.repeat_penalty
        )
        form.addRow("Repeat penalty:", self.repeat_penalty)
        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        self.system_prompt.setPlaceholderText("Optional: instructions the model gets first")
        self.system_prompt.setMaximumHeight(80)
        form.addRow("System prompt:", self.system_prompt)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        describe_buttons(self.buttons, ok="Save the settings and close")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check_model()

    def _general_tab(self, settings: Settings, tray_status: str, hotkey_status: str) -> QWidget:
        from hybrid_desktop.workers.hotkey import platform_support

        tab = QWidget()
        form = QFormLayout(tab)
        self.hotkey = QLineEdit(settings.hotkey)
        self.hotkey.setPlaceholderText("Off (for example Ctrl+Alt+Space)")
        form.addRow("Quick Prompt hotkey:", self.hotkey)
        supported, why = platform_support()
        self.hotkey_status = QLabel(hotkey_status or ("" if supported else why))
        self.hotkey_status.setWordWrap(True)
        form.addRow("", self.hotkey_status)
        self.close_to_tray = QCheckBox("Closing the window keeps Hybrid Desktop in the tray")
        self.close_to_tray.setChecked(settings.close_to_tray)
        form.addRow(self.close_to_tray)
        self.start_minimized = QCheckBox("Start minimised to the tray")
        self.start_minimized.setChecked(settings.start_minimized)
        form.addRow(self.start_minimized)
        self.notify_on_answer = QCheckBox("Notify me when an answer is ready in the background")
        self.notify_on_answer.setToolTip(
            "A tray notification when an answer completes while no Hybrid Desktop window has "
            "the focus (the window minimised or hidden, the Quick Prompt closed)"
        )
        self.notify_on_answer.setChecked(settings.notify_on_answer)
        form.addRow(self.notify_on_answer)
        self.start_at_login = QCheckBox("Start Hybrid Desktop when I log in")
        self.start_at_login.setChecked(settings.start_at_login)
        form.addRow(self.start_at_login)
        self.tray_status = QLabel(tray_status)
        self.tray_status.setWordWrap(True)
        form.addRow("Tray:", self.tray_status)
        self.color_scheme = QComboBox()
        for value, label in COLOR_SCHEME_LABELS.items():
            self.color_scheme.addItem(label, value)
        self.color_scheme.setCurrentIndex(max(0, self.color_scheme.findData(settings.color_scheme)))
        self.color_scheme.setAccessibleName("Colours")
        self.color_scheme.setAccessibleDescription(
            "System follows the system's light or dark scheme as it changes; Light or Dark "
            "keeps that one."
        )
        self.color_scheme.setToolTip("System follows the system's light or dark scheme, live.")
        form.addRow("Colours:", self.color_scheme)
        return tab

    def _cloud_tab(self, settings: Settings) -> QWidget:
        from hybrid_desktop.config import secrets

        tab = QWidget()
        form = QFormLayout(tab)
        self.offline_mode = QCheckBox("Offline mode: no network call of any kind")
        self.offline_mode.setChecked(settings.offline_mode)
        form.addRow(self.offline_mode)
        key_row = QHBoxLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste an Anthropic API key to save it in the OS keyring")
        save_key = QPushButton("Save Key")
        save_key.clicked.connect(self._save_key)
        remove_key = QPushButton("Remove Key")
        remove_key.clicked.connect(self._remove_key)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(save_key)
        key_row.addWidget(remove_key)
        form.addRow("API key:", key_row)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        form.addRow("", self.key_status)
        self._show_key_status(secrets.key_status().describe())
        model_row = QHBoxLayout()
        self.cloud_model = QComboBox()
        self.cloud_model.setEditable(True)
        self.cloud_model.addItem(settings.cloud_model)
        refresh = QPushButton("Refresh List")
        refresh.setToolTip("Ask the Models API which models this key can use (needs the network)")
        refresh.clicked.connect(self._refresh_models)
        model_row.addWidget(self.cloud_model, 1)
        model_row.addWidget(refresh)
        form.addRow("Cloud model:", model_row)
        self.base_url = QLineEdit(settings.cloud_base_url)
        self.base_url.setPlaceholderText("Default: ANTHROPIC_BASE_URL or api.anthropic.com")
        form.addRow("API endpoint:", self.base_url)
        self.cloud_timeout = self._double(
            *Settings.LIMITS["cloud_timeout_s"], settings.cloud_timeout_s
        )
        self.cloud_timeout.setSuffix(" s")
        form.addRow("Give up after:", self.cloud_timeout)
        self.daily_budget = self._double(
            *Settings.LIMITS["daily_budget_usd"], settings.daily_budget_usd
        )
        self.daily_budget.setPrefix("$")
        self.daily_budget.setToolTip("Over this, requests are answered locally. 0: no cap.")
        form.addRow("Daily budget:", self.daily_budget)
        self.monthly_budget = self._double(
            *Settings.LIMITS["monthly_budget_usd"], settings.monthly_budget_usd
        )
        self.monthly_budget.setPrefix("$")
        form.addRow("Monthly budget:", self.monthly_budget)
        return tab

    def _show_key_status(self, text: str, error: bool = False) -> None:
        colour = "#b91c1c" if error else "#374151"
        self.key_status.setText(f"<span style='color:{colour}'>{text}</span>")

    def _save_key(self) -> None:
        from hybrid_desktop.config import secrets

        try:
            backend = secrets.set_api_key(self.key_edit.text())
        except HybridDesktopError as exc:
            self._show_key_status(exc.user_text(), error=True)
        else:
            self._show_key_status(f"The API key is saved in the OS keyring ({backend}).")
            self.key_changed.emit()
        self.key_edit.clear()

    def _remove_key(self) -> None:
        from hybrid_desktop.config import secrets

        try:
            removed = secrets.delete_api_key()
        except HybridDesktopError as exc:
            self._show_key_status(exc.user_text(), error=True)
            return
        self._show_key_status(
            "The API key was removed from the OS keyring."
            if removed
            else "There was no API key in the OS keyring."
        )
        self.key_changed.emit()

    def _refresh_models(self) -> None:
        """Ask the Models API for the list, on a background thread (the window never waits)."""
        from hybrid_desktop.config.secrets import get_api_key
        from hybrid_desktop.core.engines.cloud import CloudEngine

        if self.offline_mode.isChecked():
            self._show_key_status("Offline mode is on: the model list is not fetched.", True)
            return
        key, _ = get_api_key()
        if not key:
            self._show_key_status("Save an API key first.", error=True)
            return
        engine = CloudEngine(
            key,
            base_url=self.base_url.text().strip() or None,
            read_timeout_s=10.0,
            max_retries=0,
        )
        self._show_key_status("Asking the Models API…")
        self._tasks = self._tasks or TaskRunner(1)
        self._tasks.run(engine.list_models, self._models_listed, self._models_failed)

    def _models_listed(self, models: list[str]) -> None:
        if not models:
            self._show_key_status("The Models API returned no models.", error=True)
            return
        current = self.cloud_model.currentText()
        self.cloud_model.clear()
        self.cloud_model.addItems(models)
        self.cloud_model.setCurrentText(current if current in models else models[0])
        self._show_key_status(f"{len(models)} models available.")

    def _models_failed(self, error: BaseException) -> None:
        text = error.user_text() if isinstance(error, HybridDesktopError) else str(error)
        self._show_key_status(text, error=True)

    def _privacy_tab(self, settings: Settings) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.never_send = QCheckBox("Never send anything off this device")
        self.never_send.setChecked(settings.never_send)
        self.never_send.setToolTip("A hard switch: every answer comes from the local model.")
        form.addRow(self.never_send)
        self.confirm_send = QCheckBox("Before every cloud send, show exactly what leaves and ask")
        self.confirm_send.setChecked(settings.confirm_cloud_send)
        form.addRow(self.confirm_send)
        self._encrypted_before = _history_encrypted(settings)
        self.encrypt_history = QCheckBox(
            "Encrypt history and the placeholder vault on disk (applies at the next start)"
        )
        self.encrypt_history.setChecked(self._encrypted_before)
        self.encrypt_history.setToolTip(
            "SQLCipher (AES-256) with a random key kept in the OS keyring: without that key the "
            "history cannot be read. Also: hybrid-desktop history encrypt / decrypt / status."
        )
        form.addRow(self.encrypt_history)
        self.deny_terms = QPlainTextEdit("\n".join(settings.deny_terms))
        self.deny_terms.setPlaceholderText("One per line: client names, project code names…")
        self.deny_terms.setMaximumHeight(80)
        form.addRow("Always private:", self.deny_terms)
        self.allow_terms = QPlainTextEdit("\n".join(settings.allow_terms))
        self.allow_terms.setPlaceholderText("One per line: terms never to replace")
        self.allow_terms.setMaximumHeight(80)
        form.addRow("Never private:", self.allow_terms)
        self.policy_table = QTableWidget(len(ENTITY_TYPES), 2)
        self.policy_table.setHorizontalHeaderLabels(["Kind of data", "When found"])
        self.policy_table.verticalHeader().setVisible(False)
        self.policy_combos: dict[str, QComboBox] = {}
        for row, entity_type in enumerate(ENTITY_TYPES):
            self.policy_table.setItem(
                row, 0, QTableWidgetItem(entity_type.replace("_", " ").title())
            )
            combo = QComboBox()
            for action in ACTIONS:
                combo.addItem(ACTION_LABELS[action], action)
            combo.setCurrentIndex(
                ACTIONS.index(settings.privacy_actions.get(entity_type, "replace"))
            )
            self.policy_table.setCellWidget(row, 1, combo)
            self.policy_combos[entity_type] = combo
        self.policy_table.resizeColumnsToContents()
        self.policy_table.horizontalHeader().setStretchLastSection(True)
        form.addRow(self.policy_table)
        return tab

    @staticmethod
    def _spin(low: float, high: float, value: int, step: int = 1) -> QSpinBox:
        box = QSpinBox()
        box.setRange(int(low), int(high))
        box.setSingleStep(step)
        box.setValue(value)
        return box

    @staticmethod
    def _double(low: float, high: float, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(low, high)
        box.setSingleStep(0.05)
        box.setDecimals(2)
        box.setValue(value)
        return box

    def _browse(self) -> None:
        start = self.model_path.text() or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a GGUF model", start, "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.model_path.setText(path)

    def _check_model(self) -> bool:
        """Check the chosen file at once, so a bad file is caught before it is saved."""
        text = self.model_path.text().strip()
        ok_button = (
            self.buttons.button(QDialogButtonBox.StandardButton.Ok)
            if hasattr(self, "buttons")
            else None
        )
        if not text:
            self.model_status.setText(f"The embedded {EMBEDDED_NAME} model will be used.")
            valid = True
        else:
            try:
                info = inspect_gguf(Path(text).expanduser())
            except HybridDesktopError as exc:
                self.model_status.setText(f"<span style='color:#b91c1c'>{exc.message}</span>")
                valid = False
            else:
                ctx = f", trained context {info.context_length:,}" if info.context_length else ""
                self.model_status.setText(
                    f"{info.name} ({info.architecture or 'unknown architecture'}{ctx}), "
                    f"{info.file_size / 1e6:,.0f} MB"
                )
                valid = True
        if ok_button is not None:
            ok_button.setEnabled(valid)
        return valid

    def accept(self) -> None:
        """OK: the edge hosts must be usable and the edge keys saved, else the dialog stays
        open on the Edge tab saying why."""
        problem = self.edge_page.problem()
        if problem:
            self.edge_page.say(problem, error=True)
        if problem or not self.edge_page.apply_keys():
            self.tabs.setCurrentWidget(self.edge_page)
            return
        super().accept()

    def result_settings(self) -> Settings:
        return dataclasses.replace(
            self._settings,
            **self.edge_page.changes(),
            model_path=self.model_path.text().strip() or None,
            n_threads=self.n_threads.value(),
            n_ctx=self.n_ctx.value(),
            max_tokens=self.max_tokens.value(),
            temperature=round(self.temperature.value(), 2),
            top_p=round(self.top_p.value(), 2),
            repeat_penalty=round(self.repeat_penalty.value(), 2),
            system_prompt=self.system_prompt.toPlainText(),
            never_send=self.never_send.isChecked(),
            hotkey=self.hotkey.text().strip(),
            close_to_tray=self.close_to_tray.isChecked(),
            start_minimized=self.start_minimized.isChecked(),
            notify_on_answer=self.notify_on_answer.isChecked(),
            start_at_login=self.start_at_login.isChecked(),
            color_scheme=self.color_scheme.currentData(),
            offline_mode=self.offline_mode.isChecked(),
            cloud_model=self.cloud_model.currentText().strip() or self._settings.cloud_model,
            cloud_base_url=self.base_url.text().strip(),
            cloud_timeout_s=round(self.cloud_timeout.value(), 1),
            daily_budget_usd=round(self.daily_budget.value(), 2),
            monthly_budget_usd=round(self.monthly_budget.value(), 2),
            confirm_cloud_send=self.confirm_send.isChecked(),
            encrypt_history=(
                self.encrypt_history.isChecked()
                if self.encrypt_history.isChecked() != self._encrypted_before
                else self._settings.encrypt_history
            ),
            deny_terms=_lines(self.deny_terms.toPlainText()),
            allow_terms=_lines(self.allow_terms.toPlainText()),
            privacy_actions={
                t: combo.currentData()
                for t, combo in self.policy_combos.items()
                if combo.currentData() != "replace"
            },
            problems=[],
        )


#: The choices of ``Settings.color_scheme``, as the Colours list names them.
COLOR_SCHEME_LABELS = {"system": "System", "light": "Light", "dark": "Dark"}

ACTION_LABELS = {
    "replace": "Replace with a placeholder",
    "block": "Keep the request on this device",
    "allow": "Send as it is",
}


def _history_encrypted(settings: Settings) -> bool:
    """What the encryption box shows: the setting, else the history file as it is."""
    if settings.encrypt_history is not None:
        return settings.encrypt_history
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.storage.cipher import is_encrypted

    return is_encrypted(default_paths().database)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
