"""Consumer-fed projections: the same folds from Kafka, shared by workers, never double counted."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from adapters.bootstrap import Container
from adapters.kafka.consumer import KafkaProjector, make_consumer, run_projector
from adapters.lag import RelayPositions
from adapters.projection_set import TOTALS_PROJECTIONS
from tests.integration.test_kafka_relay import drain, make_relay
from tests.kafka_broker import read_topic
from tests.workload import assert_totals_exact, deliver, launch, reverse

pytestmark = pytest.mark.kafka
TOTALS = [p.name for p in TOTALS_PROJECTIONS]


def projector(container: Container) -> KafkaProjector:
    return KafkaProjector(
        make_consumer(container.settings),
        container.ledger.mapper,
        container.views,
        TOTALS_PROJECTIONS,
        container.settings.kafka_topic,
        container.metrics,
        batch_size=400,
    )


@contextmanager
def workers(container: Container, count: int) -> Iterator[list[KafkaProjector]]:
    started = [projector(container) for _ in range(count)]
    stop = threading.Event()
    threads = [threading.Thread(target=run_projector, args=(p, stop)) for p in started]
    for p, thread in zip(started, threads, strict=True):
        p.start()
        thread.start()
    try:
        yield started
    finally:
        stop.set()
        for p, thread in zip(started, threads, strict=True):
            thread.join(timeout=30)
            p.close()


def wait_caught_up(container: Container, timeout: float = 60) -> float:
    head = container.ledger.recorder.max_notification_id() or 0
    started = time.monotonic()
    while min(container.views.positions(TOTALS).values()) < head:
        assert time.monotonic() - started < timeout, container.views.positions(TOTALS)
        time.sleep(0.05)
    return time.monotonic() - started


def test_two_workers_share_partitions_and_redeliveries_never_double_count(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 600)
    reverse(kafka_container, range(0, 30, 3))
    relay = make_relay(kafka_container)
    topic = kafka_container.settings.kafka_topic
    try:
        drain(relay)
        # The relay dies after the broker acknowledged but before it recorded its position:
        # it resumes from further back and publishes those events a second time.
        RelayPositions(kafka_container.engine).set(topic, 40)
        deliver(kafka_container, 600, 300)
        drain(relay)
    finally:
        relay.close()
    head = kafka_container.ledger.recorder.max_notification_id()
    servers = kafka_container.settings.kafka_bootstrap_servers
    events = [r for r in read_topic(servers, topic) if r.key is not None]
    assert len(events) > head, "the redelivery is on the topic"
    with workers(kafka_container, 2) as pair:
        wait_caught_up(kafka_container)
        deadline = time.monotonic() + 30
        while not all(p.consumer.assignment() for p in pair) and time.monotonic() < deadline:
            time.sleep(0.1)  # the second worker may still be joining after the backlog is done
        owned = [{tp.partition for tp in p.consumer.assignment()} for p in pair]
    assert all(owned), f"both workers got partitions: {owned}"
    assert owned[0].isdisjoint(owned[1])
    assert owned[0] | owned[1] == set(range(kafka_container.settings.kafka_partitions))
    assert_totals_exact(kafka_container)
    assert kafka_container.views.positions(TOTALS) == {name: head for name in TOTALS}


def test_a_restarted_worker_resumes_from_its_stored_offsets(kafka_container: Container) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 300)
    relay = make_relay(kafka_container)
    try:
        drain(relay)
        with workers(kafka_container, 1):
            wait_caught_up(kafka_container)
        deliver(kafka_container, 300, 300)
        drain(relay)
    finally:
        relay.close()
    with workers(kafka_container, 1):
        wait_caught_up(kafka_container)
    assert_totals_exact(kafka_container)
