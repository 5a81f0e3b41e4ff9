"""Does a record continue what a view received on its partition, or is something missing?

The relay names, on every record, the position of the record it sent before it
on the same partition (``previous``). A view that has seen everything up to
``seen`` on a partition can apply a newer record only if ``previous <= seen``:
otherwise the broker lost what came between (a restart that lost its log, a
truncation), and applying it would count later events while earlier ones are
missing. Such records are passed over until one continues the chain again, which
is what a republish from ``seen`` sends (``tadamon relay --republish-from``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adapters.kafka.faults import GAP, OFFSET_RESET, Fault, KafkaFaults
from adapters.metrics import Metrics
from adapters.view_partitions import PartitionKey, PartitionMark

log = logging.getLogger("tadamon.projector")


@dataclass(frozen=True, slots=True)
class Gap:
    """Where a view stopped on a partition, and the first record it could not apply."""

    seen: int
    previous: int
    position: int
    offset: int
    reset: str = ""  # set when the gap was found by the worker's offsets being reset

    def fault(self, topic: str, partition: int, view: str) -> Fault:
        if self.reset:
            return Fault(topic, partition, view, OFFSET_RESET, self.reset, self.seen)
        detail = (
            f"received position {self.position} (offset {self.offset}) whose previous record "
            f"on this partition is position {self.previous}, but this view has seen only up "
            f"to {self.seen}: the broker lost records; stopped at {self.seen}"
        )
        return Fault(topic, partition, view, GAP, detail, self.seen)


def seen(mark: PartitionMark) -> int:
    """Everything the relay sent on the partition up to this position has been received."""
    return max(mark.position, mark.watermark)


def reset_gap(mark: PartitionMark, earliest: int, end: int | None) -> Gap:
    holds = f"offsets {earliest} to {end}" if end is not None else f"offsets from {earliest}"
    detail = (
        f"this view had read up to offset {mark.next_offset} but the broker's log now holds "
        f"{holds}: the log was lost or cut; reading again from {earliest}, "
        f"applying nothing past position {seen(mark)} until the relay republishes"
    )
    return Gap(seen(mark), seen(mark), 0, earliest, reset=detail)


class Stops:
    """Which (view, partition) pairs a worker stopped at a gap: reported, then cleared."""

    def __init__(
        self, topic: str, views: Sequence[str], faults: KafkaFaults, metrics: Metrics
    ) -> None:
        self.topic = topic
        self.views = list(views)
        self.faults = faults
        self.metrics = metrics
        self.gaps: dict[PartitionKey, Gap] = {}

    def report(self, gaps: Mapping[PartitionKey, Gap | None]) -> None:
        """Record (before the commit that passes over them) gaps not reported yet."""
        new = {
            key: gap
            for key, gap in gaps.items()
            if gap is not None and self.gaps.get(key) != gap and not _same_stop(self.gaps, key, gap)
        }
        if not new:
            return
        faults = [gap.fault(self.topic, key[1], key[0]) for key, gap in sorted(new.items())]
        self.faults.record(faults)
        for fault in faults:
            log.error(
                "view %s stopped on partition %d: %s; recover with: %s",
                fault.view,
                fault.partition,
                fault.detail,
                fault.recover,
            )

    def settle(self, gaps: Mapping[PartitionKey, Gap | None]) -> None:
        cleared = [key for key, gap in gaps.items() if gap is None and key in self.gaps]
        self.gaps.update({key: gap for key, gap in gaps.items() if gap is not None})
        for key in cleared:
            del self.gaps[key]
            log.info("view %s continues on partition %d", *key)
        if cleared:
            self.faults.clear(self.topic, [(partition, view) for view, partition in cleared])
        for name in self.views:
            stopped = sum(1 for view, _ in self.gaps if view == name)
            self.metrics.kafka_gaps.labels(view=name).set(stopped)


def _same_stop(known: Mapping[PartitionKey, Gap], key: PartitionKey, gap: Gap) -> bool:
    """A gap already reported for the same stop (later records passed over) is not news."""
    old = known.get(key)
    return old is not None and not gap.reset and not old.reset and old.seen == gap.seen
