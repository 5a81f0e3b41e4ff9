"""Kafka-fed projections: the same folds as the store runner, fed from the topic.

Workers share the topic's partitions in one consumer group. Offsets are not
kept in Kafka but in the view database, per (view, topic, partition), in the
same transaction as the view rows; on assignment a worker seeks to them. A
record whose event position is at or below the partition's highest applied
position is a relay redelivery and is skipped, so nothing is counted twice. A
record that does not continue what the view received on its partition, or offsets
reset under the worker, stop the view there (``continuity``, ``faults``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from eventsourcing.persistence import Mapper
from kafka import ConsumerRebalanceListener, KafkaConsumer, TopicPartition
from kafka.errors import OffsetOutOfRangeError

from adapters.kafka.continuity import Gap, Stops, reset_gap
from adapters.kafka.envelope import Received, read_record
from adapters.kafka.faults import WAITING_FOR_TOPIC, WHOLE_TOPIC, Fault, KafkaFaults
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
OFFSET_CHECK_SECONDS = 5.0  # how often a worker checks its offsets are inside the broker's log


def make_consumer(settings: Settings) -> KafkaConsumer:
    session = settings.kafka_session_timeout_ms
    return KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers.split(","),
        group_id=settings.kafka_group,
        client_id="tadamon-projector",
        bootstrap_timeout_ms=5000,
        enable_auto_commit=False,  # offsets live with the view rows
        # Only the relay creates the topic, with TADAMON_KAFKA_PARTITIONS; a worker that
        # asked first would get the broker's default count.
        allow_auto_create_topics=False,
        # Never jump silently: an offset the broker no longer has is a fault to report.
        auto_offset_reset="none",
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
        faults: KafkaFaults | None = None,
    ) -> None:
        self.consumer = consumer
        self.mapper = mapper
        self.views = views
        self.projections = list(projections)
        self.topic = topic
        self.metrics = metrics
        self.batch_size = batch_size
        self.marks: dict[PartitionKey, PartitionMark | None] = {}
        faults = faults or KafkaFaults(views.engine, views.dialect)
        self.stops = Stops(topic, self.names, faults, metrics)
        self.subscribed = self.waiting = False
        self.next_offset_check = 0.0  # check at once after an assignment

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def start(self) -> None:
        self.wait_for_topic()

    def wait_for_topic(self) -> bool:
        """Subscribe once the topic exists; True while it does not (logged, and in /readyz).

        Asking a broker for a missing topic by name may create it with the broker's
        default partition count (Tansu does, whatever the request says), so a worker
        only lists topics until the relay has made it.
        """
        if self.subscribed:
            return False
        if self.topic in (self.consumer.topics() or set()):
            self.consumer.subscribe([self.topic], listener=self)
            self.subscribed = True
            self.stops.faults.clear(self.topic, [(WHOLE_TOPIC, "")])
            return False
        if not self.waiting:
            log.warning("waiting for topic %s: only the relay creates it", self.topic)
            fault = Fault(
                self.topic, WHOLE_TOPIC, "", WAITING_FOR_TOPIC, "the topic does not exist"
            )
            self.stops.faults.record([fault])
            self.waiting = True
        return True

    # -- the group's rebalance callbacks (called inside poll) ---------------------
    def on_partitions_revoked(self, revoked: Any) -> None:
        gone = {tp.partition for tp in revoked}
        self.marks = {key: mark for key, mark in self.marks.items() if key[1] not in gone}

    def on_partitions_assigned(self, assigned: Any) -> None:
        self.seek_to_stored([tp.partition for tp in assigned])
        log.info("assigned partitions %s", sorted(tp.partition for tp in assigned))
        self.next_offset_check = 0.0

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
        if self.wait_for_topic():
            time.sleep(timeout_ms / 1000)
            return 0
        if self.consumer.assignment() and time.monotonic() >= self.next_offset_check:
            self.check_offsets()
        try:
            batch = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.batch_size)
        except OffsetOutOfRangeError as error:
            self.offsets_reset(list(error.args[0]) if error.args else [])
            return 0
        return self.apply(batch) if batch else 0

    def check_offsets(self) -> None:
        """Offsets outside the broker's log (it was lost or cut) are a fault, never a wait.

        Some brokers (Tansu) answer a fetch past the end of a log with nothing rather
        than an out-of-range error, and a wrong end offset; the high watermark of the
        fetch answers is right, so that is what a worker's offsets are held against.
        """
        self.next_offset_check = time.monotonic() + OFFSET_CHECK_SECONDS
        assigned = sorted(self.consumer.assignment(), key=lambda tp: tp.partition)
        earliest = self.consumer.beginning_offsets(assigned)
        lost = []
        for tp in assigned:
            high, reading = self.consumer.highwater(tp), self._reading(tp.partition)
            if high is None:  # no fetch answered yet since the assignment: look again soon
                self.next_offset_check = time.monotonic() + FETCH_WAIT_MS / 1000
            if reading < earliest[tp] or (high is not None and reading > high):
                lost.append(tp)
        if lost:
            self.offsets_reset(lost)

    def _reading(self, partition: int) -> int:
        return min(self._mark(name, partition).next_offset for name in self.names)

    def offsets_reset(self, lost: Sequence[TopicPartition]) -> None:
        """The broker no longer holds where these partitions were: report, re-read them whole."""
        earliest = self.consumer.beginning_offsets(lost)
        moves, gaps = {}, {}
        for tp in lost:
            for name in self.names:
                key = (name, tp.partition)
                before = self.marks.get(key)
                mark = before or PartitionMark()
                gaps[key] = reset_gap(mark, earliest[tp], self.consumer.highwater(tp))
                moves[key] = (before, replace(mark, next_offset=earliest[tp]))
        self.stops.report(gaps)
        deltas = {name: Delta() for name in self.names}
        if not self.views.commit_partitions(self.topic, deltas, moves, self._partitions()):
            self.seek_to_stored(sorted({tp.partition for tp in lost}))
            return
        self.marks.update({key: after for key, (_, after) in moves.items()})
        self.stops.settle(gaps)
        for tp in lost:
            self.consumer.seek(tp, earliest[tp])

    def apply(self, batch: Mapping[Any, Sequence[Any]]) -> int:
        deltas = {name: Delta() for name in self.names}
        moves: dict[PartitionKey, tuple[PartitionMark | None, PartitionMark]] = {}
        gaps: dict[PartitionKey, Gap | None] = {}
        decoded: dict[int, Any] = {}  # one decode per event, shared by every view
        for tp, records in batch.items():
            received = [(r.offset, read_record(r.headers, r.value)) for r in records]
            for projection in self.projections:
                key = (projection.name, tp.partition)
                before = self.marks.get(key)
                start = before or PartitionMark()
                after, gaps[key] = self._fold(
                    projection,
                    deltas[projection.name],
                    received,
                    start,
                    decoded,
                    self.stops.gaps.get(key),
                )
                if after != start:
                    moves[key] = (before, after)
        self.stops.report(gaps)
        if not moves:
            return 0
        if not self.views.commit_partitions(self.topic, deltas, moves, self._partitions()):
            log.warning("another worker moved these partitions first; re-reading positions")
            self.seek_to_stored(sorted({tp.partition for tp in batch}))
            return 0
        self.marks.update({key: after for key, (_, after) in moves.items()})
        self.stops.settle(gaps)
        self.metrics.projected.inc(len(decoded))
        return sum(len(records) for records in batch.values())

    def _partitions(self) -> int:
        return len(self.consumer.partitions_for_topic(self.topic) or ())

    def _fold(
        self,
        projection: Projection,
        delta: Delta,
        received: Sequence[tuple[int, Received]],
        mark: PartitionMark,
        decoded: dict[int, Any],
        gap: Gap | None,
    ) -> tuple[PartitionMark, Gap | None]:
        offset, position, watermark = mark.next_offset, mark.position, mark.watermark
        for record_offset, item in received:
            if record_offset < offset:
                continue  # this view has it already (another view needed an earlier seek)
            offset = record_offset + 1
            seen = max(position, watermark)
            if item.position <= (watermark if item.stored is None else seen):
                continue  # a redelivery (a watermark may share its last event's position)
            if item.previous is not None and item.previous > seen:
                if gap is None or gap.reset:  # keep the first record that did not follow
                    gap = Gap(seen, item.previous, item.position, record_offset)
                continue
            gap = None
            if item.stored is None:
                watermark = item.position
                continue
            event = decoded.get(item.position)
            if event is None:
                event = decoded[item.position] = self.mapper.to_domain_event(item.stored)
            projection.fold(delta, event)
            position = item.position
        return PartitionMark(offset, position, watermark), gap

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
