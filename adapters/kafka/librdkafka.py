"""The relay's librdkafka producer (confluent-kafka), for ``TADAMON_KAFKA_CLIENT=librdkafka``.

librdkafka batches, compresses and sends in its own threads, so the relay's
Python loop does only the reading and encoding; kafka-python does all of it in
Python (the relay's ceiling, measured in benchmarks/limits.md).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer

from adapters.kafka.envelope import Headers
from adapters.settings import Settings

log = logging.getLogger("tadamon.relay")
BOOTSTRAP_MS = 5000  # fail fast when the broker is down; the caller backs off and retries
MAX_BLOCK_SECONDS = 10.0  # how long a send may wait for room in a full local queue


def librdkafka_config(settings: Settings) -> dict[str, Any]:
    return {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "client.id": "tadamon-relay",
        "acks": "all",
        "enable.idempotence": True,
        "allow.auto.create.topics": False,  # librdkafka's producer default is true
        # Send while the relay still encodes the section: records that arrive while a
        # request is in flight still batch. Measured against 100 ms (which left the whole
        # section to flush()), alternating on the same events: 1.2-1.5x the relay's rate.
        "linger.ms": 0,
        "compression.type": settings.kafka_compression,
        "request.timeout.ms": 15_000,
        "logger": logging.getLogger("tadamon.relay.librdkafka"),  # not librdkafka's stderr
    }


class LibrdkafkaProducer:
    """confluent-kafka's Producer: librdkafka batches, compresses and sends in its own threads.

    Only failed deliveries are reported (``delivery.report.only.error``): a Python
    call per acknowledged record would cost what the C client saves.
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self._error: KafkaError | None = None
        self._producer = Producer(
            {
                **config,
                "delivery.report.only.error": True,
                "on_delivery": self._delivered,
                "error_cb": self._client_error,
            }
        )

    def _delivered(self, error: KafkaError | None, _message: Any) -> None:
        if error is not None and self._error is None:
            self._error = error

    def _client_error(self, error: KafkaError) -> None:
        # Most are transient (a broker unreachable) and retried by librdkafka itself;
        # a fatal one (the idempotent producer's state lost) fails the next flush.
        if error.fatal() and self._error is None:
            self._error = error
        log.warning("librdkafka: %s", error)

    def partitions_for(self, topic: str) -> list[int]:
        metadata = self._producer.list_topics(topic, timeout=BOOTSTRAP_MS / 1000)
        found = metadata.topics.get(topic)
        if found is None or found.error is not None or not found.partitions:
            raise KafkaException(found.error if found is not None else f"no topic {topic}")
        return sorted(found.partitions)

    def send(
        self,
        topic: str,
        partition: int,
        value: bytes,
        headers: Headers,
        key: bytes | None = None,
        timestamp_ms: int | None = None,
    ) -> None:
        deadline = time.monotonic() + MAX_BLOCK_SECONDS
        while True:
            try:
                self._producer.produce(
                    topic,
                    value=value,
                    key=key,
                    partition=partition,
                    timestamp=timestamp_ms or 0,  # 0: librdkafka stamps it now
                    headers=headers,  # type: ignore[arg-type] # a list of (str, bytes) is accepted
                )
                return
            except BufferError:
                # The local queue is full: wait for librdkafka to send some, never drop.
                if time.monotonic() > deadline:
                    raise
                self._producer.poll(0.05)

    def flush(self, timeout: float) -> None:
        left = self._producer.flush(timeout)
        error, self._error = self._error, None
        if error is not None:
            raise KafkaException(error)
        if left:
            raise TimeoutError(f"{left} records not acknowledged within {timeout:g} s")

    def close(self, timeout: float) -> None:
        if timeout > 0:
            self._producer.flush(timeout)
        # Whatever is left would keep close() waiting on a broker that may be gone.
        self._producer.purge()
        self._producer.poll(0)
        self._producer.close()
