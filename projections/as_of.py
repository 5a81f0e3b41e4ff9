"""A view as the ledger showed it at an instant, from the events alone.

The fold takes every event recorded at or before the instant. Events are
stamped when a command creates them and stored in commit order, so one
committed a little late can sit after an event stamped later than the
instant: reading stops only at the first event stamped later than the
instant plus a margin (see ``Settings.as_of_margin_seconds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from projections.ports import EventSource, Projection
from projections.tally import Delta, Table, table_from_delta


@dataclass(frozen=True, slots=True)
class AsOf:
    """One scope of a view at an instant, and the last position folded into it."""

    table: Table
    position: int
    events: int


def view_as_of(
    source: EventSource,
    projection: Projection,
    scope: str,
    instant: datetime,
    margin: timedelta,
    batch_size: int = 5000,
) -> AsOf:
    """Fold ``projection`` over the events recorded up to ``instant``, keeping ``scope``."""
    if instant.utcoffset() is None:
        raise ValueError("an as-of instant must carry a time zone")
    horizon = instant + margin
    kept, position, folded, after = Delta(), 0, 0, 0
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
    return AsOf(table_from_delta(kept, scope), position, folded)


def _keep_scope(kept: Delta, section: Delta, scope: str) -> None:
    """Merge only the one scope, so memory holds one campaign, not the whole history."""
    for key, amount in section.counts.items():
        if key[0] == scope:
            kept.counts[key] = kept.counts.get(key, 0) + amount
    for key, text in section.labels.items():
        if key[0] == scope:
            kept.labels[key] = text
