"""The relay: publishes the ledger's notification log (the outbox) to Kafka, in order.

Each section of up to ``batch_size`` events is sent, flushed, and only then is
the position recorded, so a relay killed at any point resumes from the last
acknowledged section: at-least-once, and consumers de-duplicate by position.
The API never talks to Kafka: when the broker is down, events wait in the store.

A relay may be one of ``shards`` processes: shard ``k`` publishes only to the
partitions ``p`` with ``p % shards == k`` and keeps a position of its own. Each
partition still has one writer, in log order, so its ``previous`` chain and
watermarks are what one relay would send; kafka-python holds one core a process
(``benchmarks/limits.md``), so two shards use two.
"""

from __future__ import annotations

import contextlib
import logging
import struct
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from adapters.kafka.envelope import event_record, watermark_record
from adapters.kafka.librdkafka import BOOTSTRAP_MS
from adapters.kafka.producers import RecordProducer
from adapters.lag import RelayPositions, relay_position_key
from adapters.metrics import Metrics
from adapters.settings import Settings
from domain.ledger import Ledger

log = logging.getLogger("tadamon.relay")
FLUSH_SECONDS = 30.0
_SEED, _M, _MASK = 0x9747B28C, 0x5BD1E995, 0xFFFFFFFF  # murmur2's seed, mixer, 32 bits
_STAMP = b'"timestamp":{"_type_":"datetime_iso","_data_":"'


class TopicMismatchError(RuntimeError):
    """The topic exists with another partition count than the settings say: refuse to run.

    Keys hash to partitions by their count, so publishing to a topic with another
    count would reorder each aggregate's events; a new count needs a new topic.
    """


def ensure_topic(settings: Settings) -> None:
    """Create the topic with its fixed partition count if missing; refuse another count."""
    admin = KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id="tadamon-admin",
        bootstrap_timeout_ms=BOOTSTRAP_MS,
    )
    try:
        topic = NewTopic(settings.kafka_topic, settings.kafka_partitions, replication_factor=1)
        if settings.kafka_topic not in admin.list_topics():
            with contextlib.suppress(TopicAlreadyExistsError):  # another relay was quicker
                admin.create_topics([topic])
        check_partitions(settings, partition_count(admin, settings.kafka_topic))
    finally:
        admin.close()


def partition_count(admin: KafkaAdminClient, topic: str) -> int:
    described = admin.describe_topics([topic])
    count = len(described[0].get("partitions") or ()) if described else 0
    if not count:  # just created: the broker has not settled its metadata yet
        raise RuntimeError(f"topic {topic} has no partitions yet")
    return count


def check_partitions(settings: Settings, count: int) -> None:
    if count != settings.kafka_partitions:
        raise TopicMismatchError(
            f"topic {settings.kafka_topic} has {count} partitions but "
            f"TADAMON_KAFKA_PARTITIONS is {settings.kafka_partitions}: set it to {count}, "
            "or relay to a new TADAMON_KAFKA_TOPIC (a topic's partition count never changes)"
        )


def partition_of(key: bytes, partitions: list[int]) -> int:
    """The producer's own key hashing, done here so the relay knows each record's partition."""
    return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]


def murmur2(data: bytes) -> int:
    """The Java client's murmur2 (kafka-python's ``murmur2``, unsigned), reading the key's
    words with one ``struct`` call: every shard hashes every event, in half the time."""
    words = len(data) // 4
    hashed = _SEED ^ len(data)
    for word in struct.unpack_from(f"<{words}I", data):
        word = (word * _M) & _MASK
        word = ((word ^ (word >> 24)) * _M) & _MASK
        hashed = ((hashed * _M) & _MASK) ^ word
    if tail := data[words * 4 :]:
        hashed = ((hashed ^ int.from_bytes(tail, "little")) * _M) & _MASK
    hashed ^= hashed >> 13
    hashed = (hashed * _M) & _MASK
    return hashed ^ (hashed >> 15)


