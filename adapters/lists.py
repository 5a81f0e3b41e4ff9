"""Committees' lists for phones: entries by voucher code, each stamped with its position.

The rows are a read model of the enrolment events, folded by the pure
``projections.listing.entry_changes``; each row keeps the ledger position of
the event that last changed it, so a phone that has a list as of position P
downloads only the rows changed after P. Rows and the model's own position
move in one transaction, compare-and-set, like every view here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from eventsourcing.utils import get_topic
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Index,
    Integer,
    String,
    Table,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from adapters.database import metadata, view_positions
from domain.distribution.enrolment import Enrolment
from domain.ledger import Ledger
from projections.listing import EntryChange, entry_changes

VIEW = "list_entries"
TOPICS = tuple(
    get_topic(getattr(Enrolment, name))
    for name in ("Enrolled", "Moved", "Delisted", "Served", "ServiceReversed", "VoucherReissued")
)

list_entries = Table(
    VIEW,
    metadata,
    Column("campaign", String(80), primary_key=True),
    Column("committee", String(80), primary_key=True),
    Column("voucher", String(16), primary_key=True),
    Column("household_size", Integer, nullable=False),
    Column("served_by", String(120)),
    Column("listed", Boolean, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("list_entries_since", "campaign", "committee", "position"),
)


@dataclass(frozen=True, slots=True)
class ListPage:
    """A committee's entries (all listed ones, or those changed after ``since``)."""

    position: int
    changed_at: int  # the last position that changed this committee's list
    entries: list[tuple[str, int, str | None]]
    removed: list[str]


class ListEntries:
    def __init__(self, engine: Engine, ledger: Ledger, batch_size: int = 5000) -> None:
        self.engine = engine
        self.ledger = ledger
        self.batch_size = batch_size
        self.dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        self._lock = threading.Lock()

    def position(self) -> int:
        query = select(view_positions.c.position).where(view_positions.c.view == VIEW)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def catch_up(self) -> int:
        """Fold every enrolment event up to the head now; the position reached."""
        with self._lock:
            head = self.ledger.recorder.max_notification_id() or 0
            after = self.position()
            while after < head:
                after = self._step(after, head)
            return after

    def _step(self, after: int, head: int) -> int:
        notifications = self.ledger.recorder.select_notifications(
            start=after, limit=self.batch_size, stop=head, topics=TOPICS, inclusive_of_start=False
        )
        rows: dict[tuple[str, str, str], dict[str, object]] = {}
        for notification in notifications:
            event = self.ledger.mapper.to_domain_event(notification)
            for change in entry_changes(event):
                rows[(change.campaign, change.committee, change.voucher)] = _row(
                    change, notification.id
                )
        full = len(notifications) == self.batch_size
        reached = notifications[-1].id if full else head
        self._commit(after, reached, list(rows.values()))
        return reached

    def _commit(self, before: int, after: int, rows: list[dict[str, object]]) -> None:
        with self.engine.begin() as conn:
            if rows:
                insert = self.dialect.insert(list_entries)
                kept = {c: insert.excluded[c] for c in ("household_size", "served_by", "listed")}
                conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=["campaign", "committee", "voucher"],
                        set_={**kept, "position": insert.excluded.position},
                        # a runner that lost a race never writes an older state back
                        where=list_entries.c.position < insert.excluded.position,
                    ),
                    rows,
                )
            now = datetime.now(UTC)
            moved = conn.execute(
                update(view_positions)
                .where(view_positions.c.view == VIEW, view_positions.c.position == before)
                .values(position=after, updated_at=now)
            ).rowcount
            if not moved and before == 0:
                conn.execute(
                    self.dialect.insert(view_positions)
                    .values(view=VIEW, position=after, updated_at=now)
                    .on_conflict_do_nothing()
                )

    def page(self, campaign: str, committee: str, since: int = 0) -> ListPage:
        position = self.catch_up()
        t = list_entries.c
        where = [t.campaign == campaign, t.committee == committee]
        query = select(t.voucher, t.household_size, t.served_by, t.listed, t.position)
        query = query.where(*where, t.position > since) if since else query.where(*where, t.listed)
        with self.engine.connect() as conn:
            found = conn.execute(query.order_by(t.voucher)).all()
            last = conn.execute(select(t.position).where(*where).order_by(t.position.desc()))
            changed_at = int(last.scalar() or 0)
        entries = [(r.voucher, r.household_size, r.served_by) for r in found if r.listed]
        removed = [r.voucher for r in found if not r.listed]
        return ListPage(position, changed_at, entries, removed)


def _row(change: EntryChange, position: int) -> dict[str, object]:
    return {
        "campaign": change.campaign,
        "committee": change.committee,
        "voucher": change.voucher,
        "household_size": change.household_size,
        "served_by": change.served_by,
        "listed": change.listed,
        "position": position,
    }
