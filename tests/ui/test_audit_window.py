"""The Workload Audit window (ui.audit_window): the real main window and worker, a real history
file filled with synthetic request records (tests/support/audit_data.fill_requests), the real
SQL aggregates (storage.audit)."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.paths import default_paths
from hybrid_desktop.storage import audit
from hybrid_desktop.storage.history import HistoryStore
from hybrid_desktop.ui.audit_window import (
    EMPTY_TEXT,
    FAILED_TEXT,
    PAGE_SIZE,
    PRIVATE_TIP,
    TITLE,
    AuditWindow,
)
from tests.support.audit_data import fill_requests

WAIT_MS = 20_000
SUMMARY = audit.summary  # the test's own reads (on its thread), never recorded
ALL_TIME = 3  # the period combo's "All time"


def fill(n: int, seed: int = 0, *, private_newest: bool = False) -> None:
    """``n`` records into this test's history file; the newest one made private if asked (as a
    "don't keep" request is recorded: no conversation, message or reason)."""
    store = HistoryStore(default_paths().database)
    try:
        if n:
            fill_requests(store.db, n, seed=seed)
        if private_newest:
            with store.db.conn:
                store.db.execute(
                    "UPDATE requests SET conversation_id = NULL, message_id = NULL,"
                    " user_message_id = NULL, reason = NULL, private = 1 WHERE id ="
                    " (SELECT id FROM requests ORDER BY created_at DESC, id DESC LIMIT 1)"
                )
    finally:
        store.close()


def count(sql: str) -> int:
    store = HistoryStore(default_paths().database)
    try:
        return int(store.db.execute(sql).fetchone()[0])
    finally:
        store.close()


def started(qtbot, make_app):  # type: ignore[no-untyped-def]
    window = make_app().window
    qtbot.waitUntil(lambda: window.built and window.state.services.storage_open, timeout=WAIT_MS)
    return window


def open_from_menu(qtbot, window) -> AuditWindow:  # type: ignore[no-untyped-def]
    """Privacy → Workload Audit…, as the user picks it; its reads awaited."""
    privacy = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Privacy")
    action = next(a for a in privacy.actions() if a.text() == "&Workload Audit…")
    action.trigger()
    dialog = window.audit_window
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, dialog: AuditWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def record_threads(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[tuple[str, object]]:
    """Record the thread each of these ``storage.audit`` reads runs on."""
    calls: list[tuple[str, object]] = []
    for name in names:
        real = getattr(audit, name)

        def recording(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            calls.append((_name, threading.current_thread()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(audit, name, recording)
    return calls


def shown_routes(dialog: AuditWindow) -> dict[str, int]:
    """The headline's count per route, as the user reads it ("■ Local 1,234 (70%)")."""
    out = {}
    for route, label in dialog.counts.routes.items():
        words = label.text().split("</span>")[1].split()
        out[route] = int(words[1].replace(",", ""))
    return out


