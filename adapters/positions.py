"""Where events already stored sit in the ledger: a resend's answer gives its original's.

Services name the event a resend repeats (aggregate and version, ``EventRef``); this is
the one place that turns those into ledger positions, one query per few hundred events.
"""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from sqlalchemy import Engine

from adapters.settings import Settings
from adapters.store import PARAMS_PER_QUERY, events_table
from domain.outcomes import EventRef


class SqlEventPositions:
    """``EventPositions`` over the event store's own table (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.sqlite = settings.is_sqlite
        table = events_table(settings)  # from settings validated at start, not a request
        if self.sqlite:
            self.select = (
                f"SELECT originator_id, originator_version, rowid FROM {table} "  # noqa: S608
                "WHERE (originator_id, originator_version) IN (VALUES "
            )
        else:
            self.select = (
                f"SELECT e.originator_id, e.originator_version, e.notification_id "  # noqa: S608
                f"FROM {table} e JOIN unnest(%s::uuid[], %s::bigint[]) AS w(id, version) "
                "ON e.originator_id = w.id AND e.originator_version = w.version"
            )

    def positions(self, refs: Collection[EventRef]) -> dict[EventRef, int]:
        wanted = list(dict.fromkeys(refs))
        if not wanted:
            return {}
        with self.engine.connect() as conn:
            if not self.sqlite:
                ids, versions = [r.aggregate_id for r in wanted], [r.version for r in wanted]
                rows = conn.exec_driver_sql(self.select, (ids, versions))
                return {EventRef(row[0], row[1]): row[2] for row in rows}
            found: dict[EventRef, int] = {}
            for start in range(0, len(wanted), PARAMS_PER_QUERY // 2):
                chunk = wanted[start : start + PARAMS_PER_QUERY // 2]
                query = self.select + ",".join("(?, ?)" for _ in chunk) + ")"
                params = tuple(v for r in chunk for v in (r.aggregate_id.hex, r.version))
                for row in conn.exec_driver_sql(query, params):
                    found[EventRef(UUID(row[0]), row[1])] = row[2]
            return found
