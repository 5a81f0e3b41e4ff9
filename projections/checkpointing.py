"""When the runner writes a checkpoint of its views, and the stamp the checkpoint carries.

A checkpoint's stamp is the latest event stamp at or before its position (events are
stored in commit order, so stamps are not monotonic). The runner follows it over the
sections it folds; after a restart it reads the events since the last checkpoint once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from projections.ports import Checkpoint, CheckpointStore, EventSource, Positioned

EARLIEST = datetime.min.replace(tzinfo=UTC)


class Checkpointer:
    def __init__(
        self, store: CheckpointStore, source: EventSource, names: Sequence[str], every: int
    ) -> None:
        self.store = store
        self.source = source
        self.names = list(names)
        self.every = every
        self._last: int | None = None  # the newest checkpoint's position, once read
        self._seen: Checkpoint | None = None  # the latest stamp up to a position

    def after_commit(self, start: int, events: Sequence[Positioned], aligned: bool) -> bool:
        """Follow the stamps of a committed section; write a checkpoint when one is due.

        ``aligned``: every view now stands at the section's last position.
        """
        last = events[-1].position
        self._follow(start, events)
        if not aligned:
            return False
        if self._last is None:
            latest = self.store.latest(self.names)
            self._last = latest.position if latest else 0
        if last < self._last + self.every:
            return False
        seen = self._seen if self._seen is not None else self._scan(last)
        if not self.store.write(self.names, last, seen.stamp):
            return False
        self._last = last
        return True

    def _follow(self, start: int, events: Sequence[Positioned]) -> None:
        seen = self._seen
        if seen is None or start > seen.position:
            self._seen = None  # a stretch not seen: _scan reads it when a checkpoint is due
            return
        stamp = seen.stamp
        for item in events:
            if item.position > seen.position and item.recorded_at > stamp:
                stamp = item.recorded_at
        self._seen = Checkpoint(max(seen.position, events[-1].position), stamp)

    def _scan(self, until: int) -> Checkpoint:
        """The latest stamp up to ``until``, read from the newest checkpoint on."""
        latest = self.store.latest(self.names)
        after, stamp = (latest.position, latest.stamp) if latest else (0, EARLIEST)
        while after < until and (events := self.source.read(after, 5000)):
            for item in events:
                if item.position <= until and item.recorded_at > stamp:
                    stamp = item.recorded_at
            after = events[-1].position
        self._seen = Checkpoint(until, stamp)
        return self._seen
