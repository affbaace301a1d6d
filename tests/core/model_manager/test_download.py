"""Downloads against a real HTTP server of our own on 127.0.0.1 (tests/support/model_server.py):
drops resume, corruption is caught before the rename, and every failure leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from hybrid_desktop.core.model_manager.download import (
    DownloadControl,
    Progress,
    download,
    incomplete_path,
)
from hybrid_desktop.errors import (
    DownloadCancelledError,
    DownloadChecksumError,
    DownloadDiskFullError,
    DownloadError,
    DownloadOfflineError,
)
from tests.support.full_disk import FullDisk, full_disk  # noqa: F401  (a fixture)
from tests.support.model_server import ETAG, running_model_server

DATA = os.urandom(3 * 1024 * 1024 + 17)
DATA_SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "models"
    path.mkdir()
    return path


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_drop_halfway_through_the_real_model_resumes_and_verifies(
    embedded_model: Path, folder: Path
) -> None:
    """The issue's Done-when: the server drops the connection halfway; the download resumes with
    Range and If-Range, and the sha256 matches before the file gets its name."""
    size = embedded_model.stat().st_size
    want = hashlib.sha256(embedded_model.read_bytes()).hexdigest()
    states: list[str] = []
    with running_model_server({"smol.gguf": embedded_model}) as server:
        server.behaviour.drop_after = size // 2
        dest = folder / "smol.gguf"
        got = download(
            server.url("smol.gguf"), dest, sha256=want, progress=lambda p: states.append(p.state)
        )
    assert got == want
    assert dest.stat().st_size == size
    assert _left(folder) == ["smol.gguf"]
    first, second = server.requests
    assert "Range" not in first["headers"]
    assert second["headers"]["Range"] == f"bytes={size // 2}-"
    assert second["headers"]["If-Range"] == ETAG
    assert "retrying" in states and states[-1] == "done"


def test_a_rerun_resumes_the_partial_file_of_an_earlier_run(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.stall_after = 1_000_000  # then silence, also for the retry
        dest = folder / "m.gguf"
        with pytest.raises(DownloadError, match="partial file is kept"):
            download(server.url("m.gguf"), dest, retries=0, stall_s=0.3)
        assert incomplete_path(dest).stat().st_size == 1_000_000
        server.behaviour.stall_after = None
        assert download(server.url("m.gguf"), dest, sha256=DATA_SHA) == DATA_SHA
    assert server.requests[-1]["headers"]["Range"] == "bytes=1000000-"
    assert dest.read_bytes() == DATA
    assert _left(folder) == ["m.gguf"]


def test_a_server_that_ignores_range_restarts_from_zero(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.drop_after = 500_000
        server.behaviour.ranges = False
        assert download(server.url("m.gguf"), folder / "m.gguf", sha256=DATA_SHA) == DATA_SHA
    assert (folder / "m.gguf").read_bytes() == DATA


def test_a_changed_file_on_the_server_is_not_spliced(folder: Path) -> None:
    """If-Range: the second answer is the whole (new) file, not the rest of the old one."""
    new = os.urandom(len(DATA))
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.stall_after = 1_000_000
        dest = folder / "m.gguf"
        with pytest.raises(DownloadError):
            download(server.url("m.gguf"), dest, retries=0, stall_s=0.3)
        server.behaviour.stall_after = None
        server.files["m.gguf"] = new
        server.behaviour.etag = '"model-v2"'
        got = download(server.url("m.gguf"), dest)
    assert got == hashlib.sha256(new).hexdigest()
    assert dest.read_bytes() == new


def test_the_x_linked_etag_is_checked_when_no_sha256_is_given(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.linked_etag = f'"{DATA_SHA}"'
        server.redirects["/resolve/m.gguf"] = "/m.gguf"  # as Hugging Face: redirect to its CDN
        assert download(server.url("resolve/m.gguf"), folder / "m.gguf") == DATA_SHA
        server.behaviour.corrupt_at = 12345
        with pytest.raises(DownloadChecksumError, match=r"X-Linked-Etag.*deleted"):
            download(server.url("resolve/m.gguf"), folder / "n.gguf")
    assert _left(folder) == ["m.gguf"]


def test_a_checksum_mismatch_leaves_nothing_in_the_models_folder(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.corrupt_at = len(DATA) - 1
        with pytest.raises(DownloadChecksumError) as caught:
            download(server.url("m.gguf"), folder / "m.gguf", sha256=DATA_SHA.upper())
    assert "was deleted" in caught.value.message and caught.value.hint
    assert _left(folder) == []


def test_a_404_is_a_plain_message(folder: Path) -> None:
    with running_model_server({}) as server, pytest.raises(DownloadError) as caught:
        download(server.url("missing.gguf"), folder / "m.gguf")
    assert "HTTP 404" in caught.value.message and "models recommend" in caught.value.hint
    assert _left(folder) == []


def test_server_errors_are_retried_with_backoff(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.fail_times = 2
        assert download(server.url("m.gguf"), folder / "m.gguf", sha256=DATA_SHA) == DATA_SHA
    assert len(server.requests) == 3


def test_redirects_only_to_https_or_this_machine(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.redirects["/m.gguf"] = "http://models.example.invalid/m.gguf"
        with pytest.raises(DownloadError, match="not https"):
            download(server.url("m.gguf"), folder / "m.gguf")
        server.redirects["/loop"] = "/loop"
        with pytest.raises(DownloadError, match="more than 5 times"):
            download(server.url("loop"), folder / "m.gguf")
    assert len(server.requests) == 1 + 6
    assert _left(folder) == []


def test_plain_http_off_this_machine_is_refused_without_a_connection(folder: Path) -> None:
    with pytest.raises(DownloadError, match="https only"):
        download("http://models.example.invalid/m.gguf", folder / "m.gguf")


def test_offline_mode_refuses_before_any_connection(folder: Path) -> None:
    with (
        running_model_server({"m.gguf": DATA}) as server,
        pytest.raises(DownloadOfflineError, match="Offline mode") as caught,
    ):
        download(server.url("m.gguf"), folder / "m.gguf", offline=True)
    assert server.requests == [] and "Offline mode off" in caught.value.hint
    assert _left(folder) == []


def test_cancel_deletes_the_partial_file(folder: Path) -> None:
    control = DownloadControl()

    def on_progress(p: Progress) -> None:
        if p.done_bytes > 200_000:
            control.cancel()

    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.rate_bps = 2_000_000
        with pytest.raises(DownloadCancelledError, match="cancelled"):
            download(server.url("m.gguf"), folder / "m.gguf", progress=on_progress, control=control)
    assert _left(folder) == []


def test_cancel_during_a_stall_is_immediate(folder: Path) -> None:
    control = DownloadControl()
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.stall_after = 4096
        threading.Timer(0.5, control.cancel).start()
        started = time.monotonic()
        with pytest.raises(DownloadCancelledError):
            download(server.url("m.gguf"), folder / "m.gguf", control=control, stall_s=30)
        assert time.monotonic() - started < 3
    assert _left(folder) == []


def test_pause_keeps_the_partial_file_and_resume_finishes(folder: Path) -> None:
    control = DownloadControl()
    seen: list[Progress] = []
    part = incomplete_path(folder / "m.gguf")
    sizes: list[int] = []

    def on_progress(p: Progress) -> None:
        seen.append(p)
        if p.state == "downloading" and p.done_bytes > 300_000 and not sizes:
            sizes.append(p.done_bytes)
            control.pause()

            def later() -> None:
                sizes.append(part.stat().st_size)  # still there while paused
                control.resume()

            threading.Timer(0.4, later).start()

    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.rate_bps = 4_000_000
        got = download(
            server.url("m.gguf"), folder / "m.gguf", progress=on_progress, control=control
        )
    assert got == DATA_SHA
    assert sizes[1] >= sizes[0] > 0
    assert "paused" in [p.state for p in seen]
    assert any("Range" in r["headers"] for r in server.requests[1:])
    moving = [p for p in seen if p.state == "downloading" and p.speed_bps > 0]
    assert moving and all(p.total_bytes == len(DATA) for p in moving)
    assert any(p.eta_s is not None and p.eta_s > 0 for p in moving)
    # The moving average follows the throttle (4 MB/s), within a broad band.
    assert 1_000_000 < moving[-1].speed_bps < 12_000_000


def test_a_stall_is_detected_within_stall_s(folder: Path) -> None:
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.stall_after = 100_000
        started = time.monotonic()
        with pytest.raises(DownloadError, match=r"no data for 0\.5 s"):
            download(server.url("m.gguf"), folder / "m.gguf", stall_s=0.5, retries=1)
        elapsed = time.monotonic() - started
    # Three stalled attempts of 0.5 s (the first made progress, so it does not count) and two
    # backoffs of at most 0.25 and 0.5 s, plus slack.
    assert elapsed < 4, elapsed
    assert len(server.requests) == 3
    assert server.requests[2]["headers"]["Range"] == "bytes=100000-"


def test_not_enough_free_disk_refuses_before_starting(folder: Path) -> None:
    free = shutil.disk_usage(folder).free
    with (
        running_model_server({"m.gguf": DATA}) as server,
        pytest.raises(DownloadDiskFullError, match="nothing was downloaded"),
    ):
        download(server.url("m.gguf"), folder / "m.gguf", expected_size=free + 1)
    assert server.requests == [] and _left(folder) == []


def test_a_disk_that_fills_while_writing_leaves_nothing(full_disk: FullDisk) -> None:  # noqa: F811
    folder = full_disk.mount / "models"
    folder.mkdir()
    full_disk.leave(pages=64)  # 256 KB free: the 3 MB body cannot fit
    with running_model_server({"m.gguf": DATA}) as server:
        server.behaviour.close_delimited = True  # no Content-Length: no check beforehand
        with pytest.raises(DownloadDiskFullError, match="filled up") as caught:
            download(server.url("m.gguf"), folder / "m.gguf")
    assert "Free some space" in caught.value.hint
    assert _left(folder) == []


def test_an_existing_destination_is_never_overwritten(folder: Path) -> None:
    (folder / "m.gguf").write_bytes(b"mine")
    with pytest.raises(DownloadError, match="already exists"):
        download("https://127.0.0.1:9/m.gguf", folder / "m.gguf")
    assert (folder / "m.gguf").read_bytes() == b"mine"


def test_a_bad_sha256_argument_is_a_plain_message(folder: Path) -> None:
    with pytest.raises(DownloadError, match="not a sha256"):
        download("https://127.0.0.1:9/m.gguf", folder / "m.gguf", sha256="abc")


def test_https_goes_through_the_configured_proxy(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An https link off this machine goes through ``HTTPS_PROXY`` in a CONNECT tunnel (the
    proxy answers for every host from our server; nothing is looked up in DNS)."""
    import ssl

    from tests.support.proxy_server import make_certificate, running_proxy

    host = "models.example.test"
    cert, key = make_certificate(tmp_path, host)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with running_model_server({"m.gguf": DATA}) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        with running_proxy(port, tls) as proxy:
            monkeypatch.setenv("HTTPS_PROXY", proxy.url)
            monkeypatch.setenv("SSL_CERT_FILE", str(cert))
            got = download(f"https://{host}/m.gguf", folder / "m.gguf", sha256=DATA_SHA)
    assert got == DATA_SHA
    assert proxy.seen == [f"CONNECT {host}:443 HTTP/1.1"]


