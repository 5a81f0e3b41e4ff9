"""The relay: every stored event on Kafka as a CloudEvent, in order, at least once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from adapters.bootstrap import Container
from adapters.kafka.envelope import WATERMARK_TYPE, read_record
from adapters.kafka.producers import make_producer
from adapters.kafka.relay import Relay, Shard, ensure_topic, event_time, partition_of
from adapters.lag import RelayPositions
from adapters.settings import Settings
from tests.conftest import free_port
from tests.kafka_broker import KAFKA_CLIENTS, read_topic
from tests.workload import deliver, launch, stored_positions

pytestmark = pytest.mark.kafka


def make_relay(
    container: Container,
    batch_size: int = 300,
    settings: Settings | None = None,
    shard: Shard | None = None,
) -> Relay:
    """A relay on the container's store, to its settings' broker and topic (or ``settings``')."""
    chosen = settings or container.settings

    def producer() -> Any:
        ensure_topic(chosen)
        return make_producer(chosen)

    return Relay(
        container.ledger,
        RelayPositions(container.engine),
        producer,
        chosen.kafka_topic,
        batch_size,
        container.metrics,
        partitions=chosen.kafka_partitions,
        shard=shard,
    )


def drain(relay: Relay) -> int:
    sent = 0
    while step := relay.step():
        sent += step
    return sent


def headers(record: Any) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


@pytest.mark.parametrize("kafka_client", KAFKA_CLIENTS)
def test_every_event_is_published_once_as_a_cloudevent_keyed_by_aggregate(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    head = deliver(kafka_container, 0, 700)
    relay = make_relay(kafka_container)
    try:
        assert drain(relay) == len(stored_positions(kafka_container))
    finally:
        relay.close()
    settings = kafka_container.settings
    records = read_topic(settings.kafka_bootstrap_servers, settings.kafka_topic)
    events = [r for r in records if headers(r)["ce_type"] != WATERMARK_TYPE]
    positions = sorted(int(headers(r)["ce_position"]) for r in events)
    assert positions == sorted(stored_positions(kafka_container)), "each event exactly once"
    stored = {
        n.id: n
        for n in kafka_container.ledger.recorder.select_notifications(start=0, limit=head + 1)
    }
    for record in events:
        h = headers(record)
        assert h["ce_specversion"] == "1.0"
        assert h["content-type"] == "application/json"
        assert {"ce_id", "ce_source", "ce_type", "ce_time", "ce_subject"} <= h.keys()
        assert record.key.decode() == h["ce_subject"]
        assert record.partition == partition_of(record.key, list(range(settings.kafka_partitions)))
        assert record.timestamp == int(datetime.fromisoformat(h["ce_time"]).timestamp() * 1000)
        original = stored[int(h["ce_position"])]
        rebuilt = read_record(record.headers, record.value).stored
        assert rebuilt == StoredEvent(
            original.originator_id, original.originator_version, original.topic, original.state
        )
        assert kafka_container.ledger.mapper.to_domain_event(rebuilt) is not None
    per_partition: dict[int, list[int]] = {}
    for record in events:
        per_partition.setdefault(record.partition, []).append(int(headers(record)["ce_position"]))
    assert all(p == sorted(p) for p in per_partition.values()), "order kept per partition"
    marks = [r for r in records if headers(r)["ce_type"] == WATERMARK_TYPE]
    assert {r.partition for r in marks} == set(range(settings.kafka_partitions))
    assert RelayPositions(kafka_container.engine).get(settings.kafka_topic) == head


@pytest.mark.parametrize("kafka_client", KAFKA_CLIENTS)
def test_a_down_broker_keeps_events_waiting_in_the_store(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    dead = kafka_container.settings.model_copy(
        update={"kafka_bootstrap_servers": f"127.0.0.1:{free_port()}"}
    )
    relay = make_relay(kafka_container)
    relay.producer_factory = lambda: make_producer(dead)
    with pytest.raises(Exception):  # noqa: B017 - whatever the client raises
        relay.step()
    assert kafka_container.metrics.kafka_publish_errors._value.get() == 1
    topic = kafka_container.settings.kafka_topic
    assert RelayPositions(kafka_container.engine).get(topic) == 0
    head = deliver(kafka_container, 0, 50)  # the API's writes never wait for Kafka
    relay = make_relay(kafka_container)
    try:
        assert drain(relay) == len(stored_positions(kafka_container))
    finally:
        relay.close()
    assert RelayPositions(kafka_container.engine).get(topic) == head


def test_the_relay_reads_each_events_time_as_the_mapper_decodes_it(
    kafka_container: Container,
) -> None:
    launch(kafka_container)
    deliver(kafka_container, 0, 60)
    ledger = kafka_container.ledger
    stored = ledger.recorder.select_notifications(start=1, limit=1000)
    assert len(stored) > 60
    for notification in stored:
        decoded = ledger.mapper.to_domain_event(notification).timestamp  # type: ignore[attr-defined]
        stamp = event_time(notification, ledger.mapper)
        assert (stamp, stamp.utcoffset()) == (decoded, decoded.utcoffset())
