"""Kafka-fed projections: the same folds as the store runner, fed from the topic.

Workers share the topic's partitions in one consumer group. Offsets are not
kept in Kafka but in the view database, per (view, topic, partition), in the
same transaction as the view rows; on assignment a worker seeks to them. A
record whose event position is at or below the partition's highest applied
position is a relay redelivery and is skipped, so nothing is counted twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Mapper
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition

from adapters.kafka.envelope import Received, read_record
from adapters.metrics import Metrics
from adapters.settings import Settings
from adapters.view_partitions import PartitionKey, PartitionMark
from adapters.views import SqlViewStore
from projections.ports import Projection
from projections.tally import Delta

log = logging.getLogger("tadamon.projector")
# A broker may hold an empty fetch this long even after new records arrive (Tansu does):
# it bounds the added end-to-end lag, at the cost of a few idle fetches per second.
FETCH_WAIT_MS = 100


def make_consumer(settings: Settings) -> KafkaConsumer:
    session = settings.kafka_session_timeout_ms
    return KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        group_id=settings.kafka_group,
        client_id="tadamon-projector",
        bootstrap_timeout_ms=5000,
        enable_auto_commit=False,  # offsets live with the view rows
        auto_offset_reset="earliest",
        fetch_max_wait_ms=FETCH_WAIT_MS,
        session_timeout_ms=session,
        heartbeat_interval_ms=max(100, session // 5),
        max_poll_interval_ms=max(60_000, session),
        request_timeout_ms=max(30_000, session + 5_000),
    )


class KafkaProjector(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(
        self,
        consumer: Any,
        mapper: Mapper[Any],
        views: SqlViewStore,
        projections: Sequence[Projection],
        topic: str,
        metrics: Metrics,
        batch_size: int = 2000,
    ) -> None:
        self.consumer = consumer
        self.mapper = mapper
        self.views = views
        self.projections = list(projections)
        self.topic = topic
        self.metrics = metrics
        self.batch_size = batch_size
        self.marks: dict[PartitionKey, PartitionMark | None] = {}

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def start(self) -> None:
        self.consumer.subscribe([self.topic], listener=self)

    # -- the group's rebalance callbacks (called inside poll) ---------------------
    def on_partitions_revoked(self, revoked: Any) -> None:
        gone = {tp.partition for tp in revoked}
        self.marks = {key: mark for key, mark in self.marks.items() if key[1] not in gone}

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.seek_to_stored([tp.partition for tp in assigned])
        log.info("assigned partitions %s", sorted(tp.partition for tp in assigned))

    def seek_to_stored(self, partitions: Sequence[int]) -> None:
        stored = self.views.partition_marks(self.names, self.topic)
        for partition in partitions:
            for name in self.names:
                self.marks[(name, partition)] = stored.get((name, partition))
            offset = min(self._mark(name, partition).next_offset for name in self.names)
            self.consumer.seek(TopicPartition(self.topic, partition), offset)

    def _mark(self, name: str, partition: int) -> PartitionMark:
        return self.marks.get((name, partition)) or PartitionMark()

    # -- folding -----------------------------------------------------------------
    def step(self, timeout_ms: int = 500) -> int:
        """Poll once and apply what came; returns the number of records consumed."""
        batch = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.batch_size)
        return self.apply(batch) if batch else 0

    def apply(self, batch: Mapping[Any, Sequence[Any]]) -> int:
        deltas = {name: Delta() for name in self.names}
        moves: dict[PartitionKey, tuple[PartitionMark | None, PartitionMark]] = {}
        decoded: dict[int, Any] = {}  # one decode per event, shared by every view
        for tp, records in batch.items():
            received = [(r.offset, read_record(r.headers, r.value)) for r in records]
            for projection in self.projections:
                before = self.marks.get((projection.name, tp.partition))
                start = before or PartitionMark()
                after = self._fold(projection, deltas[projection.name], received, start, decoded)
                if after != start:
                    moves[(projection.name, tp.partition)] = (before, after)
        if not moves:
            return 0
        partitions = len(self.consumer.partitions_for_topic(self.topic) or ())
        if not self.views.commit_partitions(self.topic, deltas, moves, partitions):
            log.warning("another worker moved these partitions first; re-reading positions")
            self.seek_to_stored(sorted({tp.partition for tp in batch}))
            return 0
        self.marks.update({key: after for key, (_, after) in moves.items()})
        self.metrics.projected.inc(len(decoded))
        return sum(len(records) for records in batch.values())

    def _fold(
        self,
        projection: Projection,
        delta: Delta,
        received: Sequence[tuple[int, Received]],
        mark: PartitionMark,
        decoded: dict[int, Any],
    ) -> PartitionMark:
        offset, position, watermark = mark.next_offset, mark.position, mark.watermark
        for record_offset, item in received:
            if record_offset < offset:
                continue  # this view has it already (another view needed an earlier seek)
            offset = record_offset + 1
            if item.stored is None:
                watermark = max(watermark, item.position)
            elif item.position > position:
                event = decoded.get(item.position)
                if event is None:
                    event = decoded[item.position] = self.mapper.to_domain_event(item.stored)
                projection.fold(delta, event)
                position = item.position
        return PartitionMark(offset, position, watermark)

    def close(self) -> None:
        self.consumer.close()


def run_projector(projector: KafkaProjector, stop: threading.Event) -> None:
    """Consume until stopped; after a failure, re-read positions and retry with backoff."""
    backoff = 0.5
    while not stop.is_set():
        try:
            projector.step()
            backoff = 0.5
        except Exception as error:
            # The first line only: database errors go on to quote SQL parameters.
            reason = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            log.warning("projection batch failed, retrying in %.1fs: %s", backoff, reason[:200])
            stop.wait(backoff)
            backoff = min(backoff * 2, 30.0)
            try:
                projector.seek_to_stored(
                    sorted({tp.partition for tp in projector.consumer.assignment()})
                )
            except Exception:
                log.exception("cannot re-read positions yet")
