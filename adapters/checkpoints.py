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

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select

from adapters.database import (
    checkpoint_counts,
    checkpoint_labels,
    checkpoint_scopes,
    view_checkpoints,
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

# The scopes a checkpoint holds, listed from the rows it just copied (UNION: once each).
_LIST_SCOPES = (
    'INSERT INTO checkpoint_scopes ("view", scope, position) '
    'SELECT "view", scope, {mark} FROM ('
    'SELECT "view", scope FROM checkpoint_counts WHERE "view" = {mark} AND position = {mark} '
    'UNION SELECT "view", scope FROM checkpoint_labels WHERE "view" = {mark} AND position = {mark}'
    ") AS copied"
)
_CHUNK = 500  # scopes bound in one statement, under SQLite's and psycopg's limits


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
        self._list_scopes = _LIST_SCOPES.format(mark=mark)
        self._mark = mark

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

    def write(
        self,
        names: Sequence[str],
        position: int,
        stamp: datetime,
        changed: Mapping[str, frozenset[str] | None],
        since: int,
    ) -> bool:
        """Copy each view's scopes changed since ``since`` at ``position``; False, writing
        nothing, if one moved on. A view ``changed`` does not name, names with ``None``,
        or has no checkpoint at ``since`` (dropped by a refold) is copied whole."""
        with self.engine.begin() as conn:
            moved = conn.execute(
                select(view_positions.c.view).where(
                    view_positions.c.view.in_(names), view_positions.c.position != position
                )
            ).first()
            if moved is not None:
                return False
            now = datetime.now(UTC)
            kept = _checkpointed(conn, names, since)
            for view in names:
                scopes = changed.get(view) if view in kept else None
                self._copy(conn, view, position, scopes)
                row = {"view": view, "position": position, "stamp": _utc(stamp), "created_at": now}
                conn.execute(insert(view_checkpoints).values(**row))
        return True

    def _copy(
        self, conn: Connection, view: str, position: int, scopes: frozenset[str] | None
    ) -> None:
        guard = (position, view, view, position)
        if scopes is None:
            conn.exec_driver_sql(self._copy_counts, guard)
            conn.exec_driver_sql(self._copy_labels, guard)
        for chunk in _chunks(sorted(scopes or ())):
            among = f" AND scope IN ({', '.join([self._mark] * len(chunk))})"
            conn.exec_driver_sql(self._copy_counts + among, (*guard, *chunk))
            conn.exec_driver_sql(self._copy_labels + among, (*guard, *chunk))
        conn.exec_driver_sql(self._list_scopes, (position, view, position, view, position))

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
        """One scope of a view as the checkpoint at ``position`` holds it: from the last
        checkpoint up to it that copied the scope (none: the scope had no rows yet)."""
        table = Table()
        counts, labels, held = checkpoint_counts.c, checkpoint_labels.c, checkpoint_scopes.c
        copied = (
            select(func.max(held.position))
            .where(held.view == view, held.scope == scope, held.position <= position)
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            for d, m, k, v in conn.execute(
                select(counts.dimension, counts.member, counts.measure, counts.value).where(
                    _at(counts, view, copied, scope), counts.value != 0
                )
            ):
                table.counts[(d, m, k)] = int(v)
            for d, m, n, v in conn.execute(
                select(labels.dimension, labels.member, labels.name, labels.value).where(
                    _at(labels, view, copied, scope)
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
        """Every row the checkpoint at ``position`` holds, each scope from the checkpoint
        that copied it last, keyed as ``view_rows`` keys a live view."""
        held = checkpoint_scopes.c
        copies = (
            select(held.scope, func.max(held.position).label("copied"))
            .where(held.view == view, held.position <= position)
            .group_by(held.scope)
            .subquery()
        )
        counts, labels = checkpoint_counts.c, checkpoint_labels.c
        with self.engine.connect() as conn:
            found_counts = {
                key: int(v) for key, v in _held(conn, counts, counts.measure, view, copies) if v
            }
            found_labels = dict(_held(conn, labels, labels.name, view, copies))
        return {"counts": found_counts, "labels": found_labels}


def _held(conn: Connection, c: Any, key: Any, view: str, copies: Any) -> Iterator[Any]:
    query = select(c.scope, c.dimension, c.member, key, c.value).where(
        c.view == view, c.scope == copies.c.scope, c.position == copies.c.copied
    )
    for s, d, m, k, v in conn.execute(query):
        yield (s, d, m, k), v


def _checkpointed(conn: Connection, names: Sequence[str], position: int) -> set[str]:
    """Which of ``names`` still have their checkpoint at ``position``."""
    held = view_checkpoints.c
    query = select(held.view).where(held.view.in_(names), held.position == position)
    return set(conn.execute(query).scalars())


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _count_views() -> Any:
    return func.count(view_checkpoints.c.view)


def _at(columns: Any, view: str, position: Any, scope: str) -> Any:
    return and_(columns.view == view, columns.position == position, columns.scope == scope)


def _utc(moment: datetime) -> datetime:
    # In UTC before binding: SQLite stores the wall time alone, so all must share one zone.
    return moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stamp written is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
