"""What a screen reader finds in the Models window (the real app with the embedded model,
offscreen): every control on each of its pages has a name and a description, a download's row
and the yes-or-no question included, and the keyboard reaches the Recommended page's controls
in the order they are read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QHeaderView, QPushButton, QWidget

from hybrid_desktop.core.model_manager.download import DownloadControl
from hybrid_desktop.ui import models_tasks as mt
from hybrid_desktop.workers.jobs import Job
from tests.support.a11y import reachable_controls, unnamed_controls
from tests.ui.test_models_dialog import open_dialog

PAGES = ("Installed", "Recommended", "Downloads", "Quantize && Prune")


def a_download_row(dialog) -> mt.DownloadRow:  # type: ignore[no-untyped-def]
    """A download's row as the Downloads page shows it (its job is never started: no network)."""
    target = mt.DownloadTarget("tiny-model", "https://example.invalid/tiny-model.gguf")
    row = mt.DownloadRow(target, Job("download", lambda _report: None), DownloadControl())
    dialog.no_downloads.hide()
    dialog.downloads_layout.insertWidget(0, row)
    return row


def test_every_page_of_the_models_window_is_named_and_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    dialog = open_dialog(qtbot, window)
    row = a_download_row(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == list(PAGES)
    for index, page in enumerate(PAGES):
        dialog.tabs.setCurrentIndex(index)
        assert unnamed_controls(dialog) == [], page
    # The probe leaves out Qt's own parts (named qt_…), the tab widget's bar among them: a
    # screen reader reads its tabs, each with its name and description.
    bar = QAccessible.queryAccessibleInterface(dialog.tabs.tabBar())
    tabs = [bar.child(i) for i in range(bar.childCount())]
    tabs = [t for t in tabs if t.role() == QAccessible.Role.PageTab]
    assert [t.text(QAccessible.Text.Name) for t in tabs] == [p.replace("&&", "&") for p in PAGES]
    assert all(t.text(QAccessible.Text.Description) for t in tabs)
    # The pages' own controls were among those probed.
    dialog.tabs.setCurrentIndex(2)
    assert {row.pause_button, row.cancel_button} <= set(reachable_controls(dialog))
    dialog.tabs.setCurrentIndex(3)
    controls = reachable_controls(dialog)
    assert {dialog.source, dialog.qtype, dialog.prune, dialog.derive_button} <= set(controls)


def test_a_finished_download_row_stays_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, make_app().window)
    row = a_download_row(dialog)
    row.finish("Cancelled; nothing was kept.", False)
    dialog.tabs.setCurrentIndex(2)
    assert unnamed_controls(dialog) == []
    assert (
        not row.pause_button.isEnabled()
        and row.pause_button.focusPolicy() != Qt.FocusPolicy.NoFocus
    )


def test_the_yes_or_no_question_is_named_and_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, make_app().window)
    box = dialog.question("Remove Model", "Delete SmolLM2-copy (98.4 MB) from disk?")
    qtbot.addWidget(box)
    box.show()
    try:
        assert box.windowTitle() == "Remove Model"
        assert unnamed_controls(box) == []
        assert len([c for c in reachable_controls(box) if isinstance(c, QPushButton)]) == 2
    finally:
        box.close()


def test_the_keyboard_goes_from_the_table_to_its_buttons_then_the_link(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, make_app().window)
    dialog.tabs.setCurrentIndex(1)
    dialog.activateWindow()
    table = dialog.recommended
    assert table.rowCount() > 0
    buttons = [table.cellWidget(r, 5) for r in range(table.rowCount())]
    expected: list[QWidget] = [*buttons, dialog.link, dialog.link_button]
    table.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in expected:
        dialog.focusNextChild()
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.append(focused)
    assert seen == expected
    for control in reachable_controls(dialog):  # a table's column headings are Qt's, mouse-only
        if not isinstance(control, QHeaderView):
            assert control.focusPolicy() & Qt.FocusPolicy.TabFocus, control