def test_two_downloads_of_one_file_at_once_are_refused(folder: Path) -> None:
    from filelock import FileLock

    dest = folder / "m.gguf"
    with (
        FileLock(str(folder / "m.gguf.incomplete.lock")),
        pytest.raises(DownloadError, match="being downloaded already"),
    ):
        download("https://127.0.0.1:9/m.gguf", dest)
    assert not incomplete_path(dest).exists()


def test_x_linked_etag_values_are_read_as_hugging_face_sends_them() -> None:
    from hybrid_desktop.core.model_manager.download_support import normal_sha256

    assert normal_sha256(f'"{DATA_SHA.upper()}"') == DATA_SHA
    assert normal_sha256(f'W/"{DATA_SHA}"') == DATA_SHA
    assert normal_sha256('"a1b2c3-git-sha1-of-a-small-file"') is None
    assert normal_sha256("") is None


def test_the_speed_is_a_moving_average_over_the_last_seconds() -> None:
    from hybrid_desktop.core.model_manager.download_support import SPEED_WINDOW_S, Speed

    speed = Speed()
    speed.add(0.0, 0)
    assert speed.add(1.0, 1000) == 1000.0
    for t in range(2, 20):  # then 10x faster: the old second drops out of the window
        latest = speed.add(float(t), 1000 + (t - 1) * 10_000)
    assert latest == pytest.approx(10_000, rel=0.05)
    assert SPEED_WINDOW_S >= 2
