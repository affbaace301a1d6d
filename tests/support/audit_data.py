"""Synthetic request records for the workload-audit tests, benchmarks and screenshot.

:func:`fill_requests` inserts ``n`` request records (``storage.requests``' table) with their
conversations, user prompts and assistant answers, and the audit-log rows of what was sent off
the device, straight into the tables in one transaction. The routes come from the real router
(``core.router.decide``) run on inputs drawn at random: the prompt from the labelled routing set
(``tests/data/routing/labelled.jsonl``), its complexity estimated by ``core.complexity.estimate``
for the recorded local tier, and signals (requested route, network, key, offline mode, privacy
verdict, an edge server) chosen to give about 70 % local, 20 % cloud and 10 % edge. So the
policy simulator re-running the router over these records finds the recorded routes again.

Also mixed in: statuses (complete, stopped, partial, error), fallbacks (a failed cloud or edge
request answered further down), cascades (``escalated``), PII findings per type with the gate's
action, requests kept on the device by the privacy policy, private ("don't keep") requests with
no ids, priced cloud costs and free or priced edge costs, over ``days`` days up to now.

The result is deterministic for a given ``seed`` (and the current time): the same fill twice
gives the same rows.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from hybrid_desktop.core.capability import Tier
from hybrid_desktop.core.complexity import Complexity, estimate
from hybrid_desktop.core.costs import Budget, cost_usd
from hybrid_desktop.core.network import NetworkState
from hybrid_desktop.core.router import EdgeOption, RouteDecision, RouteInputs, decide
from hybrid_desktop.errors import RouteUnavailableError

ROUTING_SET = Path(__file__).resolve().parents[1] / "data" / "routing" / "labelled.jsonl"

LOCAL_MODEL = "SmolLM2-1.7B-Instruct"
LOCAL_QUANT = "Q8_0"
LOCAL_TIER = Tier("small", 1, 0.8, 1.7, LOCAL_QUANT, 8192)
CLOUD_MODEL = "claude-sonnet-5-5"
CLOUD_HOST = "api.anthropic.com"
EDGE_SERVERS = (
    # name, host, model, tier, price in/out per Mtok
    ("lab-box", "192.0.2.10:8080", "qwen2.5-14b-instruct", Tier("large", 3, 2.4, 14.8), 0.0, 0.0),
    (
        "team-gpu",
        "198.51.100.7:8000",
        "llama-3.1-8b-instruct",
        Tier("large", 3, 2.4, 8.0),
        0.2,
        0.6,
    ),
)
DAILY_CAP, MONTHLY_CAP = 2.0, 30.0

#: PII a prompt may carry: (type, the text added to the prompt, its placeholder).
PII_SNIPPETS = (
    ("PERSON", "My colleague Maria Keller asked me this.", "<PERSON_1>"),
    ("EMAIL_ADDRESS", "Reply to j.okafor@example.org if needed.", "<EMAIL_ADDRESS_1>"),
    ("PHONE_NUMBER", "Call me on +44 20 7946 0958 after.", "<PHONE_NUMBER_1>"),
    ("LOCATION", "I live at 14 Rue des Lilas, Lyon.", "<LOCATION_1>"),
    ("CREDIT_CARD", "My card is 4111 1111 1111 1111.", "<CREDIT_CARD_1>"),
    ("IBAN_CODE", "The account is DE89 3704 0044 0532 0130 00.", "<IBAN_CODE_1>"),
)
#: Types the privacy policy keeps on the device when found.
BLOCKING_TYPES = {"CREDIT_CARD", "IBAN_CODE"}

CLOUD_ERRORS = (
    "The cloud service did not answer in time (30 s).",
    "The cloud service is overloaded (529). Try again in a minute.",
    "The cloud service refused the request (rate limited, 429).",
    "The connection to the cloud service was lost.",
)
EDGE_ERRORS = (
    "The edge server lab-box did not answer in time.",
    "The edge server lab-box refused the connection.",
    "The edge server team-gpu is loading its model.",
)
ANSWERS = (
    "Here is a short answer: {w}.",
    "Sure. The main point is {w}, and the rest follows from it.",
    "In short: {w}. Let me know if you want the details.",
    "Step by step: first {w}, then check the result.",
)


@lru_cache(maxsize=1)
def _prompts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prompts the small local model can take, prompts that need more), by the estimator."""
    simple, hard = [], []
    for line in ROUTING_SET.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        prompt = json.loads(line)["prompt"]
        (hard if _estimate(prompt, LOCAL_TIER).needs_cloud else simple).append(prompt)
    return tuple(simple), tuple(hard)


