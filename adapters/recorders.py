"""The event store's SQLite recorder, writing a batch of events in one statement.

The library's recorder runs one ``execute`` per event to collect each row id; a batch
of a thousand deliveries then spends more time binding statements than SQLite spends
storing them. Within the write transaction the new row ids are consecutive (SQLite
gives a new row the largest row id plus one, and nobody else can insert while the
transaction holds the write lock), so one ``executemany`` and the last row id give
every event's position.

Selected through the library's ``APPLICATION_RECORDER_TOPIC`` (see ``adapters.store``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor


class BatchSQLiteRecorder(SQLiteApplicationRecorder):
    """``SQLiteApplicationRecorder`` with one ``executemany`` per save."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if len(stored_events) < 2:
            return super()._insert_events(c, stored_events, **kwargs)
        c.executemany(
            self.insert_events_statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        return list(range(last - len(stored_events) + 1, last + 1))
