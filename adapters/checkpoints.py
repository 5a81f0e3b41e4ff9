"""Checkpoints: every view's rows copied as they stood at a position, for as-of reads.

The runner writes one after a commit that left all its views at the same position,
in a transaction of its own: the copy is ``INSERT ... SELECT`` from the view's rows,
guarded by that view still being at that position, so a runner racing on the same
views cannot make a checkpoint that mixes two positions (the checkpoint is skipped).

A checkpoint carries the latest event stamp at or before its position. An as-of at
an instant can start from it only when that stamp is not later than the instant:
then every event it holds would have been folded by the as-of from the first event
too, and the fold of the tail gives the same answer (``projections.as_of``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, insert, select

from adapters.database import (
    checkpoint_counts,
    checkpoint_labels,
    view_checkpoints,
    view_counts,
    view_labels,
    view_positions,
)
from projections.ports import Checkpoint
from projections.tally import Table

_COPY = (
    'INSERT INTO {target} ("view", position, scope, dimension, member, {key}, value) '
    'SELECT "view", {mark}, scope, dimension, member, {key}, value FROM {source} '
    'WHERE "view" = {mark} AND EXISTS (SELECT 1 FROM view_positions '
    'WHERE "view" = {mark} AND position = {mark})'
)


class SqlCheckpoints:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._copy_counts = _COPY.format(
            target="checkpoint_counts", source="view_counts", key="measure", mark=mark
        )
        self._copy_labels = _COPY.format(
            target="checkpoint_labels", source="view_labels", key="name", mark=mark
        )

    def latest(self, names: Sequence[str]) -> Checkpoint | None:
        """The newest checkpoint that holds every one of ``names``."""
        if not names:
            return None
        query = (
            select(view_checkpoints.c.position, view_checkpoints.c.stamp)
            .where(view_checkpoints.c.view.in_(names))
            .group_by(view_checkpoints.c.position, view_checkpoints.c.stamp)
            .having(_count_views() == len(set(names)))
            .order_by(view_checkpoints.c.position.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Checkpoint(int(row[0]), _aware(row[1])) if row else None

    def write(self, names: Sequence[str], position: int, stamp: datetime) -> bool:
        """Copy each view's rows at ``position``; False, writing nothing, if one moved on."""
        with self.engine.begin() as conn:
            moved = conn.execute(
                select(view_positions.c.view).where(
                    view_positions.c.view.in_(names), view_positions.c.position != position
                )
            ).first()
            if moved is not None:
                return False
            now = datetime.now(UTC)
            for view in names:
                guard = (position, view, view, position)
                conn.exec_driver_sql(self._copy_counts, guard)
                conn.exec_driver_sql(self._copy_labels, guard)
                row = {"view": view, "position": position, "stamp": _utc(stamp), "created_at": now}
                conn.execute(insert(view_checkpoints).values(**row))
        return True

    def nearest(self, view: str, instant: datetime) -> Checkpoint | None:
        """The last checkpoint of ``view`` whose every event is stamped at or before ``instant``."""
        query = (
            select(view_checkpoints.c.position, view_checkpoints.c.stamp)
            .where(view_checkpoints.c.view == view, view_checkpoints.c.stamp <= _utc(instant))
            .order_by(view_checkpoints.c.position.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Checkpoint(int(row[0]), _aware(row[1])) if row else None

    def table(self, view: str, position: int, scope: str) -> Table:
        """One scope of a view as its checkpoint at ``position`` holds it."""
        table = Table()
        counts, labels = checkpoint_counts.c, checkpoint_labels.c
        with self.engine.connect() as conn:
            for d, m, k, v in conn.execute(
                select(counts.dimension, counts.member, counts.measure, counts.value).where(
                    _at(counts, view, position, scope), counts.value != 0
                )
            ):
                table.counts[(d, m, k)] = int(v)
            for d, m, n, v in conn.execute(
                select(labels.dimension, labels.member, labels.name, labels.value).where(
                    _at(labels, view, position, scope)
                )
            ):
                table.labels[(d, m, n)] = v
        return table

    def positions(self, view: str) -> list[int]:
        query = (
            select(view_checkpoints.c.position)
            .where(view_checkpoints.c.view == view)
            .order_by(view_checkpoints.c.position)
        )
        with self.engine.connect() as conn:
            return [int(p) for p in conn.execute(query).scalars()]

    def rows(self, view: str, position: int) -> dict[str, dict[Any, Any]]:
        """Every row of one checkpoint, keyed as ``SqlViewStore.view_rows`` keys a live view."""
        counts, labels = checkpoint_counts.c, checkpoint_labels.c
        with self.engine.connect() as conn:
            found_counts = {
                (s, d, m, k): int(v)
                for s, d, m, k, v in conn.execute(
                    select(
                        counts.scope, counts.dimension, counts.member, counts.measure, counts.value
                    ).where(counts.view == view, counts.position == position, counts.value != 0)
                )
            }
            found_labels = {
                (s, d, m, n): v
                for s, d, m, n, v in conn.execute(
                    select(
                        labels.scope, labels.dimension, labels.member, labels.name, labels.value
                    ).where(labels.view == view, labels.position == position)
                )
            }
        return {"counts": found_counts, "labels": found_labels}


def view_rows(engine: Engine, view: str) -> dict[str, dict[Any, Any]]:
    """Every row of one live view, keyed as ``SqlCheckpoints.rows`` keys a checkpoint."""
    with engine.connect() as conn:
        counts = {
            tuple(r[1:5]): int(r[5])
            for r in conn.execute(select(view_counts).where(view_counts.c.view == view))
            if r[5]
        }
        labels = {
            tuple(r[1:5]): r[5]
            for r in conn.execute(select(view_labels).where(view_labels.c.view == view))
        }
    return {"counts": counts, "labels": labels}


def _count_views() -> Any:
    return func.count(view_checkpoints.c.view)


def _at(columns: Any, view: str, position: int, scope: str) -> Any:
    return and_(columns.view == view, columns.position == position, columns.scope == scope)


def _utc(moment: datetime) -> datetime:
    # In UTC before binding: SQLite stores the wall time alone, so all must share one zone.
    return moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stamp written is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


Mismatch = tuple[str, int, tuple[str, ...], Any, Any]
"""A checkpoint field that differs from the replay: view, position, key, kept, replayed."""


def rebuild_through_checkpoints(
    rebuild_to: Callable[[dict[str, int]], int],
    fresh: Engine,
    checkpoints: SqlCheckpoints,
    targets: dict[str, int],
) -> tuple[int, list[Mismatch]]:
    """Rebuild in stages that stop at every checkpoint and compare it with the rebuilt rows.

    ``rebuild_to(stops)`` folds each view of the fresh store (``fresh``) up to its stop.
    """
    held = {
        view: {p for p in checkpoints.positions(view) if p <= target}
        for view, target in targets.items()
    }
    goal = max(targets.values(), default=0)
    read, mismatches = 0, list[Mismatch]()
    for stop in sorted(set().union(*held.values(), {goal})):
        read += rebuild_to({view: min(target, stop) for view, target in targets.items()})
        for view, positions in held.items():
            if stop in positions:
                kept, rebuilt = checkpoints.rows(view, stop), view_rows(fresh, view)
                mismatches.extend(_mismatches(view, stop, kept, rebuilt))
    return read, mismatches


def _mismatches(
    view: str, position: int, kept: dict[str, dict[Any, Any]], rebuilt: dict[str, dict[Any, Any]]
) -> Iterator[Mismatch]:
    for kind in ("counts", "labels"):
        a, b = kept[kind], rebuilt[kind]
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                yield view, position, key, a.get(key), b.get(key)
