"""Settings → Edge: the servers on the user's own network that answer between this device and
the cloud (llama.cpp's server, vLLM, Ollama, LM Studio, a LiteLLM gateway).

The page lists the configured servers with their health, adds, edits and removes them, and finds
servers on ``localhost`` and on the hosts the user lists (never an address range). Every probe
runs in a :class:`~hybrid_desktop.workers.jobs.Job`, so the dialog never waits on the network;
with Offline mode on nothing is probed at all.

API keys go to the OS keyring, never into the settings file and never back onto the screen.
They are written only when the Settings dialog is accepted (:meth:`EdgeSettingsPage.apply_keys`),
so Cancel leaves the keyring as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from hybrid_desktop.config.edge import EdgeServer, split_host
from hybrid_desktop.errors import HybridDesktopError, SettingsError
from hybrid_desktop.ui.accessible import described
from hybrid_desktop.ui.edge_server_dialog import (
    OFFLINE_TEXT,
    PROBE_TIMEOUT_S,
    TRUST_LABELS,
    TRUST_TEXT,
    EdgeServerDialog,
    JobsMixin,
    coloured,
    tr_,
)
from hybrid_desktop.ui.models_tasks import error_text, make_table, table_item
from hybrid_desktop.workers.jobs import Report

log = logging.getLogger(__name__)

#: English source strings, translated where they are shown.
STATUS_LABELS = {
    "ok": str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "ready")),
    "loading": str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "loading its model")),
    "down": str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "down")),
}
SERVER_COLUMNS = (
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Name")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "URL")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Protocol")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Trust")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Model")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Status")),
)
FOUND_COLUMNS = (
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "URL")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Kind")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Models")),
    str(QT_TRANSLATE_NOOP("EdgeSettingsPage", "Answered in")),
)


def _t(text: str) -> str:
    return QCoreApplication.translate("EdgeSettingsPage", text)


def health_text(health: Any) -> str:
    """``ready (12 ms)``, ``loading its model``, ``down`` (the detail goes in the tooltip)."""
    status = str(health.status)
    words = _t(STATUS_LABELS[status]) if status in STATUS_LABELS else status
    if health.status == "ok" and health.latency_ms is not None:
        words = QCoreApplication.translate("EdgeSettingsPage", "{status} ({ms} ms)").format(
            status=words, ms=f"{health.latency_ms:.0f}"
        )
    return words


def suggest_name(url: str, kind: str, taken: Sequence[str]) -> str:
    """A name for a found server: ``localhost-llama.cpp``, made unique among ``taken``."""
    host = urlsplit(url).hostname or "edge"
    base = (
        "-".join(
            "".join(c if c.isalnum() or c in "._-" else "-" for c in part).strip("-")
            for part in (host, kind.split()[0] if kind else "")
            if part
        )[:60]
        or "edge"
    )
    used = {t.lower() for t in taken}
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}-{n}", n + 1
    return name


# background work (runs in a Job's thread) ---------------------------------------------------------


def check_health(servers: list[EdgeServer], keys: dict[str, str], report: Report) -> None:
    """Each server's health, reported as ``(name, Health)`` as soon as it is known."""
    from hybrid_desktop.config.secrets import get_edge_key
    from hybrid_desktop.core.edge.discovery import health

    for server in servers:
        key = keys.get(server.name) or (get_edge_key(server.name) if server.has_key else None)
        report((server.name, health(server, api_key=key, timeout_s=PROBE_TIMEOUT_S)))


def discover_servers(hosts: list[str]) -> list[Any]:
    from hybrid_desktop.core.edge.discovery import discover

    return list(discover(hosts))


# the page ----------------------------------------------------------------------------------------


