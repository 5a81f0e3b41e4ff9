"""The relay under both clients (TADAMON_KAFKA_CLIENT): a broker stopped mid-section, and keys.

A section is acknowledged whole or not at all: a broker that stops while a section
is on its way leaves the relay's position where it was, and once the broker is
back the relay publishes from there. A consumer that skips positions it has
already seen on a partition then applies every event once, in the store's order.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.kafka.envelope import Headers
from adapters.kafka.producers import LibrdkafkaProducer, RecordProducer, librdkafka_config
from adapters.kafka.relay import ensure_topic, partition_of
from adapters.lag import RelayPositions
from adapters.settings import Settings
from tests.integration.test_kafka_relay import drain, headers, make_relay
from tests.kafka_broker import KAFKA_CLIENTS, OwnBroker, read_topic
from tests.workload import deliver, launch

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
PARTITIONS = 3
SECTION = 300


@pytest.fixture
def own_container(store_settings: Settings, own_broker: OwnBroker, kafka_client: str) -> Any:
    built = bootstrap(
        store_settings,
        projection_source="kafka",
        kafka_client=kafka_client,
        kafka_bootstrap_servers=own_broker.servers,
        kafka_topic="tadamon.stops",
        kafka_partitions=PARTITIONS,
    )
    yield built
    built.close()


class StopsTheBroker:
    """A producer that stops the broker once it has sent ``after`` records: mid-section."""

    def __init__(self, producer: RecordProducer, after: int, stop: Callable[[], None]) -> None:
        self.producer, self.after, self.stop = producer, after, stop
        self.sent = 0

    def partitions_for(self, topic: str) -> list[int]:
        return self.producer.partitions_for(topic)

    def send(self, topic: str, partition: int, value: bytes, headers: Headers, *rest: Any) -> None:
        self.producer.send(topic, partition, value, headers, *rest)
        self.sent += 1
        if self.sent == self.after:
            self.stop()

    def flush(self, timeout: float) -> None:
        self.producer.flush(timeout)

    def close(self, timeout: float) -> None:
        self.producer.close(timeout)


def applied(records: list[Any]) -> dict[int, list[int]]:
    """Per partition, the events a consumer applies when it skips positions already seen."""
    kept: dict[int, list[int]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        if record.key is None:
            continue  # a watermark
        position = int(headers(record)["ce_position"])
        seen = kept.setdefault(record.partition, [])
        if not seen or position > seen[-1]:
            seen.append(position)
    return kept


def expected(container: Container, after: int) -> dict[int, list[int]]:
    """Per partition, the stored events past ``after`` in the store's order."""
    found: dict[int, list[int]] = {}
    for n in container.ledger.recorder.select_notifications(start=after + 1, limit=100_000):
        key = str(n.originator_id).encode()
        found.setdefault(partition_of(key, list(range(PARTITIONS))), []).append(n.id)
    return found


def pause(broker: OwnBroker) -> tuple[Callable[[], None], Callable[[], None]]:
    assert broker.process is not None
    pid = broker.process.pid
    return (lambda: os.kill(pid, signal.SIGSTOP)), (lambda: os.kill(pid, signal.SIGCONT))


