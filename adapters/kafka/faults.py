"""Faults a Kafka worker cannot get past alone, kept in the view database.

A worker that finds a gap in what it received (a broker lost part of its log),
or its offsets reset under it, stops advancing that view on that partition and
records why here; /readyz shows every row to the operator with the command that
recovers (``tadamon relay --republish-from N``). The row goes when the partition
continues: the next record the worker can apply clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, select

from adapters.database import kafka_faults

WHOLE_TOPIC = -1
WAITING_FOR_TOPIC = "waiting_for_topic"
GAP = "gap"
OFFSET_RESET = "offset_reset"


@dataclass(frozen=True, slots=True)
class Fault:
    topic: str
    partition: int
    view: str
    kind: str
    detail: str
    resume_after: int = 0

    @property
    def recover(self) -> str:
        if self.kind == WAITING_FOR_TOPIC:
            return "start `tadamon relay`: only the relay creates the topic"
        return f"tadamon relay --republish-from {self.resume_after}"


class KafkaFaults:
    def __init__(self, engine: Engine, dialect: Any) -> None:
        self.engine = engine
        self.dialect = dialect

    def record(self, faults: Iterable[Fault]) -> None:
        """Keep each fault; one already there keeps its ``since`` and takes the new detail."""
        rows = [
            {
                "topic": f.topic,
                "partition": f.partition,
                "view": f.view,
                "kind": f.kind,
                "detail": f.detail[:500],
                "resume_after": f.resume_after,
                "since": datetime.now(UTC),
            }
            for f in faults
        ]
        if not rows:
            return
        insert = self.dialect.insert(kafka_faults)
        stmt = insert.on_conflict_do_update(
            index_elements=["topic", "partition", "view"],
            set_={"kind": insert.excluded.kind, "detail": insert.excluded.detail},
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)

    def clear(self, topic: str, keys: Iterable[tuple[int, str]]) -> None:
        """Forget the faults of these (partition, view) pairs."""
        c = kafka_faults.c
        with self.engine.begin() as conn:
            for partition, view in keys:
                conn.execute(
                    delete(kafka_faults).where(
                        c.topic == topic, c.partition == partition, c.view == view
                    )
                )

    def all(self) -> list[dict[str, Any]]:
        """Every fault, as /readyz shows it."""
        c = kafka_faults.c
        query = select(kafka_faults).order_by(c.topic, c.partition, c.view)
        with self.engine.connect() as conn:
            found = [
                Fault(r.topic, r.partition, r.view, r.kind, r.detail, r.resume_after)
                for r in conn.execute(query)
            ]
        return [
            {
                "topic": f.topic,
                "partition": f.partition,
                "view": f.view or None,
                "kind": f.kind,
                "detail": f.detail,
                "recover": f.recover,
            }
            for f in found
        ]
