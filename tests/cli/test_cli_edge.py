"""``edge add|list|discover|rm`` through the installed command, on a fresh app home, against
llama-cpp-python's own server serving the embedded model (tests/support/edge_server.py).

Keys go to a real Secret Service (gnome-keyring on a private D-Bus); a server started with
``--api_key`` proves that ``edge list`` sends the key from the keyring.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hybrid_desktop.config.paths import AppPaths
from tests.conftest import run_cli
from tests.support.edge_server import LlamaServer, free_port, running_llama_server
from tests.support.secret_service import secret_lookup, secret_service

NO_BUS = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}
SERVER_FIELDS = {
    "name",
    "url",
    "protocol",
    "trust",
    "model",
    "tier",
    "price_in_per_mtok",
    "price_out_per_mtok",
    "has_key",
    "enabled",
}


def edge(*args: str, code: int = 0, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    done = run_cli("edge", *args, **kwargs)
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    for stream in (done.stdout, done.stderr):
        assert "Traceback" not in stream, stream
    return done


def edge_json(*args: str, **kwargs: Any) -> Any:
    done = edge(*args, "--json", **kwargs)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one JSON value, one line
    return json.loads(lines[0])


def settings_file(home: Path) -> Path:
    return AppPaths.under(home).settings_file


def saved_servers(home: Path) -> list[dict[str, Any]]:
    path = settings_file(home)
    servers: list[dict[str, Any]] = (
        json.loads(path.read_text())["edge_servers"] if path.exists() else []
    )
    return servers


def test_add_list_and_remove(edge_server: LlamaServer, app_home: Path) -> None:
    done = edge("add", "office-gpu", edge_server.url)
    assert "Added edge server office-gpu" in done.stdout and "edge-model" in done.stdout
    assert done.stderr == ""
    (saved,) = saved_servers(app_home)
    assert saved["model"] == "edge-model"  # the first one /v1/models lists
    assert (saved["trust"], saved["protocol"], saved["has_key"]) == (
        "organisation",
        "openai",
        False,
    )

    (listed,) = edge_json("list")
    assert set(listed) == SERVER_FIELDS | {"health"}
    assert listed["name"] == "office-gpu" and listed["url"] == edge_server.url
    assert listed["health"]["status"] == "ok"
    assert "edge-model" in listed["health"]["detail"] and listed["health"]["latency_ms"] > 0
    text = edge("list").stdout
    assert text.startswith(f"office-gpu  {edge_server.url}  openai  organisation  edge-model")
    assert "ok: office-gpu" in text

    done = edge("rm", "OFFICE-GPU")  # names are matched without case
    assert "Removed edge server office-gpu." in done.stdout
    assert saved_servers(app_home) == [] and edge_json("list") == []
    assert "No edge servers" in edge("list").stdout


def test_add_with_every_option(edge_server: LlamaServer, app_home: Path) -> None:
    added = edge_json(
        "add",
        "lab",
        f"{edge_server.url}/v1",
        "--protocol",
        "openai",
        "--trust",
        "private",
        "--model",
        "edge-model",
        "--tier",
        "medium",
        "--price-in",
        "0.5",
        "--price-out",
        "1.25",
    )
    assert added["reachable"] is True
    (saved,) = saved_servers(app_home)
    assert {k: added[k] for k in SERVER_FIELDS} == saved
    assert (saved["trust"], saved["tier"], saved["model"]) == ("private", "medium", "edge-model")
    assert (saved["price_in_per_mtok"], saved["price_out_per_mtok"]) == (0.5, 1.25)


def test_a_model_the_server_does_not_list_is_kept_with_a_warning(
    edge_server: LlamaServer, app_home: Path
) -> None:
    done = edge("add", "box", edge_server.url, "--model", "llama-70b")
    assert "does not list the model 'llama-70b'" in done.stderr and "edge-model" in done.stderr
    assert saved_servers(app_home)[0]["model"] == "llama-70b"
    (listed,) = edge_json("list")
    assert listed["health"]["status"] == "down" and "llama-70b" in listed["health"]["detail"]


def test_an_unreachable_server_is_added_with_a_warning(app_home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = edge("add", "later", url)
    assert "later could not be reached" in done.stderr and "connection refused" in done.stderr
    assert "Added edge server later" in done.stdout
    (saved,) = saved_servers(app_home)
    assert saved["url"] == url and saved["model"] == ""
    (listed,) = edge_json("list")
    assert listed["health"]["status"] == "down" and listed["health"]["latency_ms"] is None
    assert "connection refused" in listed["health"]["detail"]
    (unprobed,) = edge_json("list", "--no-probe")
    assert unprobed["health"] is None


def test_what_add_refuses(edge_server: LlamaServer, app_home: Path) -> None:
    edge("add", "box", edge_server.url)
    before = settings_file(app_home).read_text()
    taken = edge("add", "BOX", "http://127.0.0.1:1", code=1)
    assert "already exists" in taken.stderr and "edge rm" in taken.stderr
    bad_url = edge("add", "other", "ftp://box", code=1)
    assert "not an http:// or https:// URL" in bad_url.stderr
    bad_name = edge("add", "no spaces", edge_server.url, code=1)
    assert "is not usable" in bad_name.stderr
    edge("add", "other", edge_server.url, "--trust", "everyone", code=2)
    edge("add", "other", edge_server.url, "--price-out", "-3", code=2)
    assert settings_file(app_home).read_text() == before


def test_rm_of_an_unknown_name_lists_the_names(edge_server: LlamaServer, app_home: Path) -> None:
    assert "No edge server is configured." in edge("rm", "ghost", code=1).stderr
    edge("add", "alpha", edge_server.url)
    edge("add", "beta", edge_server.url)
    done = edge("rm", "ghost", code=1)
    assert "no edge server named 'ghost'" in done.stderr
    assert "The configured ones: alpha, beta." in done.stderr


def test_discover_probes_localhost_and_the_hosts_given(
    edge_server: LlamaServer, app_home: Path
) -> None:
    found = edge_json("discover", "--host", edge_server.host)
    (mine,) = [f for f in found if f["port"] == edge_server.port]
    assert mine == {
        "url": edge_server.url,
        "host": "127.0.0.1",
        "port": edge_server.port,
        "models": ["edge-model"],
        "kind": "llama-cpp-python",
        "latency_ms": mine["latency_ms"],
        "health": "ok",
    }
    # the hosts from the settings are probed too; a configured server is marked so
    path = settings_file(app_home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"edge_hosts": [edge_server.host]}))
    assert any(f["port"] == edge_server.port for f in edge_json("discover"))
    edge("add", "box", edge_server.url)
    text = edge("discover").stdout
    assert f"{edge_server.url}  edge-model  (llama-cpp-python, " in text and "configured" in text


def test_discover_finding_nothing_and_refusing_a_range(app_home: Path) -> None:
    port = free_port()
    found = edge_json("discover", "--host", f"127.0.0.1:{port}")
    assert all(f["port"] != port for f in found)
    refused = edge("discover", "--host", "10.0.0.0/24", code=1)
    assert "not a host name or address" in refused.stderr


# keys ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyring_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    with secret_service(tmp_path_factory.mktemp("keyring-home")) as env:
        yield env


def test_the_key_goes_to_the_keyring_and_to_the_server(
    keyring_env: dict[str, str], embedded_model: Path, app_home: Path
) -> None:
    key = "sk-edge-test-0123456789"
    with running_llama_server(embedded_model, api_key=key) as locked:
        # without the key the server refuses: still added, with the reason
        done = edge("add", "nokey", locked.url, env=keyring_env)
        assert "needs an API key" in done.stderr
        done = edge(
            "add", "keyed", locked.url, "--api-key-stdin", input=f"{key}\n", env=keyring_env
        )
        assert done.stderr == "" and "edge-model" in done.stdout
        assert secret_lookup(keyring_env, "hybrid-desktop", "edge-server:keyed") == key
        assert key not in settings_file(app_home).read_text()
        listed = {s["name"]: s for s in edge_json("list", env=keyring_env)}
        assert listed["keyed"]["has_key"] is True and listed["nokey"]["has_key"] is False
        assert listed["keyed"]["health"]["status"] == "ok"
        assert listed["nokey"]["health"]["status"] == "down"
        assert "API key" in listed["nokey"]["health"]["detail"]
    edge("rm", "keyed", env=keyring_env)
    assert secret_lookup(keyring_env, "hybrid-desktop", "edge-server:keyed") == ""


def test_a_key_without_a_keyring_adds_nothing(edge_server: LlamaServer, app_home: Path) -> None:
    done = edge(
        "add", "box", edge_server.url, "--api-key-stdin", input="sk-abc\n", env=NO_BUS, code=1
    )
    assert "cannot be saved" in done.stderr
    assert saved_servers(app_home) == []
    empty = edge("add", "box", edge_server.url, "--api-key-stdin", input="\n", code=1)
    assert "empty" in empty.stderr


# answering through the edge (the "done when") ---------------------------------------------

MIDDLE = "Summarise the causes of the First World War in three paragraphs."


def ask_json(*args: str, code: int = 0) -> Any:
    done = run_cli("ask", "--json", "--max-tokens", "24", *args)
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]) if code == 0 else done


def test_ask_route_edge_answers_through_the_loopback_server(
    edge_server: LlamaServer, app_home: Path
) -> None:
    edge("add", "loop", edge_server.url, "--tier", "large")
    answer = ask_json("--route", "edge", "Say hello.")
    assert answer["route"] == "edge" and answer["edge_server"] == "loop"
    assert answer["model"] == "edge-model" and answer["text"].strip()
    assert answer["reason"].startswith("Edge (loop): you chose Edge")

    # On Auto, a request above the local model's tier goes to the edge; route --json says so.
    done = run_cli("route", "--json", MIDDLE)
    decision = json.loads(done.stdout)
    assert decision["route"] == decision["tier"] == "edge"
    assert decision["edge_server"] == "loop"
    answer = ask_json(MIDDLE)
    assert answer["route"] == "edge" and answer["edge_server"] == "loop"
    # Easy work stays on the device.
    assert ask_json("Write a haiku about autumn.")["route"] == "local"


def test_a_killed_edge_server_falls_back_to_local(
    killable_edge_server: LlamaServer, app_home: Path
) -> None:
    edge("add", "loop", killable_edge_server.url, "--tier", "large")
    killable_edge_server.kill()
    answer = ask_json(MIDDLE)
    assert answer["route"] == "local" and answer["text"].strip()
    assert answer["fallback"] and "loop" in answer["fallback"]
    assert answer["reason"].startswith("Local: the edge server loop failed")
    done = ask_json("--route", "edge", "Say hello.", code=1)
    assert "error: " in done.stderr and "loop" in done.stderr
