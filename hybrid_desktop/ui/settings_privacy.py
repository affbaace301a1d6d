"""Settings → Privacy: the hard switch, the send confirmation, history encryption, the term lists
and what happens to each kind of personal data (``ui/settings_dialog.py`` shows this page)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.domain import ACTIONS, ENTITY_TYPES
from hybrid_desktop.ui.accessible import described

#: What happens to a finding, as the policy table names it (translated where it is shown).
ACTION_LABELS = {
    "replace": QT_TRANSLATE_NOOP("PrivacyPage", "Replace with a placeholder"),
    "block": QT_TRANSLATE_NOOP("PrivacyPage", "Keep the request on this device"),
    "allow": QT_TRANSLATE_NOOP("PrivacyPage", "Send as it is"),
}

#: The kinds of data in the policy table, as ``entity_label`` names ``ENTITY_TYPES`` (for lupdate).
ENTITY_LABELS = (
    QT_TRANSLATE_NOOP("PrivacyPage", "Person"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Street Address"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Postcode"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Location"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Organization"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Phone Number"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Email Address"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Credit Card"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Iban Code"),
    QT_TRANSLATE_NOOP("PrivacyPage", "National Id"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Passport"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Driver License"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Ip Address"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Domain Name"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Id Number"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Date Of Birth"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Username"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Secret"),
    QT_TRANSLATE_NOOP("PrivacyPage", "Custom"),
)


def entity_label(entity_type: str) -> str:
    """``EMAIL_ADDRESS`` -> ``Email Address`` (the English source of its translation)."""
    return entity_type.replace("_", " ").title()


class PrivacyPage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        form = QFormLayout(self)
        self.never_send = QCheckBox(self.tr("Never send anything off this device"))
        self.never_send.setChecked(settings.never_send)
        described(
            self.never_send, self.tr("A hard switch: every answer comes from the local model.")
        )
        form.addRow(self.never_send)
        self.confirm_send = QCheckBox(
            self.tr("Before every cloud send, show exactly what leaves and ask")
        )
        self.confirm_send.setChecked(settings.confirm_cloud_send)
        described(self.confirm_send, self.tr("Ask before each request goes to the cloud"))
        form.addRow(self.confirm_send)
        self._encrypted_before = _history_encrypted(settings)
        self.encrypt_history = QCheckBox(
            self.tr("Encrypt history and the placeholder vault on disk (applies at the next start)")
        )
        self.encrypt_history.setChecked(self._encrypted_before)
        described(
            self.encrypt_history,
            self.tr(
                "SQLCipher (AES-256) with a random key kept in the OS keyring: without that key "
                "the history cannot be read. Also: hybrid-desktop history encrypt / decrypt / "
                "status."
            ),
        )
        form.addRow(self.encrypt_history)
        self.deny_terms = _terms(
            settings.deny_terms,
            self.tr("One per line: client names, project code names…"),
            self.tr("Terms that are always replaced by a placeholder before a cloud send"),
        )
        form.addRow(self.tr("Always private:"), self.deny_terms)
        self.allow_terms = _terms(
            settings.allow_terms,
            self.tr("One per line: terms never to replace"),
            self.tr("Terms that are sent as they are, even when they look personal"),
        )
        form.addRow(self.tr("Never private:"), self.allow_terms)
        self.policy_table = QTableWidget(len(ENTITY_TYPES), 2)
        self.policy_table.setHorizontalHeaderLabels(
            [self.tr("Kind of data"), self.tr("When found")]
        )
        described(
            self.policy_table,
            self.tr("For each kind of personal data, what happens when a request holds it"),
            name=self.tr("Privacy policy"),
        )
        self.policy_table.verticalHeader().setVisible(False)
        # No tooltip on a header: its name and description are for screen readers.
        self.policy_table.horizontalHeader().setAccessibleName(self.tr("Column titles"))
        self.policy_table.horizontalHeader().setAccessibleDescription(
            self.tr("The titles of the columns: the kind of data and what happens when found")
        )
        self.policy_combos: dict[str, QComboBox] = {}
        for row, entity_type in enumerate(ENTITY_TYPES):
            kind = self.tr(entity_label(entity_type))
            self.policy_table.setItem(row, 0, QTableWidgetItem(kind))
            combo = QComboBox()
            for action in ACTIONS:
                combo.addItem(self.tr(str(ACTION_LABELS[action])), action)
            combo.setCurrentIndex(
                ACTIONS.index(settings.privacy_actions.get(entity_type, "replace"))
            )
            described(
                combo,
                self.tr("What happens when a request holds this kind of data"),
                name=self.tr("When found: {kind}").format(kind=kind),
            )
            self.policy_table.setCellWidget(row, 1, combo)
            self.policy_combos[entity_type] = combo
        self.policy_table.resizeColumnsToContents()
        self.policy_table.horizontalHeader().setStretchLastSection(True)
        form.addRow(self.policy_table)

    def changes(self) -> dict[str, Any]:
        """The settings this page shows, as ``dataclasses.replace`` takes them."""
        return {
            "never_send": self.never_send.isChecked(),
            "confirm_cloud_send": self.confirm_send.isChecked(),
            "encrypt_history": (
                self.encrypt_history.isChecked()
                if self.encrypt_history.isChecked() != self._encrypted_before
                else self._settings.encrypt_history
            ),
            "deny_terms": _lines(self.deny_terms.toPlainText()),
            "allow_terms": _lines(self.allow_terms.toPlainText()),
            "privacy_actions": {
                t: combo.currentData()
                for t, combo in self.policy_combos.items()
                if combo.currentData() != "replace"
            },
        }


def _terms(terms: list[str], placeholder: str, description: str) -> QPlainTextEdit:
    edit = QPlainTextEdit("\n".join(terms))
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(80)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    return described(edit, description)


def _history_encrypted(settings: Settings) -> bool:
    """What the encryption box shows: the setting, else the history file as it is."""
    if settings.encrypt_history is not None:
        return settings.encrypt_history
    from hybrid_desktop.config.paths import default_paths
    from hybrid_desktop.storage.cipher import is_encrypted

    return is_encrypted(default_paths().database)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
