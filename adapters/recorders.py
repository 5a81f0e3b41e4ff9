"""The event store's recorders: on SQLite a batch of events in one statement, sections read lean.

The library's recorder runs one ``execute`` per event to collect each row id; a batch
of a thousand deliveries then spends more time binding statements than SQLite spends
storing them. Within the write transaction the new row ids are consecutive (SQLite
gives a new row the largest row id plus one, and nobody else can insert while the
transaction holds the write lock), so one ``executemany`` and the last row id give
every event's position.

Reading a section of the log (what every runner, replay and export does) builds each
notification from a plain row instead of through the frozen dataclass's ``__init__``
and the row's by-name lookups, which cost as much as decoding the event.

Reading many aggregates at once (``select_events_of``: a batch's households or list
entries) is one query for all their events instead of one query per aggregate, which
cost three quarters of a batch of deliveries on a listed campaign.

On PostgreSQL, a save goes as four binary arrays instead of the library's array of a
composite type (see ``BatchPostgresRecorder``; why positions still commit in order is in
``benchmarks/limits.md``).

Selected through the library's ``APPLICATION_RECORDER_TOPIC`` (see ``adapters.store``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    ProgrammingError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow, tuple_row
from psycopg.sql import SQL, Identifier

from domain.ids import uuid_of_int
from domain.lean_store import notification

PARAMS_PER_QUERY = 500  # SQLite's bound variables per statement, well under its limit


class BatchSQLiteRecorder(SQLiteApplicationRecorder):
    """``SQLiteApplicationRecorder`` with one ``executemany`` per save."""

    def select_events_of(self, ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates, each aggregate's in version order."""
        rows = self._rows_of(ids, "originator_id, originator_version, topic, state", "version")
        return [StoredEvent(_uuid(r[0]), r[1], r[2], r[3]) for r in rows]

    def select_existing(self, ids: Collection[UUID]) -> set[UUID]:
        """Which of these aggregates have events (a batch's de-duplication step)."""
        return {_uuid(r[0]) for r in self._rows_of(ids, "DISTINCT originator_id")}

    def select_positions(self, refs: Sequence[tuple[UUID, int]]) -> list[tuple[UUID, int, int]]:
        """(id, version, position) of each of these events that is stored."""
        found: list[tuple[UUID, int, int]] = []
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(refs), PARAMS_PER_QUERY // 2):
                chunk = refs[start : start + PARAMS_PER_QUERY // 2]
                c.execute(
                    "SELECT originator_id, originator_version, rowid "  # noqa: S608
                    f"FROM {self.events_table_name} WHERE (originator_id, originator_version) IN "
                    f"(VALUES {','.join('(?, ?)' for _ in chunk)})",
                    [v for aggregate_id, version in chunk for v in (aggregate_id.hex, version)],
                )
                found.extend((_uuid(r[0]), r[1], r[2]) for r in c.fetchall())
        return found

    def _rows_of(self, ids: Collection[UUID], columns: str, order: str = "") -> list[Any]:
        """``SELECT columns`` of these aggregates' rows, a few hundred ids per statement."""
        wanted = [i.hex for i in ids]
        ordered = f" ORDER BY originator_{order}" if order else ""
        found: list[Any] = []
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(wanted), PARAMS_PER_QUERY):
                chunk = wanted[start : start + PARAMS_PER_QUERY]
                c.execute(
                    f"SELECT {columns} FROM {self.events_table_name} "  # noqa: S608
                    f"WHERE originator_id IN ({','.join('?' * len(chunk))}){ordered}",
                    chunk,
                )
                found.extend(c.fetchall())
        return found

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

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's answer; a section read from a position (the runners' case) built lean."""
        if start is None or stop is not None or topics:
            return super().select_notifications(
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
        after = "rowid>=?" if inclusive_of_start else "rowid>?"
        statement = (
            "SELECT rowid, originator_id, originator_version, topic, state "  # noqa: S608
            f"FROM {self.events_table_name} WHERE {after} ORDER BY rowid LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, (start, limit))
            rows = c.fetchall()
        convert = _uuid if self.datastore.originator_id_type == "uuid" else str
        return [notification(row[0], convert(row[1]), row[2], row[3], row[4]) for row in rows]


def _uuid(text: str) -> UUID:
    """``UUID(text)`` for our 32-digit ids without its argument checks (a quarter of the time).

    A section read made one ``UUID`` per row, which cost a third of an as-of's fold.
    """
    if len(text) != 32:
        return UUID(text)
    return uuid_of_int(int(text, 16))


class BatchPostgresRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` inserting a save as four binary arrays.

    The library sends a save as one array of a composite type, which psycopg dumps
    row by row in Python (about three quarters of the time of a 1,000-event save).
    Four plain arrays (ids, versions, topics, states) are dumped by psycopg's C
    adapters in binary and ``unnest`` turns them back into rows server-side. The
    table lock, the notification and the ``RETURNING notification_id`` are the
    library's own, in the same transaction, so readers see the same order.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.select_section_statement = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))
        self.select_many_statement = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
            "WHERE originator_id = ANY(%b) ORDER BY originator_version"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))
        self.select_existing_statement = SQL(
            "SELECT DISTINCT originator_id FROM {schema}.{table} WHERE originator_id = ANY(%b)"
        ).format(schema=Identifier(datastore.schema), table=Identifier(events_table_name))
        self.select_positions_statement = SQL(
            "SELECT e.originator_id, e.originator_version, e.notification_id "
            "FROM {schema}.{table} e JOIN unnest(%b::{id_type}[], %b::bigint[]) AS w(id, version) "
            "ON e.originator_id = w.id AND e.originator_version = w.version"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )
        self.insert_arrays_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_events_of(self, ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every event of these aggregates, each aggregate's in version order."""
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            # Binary both ways (%b, binary=True): psycopg's C adapters dump the ids and load
            # ids and states (the text forms cost a Python loop over the ids, a hex decoding).
            curs.execute(self.select_many_statement, (list(ids),), prepare=True, binary=True)
            return [StoredEvent(r[0], r[1], r[2], bytes(r[3])) for r in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_existing(self, ids: Collection[UUID]) -> set[UUID]:
        """Which of these aggregates have events (a batch's de-duplication step).

        Prepared, on the recorder's own pool: through the SQL toolkit's connection the
        same query took six times as long (22 ms against 3.8 ms for 3,000 ids).
        """
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self.select_existing_statement, (list(ids),), prepare=True, binary=True)
            return {r[0] for r in curs.fetchall()}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_positions(self, refs: Sequence[tuple[UUID, int]]) -> list[tuple[UUID, int, int]]:
        """(id, version, position) of each of these events that is stored (prepared, binary)."""
        ids, versions = [r[0] for r in refs], [r[1] for r in refs]
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(
                self.select_positions_statement, (ids, versions), prepare=True, binary=True
            )
            return curs.fetchall()

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # The EXCLUSIVE lock first, as the library does: a second writer waits here,
        # before taking any notification id, until this transaction has committed.
        self._lock_table(curs)
        self._notify_channel(curs)
        columns = _columns(stored_events)
        curs.execute(self.insert_arrays_statement, columns, prepare=True, binary=True)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The library's check and answer, from plain tuples: a dict per row cost more.
        curs.row_factory = tuple_row  # type: ignore[assignment]
        try:
            rows: list[Any] = curs.fetchall()
        except psycopg.ProgrammingError as error:
            raise ProgrammingError(f"Couldn't get the notification IDs: {error}") from error
        positions = [row[0] for row in rows]
        if len(positions) != len(stored_events):
            raise ProgrammingError(
                f"Couldn't get all notification IDs "
                f"(got {len(positions)}, expected {len(stored_events)})"
            )
        return positions

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The library's answer; a section after a position (the runners' case) built lean.

        Plain tuples instead of the library's dict rows, and notifications built as on
        SQLite: the per-row dict and dataclass ``__init__`` cost as much as the query.
        """
        if start is None or stop is not None or topics or inclusive_of_start:
            library: Sequence[Notification] = super().select_notifications(
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start
            )
            return library
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(self.select_section_statement, (start, limit), prepare=True, binary=True)
            rows = curs.fetchall()
        return [notification(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]


def _columns(stored_events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
    ids: list[Any] = []
    versions: list[int] = []
    topics: list[str] = []
    states: list[bytes] = []
    for event in stored_events:
        ids.append(event.originator_id)
        versions.append(event.originator_version)
        topics.append(event.topic)
        states.append(event.state)
    return ids, versions, topics, states
