"""Rebuilding views from the first event, each up to a position of its own.

An auditor's replay must stop every view exactly where the live copy it is
compared with stopped, which the live Runner (that moves all its views to the
end of each section it reads) cannot do. Each section's delta is committed
before the next is read, so memory stays flat however long the history is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from projections.ports import EventSource, Positioned, Projection, ViewStore
from projections.tally import Delta


@dataclass(frozen=True, slots=True)
class RebuildProgress:
    """After each section: how many events were read in all, and the last position."""

    events: int
    position: int
    target: int


class RebuildRacedError(RuntimeError):
    """Something else moved a view of the fresh store while it was being rebuilt."""


def rebuild(
    source: EventSource,
    store: ViewStore,
    projections: Sequence[Projection],
    targets: Mapping[str, int],
    batch_size: int = 5000,
    on_progress: Callable[[RebuildProgress], None] | None = None,
) -> int:
    """Fold every view up to its target position; returns how many events were read."""
    positions = store.positions([p.name for p in projections])
    after = min(positions.values(), default=0)
    goal = max((targets[p.name] for p in projections), default=0)
    read = 0
    while after < goal:
        events = source.read(after, batch_size)
        if not events:
            break  # the store ends before the goal: the comparison will say what differs
        changes = _section(projections, events, positions, targets)
        if changes and not store.commit(changes):
            raise RebuildRacedError("the fresh view store was changed by someone else")
        for name, (_delta, _before, moved_to) in changes.items():
            positions[name] = moved_to
        read += len(events)
        after = events[-1].position
        if on_progress is not None:
            on_progress(RebuildProgress(read, after, goal))
    return read


def _section(
    projections: Sequence[Projection],
    events: Sequence[Positioned],
    positions: Mapping[str, int],
    targets: Mapping[str, int],
) -> dict[str, tuple[Delta, int, int]]:
    changes: dict[str, tuple[Delta, int, int]] = {}
    last = events[-1].position
    for projection in projections:
        start, stop = positions[projection.name], targets[projection.name]
        end = min(stop, last)
        if end <= start:
            continue
        delta, fold = Delta(), projection.fold
        for item in events:
            if start < item.position <= stop:
                delta = fold(delta, item.event)
        changes[projection.name] = (delta, start, end)
    return changes
