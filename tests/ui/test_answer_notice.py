"""A completed answer: a notification when no window of the app has the focus (real embedded model,
real turn controller; the tray's notify is recorded here, as offscreen Qt has no tray), and an
announcement for screen readers."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.ui.answer_notice import AnswerNotifier, answer_preview
from tests.ui.test_main_window import WAIT_MS, wait_ready


def test_the_preview_is_one_line_cut_at_a_word() -> None:
    assert answer_preview("Paris\n\nis  the capital.") == "Paris is the capital."
    long = "word " * 100
    preview = answer_preview(long, limit=22)
    assert preview == "word word word word…"
    assert answer_preview("x" * 30, limit=10) == "x" * 10 + "…"


def _ask(qtbot, window, text: str) -> TurnResult:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(window.chat_panel.send_button.isEnabled, timeout=WAIT_MS)
    window.chat_panel.input.setPlainText(text)
    with qtbot.waitSignal(window.turns.turn_done, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    result = blocker.args[0]
    assert isinstance(result, TurnResult)
    return result


def test_an_answer_ready_in_the_background_is_notified_unless_turned_off(  # type: ignore[no-untyped-def]
    qtbot, make_app
) -> None:
    running = make_app(Settings(max_tokens=16))
    window = running.window
    wait_ready(qtbot, window)
    notified: list[tuple[str, str]] = []
    notifier = AnswerNotifier(
        window.state, window.turns, lambda title, text: notified.append((title, text)), window
    )
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    _ask(qtbot, window, "Name a tree.")
    assert notified == []  # the user is looking at the answer: no notification

    window.hide()  # closed to the tray
    qtbot.waitUntil(lambda: QApplication.activeWindow() is None, timeout=5000)
    result = _ask(qtbot, window, "Name a colour.")
    assert len(notified) == 1
    title, text = notified[0]
    assert "Answer ready from the local model" in title
    assert text == (answer_preview(result.text) or "(an empty answer)")
    assert notifier.shown == [("Answer ready from the local model", answer_preview(result.text))]

    running.state.settings.notify_on_answer = False
    _ask(qtbot, window, "Name a fruit.")
    assert len(notified) == 1  # the setting turns it off


def test_settings_buttons_are_described_and_the_notification_setting_saves(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QDialogButtonBox

    from hybrid_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(notify_on_answer=True))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    face = QAccessible.queryAccessibleInterface(ok)
    assert face.text(QAccessible.Text.Description) == "Save the settings and close"
    assert QAccessible.queryAccessibleInterface(cancel).text(QAccessible.Text.Description)
    assert dialog.notify_on_answer.isChecked()
    dialog.notify_on_answer.setChecked(False)
    assert dialog.result_settings().notify_on_answer is False
