"""The router's use of the local model's tier and of the network's speed."""

from __future__ import annotations

from hybrid_desktop.core.capability import Tier
from hybrid_desktop.core.complexity import Complexity, estimate
from hybrid_desktop.core.network import NetworkMonitor, NetworkState
from hybrid_desktop.core.router import RouteInputs, decide, eta_seconds

BORDERLINE = Complexity(0.6, True, "wording like “compare”", (), 40, 300)
CLEAR = Complexity(0.97, True, "exact arithmetic on large numbers", (), 20, 300)


def _inputs(c: Complexity, network: NetworkState, **kw: object) -> RouteInputs:
    return RouteInputs("auto", c, network, has_key=True, **kw)  # type: ignore[arg-type]


def test_fast_link_sends_borderline_work_to_the_cloud() -> None:
    net = NetworkState("online", 40.0, cloud_ttft_ms=700.0, cloud_tokens_per_s=80.0)
    assert decide(_inputs(BORDERLINE, net, local_tokens_per_s=60.0)).route == "cloud"


def test_slow_first_token_keeps_borderline_work_local_and_says_so() -> None:
    net = NetworkState("online", 40.0, cloud_ttft_ms=9000.0, cloud_tokens_per_s=30.0)
    decision = decide(_inputs(BORDERLINE, net, local_tokens_per_s=60.0))
    assert decision.route == "local"
    assert decision.reason == "Local: slow network (first token after 9 s), answer here in ~5 s."
    assert decision.signals["eta_s"]["local"] < decision.signals["eta_s"]["cloud"]


def test_long_round_trip_is_slow_too() -> None:
    net = NetworkState("online", 900.0)
    decision = decide(_inputs(BORDERLINE, net, local_tokens_per_s=200.0))
    assert decision.route == "local" and "900 ms round trip" in decision.reason


def test_clear_cloud_work_still_goes_on_a_slow_link() -> None:
    net = NetworkState("online", 900.0, cloud_ttft_ms=9000.0)
    assert decide(_inputs(CLEAR, net, local_tokens_per_s=60.0)).route == "cloud"


def test_slow_local_model_does_not_keep_work_that_the_cloud_answers_sooner() -> None:
    net = NetworkState("online", 700.0, cloud_ttft_ms=1000.0, cloud_tokens_per_s=80.0)
    assert decide(_inputs(BORDERLINE, net, local_tokens_per_s=2.0)).route == "cloud"


def test_eta_uses_what_was_measured() -> None:
    net = NetworkState("online", 100.0, cloud_ttft_ms=2000.0, cloud_tokens_per_s=100.0)
    local, cloud = eta_seconds(_inputs(BORDERLINE, net, local_tokens_per_s=30.0))
    assert local == 10.0 and cloud == 0.1 + 2.0 + 3.0


def test_monitor_learns_speeds_from_real_answers() -> None:
    monitor = NetworkMonitor("http://127.0.0.1:9")
    assert monitor.state().cloud_ttft_ms is None
    monitor.observe("cloud", 8000.0, 20.0)
    monitor.observe("cloud", 4000.0, 40.0)
    monitor.observe("local", 0.0, 50.0)
    state = monitor.state()
    assert (state.cloud_ttft_ms, state.cloud_tokens_per_s) == (6000.0, 30.0)
    assert monitor.local_tokens_per_s == 50.0
    assert state.to_json()["cloud_ttft_ms"] == 6000.0


def test_reason_shows_the_tier_of_a_known_model() -> None:
    tier = Tier("large", 3, 2.4, 7.6, "Q4_K_M", 32768)
    c = estimate("hi there!", tier=tier)
    decision = decide(_inputs(c, NetworkState("online", 30.0), tier=tier))
    assert decision.route == "local"
    assert decision.reason == "Local: quick everyday task (local model 7.6B, large tier)."
    assert decision.signals["tier"]["name"] == "large"


def test_the_service_reads_the_tier_of_its_model_and_the_setting_overrides_it(
    engine, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from hybrid_desktop.config.settings import Settings
    from hybrid_desktop.core.chat import ChatService
    from hybrid_desktop.storage.history import HistoryStore

    history = HistoryStore(tmp_path / "history.db")
    try:
        assert ChatService(engine, history, Settings()).tier().name == "tiny"
        assert ChatService(engine, history, Settings(local_tier="large")).tier().name == "large"
        lazy = ChatService(None, history, Settings(), engine_factory=lambda: engine)
        assert lazy.tier().label() == "local model 135M, tiny tier"  # from the file, not loaded
    finally:
        history.close()