class EdgeSettingsPage(JobsMixin, QWidget):
    """The Edge tab of the Settings dialog."""

    #: A probe ended (tests wait on it): "health", "discover".
    job_finished = Signal(str)

    def __init__(
        self,
        servers: Sequence[EdgeServer],
        hosts: Sequence[str],
        offline: Callable[[], bool] = lambda: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.jobs = []
        self._servers: list[EdgeServer] = list(servers)
        self._health: dict[str, Any] = {}
        self._found: list[Any] = []
        self._offline = offline
        #: Keyring changes to make on OK, in order: ("set", name, key), ("delete", name, None),
        #: ("move", old_name, new_name).
        self.key_ops: list[tuple[str, str, str | None]] = []
        #: Keys typed here and not yet saved (health checks and model lists use them).
        self._pending_keys: dict[str, str] = {}
        self.checked = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Servers on your own network that run a bigger model than this device: asked "
                "before the cloud for what is too hard for the local model."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = self._table(
            SERVER_COLUMNS,
            self.tr("Edge servers"),
            self.tr("The edge servers set up, with their health; double-click one to edit it"),
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_server())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = described(
            QPushButton(self.tr("Add…")), self.tr("Set up another edge server")
        )
        self.add_button.clicked.connect(lambda: self.add_server())
        self.edit_button = described(
            QPushButton(self.tr("Edit…")), self.tr("Change the selected server")
        )
        self.edit_button.clicked.connect(self.edit_server)
        self.remove_button = described(
            QPushButton(self.tr("Remove")), self.tr("Remove the selected server and its key")
        )
        self.remove_button.clicked.connect(self.remove_server)
        self.check_button = described(
            QPushButton(self.tr("Check Now")),
            self.tr("Ask each server whether it is up and its model loaded"),
        )
        self.check_button.clicked.connect(self.check)
        for button in (self.add_button, self.edit_button, self.remove_button, self.check_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        find = QFormLayout()
        self.hosts = QPlainTextEdit("\n".join(hosts))
        self.hosts.setPlaceholderText(self.tr("One per line: office-gpu, 10.0.0.5, gpu-box:9000"))
        self.hosts.setMaximumHeight(70)
        self.hosts.setToolTip(
            self.tr(
                "Find Servers looks on this device and on these hosts only, on the ports serving "
                "engines use (11434, 8080, 8000, 1234; a host with its own port: only that one). "
                "Address ranges are never scanned."
            )
        )
        self.hosts.setTabChangesFocus(True)
        described(self.hosts, self.tr("Other hosts Find Servers looks on, one per line"))
        find.addRow(self.tr("Also look on:"), self.hosts)
        layout.addLayout(find)
        find_row = QHBoxLayout()
        self.find_button = described(
            QPushButton(self.tr("Find Servers")),
            self.tr("Look for servers on this device and on the hosts listed"),
        )
        self.find_button.clicked.connect(self.find_servers)
        self.add_found_button = described(
            QPushButton(self.tr("Add Found…")), self.tr("Set up the selected server found")
        )
        self.add_found_button.setEnabled(False)
        self.add_found_button.clicked.connect(self.add_found)
        find_row.addWidget(self.find_button)
        find_row.addWidget(self.add_found_button)
        find_row.addStretch(1)
        layout.addLayout(find_row)
        self.found_table = self._table(
            FOUND_COLUMNS,
            self.tr("Servers found"),
            self.tr("The servers Find Servers found; double-click one to add it"),
        )
        self.found_table.setMaximumHeight(130)
        self.found_table.itemSelectionChanged.connect(
            lambda: self.add_found_button.setEnabled(bool(self.found_table.selectedItems()))
        )
        self.found_table.itemDoubleClicked.connect(lambda _item: self.add_found())
        self.found_table.hide()
        layout.addWidget(self.found_table)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._fill()

    def _table(self, columns: Sequence[str], name: str, description: str) -> QTableWidget:
        """A table of ``columns`` (translated) that Tab leaves, named for screen readers."""
        table = make_table(tuple(_t(c) for c in columns))
        table.setTabKeyNavigation(False)
        # Named without a tooltip, which would cover the cells' own.
        table.setAccessibleName(name)
        table.setAccessibleDescription(description)
        header = table.horizontalHeader()
        header.setAccessibleName(self.tr("{table}: columns").format(table=name))
        header.setAccessibleDescription(self.tr("The titles of the table's columns"))
        return table

    # what the dialog saves ---------------------------------------------------------------------

    def servers(self) -> list[EdgeServer]:
        return list(self._servers)

    def host_list(self) -> list[str]:
        return [h.strip() for h in self.hosts.toPlainText().splitlines() if h.strip()]

    def changes(self) -> dict[str, Any]:
        """The settings fields this page sets (for ``dataclasses.replace``)."""
        return {
            "edge_servers": [s.to_json() for s in self._servers],
            "edge_hosts": self.host_list(),
        }

    def problem(self) -> str:
        """Why the page cannot be saved as it is ("" when it can)."""
        for host in self.host_list():
            try:
                split_host(host)
            except SettingsError as exc:
                return exc.user_text()
        return ""

    def apply_keys(self) -> bool:
        """Write the key changes to the OS keyring (on OK); False, with the reason on the page,
        when the keyring refused one (the rest stay pending, so OK can be pressed again)."""
        from hybrid_desktop.config import secrets

        while self.key_ops:
            op, name, arg = self.key_ops[0]
            try:
                if op == "set" and arg is not None:
                    secrets.set_edge_key(name, arg)
                elif op == "delete":
                    secrets.delete_edge_key(name)
                elif op == "move" and arg is not None:
                    key = secrets.get_edge_key(name)
                    if key:
                        secrets.set_edge_key(arg, key)
                    secrets.delete_edge_key(name)
            except HybridDesktopError as exc:
                self.say(
                    self.tr("The key of {name} was not saved. {reason}").format(
                        name=name, reason=exc.user_text()
                    ),
                    error=True,
                )
                return False
            self.key_ops.pop(0)
        self._pending_keys.clear()
        return True

    # the list ----------------------------------------------------------------------------------

    def say(self, text: str, error: bool = False) -> None:
        self.status.setText(coloured(text, error))

    def _fill(self) -> None:
        self.table.setRowCount(len(self._servers))
        for row, server in enumerate(self._servers):
            cells = (
                server.name if server.enabled else self.tr("{name} (off)").format(name=server.name),
                server.url,
                "OpenAI" if server.protocol == "openai" else "Anthropic",
                tr_(TRUST_LABELS[server.trust]),
                server.model or self.tr("(first listed)"),
                self._status_of(server),
            )
            health = self._health.get(server.name)
            detail = health.detail if health is not None else ""
            tips = {3: tr_(TRUST_TEXT[server.trust]), 5: detail}
            for column, text in enumerate(cells):
                self.table.setItem(row, column, table_item(text, tips.get(column, "")))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def _status_of(self, server: EdgeServer) -> str:
        health = self._health.get(server.name)
        if health is not None:
            return health_text(health)
        return self.tr("not checked") if server.enabled else self.tr("off")

    def _selected(self) -> int | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return rows.pop() if len(rows) == 1 else None

    def _selection_changed(self) -> None:
        chosen = self._selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.check_button.setEnabled(bool(self._servers))

    def select(self, name: str) -> None:
        for row, server in enumerate(self._servers):
            if server.name == name:
                self.table.selectRow(row)

    def open_editor(self, dialog: EdgeServerDialog) -> bool:
        """Show the server dialog and wait for it (tests replace this to fill it in)."""
        return bool(dialog.exec())

    def _editor(
        self, server: EdgeServer | None, models: Sequence[str] = (), url: str = ""
    ) -> EdgeServerDialog:
        taken = [s.name for s in self._servers if server is None or s.name != server.name]
        pending = self._pending_keys.get(server.name) if server is not None else None
        dialog = EdgeServerDialog(server, taken, self, self._offline, models, pending)
        if url:
            dialog.url.setText(url)
        return dialog

    def add_server(
        self, url: str = "", models: Sequence[str] = (), name: str = ""
    ) -> EdgeServer | None:
        dialog = self._editor(None, models, url)
        if name:
            dialog.name.setText(name)
        accepted = self.open_editor(dialog)
        dialog.wait_jobs(PROBE_TIMEOUT_S + 1)
        if not accepted:
            return None
        server = dialog.server()
        self._servers.append(server)
        key = dialog.new_key()
        if key is not None:
            self.key_ops.append(("set", server.name, key))
            self._pending_keys[server.name] = key
        self._fill()
        self.select(server.name)
        self.say(
            self.tr("{name} is added; it is saved when you press OK.").format(name=server.name)
        )
        return server

    def edit_server(self) -> EdgeServer | None:
        row = self._selected()
        if row is None:
            return None
        old = self._servers[row]
        dialog = self._editor(old)
        accepted = self.open_editor(dialog)
        dialog.wait_jobs(PROBE_TIMEOUT_S + 1)
        if not accepted:
            return None
        new = dialog.server()
        if new.name != old.name:
            if old.has_key:
                self.key_ops.append(("move", old.name, new.name))
            if old.name in self._pending_keys:
                self._pending_keys[new.name] = self._pending_keys.pop(old.name)
            self._health.pop(old.name, None)
        key = dialog.new_key()
        if key is not None:
            self.key_ops.append(("set", new.name, key))
            self._pending_keys[new.name] = key
        elif dialog.forget_key.isChecked():
            self.key_ops.append(("delete", new.name, None))
            self._pending_keys.pop(new.name, None)
        if (new.url, new.model, new.protocol) != (old.url, old.model, old.protocol):
            self._health.pop(new.name, None)
        self._servers[row] = new
        self._fill()
        self.select(new.name)
        return new

    def remove_server(self) -> None:
        row = self._selected()
        if row is None:
            return
        server = self._servers.pop(row)
        self._health.pop(server.name, None)
        self._pending_keys.pop(server.name, None)
        # A key typed for it need not reach the keyring; a key moved to its name is deleted.
        self.key_ops = [op for op in self.key_ops if not (op[0] == "set" and op[1] == server.name)]
        self.key_ops.append(("delete", server.name, None))
        self._fill()
        self.say(
            self.tr("{name} is removed (with its key) when you press OK.").format(name=server.name)
        )

    # probes ------------------------------------------------------------------------------------

    def check(self) -> None:
        """Ask each enabled server for its health; rows update as the answers come."""
        servers = [s for s in self._servers if s.enabled]
        if not servers:
            return
        if self._offline():
            self.say(tr_(OFFLINE_TEXT))
            return
        self.checked = True
        self.check_button.setEnabled(False)
        for server in servers:
            self._health.pop(server.name, None)
        self._fill()
        keys = dict(self._pending_keys)
        self.run_job(
            "health",
            lambda report: check_health(servers, keys, report),
            lambda _none: self._checked(),
            self._check_failed,
            self._health_known,
        )

    def check_once(self) -> None:
        """The first time the tab is shown: check the servers (never again by itself)."""
        if not self.checked and any(s.enabled for s in self._servers):
            self.check()

    def _health_known(self, item: object) -> None:
        name, health = cast("tuple[str, Any]", item)
        self._health[name] = health
        for row, server in enumerate(self._servers):
            if server.name == name:
                self.table.setItem(row, 5, table_item(health_text(health), health.detail or ""))

    def _checked(self) -> None:
        self.check_button.setEnabled(bool(self._servers))
        troubles = [
            h.detail for s in self._servers if (h := self._health.get(s.name)) and h.status != "ok"
        ]
        if troubles:
            self.say(" ".join(troubles), error=True)
        elif self._health:
            self.say(self.tr("Every server that is on answers."))
        self.job_finished.emit("health")

    def _check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(bool(self._servers))
        self.say(error_text(error), error=True)
        self.job_finished.emit("health")

    def find_servers(self) -> None:
        """Look for servers on this device and the listed hosts, in the background."""
        if self._offline():
            self.say(tr_(OFFLINE_TEXT), error=True)
            return
        problem = self.problem()
        if problem:
            self.say(problem, error=True)
            return
        hosts = self.host_list()
        self.find_button.setEnabled(False)
        self.say(
            self.tr("Looking for servers on this device and {hosts}…").format(
                hosts=", ".join(hosts)
            )
            if hosts
            else self.tr("Looking for servers on this device…")
        )
        self.run_job(
            "discover", lambda _r: discover_servers(hosts), self._found_done, self._find_failed
        )

    def _found_done(self, found: list[Any]) -> None:
        self.find_button.setEnabled(True)
        self._found = list(found)
        configured = {s.base_url.rstrip("/") for s in self._servers}
        self.found_table.setRowCount(len(self._found))
        for row, item in enumerate(self._found):
            models = list(item.models)
            shown = ", ".join(models[:3])
            cells = (
                self.tr("{url} (added)").format(url=item.url)
                if item.url.rstrip("/") in configured
                else item.url,
                item.kind,
                self.tr("{models} and {count} more").format(models=shown, count=len(models) - 3)
                if len(models) > 3
                else shown,
                ""
                if item.latency_ms is None
                else self.tr("{ms} ms").format(ms=f"{item.latency_ms:.0f}"),
            )
            for column, text in enumerate(cells):
                self.found_table.setItem(row, column, table_item(text, "\n".join(models)))
        self.found_table.resizeColumnsToContents()
        self.found_table.setVisible(bool(self._found))
        if self._found:
            self.say(
                self.tr("Found {count}: choose one and press Add Found… to use it.").format(
                    count=len(self._found)
                )
            )
        else:
            self.say(
                self.tr(
                    "No server answered on /v1/models. Start one (see the README's Edge servers "
                    "section), or list the host it runs on above."
                )
            )
        self.job_finished.emit("discover")

    def _find_failed(self, error: BaseException) -> None:
        self.find_button.setEnabled(True)
        self.say(error_text(error), error=True)
        self.job_finished.emit("discover")

    def add_found(self) -> EdgeServer | None:
        rows = {i.row() for i in self.found_table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self._found[rows.pop()]
        name = suggest_name(item.url, item.kind, [s.name for s in self._servers])
        return self.add_server(url=item.url, models=list(item.models), name=name)
