"""The batched projection runner: read a section, fold in memory, commit once.

Each view's rows and its position move in one transaction (the view store's
compare-and-set), so a crash mid-batch leaves either all of a batch or none
of it, and a second runner racing on the same views cannot double count.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from projections.checkpointing import Checkpointer
from projections.ports import CheckpointStore, EventSource, Fold, Positioned, Projection, ViewStore
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
        checkpoints: CheckpointStore | None = None,
        checkpoint_every: int = 0,
        checkpointed: Sequence[str] | None = None,
    ) -> None:
        """``checkpoints``: where to copy the views every ``checkpoint_every`` events (0: never).

        ``checkpointed``: which views are copied (default: all); the ones as-of reads.
        """
        self.source = source
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._routes: dict[type, tuple[tuple[str, Fold], ...]] = {}
        self.checkpointer = (
            Checkpointer(checkpoints, source, checkpointed or self.names, checkpoint_every)
            if checkpoints is not None and checkpoint_every > 0
            else None
        )

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.projections]

    def step(self) -> Progress:
        """Apply at most one batch to every view that is behind."""
        with self._lock:
            return self._step(self.store.positions(self.names))

    def _step(self, positions: dict[str, int]) -> Progress:
        start = min(positions.values(), default=0)
        events = self.source.read(start, self.batch_size)
        if not events:
            return Progress(0, start)
        deltas = self._fold(events, positions)
        last = events[-1].position
        moved = {
            name: (deltas[name], after, last) for name, after in positions.items() if last > after
        }
        if not self.store.commit(moved):
            return Progress(0, start, raced=True)
        if self.checkpointer is not None:
            # Its own transaction, after the views' commit: a checkpoint is a copy of them.
            aligned = all(after <= last for after in positions.values())
            changed = {name: delta for name, (delta, _, _) in moved.items()}
            self.checkpointer.after_commit(start, events, aligned, positions, changed)
        return Progress(len(events), last)

    def _fold(self, events: Sequence[Positioned], positions: dict[str, int]) -> dict[str, Delta]:
        """One pass over the batch, each event handed only to the views that fold it."""
        deltas = {name: Delta() for name in positions}
        routes = self._routes
        for item in events:
            event = item.event
            kind = type(event)
            route = routes.get(kind)
            if route is None:
                route = routes[kind] = self._route(kind)
            for name, fold in route:
                if item.position > positions[name]:
                    deltas[name] = fold(deltas[name], event)
        return deltas

    def _route(self, kind: type) -> tuple[tuple[str, Fold], ...]:
        return tuple(
            (p.name, p.fold) for p in self.projections if p.handles is None or kind in p.handles
        )

    def catch_up(self, until: int | None = None) -> int:
        """Run batches until every view reaches ``until`` (default: the head now).

        Each batch reads the positions once: the same read that tells whether the
        views are behind is the one the batch's compare-and-set commits against.
        """
        target = self.source.head() if until is None else until
        applied = 0
        while True:
            with self._lock:  # per batch: a live runner's step may come in between
                positions = self.store.positions(self.names)
                if min(positions.values(), default=0) >= target:
                    break
                progress = self._step(positions)
            if progress.applied == 0 and not progress.raced:
                break
            applied += progress.applied
        return applied

    def lag(self) -> dict[str, int]:
        head = self.source.head()
        return {name: head - pos for name, pos in self.store.positions(self.names).items()}
