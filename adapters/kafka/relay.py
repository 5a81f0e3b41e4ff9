"""The relay: publishes the ledger's notification log (the outbox) to Kafka, in order.

Each section of up to ``batch_size`` events is sent, flushed, and only then is
the position recorded, so a relay killed at any point resumes from the last
acknowledged section: at-least-once, and consumers de-duplicate by position.
The API never talks to Kafka: when the broker is down, events wait in the store.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from adapters.kafka.envelope import event_record, watermark_record
from adapters.lag import RelayPositions
from adapters.metrics import Metrics
from adapters.settings import Settings
from domain.ledger import Ledger

log = logging.getLogger("tadamon.relay")
FLUSH_SECONDS = 30.0
BOOTSTRAP_MS = 5000  # fail fast when the broker is down; the caller backs off and retries
_STAMP = b'"timestamp":{"_type_":"datetime_iso","_data_":"'


def make_producer(settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id="tadamon-relay",
        acks="all",
        enable_idempotence=True,
        linger_ms=100,  # flush() sends at once: lingering only fills batches within a section
        batch_size=256 * 1024,
        compression_type=None if settings.kafka_compression == "none" else "gzip",
        max_block_ms=10_000,
        bootstrap_timeout_ms=BOOTSTRAP_MS,
        request_timeout_ms=15_000,
    )


def ensure_topic(settings: Settings) -> None:
    """Create the topic with its fixed partition count if it is missing."""
    admin = KafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        client_id="tadamon-admin",
        bootstrap_timeout_ms=BOOTSTRAP_MS,
    )
    try:
        topic = NewTopic(settings.kafka_topic, settings.kafka_partitions, replication_factor=1)
        if settings.kafka_topic not in admin.list_topics():
            admin.create_topics([topic])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


class Relay:
    def __init__(
        self,
        ledger: Ledger,
        positions: RelayPositions,
        producer_factory: Callable[[], Any],
        topic: str,
        batch_size: int,
        metrics: Metrics,
    ) -> None:
        self.ledger = ledger
        self.positions = positions
        self.producer_factory = producer_factory
        self.topic = topic
        self.batch_size = batch_size
        self.metrics = metrics
        self._producer: Any = None

    def step(self) -> int:
        """Publish one section; returns how many events were acknowledged and recorded."""
        start = self.positions.get(self.topic)
        notifications = self.ledger.recorder.select_notifications(
            start=start, limit=self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        try:
            if self._producer is None:
                self._producer = self.producer_factory()
            self._send(self._producer, notifications)
        except Exception:
            self.metrics.kafka_publish_errors.inc()
            self._discard_producer()
            raise
        last = notifications[-1].id
        self.positions.set(self.topic, last)
        self.metrics.relay_published.inc(len(notifications))
        return len(notifications)

    def _send(self, producer: Any, notifications: Any) -> None:
        futures = []
        for notification in notifications:
            time = self._stamp(notification)
            key, value, headers = event_record(notification, time)
            futures.append(
                producer.send(
                    self.topic,
                    key=key,
                    value=value,
                    headers=headers,
                    timestamp_ms=int(time.timestamp() * 1000),
                )
            )
        now = datetime.now(UTC)
        for partition in sorted(producer.partitions_for(self.topic)):
            value, headers = watermark_record(notifications[-1].id, partition, now)
            futures.append(
                producer.send(self.topic, value=value, headers=headers, partition=partition)
            )
        producer.flush(timeout=FLUSH_SECONDS)
        for future in futures:
            future.get(timeout=0)  # raises the broker's error if any send failed

    def _stamp(self, notification: Any) -> datetime:
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
        event = self.ledger.mapper.to_domain_event(notification)
        return event.timestamp  # type: ignore[attr-defined, no-any-return]

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
