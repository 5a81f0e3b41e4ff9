"""When the runner writes a checkpoint of its views, and the stamp the checkpoint carries.

A checkpoint's stamp is the latest event stamp at or before its position (events are
stored in commit order, so stamps are not monotonic). The runner follows it over the
sections it folds; after a restart it reads the events since the last checkpoint once.

A checkpoint copies only the scopes its views changed since the one before: a season
closed years ago is copied once, not at every checkpoint after it (which made the
copies grow with the square of the history). The runner knows what changed only
while every commit since the last checkpoint was its own; after a start, once another
runner moved a view, or if that checkpoint is gone (a refold drops them), the next
checkpoint copies that view whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from itertools import chain

from projections.ports import Checkpoint, CheckpointStore, EventSource, Positioned
from projections.tally import Delta, scopes

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
        self.changed = ChangedScopes(self.names)

    def after_commit(
        self,
        start: int,
        events: Sequence[Positioned],
        aligned: bool,
        before: Mapping[str, int],
        deltas: Mapping[str, Delta],
    ) -> bool:
        """Follow the stamps and scopes of a committed section; write a checkpoint when due.

        ``aligned``: every view now stands at the section's last position. ``before``:
        where the views stood when the section was read; ``deltas``: what it committed.
        """
        last = events[-1].position
        if not self.changed.follow(before, deltas, last):
            # The views are not where this runner left them (a start, another runner, a
            # refold): what it remembers of the checkpoints and stamps may be stale too.
            self._last, self._seen = None, None
        self._follow(start, events)
        if not aligned:
            return False
        if self._last is None:
            latest = self.store.latest(self.names)
            self._last = latest.position if latest else 0
        if last < self._last + self.every:
            return False
        seen = self._seen if self._seen is not None else self._scan(last)
        changed = self.changed.since_last()
        if not self.store.write(self.names, last, seen.stamp, changed, since=self._last):
            return False
        self.changed.copied()
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


class ChangedScopes:
    """The scopes each view changed since the last checkpoint, as far as this runner knows.

    ``None`` for a view means not known (copy it whole): nothing committed yet, or the
    view stood somewhere else than this runner's own last commit left it.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self._scopes: dict[str, set[str] | None] = dict.fromkeys(names)
        self._left: dict[str, int] = {}  # where this runner's last commit left each view

    def follow(self, before: Mapping[str, int], deltas: Mapping[str, Delta], last: int) -> bool:
        """Add a commit's scopes; False if a view did not stand where this runner left it."""
        followed = True
        for name, changed in self._scopes.items():
            stood = before.get(name, 0)
            if self._left.get(name) != stood:
                changed = self._scopes[name] = None  # moved by another runner, or a start
                followed = False
            delta = deltas.get(name)
            if delta is not None and changed is not None:
                changed.update(scopes(chain(delta.counts, delta.labels)))
            self._left[name] = last if delta is not None else stood
        return followed

    def since_last(self) -> dict[str, frozenset[str] | None]:
        return {
            name: None if scopes is None else frozenset(scopes)
            for name, scopes in self._scopes.items()
        }

    def copied(self) -> None:
        """A checkpoint holds every view as it stands: nothing has changed since."""
        for name in self._scopes:
            self._scopes[name] = set()
