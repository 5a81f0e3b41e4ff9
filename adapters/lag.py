"""How far behind the store each consumer of the notification log is: views and the relay.

Read at scrape time (metrics) and per probe (/readyz), in events and in seconds:
the age of the oldest event a consumer has not applied yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from adapters.database import relay_positions
from adapters.views import SqlViewStore
from domain.ledger import Ledger


class RelayPositions:
    """How far the relay got, per topic, in the store's own database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, topic: str) -> int:
        query = select(relay_positions.c.position).where(relay_positions.c.topic == topic)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def move(self, topic: str, before: int, after: int) -> bool:
        """Move from ``before`` to ``after``; False when someone moved it meanwhile (a rewind)."""
        now = datetime.now(UTC)
        c = relay_positions.c
        with self.engine.begin() as conn:
            moved = conn.execute(
                relay_positions.update()
                .where(c.topic == topic, c.position == before)
                .values(position=after, updated_at=now)
            ).rowcount
            if moved or before:
                return bool(moved)
            found = conn.execute(select(c.position).where(c.topic == topic)).first()
            if found is not None:
                return False
            conn.execute(
                relay_positions.insert().values(topic=topic, position=after, updated_at=now)
            )
            return True

    def rewind(self, topic: str, position: int) -> int:
        """Make the relay publish again everything after ``position``; returns where it was."""
        was = self.get(topic)
        if position < was:
            self.set(topic, position)
        return was

    def set(self, topic: str, position: int) -> None:
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            moved = conn.execute(
                relay_positions.update()
                .where(relay_positions.c.topic == topic)
                .values(position=position, updated_at=now)
            ).rowcount
            if not moved:
                conn.execute(
                    relay_positions.insert().values(topic=topic, position=position, updated_at=now)
                )


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
    ) -> None:
        self.ledger = ledger
        self.views = views
        self.view_names = list(view_names)
        self.relay_topic = relay_topic
        self.relay_positions = RelayPositions(views.engine)

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
        return self.behind(self.relay_positions.get(self.relay_topic), self.head())