@pytest.mark.parametrize("kafka_client", KAFKA_CLIENTS)
@pytest.mark.parametrize("how", ["paused", "restarted"])
def test_a_broker_stopped_mid_section_leaves_the_position_and_the_relay_resumes_in_order(
    own_container: Container, own_broker: OwnBroker, how: str
) -> None:
    launch(own_container)
    head = deliver(own_container, 0, 700)
    topic = own_container.settings.kafka_topic
    positions = RelayPositions(own_container.engine)
    relay = make_relay(own_container, batch_size=SECTION)
    relay.flush_seconds = 3.0  # a stopped broker fails the section in seconds, not 30
    assert relay.step() == SECTION
    acknowledged = positions.get(topic)
    # Paused (SIGSTOP), the broker keeps its log and may yet take what reached its socket;
    # restarted, this in-memory broker loses its log, so only what follows is on it.
    stop, resume = pause(own_broker) if how == "paused" else (own_broker.stop, own_broker.restart)
    relay.close()  # the next section takes a new producer from the factory
    factory = relay.producer_factory
    relay.producer_factory = lambda: StopsTheBroker(factory(), SECTION // 3, stop)
    with pytest.raises(Exception):  # noqa: B017 - whatever the client raises
        relay.step()
    assert positions.get(topic) == acknowledged, "a section not acknowledged is not recorded"
    assert own_container.metrics.kafka_publish_errors._value.get() == 1
    resume()
    relay.producer_factory = factory
    try:
        drain(relay)
    finally:
        relay.close()
    assert positions.get(topic) == head
    records = read_topic(own_broker.servers, topic)
    assert applied(records) == expected(own_container, 0 if how == "paused" else acknowledged)


@pytest.mark.parametrize("kafka_client", ["librdkafka"])
def test_a_full_local_queue_waits_for_room_and_drops_nothing(
    own_container: Container, own_broker: OwnBroker
) -> None:
    launch(own_container)
    head = deliver(own_container, 0, 300)
    relay = make_relay(own_container, batch_size=SECTION)
    settings = own_container.settings
    # Full after 5 records: produce() raises BufferError until librdkafka has sent some.
    small = librdkafka_config(settings) | {"queue.buffering.max.messages": 5}

    def producer() -> RecordProducer:
        ensure_topic(settings)
        return LibrdkafkaProducer(small)

    relay.producer_factory = producer
    try:
        drain(relay)
    finally:
        relay.close()
    assert RelayPositions(own_container.engine).get(settings.kafka_topic) == head
    records = read_topic(own_broker.servers, settings.kafka_topic)
    assert applied(records) == expected(own_container, 0)
    assert len([r for r in records if r.key is not None]) == head, "each event once"


def test_keys_land_on_the_same_partition_under_both_clients(
    store_settings: Settings, kafka_overrides: dict[str, Any]
) -> None:
    chosen: dict[str, dict[int, int]] = {}
    built = bootstrap(store_settings, projection_source="kafka", **kafka_overrides)
    try:
        launch(built)
        deliver(built, 0, 400)
        for client in KAFKA_CLIENTS:
            # The same store relayed to a topic per client: positions are kept per topic.
            topic = f"{built.settings.kafka_topic}.{client}"
            settings = built.settings.model_copy(
                update={"kafka_client": client, "kafka_topic": topic}
            )
            relay = make_relay(built, settings=settings)
            try:
                drain(relay)
            finally:
                relay.close()
            records = read_topic(settings.kafka_bootstrap_servers, settings.kafka_topic)
            chosen[client] = {
                int(headers(r)["ce_position"]): r.partition for r in records if r.key is not None
            }
    finally:
        built.close()
    assert chosen["kafka-python"] == chosen["librdkafka"]
    assert set(chosen["librdkafka"].values()) == set(range(3)), "every partition used"


# librdkafka only: kafka-python's metadata refresh asks for the topic by name, and Tansu
# then makes it with its own default count, which the relay refuses (test_kafka_topics).
@pytest.mark.parametrize("kafka_client", ["librdkafka"])
def test_a_relay_whose_broker_restarted_between_sections_publishes_the_next_on_the_new_one(
    own_container: Container, own_broker: OwnBroker
) -> None:
    launch(own_container)
    deliver(own_container, 0, 200)
    topic = own_container.settings.kafka_topic
    positions = RelayPositions(own_container.engine)
    relay = make_relay(own_container, batch_size=SECTION)
    relay.flush_seconds = 5.0
    try:
        drain(relay)
        before = positions.get(topic)
        own_broker.restart()  # its log and the topic are gone; the relay keeps its producer
        head = deliver(own_container, 200, 200)
        failures = 0
        while positions.get(topic) < head:
            try:
                relay.step()
            except Exception:  # the old producer may fail once; the next one creates the topic
                failures += 1
                assert failures == 1, "the relay did not recover with a new producer"
    finally:
        relay.close()
    assert applied(read_topic(own_broker.servers, topic)) == expected(own_container, before)
