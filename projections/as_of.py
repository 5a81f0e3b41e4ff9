"""A view as the ledger showed it at an instant, from the events alone.

The fold takes every event recorded at or before the instant. Events are
stamped when a command creates them and stored in commit order, so one
committed a little late can sit after an event stamped later than the
instant: reading stops only at the first event stamped later than the
instant plus a margin (see ``Settings.as_of_margin_seconds``).

With checkpoints, the fold starts from the newest one whose every event is stamped at
or before the instant: all it holds, the fold from the first event would have folded
too, and none of it lies past the horizon, so the answer is the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from projections.ports import CheckpointStore, EventSource, Projection
from projections.tally import Delta, Table, table_from_delta


@dataclass(frozen=True, slots=True)
class AsOf:
    """One scope of a view at an instant, and the last position folded into it."""

    table: Table
    position: int
    events: int
    checkpoint: int = 0
    """The position of the checkpoint the fold started from (0: the first event)."""


def view_as_of(
    source: EventSource,
    projection: Projection,
    scope: str,
    instant: datetime,
    margin: timedelta,
    batch_size: int = 5000,
    checkpoints: CheckpointStore | None = None,
) -> AsOf:
    """Fold ``projection`` over the events recorded up to ``instant``, keeping ``scope``."""
    if instant.utcoffset() is None:
        raise ValueError("an as-of instant must carry a time zone")
    horizon = instant + margin
    kept, position, folded, after = Delta(), 0, 0, 0
    start = checkpoints.nearest(projection.name, instant) if checkpoints else None
    if checkpoints is not None and start is not None:
        kept = _delta_of(checkpoints.table(projection.name, start.position, scope), scope)
        position = after = start.position
    while events := source.read(after, batch_size):
        section, past_horizon = Delta(), False
        for item in events:
            if item.recorded_at <= instant:
                section = projection.fold(section, item.event)
                position = item.position
                folded += 1
            elif item.recorded_at > horizon:
                past_horizon = True
                break
        _keep_scope(kept, section, scope)
        if past_horizon:
            break
        after = events[-1].position
    return AsOf(table_from_delta(kept, scope), position, folded, start.position if start else 0)


def _delta_of(table: Table, scope: str) -> Delta:
    delta = Delta()
    for (dimension, member, measure), value in table.counts.items():
        delta.add(scope, dimension, member, measure, value)
    for (dimension, member, name), text in table.labels.items():
        delta.labels[(scope, dimension, member, name)] = text
    return delta


def _keep_scope(kept: Delta, section: Delta, scope: str) -> None:
    """Merge only the one scope, so memory holds one campaign, not the whole history."""
    for key, amount in section.counts.items():
        if key[0] == scope:
            kept.counts[key] = kept.counts.get(key, 0) + amount
    for key, text in section.labels.items():
        if key[0] == scope:
            kept.labels[key] = text
