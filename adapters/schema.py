"""Refuse to run against tables written by a newer version of Tadamon."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select

from adapters.database import SCHEMA_VERSION, schema_versions


class SchemaTooNewError(RuntimeError):
    pass


def check_schema_version(engine: Engine) -> None:
    with engine.begin() as conn:
        found = conn.execute(
            select(schema_versions.c.version).where(schema_versions.c.component == "tadamon")
        ).scalar()
        if found is None:
            conn.execute(
                insert(schema_versions).values(component="tadamon", version=SCHEMA_VERSION)
            )
        elif found > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"the database was written by a newer Tadamon (schema {found}, this "
                f"build knows {SCHEMA_VERSION}); upgrade the application"
            )
