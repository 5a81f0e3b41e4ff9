"""What a pull remembers per form: where it got to, and which instance each submission is.

Kobo keeps a submission's ``_id`` across edits while its ``meta/instanceID`` changes, so
the instance last recorded for an ``_id`` is what an edit corrects (even after several
edits between two pulls) and what a deletion reverses. Configuration, not facts: every
record and correction is an event of the ledger already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    String,
    Table,
    insert,
    select,
    update,
)

from adapters.database import metadata

kobo_sync = Table(
    "kobo_sync",
    metadata,
    Column("form", String(100), primary_key=True),
    Column("since", String(40), nullable=True),  # Kobo's own timestamp text, compared by Kobo
    Column("synced_at", DateTime(timezone=True), nullable=False),
)
kobo_submissions = Table(
    "kobo_submissions",
    metadata,
    Column("form", String(100), primary_key=True),
    Column("submission", BigInteger, primary_key=True),
    Column("instance", String(200), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
)


@dataclass(frozen=True, slots=True)
class Seen:
    submission: int
    instance: str
    deleted: bool


class PullState:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def since(self, form: str) -> str | None:
        with self.engine.connect() as conn:
            where = kobo_sync.c.form == form
            found: str | None = conn.execute(select(kobo_sync.c.since).where(where)).scalar()
        return found

    def seen(self, form: str) -> dict[int, Seen]:
        columns = kobo_submissions.c
        query = select(columns.submission, columns.instance, columns.deleted_at)
        with self.engine.connect() as conn:
            rows = conn.execute(query.where(columns.form == form)).all()
        return {
            r.submission: Seen(r.submission, r.instance, r.deleted_at is not None) for r in rows
        }

    def remember(self, form: str, submission: int, instance: str, known: bool) -> None:
        columns = kobo_submissions.c
        with self.engine.begin() as conn:
            if known:
                where = (columns.form == form) & (columns.submission == submission)
                conn.execute(update(kobo_submissions).where(where).values(instance=instance))
            else:
                values = {"form": form, "submission": submission, "instance": instance}
                conn.execute(insert(kobo_submissions).values(**values))

    def deleted(self, form: str, submission: int) -> None:
        columns = kobo_submissions.c
        where = (columns.form == form) & (columns.submission == submission)
        with self.engine.begin() as conn:
            conn.execute(update(kobo_submissions).where(where).values(deleted_at=datetime.now(UTC)))

    def advance(self, form: str, since: str | None) -> None:
        with self.engine.begin() as conn:
            where = kobo_sync.c.form == form
            values = {"since": since, "synced_at": datetime.now(UTC)}
            if conn.execute(select(kobo_sync.c.form).where(where)).first() is None:
                conn.execute(insert(kobo_sync).values(form=form, **values))
            else:
                conn.execute(update(kobo_sync).where(where).values(**values))
