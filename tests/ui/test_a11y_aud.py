"""What a screen reader and a keyboard user find in Settings → Edge, the edge server dialog and
the Workload Audit window: every reachable control named and described (read through Qt's
accessibility interfaces, ``tests/support/a11y.py``), the charts named and described too, and
Tab going the way the eye reads. Offscreen; the audit window in the real app with the embedded
model and a real history file."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QProgressBar, QWidget

from hybrid_desktop.config.edge import EdgeServer
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.ui.edge_server_dialog import EdgeServerDialog
from hybrid_desktop.ui.settings_dialog import SettingsDialog
from tests.support.a11y import describe, unnamed_controls
from tests.ui.test_audit_window import fill, open_from_menu, started
from tests.ui.test_edge_settings import WAIT_MS, models_server


def _focus_chain(window: QWidget) -> list[QWidget]:
    """The visible widgets that take Tab focus, in Tab order, starting from the window."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and len(chain) < 500:
        if widget.isVisibleTo(window) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _in_tab_order(window: QWidget, expected: list[QWidget]) -> bool:
    """Whether Tab reaches every one of ``expected``, in that order."""
    chain = _focus_chain(window)
    if not all(widget in chain for widget in expected):
        return False
    positions = [chain.index(widget) for widget in expected]
    return positions == sorted(positions)


def _spoken(widget: QWidget) -> tuple[str, str]:
    face = QAccessible.queryAccessibleInterface(widget)
    assert face is not None, describe(widget)
    return face.text(QAccessible.Text.Name).strip(), face.text(QAccessible.Text.Description).strip()


def test_the_edge_server_dialog_is_named_and_described(qtbot) -> None:  # type: ignore[no-untyped-def]
    new = EdgeServerDialog(None, [])
    qtbot.addWidget(new)
    new.show()
    assert new.windowTitle() == "Edge Server"
    assert unnamed_controls(new) == []
    assert _spoken(new.model)[0] == "Model"  # its row holds the List Models button too
    assert _in_tab_order(
        new,
        [
            new.name,
            new.url,
            new.protocol,
            new.trust,
            new.model,
            new.list_button,
            new.tier,
            new.price_in,
            new.price_out,
            new.key,
            new.enabled,
        ],
    )
    # A server with a kept key: "Forget the kept key" shows, named and described as well.
    kept = EdgeServer("office-gpu", "http://office-gpu:8080", has_key=True)
    edit = EdgeServerDialog(kept, ["lab"])
    qtbot.addWidget(edit)
    edit.show()
    assert edit.forget_key.isVisible()
    assert unnamed_controls(edit) == []
    assert all(_spoken(edit.forget_key))
    assert _in_tab_order(edit, [edit.key, edit.forget_key, edit.enabled])


def test_the_edge_tab_is_named_and_described_with_servers_found(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A server switched off: showing the tab probes nothing.
    off = EdgeServer("office-gpu", "http://office-gpu:8080", enabled=False)
    dialog = SettingsDialog(Settings(edge_servers=[off.to_json()], edge_hosts=["office-gpu"]))
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.edge_page
    dialog.tabs.setCurrentWidget(page)
    assert page.jobs == []
    assert unnamed_controls(page) == []
    page.table.selectRow(0)
    assert page.edit_button.isEnabled() and unnamed_controls(page) == []
    for widget in (page.table, page.table.horizontalHeader(), page.hosts):
        assert all(_spoken(widget)), describe(widget)
    # Tab moves on out of the table and the host list rather than through their cells and text.
    assert not page.table.tabKeyNavigation() and page.hosts.tabChangesFocus()
    assert _in_tab_order(
        dialog,
        [
            page.table,
            page.add_button,
            page.edit_button,
            page.remove_button,
            page.check_button,
            page.hosts,
            page.find_button,
        ],
    )
    # With the servers found shown (a real server on 127.0.0.1, found on a listed host).
    with models_server() as server:
        page.hosts.setPlainText(f"127.0.0.1:{server.server_address[1]}")
        with qtbot.waitSignal(page.job_finished, timeout=WAIT_MS):
            page.find_servers()
        assert page.found_table.isVisibleTo(dialog) and page.found_table.rowCount() >= 1
        page.found_table.selectRow(0)
        assert page.add_found_button.isEnabled()
        assert unnamed_controls(page) == []
        assert all(_spoken(page.found_table)) and all(_spoken(page.found_table.horizontalHeader()))
        assert _in_tab_order(dialog, [page.find_button, page.add_found_button, page.found_table])
        assert page.wait_jobs(5)


def test_the_audit_window_is_named_and_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(300)
    audit = open_from_menu(qtbot, started(qtbot, make_app))
    assert audit.stack.currentIndex() == 0  # the dashboard
    assert unnamed_controls(audit) == []
    # The charts (graphics views, which the probe leaves out) and the budget bars say what
    # they show.
    charts = audit.findChildren(QChartView)
    assert {audit.share, audit.latency.chart, audit.pii.chart} <= set(charts)
    for view in [*charts, *audit.findChildren(QProgressBar)]:
        name, description = _spoken(view)
        assert name and description, describe(view)
    assert _spoken(audit.share)[0] == "Requests per route over time"
    for tree in (audit.reasons.escalations, audit.reasons.fallbacks):
        assert all(_spoken(tree)) and all(_spoken(tree.header()))
    # The charts take Tab focus (a screen reader reads them), and Tab goes as the eye reads.
    assert all(view.focusPolicy() & Qt.FocusPolicy.TabFocus for view in charts)
    assert not audit.table.tabKeyNavigation()
    assert _in_tab_order(
        audit,
        [
            audit.period_box,
            audit.refresh_button,
            audit.bucket_box,
            audit.share,
            audit.latency.chart,
            audit.pii.chart,
            audit.reasons.escalations,
            audit.reasons.fallbacks,
            audit.route_filter,
            audit.status_filter,
            audit.dates_filter,
            audit.reason_filter,
            audit.table,
            audit.previous_button,
            audit.next_button,
        ],
    )
    # Day, week and month bars; the statuses offered once the summary is read.
    audit.bucket_box.setCurrentIndex(audit.bucket_box.findData("week"))
    qtbot.waitUntil(lambda: not audit.busy, timeout=WAIT_MS)
    assert audit.status_filter.count() > 1
    assert unnamed_controls(audit) == []


def test_the_empty_audit_window_is_named_and_described(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    fill(0)
    audit = open_from_menu(qtbot, started(qtbot, make_app))
    assert audit.stack.currentWidget() is audit.empty
    assert audit.windowTitle() == "Workload Audit"
    assert unnamed_controls(audit) == []
    assert _in_tab_order(audit, [audit.period_box, audit.refresh_button])
