"""Where each Kafka-fed view stands on each partition, in the view database.

Rows of ``view_partitions`` move with compare-and-set on the offset, in the same
transaction as the view rows (see ``SqlViewStore.commit_partitions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from adapters.database import view_partitions, view_positions

PartitionKey = tuple[str, int]  # view, partition


@dataclass(frozen=True, slots=True)
class PartitionMark:
    """Where a Kafka-fed view stands on one partition."""

    next_offset: int = 0
    position: int = 0  # highest event position applied: redeliveries at or below it are skipped
    watermark: int = 0  # every event up to it that this partition carries has been applied


def read_marks(
    conn: Connection, views: Sequence[str], topic: str
) -> dict[PartitionKey, PartitionMark]:
    c = view_partitions.c
    query = select(c.view, c.partition, c.next_offset, c.position, c.watermark).where(
        c.view.in_(views), c.topic == topic
    )
    return {(r[0], r[1]): PartitionMark(r[2], r[3], r[4]) for r in conn.execute(query)}


def move_partition(
    conn: Connection,
    dialect: Any,
    key: tuple[str, str, int],
    before: PartitionMark | None,
    after: PartitionMark,
) -> bool:
    """Move one (view, topic, partition) from ``before``; False if another worker moved it."""
    c = view_partitions.c
    values = {
        "next_offset": after.next_offset,
        "position": after.position,
        "watermark": after.watermark,
        "updated_at": datetime.now(UTC),
    }
    if before is None:
        row = dict(zip(("view", "topic", "partition"), key, strict=True)) | values
        stmt = dialect.insert(view_partitions).values(**row).on_conflict_do_nothing()
        return bool(conn.execute(stmt).rowcount)
    where = (c.view == key[0], c.topic == key[1], c.partition == key[2])
    stmt = update(view_partitions).where(*where, c.next_offset == before.next_offset)
    return bool(conn.execute(stmt.values(**values)).rowcount)


def advance_to_watermark(conn: Connection, dialect: Any, view: str, topic: str, total: int) -> None:
    """Raise the view's position to its lowest watermark once every partition has one."""
    c = view_partitions.c
    known, low = conn.execute(
        select(func.count(), func.min(c.watermark)).where(c.view == view, c.topic == topic)
    ).one()
    if known < total or not low:
        return
    now = datetime.now(UTC)
    moved = conn.execute(
        update(view_positions)
        .where(view_positions.c.view == view, view_positions.c.position < low)
        .values(position=low, updated_at=now)
    ).rowcount
    if not moved:
        insert = dialect.insert(view_positions).values(view=view, position=low, updated_at=now)
        conn.execute(insert.on_conflict_do_nothing())
