"""Settings → Edge (pytest-qt, offscreen): servers added, edited and removed, their models listed
and their health checked against a real HTTP server on 127.0.0.1, servers found on a listed
host, keys kept in a real keyring and never shown back; the route control's Edge choice and the
Edge badges."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from hybrid_desktop.config.edge import EdgeServer
from hybrid_desktop.config.settings import Settings
from hybrid_desktop.storage.history import Message
from hybrid_desktop.ui.chat_view import badge_for, edge_server_of, route_label
from hybrid_desktop.ui.edge_server_dialog import TRUST_TEXT, EdgeServerDialog
from hybrid_desktop.ui.edge_settings import EdgeSettingsPage, suggest_name
from hybrid_desktop.ui.settings_dialog import SettingsDialog

WAIT_MS = 15_000
MODELS = ["office-model-70b", "office-model-8b"]


@contextmanager
def models_server(models: list[str] = MODELS) -> Iterator[Any]:
    """A server on 127.0.0.1 that answers ``/v1/models`` as OpenAI-compatible servers do (and
    404 elsewhere, like a server without ``/health``); records the Authorization headers."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            if self.path != "/v1/models":
                self.send_error(404)
                return
            body = json.dumps(
                {"object": "list", "data": [{"id": m, "object": "model"} for m in models]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    server.seen = seen  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill_in(**fields: Any) -> Any:
    """An ``open_editor`` that types ``fields`` into the server dialog and presses OK."""

    def editor(dialog: EdgeServerDialog) -> bool:
        for name, value in fields.items():
            widget = getattr(dialog, name)
            if name in ("protocol", "trust", "tier"):
                widget.setCurrentIndex(widget.findData(value))
            elif name == "model":
                widget.setCurrentText(value)
            elif name in ("price_in", "price_out"):
                widget.setValue(value)
            elif name in ("forget_key", "enabled"):
                widget.setChecked(value)
            else:
                widget.setText(value)
        dialog.accept()
        editor.dialog = dialog  # type: ignore[attr-defined]
        return dialog.result() == QDialog.DialogCode.Accepted

    return editor


def test_the_dialog_has_an_edge_tab_and_round_trips_servers_and_hosts(qtbot) -> None:  # type: ignore[no-untyped-def]
    office = EdgeServer("office-gpu", "http://office-gpu:8080", trust="private", model="m-70b")
    original = Settings(edge_servers=[office.to_json()], edge_hosts=["office-gpu", "10.0.0.5:9000"])
    dialog = SettingsDialog(original)
    qtbot.addWidget(dialog)
    assert "Edge" in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    page = dialog.edge_page
    assert page.table.rowCount() == 1
    assert [page.table.item(0, c).text() for c in range(5)] == [
        "office-gpu",
        "http://office-gpu:8080",
        "OpenAI",
        "Private",
        "m-70b",
    ]
    assert page.table.item(0, 5).text() == "not checked"
    result = dialog.result_settings()
    result.validate()
    assert result.edge() == [office]
    assert result.edge_hosts == ["office-gpu", "10.0.0.5:9000"]


def test_trust_levels_explain_themselves_and_default_to_organisation(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = EdgeServerDialog(None, [])
    qtbot.addWidget(dialog)
    assert dialog.trust.currentData() == "organisation"
    assert dialog.trust_text.text() == TRUST_TEXT["organisation"]
    assert "organisation's policy is applied" in dialog.trust_text.text()
    dialog.trust.setCurrentIndex(dialog.trust.findData("private"))
    assert "privacy gate is not applied" in dialog.trust_text.text()
    dialog.trust.setCurrentIndex(dialog.trust.findData("external"))
    assert "like the cloud" in dialog.trust_text.text()


def test_add_edit_remove(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = EdgeSettingsPage([], [])
    qtbot.addWidget(page)
    page.open_editor = fill_in(  # type: ignore[method-assign]
        name="office-gpu",
        url="http://office-gpu:8080/v1",
        model="m-70b",
        tier="large",
        price_in=0.25,
        price_out=1.5,
    )
    added = page.add_server()
    assert added == EdgeServer(
        "office-gpu",
        "http://office-gpu:8080/v1",
        model="m-70b",
        tier="large",
        price_in_per_mtok=0.25,
        price_out_per_mtok=1.5,
    )
    assert added.trust == "organisation" and added.base_url == "http://office-gpu:8080"
    assert page.table.rowCount() == 1 and page.edit_button.isEnabled()

    page.open_editor = fill_in(trust="external", protocol="anthropic", enabled=False)  # type: ignore[method-assign]
    edited = page.edit_server()
    assert edited is not None
    assert (edited.trust, edited.protocol, edited.enabled) == ("external", "anthropic", False)
    assert page.servers() == [edited]
    assert page.table.item(0, 0).text() == "office-gpu (off)"

    page.remove_server()
    assert page.servers() == [] and page.table.rowCount() == 0
    assert page.changes() == {"edge_servers": [], "edge_hosts": []}


def test_bad_entries_keep_the_server_dialog_open(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = EdgeServerDialog(None, ["office-gpu"])
    qtbot.addWidget(dialog)
    dialog.name.setText("Office-GPU")
    dialog.url.setText("http://other:8080")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "already named" in dialog.status.text()
    dialog.name.setText("lab")
    dialog.url.setText("ftp://lab")
    dialog.accept()
    assert "not an http:// or https:// URL" in dialog.status.text()
    dialog.url.setText("http://lab:8000")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_bad_host_keeps_the_settings_dialog_open(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.edge_page.hosts.setPlainText("office-gpu\nnot a host/path")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is dialog.edge_page
    assert "not a host name" in dialog.edge_page.status.text()


def test_the_model_list_comes_from_the_server(qtbot) -> None:  # type: ignore[no-untyped-def]
    with models_server() as server:
        dialog = EdgeServerDialog(None, [])
        qtbot.addWidget(dialog)
        dialog.url.setText(server.url)
        with qtbot.waitSignal(dialog.models_listed, timeout=WAIT_MS) as blocker:
            dialog.refresh_models()
        assert blocker.args[0] == MODELS
        assert [dialog.model.itemText(i) for i in range(dialog.model.count())] == MODELS
        assert dialog.model.currentText() == MODELS[0]
        assert "2 models" in dialog.status.text()
        assert dialog.wait_jobs(5)


def test_an_unreachable_server_says_why(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = EdgeServerDialog(None, [])
    qtbot.addWidget(dialog)
    dialog.url.setText(f"http://127.0.0.1:{closed_port()}")
    with qtbot.waitSignal(dialog.models_listed, timeout=WAIT_MS) as blocker:
        dialog.refresh_models()
    assert isinstance(blocker.args[0], Exception)
    assert "127.0.0.1" in dialog.status.text()
    assert dialog.list_button.isEnabled()
    assert dialog.wait_jobs(5)


def test_health_is_checked_when_the_tab_is_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    with models_server() as server:
        up = EdgeServer("up", server.url, model=MODELS[1])
        down = EdgeServer("down", f"http://127.0.0.1:{closed_port()}")
        wrong = EdgeServer("wrong", server.url, model="not-served")
        dialog = SettingsDialog(Settings(edge_servers=[s.to_json() for s in (up, down, wrong)]))
        qtbot.addWidget(dialog)
        page = dialog.edge_page
        with qtbot.waitSignal(page.job_finished, timeout=WAIT_MS):
            dialog.tabs.setCurrentWidget(page)
        statuses = [page.table.item(r, 5).text() for r in range(3)]
        assert statuses[0].startswith("ready (") and statuses[0].endswith(" ms)")
        assert statuses[1:] == ["down", "down"]
        assert "127.0.0.1" in page.table.item(1, 5).toolTip()
        assert "not-served" in page.table.item(2, 5).toolTip()
        assert "not-served" in page.status.text()
        # Shown again: no second round of probes by itself.
        dialog.tabs.setCurrentIndex(0)
        dialog.tabs.setCurrentWidget(page)
        assert all(job.finished for job in page.jobs) and len(page.jobs) == 1
        assert page.wait_jobs(5)


def test_find_servers_on_a_listed_host_and_add_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    with models_server() as server:
        page = EdgeSettingsPage([], [f"127.0.0.1:{server.server_address[1]}"])
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.job_finished, timeout=WAIT_MS):
            page.find_servers()
        urls = [page.found_table.item(r, 0).text() for r in range(page.found_table.rowCount())]
        assert server.url in urls
        row = urls.index(server.url)
        assert MODELS[0] in page.found_table.item(row, 2).text()
        page.found_table.selectRow(row)
        assert page.add_found_button.isEnabled()
        page.open_editor = fill_in()  # type: ignore[method-assign]
        added = page.add_found()
        assert added is not None
        assert added.url == server.url and added.model == MODELS[0]
        assert added.name.startswith("127.0.0.1")
        assert page.servers() == [added]
        assert page.wait_jobs(5)


def test_offline_mode_probes_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    with models_server() as server:
        offline = EdgeServer("box", server.url)
        page = EdgeSettingsPage([offline], ["127.0.0.1"], offline=lambda: True)
        qtbot.addWidget(page)
        page.find_servers()
        page.check()
        assert page.jobs == [] and "Offline mode" in page.status.text()
        dialog = EdgeServerDialog(offline, [], offline=lambda: True)
        qtbot.addWidget(dialog)
        dialog.refresh_models()
        assert dialog.jobs == [] and "Offline mode" in dialog.status.text()
        assert server.seen == []


def test_without_a_keyring_the_key_is_refused_and_settings_stay_open(qtbot) -> None:  # type: ignore[no-untyped-def]
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        page = dialog.edge_page
        page.open_editor = fill_in(name="box", url="http://box:8080", key="sk-edge-1")  # type: ignore[method-assign]
        assert page.add_server() is not None
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.tabs.currentWidget() is page
        assert "key of box was not saved" in page.status.text()
        assert page.key_ops  # kept: OK can be pressed again once a keyring is there
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def keyring_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import keyring
    from keyring.backends import SecretService

    from tests.support.secret_service import secret_service

    with secret_service(tmp_path / "keyring-home") as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        previous = keyring.get_keyring()
        keyring.set_keyring(SecretService.Keyring())
        try:
            yield
        finally:
            keyring.set_keyring(previous)


def test_keys_go_to_the_keyring_on_ok_and_are_never_shown_back(qtbot, keyring_on) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.config.secrets import get_edge_key

    with models_server() as server:
        dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        page = dialog.edge_page
        page.open_editor = fill_in(name="box", url=server.url, key="sk-edge-1")  # type: ignore[method-assign]
        added = page.add_server()
        assert added is not None and added.has_key
        assert get_edge_key("box") is None  # not before OK
        dialog.accept()
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert get_edge_key("box") == "sk-edge-1"
        settings = dialog.result_settings()
        assert "sk-edge-1" not in json.dumps(settings.to_json())

        # Opened again: the key field is empty, and the kept key is what the probes use.
        again = SettingsDialog(settings)
        qtbot.addWidget(again)
        editor = EdgeServerDialog(settings.edge()[0], [])
        qtbot.addWidget(editor)
        assert editor.key.text() == "" and "kept in the OS keyring" in editor.key.placeholderText()
        with qtbot.waitSignal(editor.models_listed, timeout=WAIT_MS):
            editor.refresh_models()
        assert server.seen[-1] == "Bearer sk-edge-1"
        assert editor.wait_jobs(5)

        # Renamed: the key moves with it. Removed: the key goes.
        again.edge_page.table.selectRow(0)
        again.edge_page.open_editor = fill_in(name="box2")  # type: ignore[method-assign]
        assert again.edge_page.edit_server() is not None
        again.accept()
        assert get_edge_key("box") is None and get_edge_key("box2") == "sk-edge-1"
        third = SettingsDialog(again.result_settings())
        qtbot.addWidget(third)
        third.edge_page.table.selectRow(0)
        third.edge_page.remove_server()
        third.accept()
        assert get_edge_key("box2") is None and third.result_settings().edge_servers == []


def test_edge_badges_name_the_server() -> None:
    answer = Message(
        1, 1, "assistant", "hi", route="edge", model="m-70b", meta={"edge_server": "office-gpu"}
    )
    assert badge_for(answer)[0] == "Edge (office-gpu) · m-70b"
    from_reason = Message(1, 1, "assistant", "hi", route="edge", reason="Edge (lab-1): code; 0.0 $")
    assert badge_for(from_reason)[0] == "Edge (lab-1)"
    assert route_label("edge") == "Edge" and route_label("cloud") == "cloud"
    assert route_label(None) == "local"
    assert edge_server_of("Cloud: you chose Cloud") is None


def test_found_servers_get_unique_names() -> None:
    assert suggest_name("http://127.0.0.1:8080", "llama.cpp", []) == "127.0.0.1-llama.cpp"
    assert suggest_name("http://gpu:8000", "vllm or llama-cpp-python", ["gpu-vllm"]) == "gpu-vllm-2"
    EdgeServer(suggest_name("http://[fe80::1]:1234", "lm-studio", []), "http://x").validate()


def test_the_route_control_offers_edge_only_with_a_server(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    running = make_app(Settings(max_tokens=16))
    panel = running.window.chat_panel
    box = panel.route_box
    assert [box.itemData(i) for i in range(box.count())] == ["auto", "local", "edge", "cloud"]
    index = box.findData("edge")
    item = box.model().item(index)
    assert box.itemText(index) == "Edge"
    assert not item.isEnabled() and "Settings → Edge" in item.toolTip()

    server = EdgeServer("office-gpu", "http://127.0.0.1:9")
    assert running.settings.update(edge_servers=[server.to_json()])
    assert item.isEnabled() and "office-gpu" in item.toolTip()
    box.setCurrentIndex(index)
    assert running.state.route == "edge"

    off = EdgeServer("office-gpu", "http://127.0.0.1:9", enabled=False)
    assert running.settings.update(edge_servers=[off.to_json()])
    assert not item.isEnabled() and "switched off" in item.toolTip()
    assert box.currentData() == "auto" and running.state.route == "auto"


def test_an_edge_answer_in_the_window_names_its_server(qtbot, make_app, edge_server) -> None:  # type: ignore[no-untyped-def]
    """Route Edge against the real llama-cpp-python server: the badges (while it streams, when
    done, read back from history), the status bar and the tray name the server."""
    from hybrid_desktop.ui.tray import Tray

    server = EdgeServer("office-gpu", edge_server.url, trust="private", model=edge_server.alias)
    running = make_app(Settings(max_tokens=16, edge_servers=[server.to_json()]))
    window = running.window
    if window.state.model_state == "loading":
        with qtbot.waitSignal(window.turns.model_ready, timeout=90_000):
            pass
    tray = Tray(window.state, window.settings_controller, window, running.attach_desktop().quick)
    panel = window.chat_panel
    seen: list[tuple[str, str]] = []

    class Recorder(QObject):
        """A QObject, so the slot runs in the GUI thread (after the panel's own)."""

        def routed(self, _id: int, route: str, _reason: str) -> None:
            seen.append((route, panel.chat.streaming.badge.text()))

    recorder = Recorder()
    panel.turns.routed.connect(recorder.routed)
    in_use: list[str] = []
    window.state.route_in_use.connect(lambda route: in_use.append(tray.icon_state))
    try:
        panel.route_box.setCurrentIndex(panel.route_box.findData("edge"))
        panel.input.setPlainText("What is the capital of France?")
        with qtbot.waitSignal(panel.turn_finished, timeout=90_000) as blocker:
            panel.send()
        result = blocker.args[0]
        assert result.route == "edge" and result.edge_server == "office-gpu", result
        assert seen and seen[0][0] == "edge"
        assert seen[0][1].startswith("Edge (office-gpu) · answering")
        shown = panel.chat.messages()[-1]
        assert shown.badge.text().startswith("Edge (office-gpu)")
        assert window.readouts.speed_label.text().startswith("Edge (office-gpu): ")
        assert "edge" in in_use  # the tray showed the edge while it answered
        assert tray.icon_state != "edge"  # and no longer once it is done
        conversation = result.conversation_id
        panel.new_conversation()
        panel.open_conversation(conversation)
        assert panel.chat.messages()[-1].badge.text().startswith("Edge (office-gpu)")
    finally:
        tray.hide()
