"""Schema set-up one process at a time, and never against tables from a newer Tadamon."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, insert, select, text, update

from adapters.database import SCHEMA_VERSION, schema_versions
from adapters.settings import Settings


class SchemaTooNewError(RuntimeError):
    pass


def check_schema_version(engine: Engine) -> None:
    with engine.begin() as conn:
        found = conn.execute(
            select(schema_versions.c.version).where(schema_versions.c.component == "tadamon")
        ).scalar()
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"the database was written by a newer Tadamon (schema {found}, this "
                f"build knows {SCHEMA_VERSION}); upgrade the application"
            )
        for version in range(found or 1, SCHEMA_VERSION):
            conn.execute(text(_UPGRADES[version]))
        if found is None:
            conn.execute(
                insert(schema_versions).values(component="tadamon", version=SCHEMA_VERSION)
            )
        elif found < SCHEMA_VERSION:
            mine = schema_versions.c.component == "tadamon"
            conn.execute(update(schema_versions).where(mine).values(version=SCHEMA_VERSION))


# The statement that takes a database from each version to the next, run once, in the
# same transaction as the version's change.
_UPGRADES = {
    # Checkpoints written before 2 copied every scope: list each as copied.
    1: (
        'INSERT INTO checkpoint_scopes ("view", scope, position) '
        'SELECT "view", scope, position FROM checkpoint_counts '
        'UNION SELECT "view", scope, position FROM checkpoint_labels'
    ),
}


@contextmanager
def setup_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    """Hold while creating tables: ``IF NOT EXISTS`` checks race between processes.

    Two PostgreSQL sessions creating the same type or function collide ("tuple
    concurrently updated"), and SQLAlchemy's check-then-create loses to a twin
    process with "already exists". Processes of one stack start together, so
    whoever comes second waits here, then finds everything made.
    """
    if settings.is_sqlite:
        lock_path = settings.sqlite_path.with_name(settings.sqlite_path.name + ".setup-lock")
        with lock_path.open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes
            yield
        return
    with engine.connect() as conn, conn.begin():  # the lock lasts as long as this transaction
        key = f"tadamon-schema:{settings.database_schema}"
        # Forty processes in a queue can wait longer than one statement may take.
        conn.execute(text("SET LOCAL statement_timeout = '120s'"))
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
        yield