def test_opens_from_the_menu_and_shows_the_summary(qtbot, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fill(600)
    calls = record_threads(monkeypatch, "summary", "route_share_over_time", "page")
    window = started(qtbot, make_app)
    dialog = open_from_menu(qtbot, window)
    assert dialog.windowTitle() == TITLE and dialog.isVisible()
    assert window.open_workload_audit() is dialog  # one window, kept
    settle(qtbot, dialog)
    store = window.state.history
    # The default period (30 days): the same figures as storage.audit.summary over it.
    assert dialog.body is not None and dialog.body["since"] is not None
    body = SUMMARY(store.db, dialog.body["since"])
    assert shown_routes(dialog) == body["routes"]
    assert dialog.counts.total.text().startswith(f"{body['requests']:,} requests")
    # All time: every record, as SQL counts them.
    with qtbot.waitSignal(dialog.overview_shown, timeout=WAIT_MS):
        dialog.period_box.setCurrentIndex(ALL_TIME)
    settle(qtbot, dialog)
    assert sum(shown_routes(dialog).values()) == 600
    for route, n in shown_routes(dialog).items():
        assert n == count(f"SELECT COUNT(*) FROM requests WHERE route = '{route}'")
    assert dialog.range_label.text() == "rows 1–100 of 600"  # the table's dates followed
    assert "Estimated cloud cost avoided: $" in dialog.money.avoided.text()
    assert dialog.money.note.text() == (
        "(an estimate: local and edge tokens priced at claude-sonnet-5-5's rates)"
    )
    assert dialog.pii.kept.text().startswith("Kept on this device by policy: ")
    assert 0 < len(dialog.reasons.escalations.reasons()) <= 5
    # Every read ran on the task pool, none on the GUI thread.
    assert {name for name, _ in calls} == {"summary", "route_share_over_time", "page"}
    assert all(t is not threading.main_thread() for _, t in calls)


def test_day_week_month_change_the_bars(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(600)
    dialog = open_from_menu(qtbot, started(qtbot, make_app))
    days = dialog.share.shown_categories
    assert 20 <= len(days) <= 30  # 30 days of data at most: the last 30 buckets
    with qtbot.waitSignal(dialog.share_shown, timeout=WAIT_MS) as weeks:
        dialog.bucket_box.setCurrentIndex(dialog.bucket_box.findData("week"))
    assert weeks.args[0] != days and 4 <= len(weeks.args[0]) <= 6
    with qtbot.waitSignal(dialog.share_shown, timeout=WAIT_MS) as months:
        dialog.bucket_box.setCurrentIndex(dialog.bucket_box.findData("month"))
    assert 1 <= len(months.args[0]) <= 2 and months.args[0] != weeks.args[0]
    assert all(len(label.split()) == 2 and label.split()[1].isdigit() for label in months.args[0])
    with qtbot.waitSignal(dialog.share_shown, timeout=WAIT_MS) as all_days:
        dialog.period_box.setCurrentIndex(ALL_TIME)
        dialog.bucket_box.setCurrentIndex(dialog.bucket_box.findData("day"))
    assert len(all_days.args[0]) == 30  # 90 days of data, capped to the last 30
    assert "the last 30 days shown" in dialog.share_note.text()


def test_filtering_by_route_and_paging(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(600)
    dialog = open_from_menu(qtbot, started(qtbot, make_app))
    dialog.period_box.setCurrentIndex(ALL_TIME)
    settle(qtbot, dialog)
    assert dialog.model.rowCount() == PAGE_SIZE
    with qtbot.waitSignal(dialog.page_shown, timeout=WAIT_MS) as shown:
        dialog.route_filter.setCurrentIndex(dialog.route_filter.findData("cloud"))
    cloud = count("SELECT COUNT(*) FROM requests WHERE route = 'cloud'")
    assert shown.args == [cloud] and dialog.total == cloud
    routes = {dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())}
    assert routes == {"cloud"}
    assert dialog.range_label.text() == f"rows 1–{min(cloud, PAGE_SIZE)} of {cloud}"
    # Paging: Next moves the first row on by a page, Previous comes back.
    dialog.route_filter.setCurrentIndex(0)
    settle(qtbot, dialog)
    first = dialog.model.record(0)["id"]
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    with qtbot.waitSignal(dialog.page_shown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.model.record(0)["id"] != first
    assert dialog.range_label.text() == "rows 101–200 of 600"
    with qtbot.waitSignal(dialog.page_shown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.previous_button, Qt.MouseButton.LeftButton)
    assert dialog.model.record(0)["id"] == first
    # The status filter offers the statuses present; the reason box filters after a pause.
    statuses = [dialog.status_filter.itemData(i) for i in range(dialog.status_filter.count())]
    assert statuses[0] is None and set(statuses[1:]) <= {"complete", "stopped", "partial", "error"}
    with qtbot.waitSignal(dialog.page_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(dialog.reason_filter, "you chose")
    assert shown.args == [
        count("SELECT COUNT(*) FROM requests WHERE instr(lower(reason), 'you chose') > 0")
    ]


def test_activating_a_row_opens_its_conversation(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(300, private_newest=True)
    window = started(qtbot, make_app)
    dialog = open_from_menu(qtbot, window)
    # The newest record is a private one: it says so and does not open.
    private = dialog.model.record(0)
    assert private["conversation_id"] is None
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == PRIVATE_TIP
    opened: list[tuple[int, int]] = []
    dialog.conversation_requested.connect(lambda c, m: opened.append((c, m)))
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened == [] and window.state.current_id is None
    # The next one opens, at its answer.
    record = dialog.model.record(1)
    assert record["conversation_id"] is not None
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    with qtbot.waitSignal(dialog.conversation_requested, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert blocker.args == [record["conversation_id"], record["message_id"]]
    assert window.state.current_id == record["conversation_id"]
    shown = [m.message_id for m in window.chat_panel.chat.messages()]
    assert record["message_id"] in shown


def test_an_empty_history_shows_the_empty_state(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(0)
    dialog = open_from_menu(qtbot, started(qtbot, make_app))
    assert dialog.stack.currentWidget() is dialog.empty
    assert dialog.empty.isVisible() and dialog.empty.text() == EMPTY_TEXT
    assert dialog.status.text() == ""


def test_a_failed_read_says_so_without_a_traceback(qtbot, make_app, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    fill(50)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(audit, "summary", broken)
    window = started(qtbot, make_app)
    with caplog.at_level(logging.WARNING, logger="hybrid_desktop.ui.audit_window"):
        dialog = open_from_menu(qtbot, window)
    assert dialog.status.text() == FAILED_TEXT
    assert "disk on fire" not in dialog.status.text()
    failures = [r for r in caplog.records if r.name == "hybrid_desktop.ui.audit_window"]
    assert failures and all(r.levelno == logging.WARNING and r.exc_info for r in failures)
    assert 0 < dialog.model.rowCount() == dialog.total  # the table's own read still worked


def test_every_control_has_an_accessible_name(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    fill(20)
    dialog = open_from_menu(qtbot, started(qtbot, make_app))
    controls = [
        w
        for kind in (QAbstractButton, QComboBox, QLineEdit, QTableView)
        for w in dialog.findChildren(kind)
        if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert len(controls) >= 9
    unnamed = [w for w in controls if not w.accessibleName()]
    assert unnamed == []


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history file with 100,000 records, filled once for the module."""
    path = tmp_path_factory.mktemp("audit") / "history.db"
    store = HistoryStore(path)
    try:
        fill_requests(store.db, 100_000, seed=0)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return path


@pytest.mark.slow
def test_100000_records_stay_off_the_gui_thread(qtbot, make_app, monkeypatch, big_history) -> None:  # type: ignore[no-untyped-def]
    target = default_paths().database
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(big_history, target)
    calls = record_threads(monkeypatch, "summary", "route_share_over_time", "page")
    window = started(qtbot, make_app)
    dialog = window.open_workload_audit()
    assert dialog.busy and dialog.status.text() == "Loading…"  # shown before any read ended
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.status.text() == ""
    with qtbot.waitSignal(dialog.overview_shown, timeout=WAIT_MS):
        dialog.period_box.setCurrentIndex(ALL_TIME)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert sum(shown_routes(dialog).values()) == 100_000
    assert dialog.range_label.text() == "rows 1–100 of 100,000"
    with qtbot.waitSignal(dialog.page_shown, timeout=WAIT_MS):
        dialog.route_filter.setCurrentIndex(dialog.route_filter.findData("cloud"))
    assert dialog.total == count("SELECT COUNT(*) FROM requests WHERE route = 'cloud'")
    assert {name for name, _ in calls} == {"summary", "route_share_over_time", "page"}
    assert all(t is not threading.main_thread() for _, t in calls)


def test_the_charts_follow_a_scheme_change_live(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QChart
    from PySide6.QtWidgets import QApplication

    from hybrid_desktop.ui.theme import apply_theme

    fill(60)
    dialog = open_from_menu(qtbot, started(qtbot, make_app))
    light, dark = QChart.ChartTheme.ChartThemeLight, QChart.ChartTheme.ChartThemeDark
    assert dialog.share.chart_.theme() == light
    app = QApplication.instance()
    try:
        with qtbot.waitSignal(dialog.share_shown, timeout=WAIT_MS):
            apply_theme(app, "dark")  # type: ignore[arg-type]
        settle(qtbot, dialog)
        assert dialog.share.chart_.theme() == dark
        assert dialog.share.chart_.series()  # drawn again, not emptied
    finally:
        apply_theme(app, "light")  # type: ignore[arg-type]
