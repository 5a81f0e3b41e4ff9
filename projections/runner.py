"""The batched projection runner: read a section, fold in memory, commit once.

Each view's rows and its position move in one transaction (the view store's
compare-and-set), so a crash mid-batch leaves either all of a batch or none
of it, and a second runner racing on the same views cannot double count.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from projections.ports import EventSource, Positioned, Projection, ViewStore
from projections.tally import Delta


@dataclass(frozen=True, slots=True)
class Progress:
    applied: int
    position: int
    raced: bool = False


class Runner:
    def __init__(
        self,
        source: EventSource,
        store: ViewStore,
        projections: Sequence[Projection],
        batch_size: int = 2000,
    ) -> None:
        self.source = source
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def step(self) -> Progress:
        """Apply at most one batch to every view that is behind."""
        with self._lock:
            positions = self.store.positions(self.names)
            start = min(positions.values(), default=0)
            events = self.source.read(start, self.batch_size)
            if not events:
                return Progress(0, start)
            changes = {p.name: self._fold(p, events, positions[p.name]) for p in self.projections}
            moved = {name: change for name, change in changes.items() if change[2] > change[1]}
            if not self.store.commit(moved):
                return Progress(0, start, raced=True)
            return Progress(len(events), events[-1].position)

    @staticmethod
    def _fold(
        projection: Projection, events: Sequence[Positioned], after: int
    ) -> tuple[Delta, int, int]:
        delta = Delta()
        fold, handles = projection.fold, projection.handles
        for item in events:
            if item.position > after and (handles is None or type(item.event) in handles):
                delta = fold(delta, item.event)
        return delta, after, max(after, events[-1].position)

    def catch_up(self, until: int | None = None) -> int:
        """Run batches until every view reaches ``until`` (default: the head now)."""
        target = self.source.head() if until is None else until
        applied = 0
        while min(self.store.positions(self.names).values(), default=0) < target:
            progress = self.step()
            if progress.applied == 0 and not progress.raced:
                break
            applied += progress.applied
        return applied

    def lag(self) -> dict[str, int]:
        head = self.source.head()
        return {name: head - pos for name, pos in self.store.positions(self.names).items()}