def event_time(notification: Any, mapper: Any) -> datetime:
    """The event's timestamp, read from its stored state without decoding the event.

    Decoding a whole event only for its time cost a fifth of the relay's loop. The
    library stores it as one tagged ISO string; anything else (the tag absent or
    seen twice) goes through the mapper.
    """
    state = notification.state
    if state.count(_STAMP) == 1:
        start = state.index(_STAMP) + len(_STAMP)
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(state[start : state.index(b'"', start)].decode())
    event = mapper.to_domain_event(notification)
    return event.timestamp  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Shard:
    """Relay ``number`` of ``count``; one relay alone is shard 0 of 1."""

    number: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.number < self.count:
            raise ValueError(
                f"relay shard {self.number} of {self.count}: must be 0 to {self.count - 1}"
            )

    def owned(self, partitions: Sequence[int]) -> list[int]:
        return [partition for partition in partitions if partition % self.count == self.number]

    def position_key(self, topic: str) -> str:
        return relay_position_key(topic, self.number, self.count)


class Relay:
    def __init__(
        self,
        ledger: Ledger,
        positions: RelayPositions,
        producer_factory: Callable[[], RecordProducer],
        topic: str,
        batch_size: int,
        metrics: Metrics,
        flush_seconds: float = FLUSH_SECONDS,
        partitions: int | None = None,
        shard: Shard | None = None,
    ) -> None:
        self.ledger = ledger
        self.positions = positions
        self.producer_factory = producer_factory
        self.topic = topic
        self.batch_size = batch_size
        self.metrics = metrics
        self.flush_seconds = flush_seconds
        self.partitions = partitions  # TADAMON_KAFKA_PARTITIONS; None: whatever the topic has
        self.shard = shard or Shard()
        self.position_key = self.shard.position_key(topic)
        self._producer: RecordProducer | None = None

    def step(self) -> int:
        """Publish one section; returns how many events were acknowledged and recorded."""
        start = self.positions.get(self.position_key)
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        try:
            if self._producer is None:
                self._producer = self.producer_factory()
            self._send(self._producer, notifications, start)
        except Exception:
            self.metrics.kafka_publish_errors.inc()
            self._discard_producer()
            raise
        last = notifications[-1].id
        if not self.positions.move(self.position_key, start, last):
            log.info("relay position rewound meanwhile: publishing again from there")
        self.metrics.relay_published.inc(len(notifications))
        return len(notifications)

    def _send(self, producer: RecordProducer, notifications: Any, start: int) -> None:
        topic = self.topic
        partitions = producer.partitions_for(topic)
        if self.partitions is not None and len(partitions) != self.partitions:
            # Re-created behind the relay's back (a broker that lost its log and creates a
            # topic asked for by name, as Tansu does): its keys would land elsewhere.
            raise TopicMismatchError(
                f"topic {topic} now has {len(partitions)} partitions, not {self.partitions}: "
                "relay to a new TADAMON_KAFKA_TOPIC"
            )
        # The last section ended with a watermark at ``start`` on every partition it owns.
        previous = dict.fromkeys(self.shard.owned(partitions), start)
        for notification in notifications:
            partition = partition_of(str(notification.originator_id).encode(), partitions)
            if partition not in previous:
                continue  # another shard's
            time = event_time(notification, self.ledger.mapper)
            key, value, headers = event_record(notification, time, previous[partition])
            previous[partition] = notification.id
            producer.send(topic, partition, value, headers, key, int(time.timestamp() * 1000))
        now = datetime.now(UTC)
        for partition in previous:
            value, headers = watermark_record(
                notifications[-1].id, partition, now, previous[partition]
            )
            producer.send(topic, partition, value, headers)
        producer.flush(self.flush_seconds)  # raises unless every record was acknowledged

    def _discard_producer(self) -> None:
        if self._producer is not None:
            with contextlib.suppress(Exception):  # a broken producer is dropped either way
                self._producer.close(timeout=0)
            self._producer = None

    def close(self) -> None:
        if self._producer is not None:
            self._producer.close(timeout=5)
            self._producer = None


def run_relay(relay: Relay, wake: threading.Event, stop: threading.Event, poll: float) -> None:
    """Publish until stopped: sections back to back, then wait for a wake-up or the poll."""
    backoff = 0.5
    while not stop.is_set():
        try:
            sent = relay.step()
            backoff = 0.5
        except TopicMismatchError:
            raise  # waiting will not mend it: the operator must
        except Exception as error:
            log.warning("publish failed, retrying in %.1fs: %s", backoff, _describe(error))
            stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        if sent:
            log.debug("relayed %d events", sent)
        if sent < relay.batch_size:
            wake.wait(poll)
            wake.clear()


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:200]
