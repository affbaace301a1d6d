"""Settings → Privacy → Encrypt history: the box shows the history's state and records a change
only when the user makes one (a default of "leave it as it is" never decrypts)."""

from __future__ import annotations

from pathlib import Path

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui.settings_dialog import SettingsDialog


def test_encryption_box_records_only_a_change(qtbot, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert not dialog.encrypt_history.isChecked()  # no history yet, so nothing is encrypted
    assert dialog.result_settings().encrypt_history is None
    dialog.encrypt_history.setChecked(True)
    assert dialog.result_settings().encrypt_history is True

    chosen = SettingsDialog(Settings(encrypt_history=True))
    qtbot.addWidget(chosen)
    assert chosen.encrypt_history.isChecked()
    assert chosen.result_settings().encrypt_history is True
    chosen.encrypt_history.setChecked(False)
    assert chosen.result_settings().encrypt_history is False


def test_encryption_box_shows_an_encrypted_history(qtbot, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    database = app_home / "data" / "history.db"
    database.parent.mkdir(parents=True)
    database.write_bytes(bytes(range(16)) * 256)  # not "SQLite format 3": what SQLCipher writes
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.encrypt_history.isChecked()
    assert dialog.result_settings().encrypt_history is None  # untouched: nothing to apply
