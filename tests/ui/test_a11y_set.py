"""Screen readers find a name and a description on every control of the Settings dialog, the
privacy preview and audit log, and the status bar's cloud and model read-outs; the keyboard reaches
the Settings controls in the order they are shown (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QWidget

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.domain import Finding
from hybrid_desktop.ui.settings_dialog import SettingsDialog
from tests.support.a11y import reachable_controls, unnamed_controls

#: The Edge tab is ``ui/edge_settings.py``'s page, checked with that module.
MY_TABS = ("Model", "General", "Cloud", "Privacy")


def show_tab(dialog: SettingsDialog, title: str) -> None:
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    dialog.tabs.setCurrentIndex(titles.index(title))


def tab_chain(dialog: QDialog) -> list[QWidget]:
    """The widgets the Tab key visits, in order, from the dialog's first one."""
    chain: list[QWidget] = []
    widget = dialog.nextInFocusChain()
    while widget is not None and widget is not dialog and widget not in chain:
        if (
            widget.isVisibleTo(dialog)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


@pytest.mark.parametrize("title", MY_TABS)
def test_every_settings_control_is_named_and_described(qtbot, title: str) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(
        Settings(offline_mode=True),
        tray_status="The tray icon is shown.",
        hotkey_status="Press Ctrl+Alt+Space anywhere.",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    show_tab(dialog, title)
    assert unnamed_controls(dialog) == []
    # Every control takes the keyboard focus (a header is reached through its table).
    unreachable = [
        type(w).__name__
        for w in reachable_controls(dialog)
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(w, QHeaderView)
    ]
    assert unreachable == []


def test_the_tab_key_follows_the_settings_layout(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    expected = {
        "Model": [
            dialog.model_path,
            dialog.n_threads,
            dialog.n_ctx,
            dialog.max_tokens,
            dialog.temperature,
            dialog.top_p,
            dialog.repeat_penalty,
            dialog.system_prompt,
        ],
        "General": [
            dialog.hotkey,
            dialog.close_to_tray,
            dialog.start_minimized,
            dialog.notify_on_answer,
            dialog.start_at_login,
            dialog.color_scheme,
            dialog.language,
        ],
        "Cloud": [
            dialog.offline_mode,
            dialog.key_edit,
            dialog.cloud_model,
            dialog.base_url,
            dialog.cloud_timeout,
            dialog.daily_budget,
            dialog.monthly_budget,
        ],
        "Privacy": [
            dialog.never_send,
            dialog.privacy_page.confirm_send,
            dialog.encrypt_history,
            dialog.privacy_page.deny_terms,
            dialog.privacy_page.allow_terms,
            dialog.privacy_page.policy_table,
        ],
    }
    for title, fields in expected.items():
        show_tab(dialog, title)
        order = [dialog.tabs.tabBar(), *fields, ok, cancel]
        assert [w for w in tab_chain(dialog) if w in order] == order, title
    # Tab leaves the multi-line fields instead of typing a tab into them.
    assert dialog.system_prompt.tabChangesFocus()
    assert dialog.privacy_page.deny_terms.tabChangesFocus()


def test_the_language_is_chosen_in_general_and_saved(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "system"
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == [
        "System language",
        "English",
        "Deutsch",
    ]
    assert dialog.language_note.text() == "Applies the next time Hybrid Desktop starts."
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    result = dialog.result_settings()
    assert result.language == "de"
    result.validate()

    again = SettingsDialog(result)
    qtbot.addWidget(again)
    assert again.language.currentText() == "Deutsch"


def verdict(blocked: bool = False):  # type: ignore[no-untyped-def]
    from hybrid_desktop.core.privacy.gate import GateVerdict

    text = "Write to Olga Petrova at olga@example.com."
    person = Finding("PERSON", 9, 20, 0.91, "Olga Petrova")
    email = Finding("EMAIL_ADDRESS", 24, 41, 0.99, "olga@example.com")
    return GateVerdict(
        action="block" if blocked else "send",
        reason="Kept on this device." if blocked else "Cloud: replaced 1 person.",
        findings=(person, email),
        replaced=(person,),
        redacted=None,
        original=text,
        preview="Write to <PERSON_1> at olga@example.com.",
    )


@pytest.mark.parametrize(
    ("confirm", "blocked"), [(False, False), (True, False), (True, True)], ids=str
)
def test_the_egress_preview_is_named_and_described(qtbot, confirm: bool, blocked: bool) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui.privacy_dialogs import EgressPreview

    dialog = EgressPreview(verdict(blocked), "api.anthropic.com", confirm=confirm)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    # The two text fields are named by the titles above them.
    name = QAccessible.queryAccessibleInterface(dialog.outgoing).text(QAccessible.Text.Name)
    assert name == (
        "Nothing would be sent" if blocked else "Exactly what would be sent to api.anthropic.com"
    )
    original = QAccessible.queryAccessibleInterface(dialog.original).text(QAccessible.Text.Name)
    assert original == "Your message (findings highlighted)"


def test_the_audit_log_is_named_and_described(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.storage.history import HistoryStore
    from hybrid_desktop.storage.privacy import PrivacyStore
    from hybrid_desktop.ui.privacy_dialogs import AuditLogDialog

    history = HistoryStore(tmp_path / "history.db")
    try:
        store = PrivacyStore(history)
        store.add_audit("api.anthropic.com", "Hello <PERSON_1>", entities={"PERSON": 1})
        store.add_audit("office-gpu", "kept back", status="blocked", detail="policy")
        dialog = AuditLogDialog(store)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.table.rowCount() == 2
        assert dialog.summary.text() == "2 requests have left this device."
        status = dialog.table.item(0, 5)
        assert status is not None and status.text() == "blocked"
        dialog.table.selectRow(1)
        assert dialog.text.toPlainText() == "Hello <PERSON_1>"
        assert unnamed_controls(dialog) == []
        dialog.close()
    finally:
        history.close()


def test_the_status_bar_read_outs_are_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=8, offline_mode=True)).window
    cloud, readouts = window.cloud_status, window.readouts
    assert cloud.net_label.text() == "Offline mode"
    for widget in (
        cloud.net_label,
        cloud.spend_label,
        readouts.model_label,
        readouts.gate_label,
        readouts.speed_label,
        readouts.progress,
    ):
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Description).strip(), type(widget).__name__
    progress = QAccessible.queryAccessibleInterface(readouts.progress)
    assert progress.text(QAccessible.Text.Name) == "Loading the model"
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "C&loud")
    assert [a.text() for a in menu.actions()] == ["&Offline Mode", "Check &Connection"]
    assert all(a.toolTip() for a in menu.actions())
