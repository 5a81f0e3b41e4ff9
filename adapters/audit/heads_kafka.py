"""Every signed head published on its own Kafka topic, keyed by its tree size.

A copy outside the database: whoever rewrites the history must also fork every
consumer's copy of this topic. The producer is made on first use, so a broker
that is down costs nothing until a head is due, and the head stays kept in the
database (and its file) whatever Kafka answers.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from kafka import KafkaProducer

from adapters.settings import Settings


class HeadsTopic:
    def __init__(self, settings: Settings) -> None:
        self.servers = settings.kafka_bootstrap_servers.split(",")
        self.topic = settings.tree_heads_topic
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def __call__(self, head: dict[str, Any]) -> None:
        with self._lock:
            if self._producer is None:
                self._producer = KafkaProducer(
                    bootstrap_servers=self.servers,
                    client_id="tadamon-tree-heads",
                    acks="all",
                    max_block_ms=10_000,
                )
            value = json.dumps(head, separators=(",", ":"), sort_keys=True).encode("ascii")
            key = str(head["tree_size"]).encode("ascii")
            self._producer.send(self.topic, key=key, value=value).get(timeout=15)

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=5)
                self._producer = None
