"""Ports the runners are written against; the store and Kafka adapters implement them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol

from projections.tally import Delta, Table

Fold = Callable[[Delta, object], Delta]


@dataclass(frozen=True, slots=True)
class Projection:
    """A named view and the pure fold that builds it."""

    name: str
    fold: Fold
    handles: frozenset[type] | None = None
    """The event classes the fold reacts to; runners skip the others (None: all)."""


class Positioned(NamedTuple):
    """A decoded domain event and its position in the ledger's total order.

    A named tuple, not a frozen dataclass: a rebuild makes one per event, and the
    dataclass's per-field ``object.__setattr__`` cost a tenth of reading the event.
    """

    position: int
    event: object
    recorded_at: datetime


class Checkpoint(NamedTuple):
    """Views' rows kept as they stood at ``position``; ``stamp``: the latest event stamp to it."""

    position: int
    stamp: datetime


class CheckpointStore(Protocol):
    def latest(self, names: Sequence[str]) -> Checkpoint | None:
        """The newest checkpoint holding every named view (None: there is none)."""
        ...

    def write(
        self,
        names: Sequence[str],
        position: int,
        stamp: datetime,
        changed: Mapping[str, frozenset[str] | None],
        since: int,
    ) -> bool:
        """Copy the named views' rows, all at ``position``; False if one has moved on.

        ``changed``: per view, the only scopes that changed since its checkpoint at
        ``since`` (``None``, a view left out, or no checkpoint of it there any more:
        copy every scope). A scope not copied is read from the last checkpoint that did.
        """
        ...

    def nearest(self, view: str, instant: datetime) -> Checkpoint | None:
        """The newest checkpoint of ``view`` stamped at or before ``instant``."""
        ...

    def table(self, view: str, position: int, scope: str) -> Table:
        """One scope of a view as the checkpoint at ``position`` holds it."""
        ...


class EventSource(Protocol):
    def read(self, after: int, limit: int) -> Sequence[Positioned]:
        """Up to ``limit`` events with positions greater than ``after``, in order."""
        ...

    def head(self) -> int:
        """The position of the last stored event (0 when empty)."""
        ...


class ViewStore(Protocol):
    def positions(self, names: Sequence[str]) -> dict[str, int]:
        """The last position each named view applied (0 when never run)."""
        ...

    def commit(self, changes: Mapping[str, tuple[Delta, int, int]]) -> bool:
        """Apply each view's delta and move it from the first to the second position, atomically.

        Returns False, changing nothing, if another runner moved any of them first.
        """
        ...

    def table(self, view: str, scope: str) -> Table: ...
