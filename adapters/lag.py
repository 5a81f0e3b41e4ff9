"""How far behind the store each consumer of the notification log is: views and the relay.

Read at scrape time (metrics) and per probe (/readyz), in events and in seconds:
the age of the oldest event a consumer has not applied yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, or_, select

from adapters.database import relay_positions
from adapters.views import SqlViewStore
from domain.ledger import Ledger


def relay_position_key(topic: str, shard: int = 0, shards: int = 1) -> str:
    """Where a relay keeps its position: the topic's own row for one relay, else a row a shard.

    ``#`` cannot be in a Kafka topic's name, so no topic's row is taken for a shard's.
    """
    return topic if shards == 1 else f"{topic}#{shard}/{shards}"


def relay_position_keys(topic: str, shards: int) -> list[str]:
    return [relay_position_key(topic, shard, shards) for shard in range(shards)]


class RelayPositions:
    """How far each relay got, per topic (or per shard of one), in the store's own database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> int:
        """The position kept under ``key``. A key not kept yet is a shard of a new count (the
        relay was just split or merged): it starts from the lowest position of the topic's
        earlier count, so it republishes rather than skip; a sibling's row is no guide (it
        published other partitions), and with no earlier count it starts from the beginning."""
        rows = self._rows(key)
        if key in rows:
            return rows[key]
        count = _shard_count(key)
        return min((at for other, at in rows.items() if _shard_count(other) != count), default=0)

    def _rows(self, key: str) -> dict[str, int]:
        c = relay_positions.c
        with self.engine.connect() as conn:
            found = conn.execute(select(c.topic, c.position).where(_of_topic(key)))
            return {str(row[0]): int(row[1]) for row in found}

    def move(self, key: str, before: int, after: int) -> bool:
        """Move from ``before`` to ``after``; False when someone moved it meanwhile (a rewind)."""
        now = datetime.now(UTC)
        c = relay_positions.c
        with self.engine.begin() as conn:
            moved = conn.execute(
                relay_positions.update()
                .where(c.topic == key, c.position == before)
                .values(position=after, updated_at=now)
            ).rowcount
            if moved:
                return True
            if conn.execute(select(c.position).where(c.topic == key)).first() is not None:
                return False
            conn.execute(relay_positions.insert().values(topic=key, position=after, updated_at=now))
            return True

    def rewind(self, topic: str, position: int) -> int:
        """Make every relay of ``topic`` (each shard) publish again everything after
        ``position``; returns the lowest position they were at."""
        c = relay_positions.c
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            was = conn.execute(select(func.min(c.position)).where(_of_topic(topic))).scalar()
            conn.execute(
                relay_positions.update()
                .where(_of_topic(topic), c.position > position)
                .values(position=position, updated_at=now)
            )
        return int(was or 0)

    def set(self, key: str, position: int) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            moved = conn.execute(
                relay_positions.update()
                .where(relay_positions.c.topic == key)
                .values(position=position, updated_at=now)
            ).rowcount
            if not moved:
                conn.execute(
                    relay_positions.insert().values(topic=key, position=position, updated_at=now)
                )


def _shard_count(key: str) -> int:
    return int(key.rsplit("/", 1)[1]) if "#" in key else 1


def _of_topic(key: str) -> Any:
    """The rows of the topic ``key`` names: its own and its shards'."""
    topic = key.split("#", 1)[0]
    c = relay_positions.c
    return or_(c.topic == topic, c.topic.startswith(f"{topic}#", autoescape=True))


@dataclass(frozen=True, slots=True)
class Lag:
    events: int
    seconds: float


class LagProbe:
    def __init__(
        self,
        ledger: Ledger,
        views: SqlViewStore,
        view_names: Sequence[str],
        relay_topic: str | None = None,
        relay_shards: int = 1,
    ) -> None:
        self.ledger = ledger
        self.views = views
        self.view_names = list(view_names)
        self.relay_topic = relay_topic
        self.relay_positions = RelayPositions(views.engine)
        self.relay_keys = relay_position_keys(relay_topic or "", relay_shards)

    def head(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def behind(self, position: int, head: int) -> Lag:
        if position >= head:
            return Lag(0, 0.0)
        return Lag(head - position, self._age_after(position))

    def _age_after(self, position: int) -> float:
        found = self.ledger.recorder.select_notifications(
            start=position, limit=1, inclusive_of_start=False
        )
        if not found:
            return 0.0
        event: Any = self.ledger.mapper.to_domain_event(found[0])
        age: float = (datetime.now(UTC) - event.timestamp).total_seconds()
        return max(0.0, age)

    def of_views(self) -> dict[str, Lag]:
        head = self.head()
        positions = self.views.positions(self.view_names)
        return {name: self.behind(position, head) for name, position in positions.items()}

    def of_relay(self) -> Lag | None:
        if self.relay_topic is None:
            return None
        behind = min(self.relay_positions.get(key) for key in self.relay_keys)
        return self.behind(behind, self.head())
