"""Only the relay creates the topic, with TADAMON_KAFKA_PARTITIONS; it refuses another count."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from adapters.bootstrap import Container, bootstrap
from adapters.health import readiness
from adapters.kafka.producers import make_producer
from adapters.kafka.relay import TopicMismatchError, ensure_topic
from adapters.kafka.workers import relay_process
from adapters.lag import RelayPositions
from adapters.settings import Settings
from tests.integration.test_kafka_projections import projector
from tests.integration.test_kafka_relay import make_relay
from tests.kafka_broker import KAFKA_CLIENTS, read_topic
from tests.workload import launch

pytestmark = pytest.mark.kafka
PARTITIONS = 5  # not a broker's usual default, so a topic made on demand would show


@pytest.fixture
def kafka_container(store_settings: Settings, kafka_overrides: dict[str, Any]) -> Any:
    overrides = kafka_overrides | {"kafka_partitions": PARTITIONS}
    built = bootstrap(store_settings, projection_source="kafka", **overrides)
    yield built
    built.close()


def admin(container: Container) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=container.settings.kafka_bootstrap_servers)


def partitions(container: Container) -> int | None:
    client = admin(container)
    try:
        topic = container.settings.kafka_topic
        if topic not in client.list_topics():
            return None
        return len(client.describe_topics([topic])[0]["partitions"])
    finally:
        client.close()


def test_a_worker_before_the_relay_waits_for_the_topic_and_never_creates_it(
    kafka_container: Container,
) -> None:
    worker = projector(kafka_container)
    try:
        worker.start()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:  # a worker subscribed by name would create it
            worker.step(timeout_ms=200)
        _, waiting = readiness(kafka_container)
        assert partitions(kafka_container) is None
        ensure_topic(kafka_container.settings)
        assert partitions(kafka_container) == PARTITIONS
        worker.step(timeout_ms=200)
        _, there = readiness(kafka_container)
    finally:
        worker.close()
    assert waiting["kafka_faults"] == [
        {
            "topic": kafka_container.settings.kafka_topic,
            "partition": -1,
            "view": None,
            "kind": "waiting_for_topic",
            "detail": "the topic does not exist",
            "recover": "start `tadamon relay`: only the relay creates the topic",
        }
    ]
    assert "kafka_faults" not in there


def test_the_relay_refuses_a_topic_with_another_partition_count(
    kafka_container: Container,
) -> None:
    topic = kafka_container.settings.kafka_topic
    client = admin(kafka_container)
    try:
        client.create_topics([NewTopic(topic, 2, replication_factor=1)])
    finally:
        client.close()
    launch(kafka_container)  # something to publish, so the relay reaches the broker
    reason = (
        f"topic {topic} has 2 partitions but TADAMON_KAFKA_PARTITIONS is {PARTITIONS}: "
        "set it to 2, or relay to a new TADAMON_KAFKA_TOPIC (a topic's partition count "
        "never changes)"
    )

    with pytest.raises(TopicMismatchError) as refused:
        ensure_topic(kafka_container.settings)
    with pytest.raises(SystemExit) as exited:
        relay_process(kafka_container, threading.Event())

    assert str(refused.value) == reason
    assert exited.value.code == f"tadamon relay: {reason}"
    assert partitions(kafka_container) == 2


@pytest.mark.parametrize("kafka_client", KAFKA_CLIENTS)
def test_a_relay_refuses_a_topic_that_changed_its_partition_count_behind_it(
    kafka_container: Container,
) -> None:
    """A topic re-created by the broker (Tansu makes one asked for by name) is not written."""
    settings = kafka_container.settings
    client = admin(kafka_container)
    try:
        client.create_topics([NewTopic(settings.kafka_topic, 2, replication_factor=1)])
    finally:
        client.close()
    launch(kafka_container)
    relay = make_relay(kafka_container)
    relay.producer_factory = lambda: make_producer(settings)  # as a running relay: no check

    with pytest.raises(TopicMismatchError, match="now has 2 partitions, not 5"):
        relay.step()
    relay.close()

    assert RelayPositions(kafka_container.engine).get(settings.kafka_topic) == 0
    assert read_topic(settings.kafka_bootstrap_servers, settings.kafka_topic) == []
