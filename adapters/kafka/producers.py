"""The relay's producers: kafka-python (the default) or librdkafka, behind one small interface.

``TADAMON_KAFKA_CLIENT`` chooses. Both send with ``acks=all`` and idempotence,
gzip per ``TADAMON_KAFKA_COMPRESSION``, to the partition the relay names (it hashes
keys with kafka-python's murmur2, so a key lands on the same partition whichever
client sends it). ``flush`` raises unless every record sent since the last flush
was acknowledged: the relay moves its position only after it returns.
"""

from __future__ import annotations

from typing import Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError
from kafka.producer.future import FutureRecordMetadata

from adapters.kafka.envelope import Headers
from adapters.kafka.librdkafka import (
    BOOTSTRAP_MS,
    MAX_BLOCK_SECONDS,
    LibrdkafkaProducer,
    librdkafka_config,
)
from adapters.settings import Settings

LINGER_MS = 100  # flush() sends at once: lingering only fills batches within a section


class RecordProducer(Protocol):
    def partitions_for(self, topic: str) -> list[int]:
        """The topic's partitions, sorted; raises when the broker does not know the topic."""

    def send(
        self,
        topic: str,
        partition: int,
        value: bytes,
        headers: Headers,
        key: bytes | None = None,
        timestamp_ms: int | None = None,
    ) -> None:
        """Queue one record; raises only when it cannot even be queued."""

    def flush(self, timeout: float) -> None:
        """Wait until every record queued since the last flush is acknowledged, or raise."""

    def close(self, timeout: float) -> None:
        """Release the client; 0 drops what is unsent (the relay will send it again)."""


def make_producer(settings: Settings) -> RecordProducer:
    if settings.kafka_client == "librdkafka":
        return LibrdkafkaProducer(librdkafka_config(settings))
    return KafkaPythonProducer(
        KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
            client_id="tadamon-relay",
            acks="all",
            enable_idempotence=True,
            allow_auto_create_topics=False,  # ensure_topic creates it, with its partition count
            linger_ms=LINGER_MS,
            batch_size=256 * 1024,
            compression_type=None if settings.kafka_compression == "none" else "gzip",
            max_block_ms=int(MAX_BLOCK_SECONDS * 1000),
            bootstrap_timeout_ms=BOOTSTRAP_MS,
            request_timeout_ms=15_000,
        )
    )


class KafkaPythonProducer:
    def __init__(self, producer: KafkaProducer) -> None:
        self._producer = producer
        self._pending: list[FutureRecordMetadata] = []

    def partitions_for(self, topic: str) -> list[int]:
        return sorted(self._producer.partitions_for(topic) or ())

    def send(
        self,
        topic: str,
        partition: int,
        value: bytes,
        headers: Headers,
        key: bytes | None = None,
        timestamp_ms: int | None = None,
    ) -> None:
        self._pending.append(
            self._producer.send(
                topic,
                value=value,
                key=key,
                headers=headers,
                partition=partition,
                timestamp_ms=timestamp_ms,
            )
        )

    def flush(self, timeout: float) -> None:
        pending, self._pending = self._pending, []
        self._producer.flush(timeout=timeout)
        for future in pending:
            future.get(timeout=0)  # raises the broker's error if any send failed

    def close(self, timeout: float) -> None:
        try:
            self._producer.close(timeout=timeout)
        except KafkaTimeoutError:
            # kafka-python 3.0 flushes first and raises when that times out, leaving its
            # sender thread running (it would deliver the old records much later): fail
            # what is unsent, as its own force-close path does, and close (that stops it).
            self._producer._accumulator.abort_incomplete_batches()
            self._producer.close(timeout=0)
