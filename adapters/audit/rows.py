"""The events table read as stored: every row whatever its position, ids as spelled.

The library's readers start after position 0 and parse each originator id, so a
row at SQLite rowid 0 (or below), or an id re-spelled in upper case, reads the
same as nothing or as the original. Everything the audit judges comes from here
instead: plain rows, in position order, from the very first one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine

from adapters.audit.verifier import encode_record, leaf_hash
from adapters.settings import Settings
from adapters.store import events_table

BEFORE_EVERYTHING = -(1 << 63)  # SQLite row ids are signed 64-bit integers


@dataclass(frozen=True, slots=True)
class StoredRow:
    position: int
    originator_id: str  # the column's text exactly as stored
    originator_version: int
    topic: str
    state: bytes
    canonical_id: str | None  # the id's one right spelling (None: not a UUID at all)
    id_bytes: bytes | None = None  # its 16 bytes

    @property
    def respelled(self) -> bool:
        """The stored text is not the one spelling the app writes and looks up."""
        return self.canonical_id != self.originator_id

    def leaf_hash(self) -> bytes | None:
        """The leaf this row must have (None: no UUID or a position a leaf cannot hold)."""
        if self.id_bytes is None or self.position < 0:
            return None
        data = encode_record(
            self.position, self.id_bytes, self.originator_version, self.topic, self.state
        )
        return leaf_hash(data)


class StoredRows:
    """Sections of the events table by position; the SQL is fixed at start from settings."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.sqlite = settings.is_sqlite
        self._length = 32 if self.sqlite else 36
        position = "rowid" if self.sqlite else "notification_id"
        identifier = "originator_id" if self.sqlite else "originator_id::text"
        marker = "?" if self.sqlite else "%s"
        self.statement = (
            f"SELECT {position}, {identifier}, originator_version, topic, state "  # noqa: S608
            f"FROM {events_table(settings)} WHERE {position} > {marker} "
            f"AND {position} <= {marker} ORDER BY {position} LIMIT {marker}"
        )

    def rows(
        self, after: int = BEFORE_EVERYTHING, through: int = 1 << 62, batch_size: int = 5000
    ) -> Iterator[StoredRow]:
        """Every row with after < position <= through, in position order."""
        while True:
            with self.engine.connect() as conn:
                found = conn.exec_driver_sql(self.statement, (after, through, batch_size)).all()
            for row in found:
                yield self._row(row)
            if len(found) < batch_size:
                return
            after = int(found[-1][0])

    def _row(self, row: tuple) -> StoredRow:  # type: ignore[type-arg]
        text = str(row[1])
        canonical, identifier = self._canonical(text)
        return StoredRow(
            int(row[0]), text, int(row[2]), str(row[3]), bytes(row[4]), canonical, identifier
        )

    def _canonical(self, text: str) -> tuple[str | None, bytes | None]:
        # SQLite holds uuid.hex (what the library writes and the stream index
        # compares); PostgreSQL's uuid column has no spelling of its own.
        digits = text if self.sqlite else text.replace("-", "")
        if len(digits) == 32 and digits == digits.lower():  # the usual case, without uuid
            try:
                return (text, bytes.fromhex(digits)) if len(text) == self._length else (None, None)
            except ValueError:
                pass
        try:
            parsed = uuid.UUID(text)
        except ValueError:
            return None, None
        return (parsed.hex if self.sqlite else str(parsed)), parsed.bytes
