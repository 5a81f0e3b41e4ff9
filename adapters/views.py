"""The SQL view store: tallies, labels and positions committed together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.database import view_counts, view_labels, view_positions
from adapters.view_partitions import (
    PartitionKey,
    PartitionMark,
    advance_to_watermark,
    move_partition,
    read_marks,
)
from projections.delivery_index import VIEW as INDEX
from projections.tally import Delta, Table


class _RacedError(Exception):
    """Another runner moved a view first; the whole transaction is rolled back."""


class SqlViewStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = postgresql if engine.dialect.name == "postgresql" else sqlite

    def positions(self, names: Sequence[str]) -> dict[str, int]:
        query = select(view_positions.c.view, view_positions.c.position).where(
            view_positions.c.view.in_(names)
        )
        with self.engine.connect() as conn:
            found = {row[0]: row[1] for row in conn.execute(query)}
        return {name: int(found.get(name, 0)) for name in names}

    def commit(self, changes: Mapping[str, tuple[Delta, int, int]]) -> bool:
        try:
            with self.engine.begin() as conn:
                for view, (delta, before, after) in changes.items():
                    if not self._move(conn, view, before, after):
                        raise _RacedError
                    self._write(conn, view, delta)
        except _RacedError:
            return False
        return True

    def _move(self, conn: Connection, view: str, before: int, after: int) -> bool:
        now = datetime.now(UTC)
        moved = conn.execute(
            update(view_positions)
            .where(
                view_positions.c.view == view,
                view_positions.c.position == before,
            )
            .values(position=after, updated_at=now)
        ).rowcount
        if moved or before != 0:
            return bool(moved)
        insert = (
            self.dialect.insert(view_positions)
            .values(view=view, position=after, updated_at=now)
            .on_conflict_do_nothing()
        )
        return bool(conn.execute(insert).rowcount)

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
        # Rows in key order: concurrent writers then lock them in the same order (no deadlock).
        counts = [
            {"view": view, "scope": s, "dimension": d, "member": m, "measure": k, "value": v}
            for (s, d, m, k), v in sorted(delta.counts.items())
            if v
        ]
        if counts:
            stmt = self.dialect.insert(view_counts)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=list(view_counts.primary_key.columns.keys()),
                    set_={"value": view_counts.c.value + stmt.excluded.value},
                ),
                counts,
            )
        labels = [
            {"view": view, "scope": s, "dimension": d, "member": m, "name": n, "value": v}
            for (s, d, m, n), v in sorted(delta.labels.items())
        ]
        if labels:
            stmt = self.dialect.insert(view_labels)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=list(view_labels.primary_key.columns.keys()),
                    set_={"value": stmt.excluded.value},
                ),
                labels,
            )

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