@lru_cache(maxsize=20000)
def _estimate(prompt: str, tier: Tier) -> Complexity:
    return estimate(prompt, 0, tier)


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def _times(rng: random.Random, n: int, days: int, now: datetime) -> list[datetime]:
    """n times over the last ``days`` days, busier in the day than at night, oldest first."""
    start = now - timedelta(days=days)
    out = []
    for _ in range(n):
        day = rng.randrange(max(1, days))
        hour = rng.choices(range(24), weights=[1] * 7 + [4] * 12 + [2] * 5)[0]
        when = start + timedelta(days=day, hours=hour, seconds=rng.uniform(0, 3599))
        out.append(min(when, now - timedelta(seconds=1)))
    out.sort()
    return out


def _edge_option(rng: random.Random, c: Complexity, prompt: str, privacy: str | None) -> EdgeOption:
    name, _host, model, tier, p_in, p_out = rng.choice(EDGE_SERVERS)
    return EdgeOption(
        name=name,
        tier=tier,
        within_tier=not _estimate(prompt, tier).needs_cloud,
        model=model,
        trust="organisation",
        price_in_per_mtok=p_in,
        price_out_per_mtok=p_out,
        latency_ms=round(rng.uniform(2, 15), 1),
        privacy=privacy,
        privacy_reason="Kept on this device: a card or account number."
        if privacy == "block"
        else "",
    )


def _inputs(rng: random.Random, target: str, spent_today: float) -> tuple[str, RouteInputs]:
    """A prompt and router inputs that lead to ``target`` (the router has the last word)."""
    simple, hard = _prompts()
    requested = "auto"
    network = NetworkState("online", round(rng.uniform(18, 90), 1))
    has_key, offline, privacy, edge_wanted = True, False, None, rng.random() < 0.5
    if target == "local":
        prompt = rng.choice(simple) if rng.random() < 0.85 else rng.choice(hard)
        if prompt in hard:  # a hard one kept here: say why
            why = rng.random()
            if why < 0.3:
                offline = True
            elif why < 0.5:
                network = NetworkState("offline", None, "no route to host")
            elif why < 0.7:
                has_key = False
            else:
                requested = "local"
            edge_wanted = False
        elif rng.random() < 0.08:
            requested = "local"
    elif target == "cloud":
        prompt = rng.choice(hard)
        requested = "cloud" if rng.random() < 0.12 else "auto"
        edge_wanted = rng.random() < 0.3
    else:
        prompt = rng.choice(hard) if rng.random() < 0.8 else rng.choice(simple)
        requested = "edge" if prompt in simple else "auto"
        edge_wanted = True
    c = _estimate(prompt, LOCAL_TIER)
    edge = None
    if edge_wanted:
        edge = _edge_option(rng, c, prompt, privacy)
        if target == "cloud" and edge.within_tier:
            edge = None
    inputs = RouteInputs(
        requested=requested,
        complexity=c,
        network=network,
        offline_mode=offline,
        has_key=has_key,
        cloud_model=CLOUD_MODEL,
        budget=Budget(spent_today, spent_today, DAILY_CAP, MONTHLY_CAP),
        privacy=privacy,
        tier=LOCAL_TIER,
        edge=edge,
    )
    return prompt, inputs


def _decide(inputs: RouteInputs) -> RouteDecision:
    try:
        return decide(inputs)
    except RouteUnavailableError:
        return decide(
            RouteInputs(**{**inputs.__dict__, "requested": "auto"})  # type: ignore[arg-type]
        )


def _ensure_tables(db: sqlite_utils.Database) -> None:
    """The app's own schema (its migrations make ``requests`` too), on a bare database."""
    if "requests" not in db.table_names():
        from hybrid_desktop.storage.migrations import migrate

        migrate(db)


