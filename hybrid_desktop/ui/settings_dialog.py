"""Settings: the model (file, threads, context, generation limits), the window (hotkey, tray,
colours, language), the cloud, the edge servers (``ui/edge_settings.py``) and privacy (policies,
lists: ``ui/settings_privacy.py``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.config.settings import LANGUAGES, Settings
from hybrid_desktop.core.gguf import inspect_gguf
from hybrid_desktop.core.models import EMBEDDED_NAME
from hybrid_desktop.errors import HybridDesktopError
from hybrid_desktop.ui.accessible import describe_buttons, described
from hybrid_desktop.ui.edge_settings import EdgeSettingsPage
from hybrid_desktop.ui.settings_privacy import PrivacyPage
from hybrid_desktop.workers.tasks import TaskRunner

#: The dialog's pages, in tab order (``RunningApp.open_settings(page)``).
PAGES = ("model", "general", "cloud", "edge", "privacy")


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
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        #: The app's task pool (a dialog opened on its own makes a small one when needed).
        self._tasks = tasks
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        described(
            self.tabs.tabBar(),
            self.tr("The pages of the settings: Model, General, Cloud, Edge and Privacy"),
            name=self.tr("Settings pages"),
        )
        layout.addWidget(self.tabs)
        model_tab = QWidget()
        form = QFormLayout(model_tab)
        self.tabs.addTab(model_tab, self.tr("Model"))
        self.tabs.addTab(
            self._general_tab(settings, tray_status, hotkey_status), self.tr("General")
        )
        self.tabs.addTab(self._cloud_tab(settings), self.tr("Cloud"))
        self.edge_page = EdgeSettingsPage(
            settings.edge(), settings.edge_hosts, offline=self.offline_mode.isChecked
        )
        self.tabs.addTab(self.edge_page, self.tr("Edge"))
        self.privacy_page = PrivacyPage(settings)
        self.tabs.addTab(self.privacy_page, self.tr("Privacy"))
        # The privacy page's controls, by the names the dialog always had.
        self.never_send = self.privacy_page.never_send
        self.encrypt_history = self.privacy_page.encrypt_history
        self.policy_combos = self.privacy_page.policy_combos
        # The servers are asked for their health once the Edge tab is looked at, not before.
        self.tabs.currentChanged.connect(
            lambda index: (
                self.edge_page.check_once() if self.tabs.widget(index) is self.edge_page else None
            )
        )

        model_row = QHBoxLayout()
        self.model_path = QLineEdit(settings.model_path or "")
        self.model_path.setPlaceholderText(
            self.tr("Embedded model ({name})").format(name=EMBEDDED_NAME)
        )
        described(
            self.model_path,
            self.tr("The GGUF model file to answer with; empty: the embedded model"),
            name=self.tr("Model file (GGUF)"),
        )
        self.model_path.textChanged.connect(self._check_model)
        browse = described(
            QPushButton(self.tr("Browse…")), self.tr("Choose a GGUF model file on this computer")
        )
        browse.clicked.connect(self._browse)
        embedded = described(
            QPushButton(self.tr("Use Embedded")), self.tr("Use the model that comes with the app")
        )
        embedded.clicked.connect(self.model_path.clear)
        model_row.addWidget(self.model_path, 1)
        model_row.addWidget(browse)
        model_row.addWidget(embedded)
        form.addRow(self.tr("Model file (GGUF):"), model_row)
        self.model_status = QLabel()
        self.model_status.setWordWrap(True)
        form.addRow("", self.model_status)

        self.n_threads = self._spin(*Settings.LIMITS["n_threads"], settings.n_threads)
        described(self.n_threads, self.tr("How many processor threads the local model uses"))
        form.addRow(self.tr("CPU threads:"), self.n_threads)
        self.n_ctx = self._spin(*Settings.LIMITS["n_ctx"], settings.n_ctx, step=1024)
        described(
            self.n_ctx, self.tr("Tokens of conversation the model sees. More uses more memory.")
        )
        form.addRow(self.tr("Context size (tokens):"), self.n_ctx)
        self.max_tokens = self._spin(*Settings.LIMITS["max_tokens"], settings.max_tokens, step=128)
        described(self.max_tokens, self.tr("The most tokens one answer may have"))
        form.addRow(self.tr("Longest answer (tokens):"), self.max_tokens)
        self.temperature = self._double(*Settings.LIMITS["temperature"], settings.temperature)
        described(self.temperature, self.tr("Higher values give more varied answers"))
        form.addRow(self.tr("Temperature:"), self.temperature)
        self.top_p = self._double(*Settings.LIMITS["top_p"], settings.top_p)
        described(self.top_p, self.tr("Only the likeliest words up to this share are chosen from"))
        form.addRow(self.tr("Top-p:"), self.top_p)
        self.repeat_penalty = self._double(
            *Settings.LIMITS["repeat_penalty"], settings.repeat_penalty
        )
        described(self.repeat_penalty, self.tr("Higher values make the model repeat itself less"))
        form.addRow(self.tr("Repeat penalty:"), self.repeat_penalty)
        self.system_prompt = QPlainTextEdit(settings.system_prompt)
        self.system_prompt.setPlaceholderText(
            self.tr("Optional: instructions the model gets first")
        )
        self.system_prompt.setMaximumHeight(80)
        self.system_prompt.setTabChangesFocus(True)
        described(
            self.system_prompt, self.tr("Instructions the model gets before every conversation")
        )
        form.addRow(self.tr("System prompt:"), self.system_prompt)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        describe_buttons(self.buttons, ok=self.tr("Save the settings and close"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check_model()

    def _general_tab(self, settings: Settings, tray_status: str, hotkey_status: str) -> QWidget:
        from hybrid_desktop.workers.hotkey import platform_support

        tab = QWidget()
        form = QFormLayout(tab)
        self.hotkey = QLineEdit(settings.hotkey)
        self.hotkey.setPlaceholderText(self.tr("Off (for example Ctrl+Alt+Space)"))
        described(
            self.hotkey, self.tr("The key combination that opens the Quick Prompt from anywhere")
        )
        form.addRow(self.tr("Quick Prompt hotkey:"), self.hotkey)
        supported, why = platform_support()
        self.hotkey_status = QLabel(hotkey_status or ("" if supported else why))
        self.hotkey_status.setWordWrap(True)
        form.addRow("", self.hotkey_status)
        self.close_to_tray = QCheckBox(
            self.tr("Closing the window keeps Hybrid Desktop in the tray")
        )
        self.close_to_tray.setChecked(settings.close_to_tray)
        described(self.close_to_tray, self.tr("Off: closing the window quits the app"))
        form.addRow(self.close_to_tray)
        self.start_minimized = QCheckBox(self.tr("Start minimised to the tray"))
        self.start_minimized.setChecked(settings.start_minimized)
        described(self.start_minimized, self.tr("Start with the window hidden, only in the tray"))
        form.addRow(self.start_minimized)
        self.notify_on_answer = QCheckBox(
            self.tr("Notify me when an answer is ready in the background")
        )
        described(
            self.notify_on_answer,
            self.tr(
                "A tray notification when an answer completes while no Hybrid Desktop window has "
                "the focus (the window minimised or hidden, the Quick Prompt closed)"
            ),
        )
        self.notify_on_answer.setChecked(settings.notify_on_answer)
        form.addRow(self.notify_on_answer)
        self.start_at_login = QCheckBox(self.tr("Start Hybrid Desktop when I log in"))
        self.start_at_login.setChecked(settings.start_at_login)
        described(self.start_at_login, self.tr("Start the app with your desktop session"))
        form.addRow(self.start_at_login)
        self.tray_status = QLabel(tray_status)
        self.tray_status.setWordWrap(True)
        form.addRow(self.tr("Tray:"), self.tray_status)
        self.color_scheme = QComboBox()
        for value, label in COLOR_SCHEME_LABELS.items():
            self.color_scheme.addItem(self.tr(str(label)), value)
        self.color_scheme.setCurrentIndex(max(0, self.color_scheme.findData(settings.color_scheme)))
        self.color_scheme.setToolTip(
            self.tr("System follows the system's light or dark scheme, live.")
        )
        described(
            self.color_scheme,
            self.tr(
                "System follows the system's light or dark scheme as it changes; Light or Dark "
                "keeps that one."
            ),
            name=self.tr("Colours"),
        )
        form.addRow(self.tr("Colours:"), self.color_scheme)
        self.language = QComboBox()
        # The languages are named in their own language, so anyone can find theirs.
        names = {"system": self.tr("System language"), "en": "English", "de": "Deutsch"}
        for value in LANGUAGES:
            self.language.addItem(names[value], value)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        note = self.tr("Applies the next time Hybrid Desktop starts.")
        described(self.language, self.tr("The language of the window's texts.") + " " + note)
        form.addRow(self.tr("Language:"), self.language)
        self.language_note = QLabel(note)
        self.language_note.setWordWrap(True)
        form.addRow("", self.language_note)
        return tab

    def _cloud_tab(self, settings: Settings) -> QWidget:
        from hybrid_desktop.config import secrets

        tab = QWidget()
        form = QFormLayout(tab)
        self.offline_mode = QCheckBox(self.tr("Offline mode: no network call of any kind"))
        self.offline_mode.setChecked(settings.offline_mode)
        described(self.offline_mode, self.tr("A hard switch: nothing is sent and nothing probed"))
        form.addRow(self.offline_mode)
        key_row = QHBoxLayout()
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(
            self.tr("Paste an Anthropic API key to save it in the OS keyring")
        )
        described(
            self.key_edit,
            self.tr("A new Anthropic API key; Save Key keeps it in the OS keyring"),
            name=self.tr("API key"),
        )
        save_key = described(
            QPushButton(self.tr("Save Key")), self.tr("Save the key typed here in the OS keyring")
        )
        save_key.clicked.connect(self._save_key)
        remove_key = described(
            QPushButton(self.tr("Remove Key")),
            self.tr("Remove the saved API key from the OS keyring"),
        )
        remove_key.clicked.connect(self._remove_key)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(save_key)
        key_row.addWidget(remove_key)
        form.addRow(self.tr("API key:"), key_row)
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        form.addRow("", self.key_status)
        self._show_key_status(secrets.key_status().describe())
        model_row = QHBoxLayout()
        self.cloud_model = QComboBox()
        self.cloud_model.setEditable(True)
        self.cloud_model.addItem(settings.cloud_model)
        described(
            self.cloud_model,
            self.tr("The Claude model that answers cloud requests"),
            name=self.tr("Cloud model"),
        )
        refresh = described(
            QPushButton(self.tr("Refresh List")),
            self.tr("Ask the Models API which models this key can use (needs the network)"),
        )
        refresh.clicked.connect(self._refresh_models)
        model_row.addWidget(self.cloud_model, 1)
        model_row.addWidget(refresh)
        form.addRow(self.tr("Cloud model:"), model_row)
        self.base_url = QLineEdit(settings.cloud_base_url)
        self.base_url.setPlaceholderText(
            self.tr("Default: ANTHROPIC_BASE_URL or api.anthropic.com")
        )
        described(self.base_url, self.tr("The address of the Messages API to send to"))
        form.addRow(self.tr("API endpoint:"), self.base_url)
        self.cloud_timeout = self._double(
            *Settings.LIMITS["cloud_timeout_s"], settings.cloud_timeout_s
        )
        self.cloud_timeout.setSuffix(self.tr(" s"))
        described(
            self.cloud_timeout, self.tr("Seconds to wait for the cloud before answering locally")
        )
        form.addRow(self.tr("Give up after:"), self.cloud_timeout)
        self.daily_budget = self._double(
            *Settings.LIMITS["daily_budget_usd"], settings.daily_budget_usd
        )
        self.daily_budget.setPrefix("$")
        described(
            self.daily_budget, self.tr("Over this, requests are answered locally. 0: no cap.")
        )
        form.addRow(self.tr("Daily budget:"), self.daily_budget)
        self.monthly_budget = self._double(
            *Settings.LIMITS["monthly_budget_usd"], settings.monthly_budget_usd
        )
        self.monthly_budget.setPrefix("$")
        described(
            self.monthly_budget,
            self.tr("Over this in a month, requests are answered locally. 0: no cap."),
        )
        form.addRow(self.tr("Monthly budget:"), self.monthly_budget)
        return tab

    def _show_key_status(self, text: str, error: bool = False) -> None:
        colour = "#b91c1c" if error else "#374151"
        self.key_status.setText(_coloured(text, colour))

    def _save_key(self) -> None:
        from hybrid_desktop.config import secrets

        try:
            backend = secrets.set_api_key(self.key_edit.text())
        except HybridDesktopError as exc:
            self._show_key_status(exc.user_text(), error=True)
        else:
            self._show_key_status(
                self.tr("The API key is saved in the OS keyring ({backend}).").format(
                    backend=backend
                )
            )
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
            self.tr("The API key was removed from the OS keyring.")
            if removed
            else self.tr("There was no API key in the OS keyring.")
        )
        self.key_changed.emit()

    def _refresh_models(self) -> None:
        """Ask the Models API for the list, on a background thread (the window never waits)."""
        from hybrid_desktop.config.secrets import get_api_key
        from hybrid_desktop.core.engines.cloud import CloudEngine

        if self.offline_mode.isChecked():
            self._show_key_status(
                self.tr("Offline mode is on: the model list is not fetched."), True
            )
            return
        key, _ = get_api_key()
        if not key:
            self._show_key_status(self.tr("Save an API key first."), error=True)
            return
        engine = CloudEngine(
            key,
            base_url=self.base_url.text().strip() or None,
            read_timeout_s=10.0,
            max_retries=0,
        )
        self._show_key_status(self.tr("Asking the Models API…"))
        self._tasks = self._tasks or TaskRunner(1)
        self._tasks.run(engine.list_models, self._models_listed, self._models_failed)

    def _models_listed(self, models: list[str]) -> None:
        if not models:
            self._show_key_status(self.tr("The Models API returned no models."), error=True)
            return
        current = self.cloud_model.currentText()
        self.cloud_model.clear()
        self.cloud_model.addItems(models)
        self.cloud_model.setCurrentText(current if current in models else models[0])
        self._show_key_status(self.tr("%n models available.", "", len(models)))

    def _models_failed(self, error: BaseException) -> None:
        text = error.user_text() if isinstance(error, HybridDesktopError) else str(error)
        self._show_key_status(text, error=True)

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
            self,
            self.tr("Choose a GGUF model"),
            start,
            self.tr("GGUF models (*.gguf);;All files (*)"),
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
            self.model_status.setText(
                self.tr("The embedded {name} model will be used.").format(name=EMBEDDED_NAME)
            )
            valid = True
        else:
            try:
                info = inspect_gguf(Path(text).expanduser())
            except HybridDesktopError as exc:
                self.model_status.setText(_coloured(exc.message, "#b91c1c"))
                valid = False
            else:
                ctx = (
                    self.tr(", trained context {tokens}").format(tokens=f"{info.context_length:,}")
                    if info.context_length
                    else ""
                )
                self.model_status.setText(
                    self.tr("{name} ({architecture}{context}), {size} MB").format(
                        name=info.name,
                        architecture=info.architecture or self.tr("unknown architecture"),
                        context=ctx,
                        size=f"{info.file_size / 1e6:,.0f}",
                    )
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
            **self.privacy_page.changes(),
            model_path=self.model_path.text().strip() or None,
            n_threads=self.n_threads.value(),
            n_ctx=self.n_ctx.value(),
            max_tokens=self.max_tokens.value(),
            temperature=round(self.temperature.value(), 2),
            top_p=round(self.top_p.value(), 2),
            repeat_penalty=round(self.repeat_penalty.value(), 2),
            system_prompt=self.system_prompt.toPlainText(),
            hotkey=self.hotkey.text().strip(),
            close_to_tray=self.close_to_tray.isChecked(),
            start_minimized=self.start_minimized.isChecked(),
            notify_on_answer=self.notify_on_answer.isChecked(),
            start_at_login=self.start_at_login.isChecked(),
            color_scheme=self.color_scheme.currentData(),
            language=self.language.currentData(),
            offline_mode=self.offline_mode.isChecked(),
            cloud_model=self.cloud_model.currentText().strip() or self._settings.cloud_model,
            cloud_base_url=self.base_url.text().strip(),
            cloud_timeout_s=round(self.cloud_timeout.value(), 1),
            daily_budget_usd=round(self.daily_budget.value(), 2),
            monthly_budget_usd=round(self.monthly_budget.value(), 2),
            problems=[],
        )


def _coloured(text: str, colour: str) -> str:
    """``text`` (already translated) in ``colour``, as rich text for a label."""
    return f"<span style='color:{colour}'>{text}</span>"


#: The choices of ``Settings.color_scheme``, as the Colours list names them (translated where
#: they are shown).
COLOR_SCHEME_LABELS = {
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "System"),
    "light": QT_TRANSLATE_NOOP("SettingsDialog", "Light"),
    "dark": QT_TRANSLATE_NOOP("SettingsDialog", "Dark"),
}
