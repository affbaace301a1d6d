"""The window's cloud and privacy features, with the real worker, the real gate and our Messages
API server on 127.0.0.1 (pytest-qt, offscreen)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hybrid_desktop.config.settings import Settings
from hybrid_desktop.core.chat import TurnResult
from hybrid_desktop.ui.privacy_dialogs import AuditLogDialog, EgressPreview

WAIT_MS = 90_000
PERSONAL = "Write to Olga Petrova at olga.petrova@example.com about the contract renewal."
HARD = (
    "Prove that the square root of 2 is irrational, then show step by step why the same "
    "argument fails for the square root of 4."
)


def ready(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    if window.state.model_state == "loading":
        with qtbot.waitSignal(window.turns.model_ready, timeout=WAIT_MS):
            pass


def choose_route(window, route: str) -> None:  # type: ignore[no-untyped-def]
    window.chat_panel.route_box.setCurrentIndex(window.chat_panel.route_box.findData(route))


def test_cloud_answer_is_restored_badged_and_audited(qtbot, make_app, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Dear <PERSON_1>, thanks — I will write to <EMAIL_ADDRESS_1>.")
    window = make_app(Settings(max_tokens=32)).window
    ready(qtbot, window)
    choose_route(window, "cloud")
    window.chat_panel.input.setPlainText(PERSONAL)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    result = blocker.args[0]
    assert isinstance(result, TurnResult) and result.route == "cloud"
    shown = window.chat_panel.chat.messages()[-1]
    assert (
        shown.plain_text()
        == "Dear Olga Petrova, thanks — I will write to olga.petrova@example.com."
    )
    assert shown.badge.text().startswith("cloud")
    assert "Cloud: you chose Cloud" in shown.badge.toolTip()
    body = json.dumps(fake_api.message_requests()[0].body)
    assert "Olga" not in body and "olga.petrova" not in body
    assert window.cloud_status.spend_label.text().startswith("Today $")

    dialog = window.open_audit_log()
    assert isinstance(dialog, AuditLogDialog)
    assert dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    assert "<PERSON_1>" in dialog.text.toPlainText()
    assert "Olga" not in dialog.text.toPlainText()
    out = Path(window.state.services.paths.data_dir) / "audit.jsonl"
    dialog.export_to(out)
    assert json.loads(out.read_text().splitlines()[0])["destination"].startswith("127.0.0.1")
    dialog.close()


def test_failed_cloud_falls_back_to_a_local_answer_in_the_window(qtbot, make_app, fake_api) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(mode="cut", reply="Assume sqrt 2 = p/q in lowest terms. " * 4, cut_after=14)
    window = make_app(Settings(max_tokens=24)).window
    ready(qtbot, window)
    window.chat_panel.input.setPlainText(HARD)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    result = blocker.args[0]
    assert result.route == "local" and result.fallback
    bubbles = window.chat_panel.chat.messages()
    assert [b.role for b in bubbles] == ["user", "assistant", "assistant"]
    assert bubbles[1].badge.text() == "cloud · interrupted"
    assert bubbles[1].plain_text().startswith("Assume")
    assert bubbles[2].badge.text().startswith("local")
    assert any("cloud model failed" in n for n in window.chat_panel.chat.notices())
    # The local answer offers the cloud again.
    assert not bubbles[2].cloud_button.isHidden()


def test_confirmation_shows_what_leaves_and_cancel_keeps_everything(
    qtbot, make_app, fake_api
) -> None:  # type: ignore[no-untyped-def]
    window = make_app(Settings(max_tokens=24, confirm_cloud_send=True)).window
    ready(qtbot, window)
    choose_route(window, "cloud")
    window.chat_panel.input.setPlainText(PERSONAL)
    with qtbot.waitSignal(window.chat_panel.preview_ready, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    verdict = blocker.args[0]
    dialog = window.chat_panel.preview_dialog
    assert isinstance(dialog, EgressPreview) and dialog.isVisible()
    outgoing = dialog.outgoing.toPlainText()
    assert "<PERSON_1>" in outgoing and "Olga" not in outgoing
    assert verdict.redacted is not None and verdict.redacted.text == outgoing
    assert "background-color" in dialog.original.toHtml()
    dialog.reject()
    qtbot.waitUntil(lambda: window.chat_panel.active is None, timeout=5000)
    assert window.chat_panel.input.toPlainText() == PERSONAL
    assert fake_api.message_requests() == []
    assert window.conversations.conversation_list.count() == 0

    with qtbot.waitSignal(window.chat_panel.preview_ready, timeout=WAIT_MS):
        window.chat_panel.send()
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as done:
        window.chat_panel.preview_dialog.done(EgressPreview.SEND)
    assert done.args[0].route == "cloud"
    assert len(fake_api.message_requests()) == 1


def test_preview_shows_the_redacted_text(qtbot, make_app) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    window.chat_panel.input.setPlainText(PERSONAL)
    with qtbot.waitSignal(window.chat_panel.preview_ready, timeout=WAIT_MS):
        window.preview_outgoing()
    text = window.chat_panel.preview_dialog.outgoing.toPlainText()
    assert text.startswith("Write to <PERSON_1> at <EMAIL_ADDRESS_1>")
    assert window.state.gate_state == "ready"


def test_offline_mode_switch_is_saved_and_shown(qtbot, make_app, fake_api) -> None:  # type: ignore[no-untyped-def]
    window = make_app().window
    ready(qtbot, window)
    window.cloud_status.offline_action.setChecked(True)
    assert window.state.settings.offline_mode
    assert window.cloud_status.net_label.text() == "Offline mode"
    saved = json.loads(Path(window.state.services.paths.settings_file).read_text())
    assert saved["offline_mode"] is True
    window.chat_panel.input.setPlainText(HARD)
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        window.chat_panel.send()
    assert blocker.args[0].reason == "Local: Offline mode is on."
    assert fake_api.requests == []


@pytest.mark.parametrize("route", ["local"])
def test_ask_the_cloud_model_button_resends_with_cloud(qtbot, make_app, fake_api, route) -> None:  # type: ignore[no-untyped-def]
    fake_api.set(reply="Paris.")
    window = make_app(Settings(max_tokens=16)).window
    ready(qtbot, window)
    choose_route(window, route)
    window.chat_panel.input.setPlainText("What is the capital of France?")
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS):
        window.chat_panel.send()
    local = window.chat_panel.chat.messages()[-1]
    assert not local.cloud_button.isHidden()
    with qtbot.waitSignal(window.chat_panel.turn_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(local.cloud_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].route == "cloud" and blocker.args[0].text == "Paris."
    assert window.chat_panel.route_box.currentData() == route


def test_settings_lists_models_from_the_models_api(qtbot, fake_api) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog._refresh_models()
    qtbot.waitUntil(lambda: dialog.cloud_model.count() == 3, timeout=30_000)
    assert dialog.cloud_model.itemText(0) == "claude-sonnet-5-5"
    assert "3 models" in dialog.key_status.text()
    assert any(r.path.startswith("/v1/models") for r in fake_api.requests)
