"""Relay shards: two processes share the partitions and the topic reads as one relay's.

Each partition has one writer in log order, so its chain (every record's
``ce_previous`` is the record before it) is unbroken, a relay split into shards
mid-log neither loses nor repeats events, a rewind moves every shard, and the
Kafka-fed totals equal the store's while one shard lags the other.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from adapters.bootstrap import Container
from adapters.kafka.envelope import read_record
from adapters.kafka.relay import Shard, partition_of
from adapters.lag import Lag, LagProbe, RelayPositions, relay_position_key
from tests.integration.test_kafka_projections import TOTALS, wait_caught_up, workers
from tests.integration.test_kafka_relay import drain, make_relay
from tests.kafka_broker import read_topic
from tests.workload import assert_totals_exact, deliver, launch, reverse, stored_positions

pytestmark = pytest.mark.kafka


def chains(container: Container) -> dict[int, list[tuple[int, int | None, bool]]]:
    """Each partition's records in offset order: (position, previous, is an event)."""
    settings = container.settings
    found: dict[int, list[Any]] = defaultdict(list)
    for record in read_topic(settings.kafka_bootstrap_servers, settings.kafka_topic):
        found[record.partition].append(record)
    return {
        partition: [
            (got.position, got.previous, got.stored is not None)
            for got in (read_record(r.headers, r.value) for r in sorted(records, key=_offset))
        ]
        for partition, records in found.items()
    }


def _offset(record: Any) -> int:
    return int(record.offset)


def assert_one_relays_topic(container: Container) -> None:
    """Every stored event once, on its key's partition, each partition's chain unbroken."""
    partitions = list(range(container.settings.kafka_partitions))
    topic = chains(container)
    assert set(topic) == set(partitions), "every partition carries the relays' watermarks"
    events = [position for chain in topic.values() for position, _, event in chain if event]
    assert sorted(events) == sorted(stored_positions(container)), "each event exactly once"
    for partition, chain in topic.items():
        assert [previous for _, previous, _ in chain] == [0] + [p for p, _, _ in chain[:-1]], (
            f"partition {partition}: a record whose previous is not the record before it"
        )
    by_position = {n.id: n for n in container.ledger.recorder.select_notifications(1, 10**6)}
    for partition, chain in topic.items():
        for position, _, event in chain:
            key = str(by_position[position].originator_id).encode() if event else None
            assert key is None or partition_of(key, partitions) == partition


def test_a_relay_split_into_two_shards_mid_log_publishes_each_event_once_in_one_chain(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 400)
    reverse(kafka_container, range(0, 40, 4))
    topic = kafka_container.settings.kafka_topic
    single = make_relay(kafka_container)
    try:
        single.step()
        single.step()  # two sections, then the operator starts two shards instead
    finally:
        single.close()
    positions = RelayPositions(kafka_container.engine)
    split_at = positions.get(topic)
    assert split_at > 0
    deliver(kafka_container, 400, 300)
    shards = [make_relay(kafka_container, 250, shard=Shard(k, 2)) for k in range(2)]
    try:
        assert [positions.get(relay.position_key) for relay in shards] == [split_at] * 2
        drain(shards[0])
        probe = LagProbe(kafka_container.ledger, kafka_container.views, [], topic, 2)
        lag = probe.of_relay()
        head = kafka_container.ledger.recorder.max_notification_id() or 0
        assert lag is not None and lag.events == head - split_at, "lag is the slowest shard's"
        drain(shards[1])
    finally:
        for relay in shards:
            relay.close()
    assert probe.of_relay() == Lag(0, 0.0)
    assert_one_relays_topic(kafka_container)


def test_a_rewind_moves_every_shard_and_workers_count_each_event_once(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 500)
    topic = kafka_container.settings.kafka_topic
    shards = [make_relay(kafka_container, 200, shard=Shard(k, 2)) for k in range(2)]
    positions = RelayPositions(kafka_container.engine)
    try:
        for relay in shards:
            drain(relay)
        head = kafka_container.ledger.recorder.max_notification_id() or 0
        assert positions.rewind(topic, 60) == head
        assert [positions.get(relay_position_key(topic, k, 2)) for k in range(2)] == [60, 60]
        deliver(kafka_container, 500, 200)
        drain(shards[1])  # shard 1 republishes from 60 and runs ahead; shard 0 waits
        with workers(kafka_container, 2):
            drain(shards[0])
            wait_caught_up(kafka_container)
    finally:
        for relay in shards:
            relay.close()
    assert_totals_exact(kafka_container)
    head = kafka_container.ledger.recorder.max_notification_id()
    assert kafka_container.views.positions(TOTALS) == {name: head for name in TOTALS}