def fill_requests(db: sqlite_utils.Database, n: int, seed: int = 0, days: int = 90) -> None:
    """Insert ``n`` synthetic request records with their conversations, messages and audit-log
    rows, in one transaction (see the module's docstring)."""
    _ensure_tables(db)
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    conn = db.conn
    next_conv = (conn.execute("SELECT coalesce(max(id), 0) FROM conversations").fetchone()[0]) + 1
    next_msg = (conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]) + 1
    conversations: list[tuple[Any, ...]] = []
    messages: list[tuple[Any, ...]] = []
    audits: list[tuple[Any, ...]] = []
    requests: list[tuple[Any, ...]] = []
    conv_id, turns_left = None, 0
    spent: dict[str, float] = {}
    for when in _times(rng, n, days, now):
        target = rng.choices(("local", "cloud", "edge"), weights=(70, 20, 10))[0]
        day = when.astimezone().strftime("%Y-%m-%d")
        prompt, inputs = _inputs(rng, target, spent.get(day, 0.0))
        # PII in the prompt: the gate finds it; card and account numbers keep it local.
        pii: dict[str, int] = {}
        sent_text = prompt
        if rng.random() < 0.15:
            kind, snippet, placeholder = rng.choice(PII_SNIPPETS)
            prompt = f"{prompt} {snippet}"
            sent_text = f"{sent_text} {snippet.split(' ')[0]} {placeholder}."
            pii[kind] = 1
            if kind in BLOCKING_TYPES:
                edge = inputs.edge
                if edge is not None:
                    edge = EdgeOption(**{**edge.__dict__, "privacy": "block"})
                inputs = RouteInputs(
                    **{
                        **inputs.__dict__,
                        "privacy": "block",
                        "privacy_reason": "Kept on this device: a card or account number.",
                        "edge": edge,
                    }
                )
        decision = _decide(inputs)
        route, signals = decision.route, decision.signals
        status = rng.choices(("complete", "stopped", "partial", "error"), (90, 4, 3, 3))[0]
        private = rng.random() < 0.01
        # Fallbacks: the planned cloud or edge request failed and a lower tier answered.
        fallbacks: list[dict[str, Any]] = []
        planned = route
        if route in ("cloud", "edge") and rng.random() < 0.06:
            if route == "cloud":
                fallbacks.append(
                    {"route": "cloud", "server": "anthropic", "error": rng.choice(CLOUD_ERRORS)}
                )
            else:
                server = signals.get("edge_server")
                fallbacks.append(
                    {"route": "edge", "server": server, "error": rng.choice(EDGE_ERRORS)}
                )
            route = "local"
        escalated = planned == "local" and route == "local" and rng.random() < 0.02
        c = inputs.complexity
        prompt_tokens = c.prompt_tokens + rng.randint(20, 400)
        completion = max(5, int(c.est_output_tokens * rng.uniform(0.3, 1.6)))
        if status == "error":
            completion = 0
        elif status in ("stopped", "partial"):
            completion = max(1, completion // 3)
        if route == "local":
            tps, ttft = rng.uniform(18, 45), rng.uniform(80, 600)
            model, server, quant, cost, source = (
                LOCAL_MODEL,
                "this device",
                LOCAL_QUANT,
                0.0,
                "local_zero_cost",
            )
        elif route == "cloud":
            tps, ttft = rng.uniform(50, 110), rng.uniform(400, 1800)
            model, server, quant = CLOUD_MODEL, "anthropic", None
            cost, source = cost_usd(CLOUD_MODEL, prompt_tokens, completion), "priced"
        else:
            edge = inputs.edge
            assert edge is not None
            tps, ttft = rng.uniform(25, 70), rng.uniform(150, 900)
            model, server, quant = edge.model, edge.name, None
            cost = edge.cost(prompt_tokens, completion)
            source = (
                "priced"
                if (edge.price_in_per_mtok or edge.price_out_per_mtok)
                else "local_zero_cost"
            )
        if escalated:  # the cloud was asked too: its cost is the turn's
            cost = cost_usd(CLOUD_MODEL, prompt_tokens, completion)
            source = "priced"
        latency = ttft + (completion / tps) * 1000 if completion else ttft
        spent[day] = spent.get(day, 0.0) + cost
        went_off = planned in ("cloud", "edge") or escalated
        if signals.get("privacy") == "block" and route == "local":
            gate_action = "blocked"
        elif not went_off:
            gate_action = "none"
        else:
            gate_action = "redacted" if pii else "sent"
        kept_local = int(
            route == "local" and decision.route == "local" and signals.get("privacy") == "block"
        )
        created = _iso(when)
        user_id = answer_id = None
        cid = None
        if not private:
            if turns_left <= 0:
                conv_id, turns_left = next_conv, rng.randint(1, 6)
                next_conv += 1
                title = " ".join(prompt.split()[:6])[:60] or "Conversation"
                conversations.append((conv_id, title, created, created))
            turns_left -= 1
            cid = conv_id
            user_id, answer_id = next_msg, next_msg + 1
            next_msg += 2
            answer_at = _iso(when + timedelta(milliseconds=latency))
            words = " ".join(prompt.split()[:5]).strip(" ?.!,") or "that"
            answer = rng.choice(ANSWERS).format(w=words.lower())
            meta = json.dumps({"prompt_tokens": prompt_tokens, "completion_tokens": completion})
            messages.append(
                (user_id, cid, "user", prompt, "complete", created, None, None, None, None)
            )
            messages.append(
                (
                    answer_id,
                    cid,
                    "assistant",
                    answer,
                    status,
                    answer_at,
                    route,
                    decision.reason,
                    model,
                    meta,
                )
            )
            conversations[-1] = (
                (*conversations[-1][:3], answer_at)
                if conversations and conversations[-1][0] == cid
                else conversations[-1]
            )
        for step in fallbacks + ([{"route": planned}] if went_off and not fallbacks else []):
            if step["route"] == "cloud" or escalated:
                dest, text = CLOUD_HOST, sent_text
            else:
                srv = next(s for s in EDGE_SERVERS if s[0] == signals.get("edge_server"))
                dest = srv[1]
                text = json.dumps(
                    {
                        "server": srv[0],
                        "trust": "organisation",
                        "model": srv[2],
                        "messages": [{"role": "user", "content": sent_text}],
                    }
                )
            audits.append(
                (
                    _iso(when - timedelta(milliseconds=5)),
                    dest,
                    CLOUD_MODEL if dest == CLOUD_HOST else signals.get("edge", {}).get("model"),
                    cid,
                    text,
                    json.dumps(pii, sort_keys=True),
                    len(text.encode("utf-8")),
                    "failed" if fallbacks else "sent",
                    fallbacks[0]["error"] if fallbacks else None,
                )
            )
        requests.append(
            (
                created,
                cid,
                answer_id,
                user_id,
                route,
                inputs.requested,
                server,
                model,
                quant,
                None if private else decision.reason,
                json.dumps(signals, sort_keys=True, default=str),
                json.dumps(fallbacks),
                len(fallbacks),
                int(escalated),
                prompt_tokens,
                completion,
                rng.choice((0, 0, 0, prompt_tokens // 2)) if route == "cloud" else 0,
                round(ttft, 2) if completion else None,
                round(latency, 2),
                round(tps, 2) if completion else None,
                round(cost, 8),
                source,
                json.dumps(pii, sort_keys=True),
                sum(pii.values()),
                gate_action,
                kept_local,
                status,
                signals.get("complexity"),
                signals.get("category"),
                int(private),
            )
        )
    with conn:
        conn.executemany(
            "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
            conversations,
        )
        conn.executemany(
            "INSERT INTO messages (id, conversation_id, role, content, status, created_at, route,"
            " reason, model, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            messages,
        )
        conn.executemany(
            "INSERT INTO audit_log (created_at, destination, model, conversation_id, redacted_text,"
            " entity_counts, bytes, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            audits,
        )
        conn.executemany(
            "INSERT INTO requests (created_at, conversation_id, message_id, user_message_id, route,"
            " requested, server, model, quantization, reason, signals, fallbacks, fallback_count,"
            " escalated, prompt_tokens, completion_tokens, cached_tokens, ttft_ms, latency_ms,"
            " tokens_per_s, cost_usd, cost_source, pii, pii_count, gate_action,"
            " kept_local_by_policy, status, complexity, category, private)"
            " VALUES (" + ", ".join("?" * 30) + ")",
            requests,
        )
