"""The SQL view store: tallies, labels and positions committed together."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters.database import (
    checkpoint_counts,
    checkpoint_labels,
    checkpoint_scopes,
    view_checkpoints,
    view_counts,
    view_labels,
    view_partitions,
    view_positions,
)
from adapters.view_partitions import (
    PartitionKey,
    PartitionMark,
    advance_to_watermark,
    move_partition,
    read_marks,
)
from projections.delivery_index import VIEW as INDEX
from projections.tally import Delta, Table


def _upsert(table: str, last_key: str, mark: str, *, add: bool) -> str:
    keys = f'"view", scope, dimension, member, {last_key}'
    update = f"{table}.value + excluded.value" if add else "excluded.value"
    return (
        f"INSERT INTO {table} ({keys}, value) VALUES ({', '.join([mark] * 6)}) "  # noqa: S608
        f"ON CONFLICT ({keys}) DO UPDATE SET value = {update}"
    )


# A view's compare-and-set move, and its first move (when it has no row yet).
_MOVE = 'UPDATE view_positions SET position = ?, updated_at = ? WHERE "view" = ? AND position = ?'
_FIRST_MOVE = (
    'INSERT INTO view_positions ("view", position, updated_at) VALUES (?, ?, ?) '
    'ON CONFLICT ("view") DO NOTHING RETURNING "view"'
)


class _RacedError(Exception):
    """Another runner moved a view first; the whole transaction is rolled back."""


class SqlViewStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self.mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        # A timestamp as SQLAlchemy would bind it (SQLite keeps it as text, in its format).
        stamp = engine.dialect.type_descriptor(view_positions.c.updated_at.type)
        self._stamp: Callable[[datetime], object] = stamp.bind_processor(engine.dialect) or (
            lambda moment: moment
        )
        self._sql_move = _MOVE.replace("?", self.mark)
        self._sql_first_move = _FIRST_MOVE.replace("?", self.mark)

    def positions(self, names: Sequence[str]) -> dict[str, int]:
        # Driver-level SQL here and in _move: a runner asks once per batch, and building
        # the statement through SQLAlchemy cost more than the database's answer.
        found: dict[str, int] = {}
        if names:
            marks = ", ".join([self.mark] * len(names))
            query = f'SELECT "view", position FROM view_positions WHERE "view" IN ({marks})'  # noqa: S608
            with self.engine.connect() as conn:
                found = dict(conn.exec_driver_sql(query, tuple(names)).all())
        return {name: int(found.get(name, 0)) for name in names}

    def commit(self, changes: Mapping[str, tuple[Delta, int, int]]) -> bool:
        try:
            with self.engine.begin() as conn:
                now = self._stamp(datetime.now(UTC))
                for view, (delta, before, after) in changes.items():
                    if not self._move(conn, view, before, after, now):
                        raise _RacedError
                    self._write(conn, view, delta)
        except _RacedError:
            return False
        return True

    def _move(self, conn: Connection, view: str, before: int, after: int, now: object) -> bool:
        moved = conn.exec_driver_sql(self._sql_move, (after, now, view, before)).rowcount
        if moved or before != 0:
            return bool(moved)
        # Not rowcount: psycopg reports -1 for ON CONFLICT DO NOTHING, which would let a
        # runner that lost the race for a view's first batch apply it a second time.
        return conn.exec_driver_sql(self._sql_first_move, (view, after, now)).first() is not None

    def reset(self, views: Sequence[str]) -> dict[str, int]:
        """Drop these views' rows, positions, checkpoints and partition marks, in one
        transaction, so that a runner folds them again from the first event (after an
        upgrade changed what a fold counts). The rows dropped, by view."""
        tables = (
            view_counts,
            view_labels,
            view_positions,
            view_checkpoints,
            checkpoint_counts,
            checkpoint_labels,
            checkpoint_scopes,
            view_partitions,
        )
        dropped: dict[str, int] = {}
        with self.engine.begin() as conn:
            for view in views:
                dropped[view] = sum(
                    conn.execute(t.delete().where(t.c.view == view)).rowcount for t in tables
                )
        return dropped

    def partition_marks(
        self, views: Sequence[str], topic: str
    ) -> dict[PartitionKey, PartitionMark]:
        with self.engine.connect() as conn:
            return read_marks(conn, views, topic)

    def commit_partitions(
        self,
        topic: str,
        deltas: Mapping[str, Delta],
        moves: Mapping[PartitionKey, tuple[PartitionMark | None, PartitionMark]],
        partitions: int,
    ) -> bool:
        """Kafka-fed views: rows and partition marks in one transaction, compare-and-set.

        Then each view's position becomes the lowest watermark over all ``partitions``
        (every event up to it is applied), so lag, readiness and visibility read it
        the same way as for store-fed views. False, changing nothing, on a race.
        """
        try:
            with self.engine.begin() as conn:
                for (view, partition), (before, after) in sorted(moves.items()):
                    if not move_partition(
                        conn, self.dialect, (view, topic, partition), before, after
                    ):
                        raise _RacedError
                for view in sorted(deltas):
                    self._write(conn, view, deltas[view])
                for view in sorted({view for view, _ in moves}):
                    advance_to_watermark(conn, self.dialect, view, topic, partitions)
        except _RacedError:
            return False
        return True

    def _write(self, conn: Connection, view: str, delta: Delta) -> None:
        # Plain driver executemany: the ORM-level insert builds a parameter dict per
        # row, which costs more than the database on a rebuild of a million events.
        # Rows go in key order so that concurrent writers lock them in the same order.
        mark = self.mark
        counts = [(view, *key, v) for key, v in sorted(delta.counts.items()) if v]
        if counts:
            conn.exec_driver_sql(_upsert("view_counts", "measure", mark, add=True), counts)
        labels = [(view, *key, v) for key, v in sorted(delta.labels.items())]
        if labels:
            conn.exec_driver_sql(_upsert("view_labels", "name", mark, add=False), labels)

    def table(self, view: str, scope: str) -> Table:
        table = Table()
        with self.engine.connect() as conn:
            for d, m, k, v in conn.execute(
                select(
                    view_counts.c.dimension,
                    view_counts.c.member,
                    view_counts.c.measure,
                    view_counts.c.value,
                ).where(
                    view_counts.c.view == view,
                    view_counts.c.scope == scope,
                    # A counter that came back to zero reads as absent, as in a replay.
                    view_counts.c.value != 0,
                )
            ):
                table.counts[(d, m, k)] = int(v)
            for d, m, n, v in conn.execute(
                select(
                    view_labels.c.dimension,
                    view_labels.c.member,
                    view_labels.c.name,
                    view_labels.c.value,
                ).where(
                    view_labels.c.view == view,
                    view_labels.c.scope == scope,
                )
            ):
                table.labels[(d, m, n)] = v
        return table

    def label(self, view: str, scope: str, dimension: str, member: str, name: str) -> str | None:
        query = select(view_labels.c.value).where(
            view_labels.c.view == view,
            view_labels.c.scope == scope,
            view_labels.c.dimension == dimension,
            view_labels.c.member == member,
            view_labels.c.name == name,
        )
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def labels_by_scope(self, view: str, dimension: str) -> dict[str, dict[str, str]]:
        """Every scope's labels on one dimension's blank member (e.g. each campaign's name)."""
        query = select(view_labels.c.scope, view_labels.c.name, view_labels.c.value).where(
            view_labels.c.view == view,
            view_labels.c.dimension == dimension,
            view_labels.c.member == "",
        )
        found: dict[str, dict[str, str]] = {}
        with self.engine.connect() as conn:
            for scope, name, value in conn.execute(query):
                found.setdefault(scope, {})[name] = value
        return found

    def dump(self) -> dict[str, Any]:
        """Every row of every view, for field-by-field comparisons (replay, tests)."""
        with self.engine.connect() as conn:
            counts = {tuple(r[:5]): int(r[5]) for r in conn.execute(select(view_counts)) if r[5]}
            labels = {tuple(r[:5]): r[5] for r in conn.execute(select(view_labels))}
        return {"counts": counts, "labels": labels}


class ViewDeliveryLocator:
    """Finds a delivery's household stream in the view, catching the view up when it lags."""

    def __init__(self, views: SqlViewStore, catch_up: Any) -> None:
        self.views = views
        self.catch_up = catch_up

    def household_of(self, campaign: str, delivery_id: str) -> UUID | None:
        found = self.views.label(INDEX, campaign, "delivery", delivery_id, "household")
        if found is None:
            self.catch_up()
            found = self.views.label(INDEX, campaign, "delivery", delivery_id, "household")
        return UUID(found) if found else None

    def households_of(self, campaign: str, delivery_ids: Collection[str]) -> dict[str, UUID]:
        """Each of ``delivery_ids`` the index knows, with its household (a few queries)."""
        wanted = list(delivery_ids)
        found: dict[str, UUID] = {}
        with self.views.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                query = select(view_labels.c.member, view_labels.c.value).where(
                    view_labels.c.view == INDEX,
                    view_labels.c.scope == campaign,
                    view_labels.c.dimension == "delivery",
                    view_labels.c.member.in_(wanted[start : start + 500]),
                    view_labels.c.name == "household",
                )
                found.update((member, UUID(value)) for member, value in conn.execute(query))
        return found
