"""The auditor's replay: every view rebuilt from the first event, compared field by field.

The rebuild goes into a fresh store (see ``fresh.py``), each view up to the
position its live copy reached, so a live view that lags (a Kafka-fed one) is
compared at its own position rather than reported as different. Both sides are
read as sorted streams and merged, so neither the rebuild nor the comparison
holds more than a section in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Engine, Table, select

from adapters.approvals import approved_differences
from adapters.audit.checkpoint_check import rebuild_through_checkpoints
from adapters.audit.fresh import FreshStore, fresh_view_store
from adapters.checkpoints import SqlCheckpoints
from adapters.database import view_counts, view_labels
from adapters.settings import Settings
from adapters.views import SqlViewStore
from projections.ports import EventSource, Projection
from projections.rebuild import RebuildProgress, rebuild

MAX_LISTED = 1000
STABLE_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Difference:
    """One field where the live read model and the replay disagree (None: no such row)."""

    view: str
    scope: str
    dimension: str
    member: str
    measure: str
    live: int | str | None
    replayed: int | str | None


@dataclass
class ReplayReport:
    where: str
    events: int = 0
    seconds: float = 0.0
    positions: dict[str, int] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    difference_count: int = 0

    @property
    def ok(self) -> bool:
        return self.difference_count == 0

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def add(self, difference: Difference) -> None:
        self.difference_count += 1
        if len(self.differences) < MAX_LISTED:
            self.differences.append(difference)


class Replay:
    """Rebuilds ``projections`` from ``source`` into a fresh store and compares with ``live``."""

    def __init__(
        self,
        settings: Settings,
        source: EventSource,
        live: SqlViewStore,
        projections: Sequence[Projection],
        batch_size: int = 5000,
        checkpoints: SqlCheckpoints | None = None,
    ) -> None:
        """``checkpoints``: the live store's, compared with the rebuild at their positions."""
        self.settings = settings
        self.checkpoints = checkpoints
        self.source = source
        self.live = live
        self.projections = list(projections)
        self.batch_size = batch_size

    def run(self, on_progress: Callable[[RebuildProgress], None] | None = None) -> ReplayReport:
        with fresh_view_store(self.settings) as fresh:
            report = ReplayReport(fresh.where)
            started = time.perf_counter()
            targets = self.live.positions([p.name for p in self.projections])
            report.events = self._first_rebuild(fresh, targets, report, on_progress)
            report.seconds = time.perf_counter() - started
            for projection in self.projections:
                report.positions[projection.name] = self._compare(fresh, projection, report)
            for difference in approved_differences(fresh.views):  # approved = replayed
                report.add(Difference(*difference))
        return report

    def _first_rebuild(
        self,
        fresh: FreshStore,
        targets: dict[str, int],
        report: ReplayReport,
        on_progress: Callable[[RebuildProgress], None] | None,
    ) -> int:
        """The rebuild, stopping at each checkpoint of the live store to compare it."""
        if self.checkpoints is None:
            return self._rebuild(fresh, targets, on_progress)
        read, mismatches = rebuild_through_checkpoints(
            lambda stops: self._rebuild(fresh, stops, on_progress),
            fresh.engine,
            self.checkpoints,
            targets,
        )
        for view, position, key, kept, replayed in mismatches:
            scope, dimension, member, measure = key
            where = f"{view} (checkpoint at {position})"
            report.add(Difference(where, scope, dimension, member, measure, kept, replayed))
        return read

    def _rebuild(
        self,
        fresh: FreshStore,
        targets: dict[str, int],
        on_progress: Callable[[RebuildProgress], None] | None = None,
    ) -> int:
        return rebuild(
            self.source, fresh.views, self.projections, targets, self.batch_size, on_progress
        )

    def _compare(self, fresh: FreshStore, projection: Projection, report: ReplayReport) -> int:
        """Compare one view at the live position; re-run if the live view moved meanwhile."""
        view = projection.name
        for _ in range(STABLE_ATTEMPTS):
            position = self.live.positions([view])[view]
            replayed = fresh.views.positions([view])[view]
            if replayed < position:  # the live view moved on since the rebuild began
                targets = dict(fresh.views.positions([p.name for p in self.projections]))
                targets[view] = position
                report.events += self._rebuild(fresh, targets)
            found = ReplayReport(report.where)
            for difference in _differences(self.live.engine, fresh.engine, view):
                found.add(difference)
            if self.live.positions([view])[view] == position:
                report.difference_count += found.difference_count
                room = MAX_LISTED - len(report.differences)
                report.differences.extend(found.differences[: max(room, 0)])
                return position
        raise RuntimeError(f"the live view {view} kept moving; run the replay again")


def _differences(live: Engine, fresh: Engine, view: str) -> Iterator[Difference]:
    """Counts, then labels (whose 'measure' is the label's name)."""
    for table in (view_counts, view_labels):
        for key, a, b in _merge(_rows(live, table, view), _rows(fresh, table, view)):
            scope, dimension, member, measure = key
            yield Difference(view, scope, dimension, member, measure, a, b)


def _rows(engine: Engine, table: Table, view: str) -> Iterator[tuple[tuple[str, ...], Any]]:
    keys = [c for c in table.primary_key.columns if c.name != "view"]
    query = select(*keys, table.c.value).where(table.c.view == view)
    if table is view_counts:
        query = query.where(table.c.value != 0)  # a zero is the same as no row
    query = query.order_by(*(_bytewise(engine, c) for c in keys))
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
        for row in result:
            yield tuple(row[:-1]), row[-1]


def _bytewise(engine: Engine, column: Column[Any]) -> Any:
    # The merge compares keys as Python does (by code point): make PostgreSQL
    # sort the same way whatever the database's locale. SQLite already does.
    return column.collate("C") if engine.dialect.name == "postgresql" else column


def _merge(
    live: Iterator[tuple[tuple[str, ...], Any]], fresh: Iterator[tuple[tuple[str, ...], Any]]
) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    a, b = next(live, None), next(fresh, None)
    while a is not None or b is not None:
        if a is not None and (b is None or a[0] < b[0]):
            yield a[0], _plain(a[1]), None
            a = next(live, None)
        elif b is not None and (a is None or b[0] < a[0]):
            yield b[0], None, _plain(b[1])
            b = next(fresh, None)
        elif a is not None and b is not None:
            if a[1] != b[1]:
                yield a[0], _plain(a[1]), _plain(b[1])
            a, b = next(live, None), next(fresh, None)


def _plain(value: Any) -> int | str:
    return value if isinstance(value, str) else int(value)
