"""Projection rebuild: the whole history folded into fresh read models, beside two baselines.

1. Rebuild: ``projections.runner.Runner`` with the totals projections, into a
   fresh view store (a new SQLite file, or a new PostgreSQL schema), from the
   season's ledger, in the runner's default sections of 2,000 events.
2. The read limit: the same notifications read and decoded into domain events
   by the same event source, nothing else.
3. One transaction per event (``batch_size=1``): what the library's own runner
   does; run for a bounded time, its rate is extrapolated from there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.database import make_engine, metadata
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.settings import Settings
from adapters.store import LedgerEventSource
from adapters.views import SqlViewStore
from benchmarks.report import Row, at_least
from benchmarks.stores import drop_schema, new_schema
from domain.ledger import Ledger
from projections import completeness
from projections.ports import EventSource
from projections.runner import Runner

# The totals people read, and the completeness view (who reported when) beside them.
REBUILT = (*TOTALS_PROJECTIONS, completeness.PROJECTION)

SECTION = 2000
TARGET_RATE = 40_000
TARGET_RATIO = 0.7


@contextmanager
def fresh_views(settings: Settings, where: Path, name: str) -> Iterator[Engine]:
    """An empty view store beside the ledger: its own SQLite file or PostgreSQL schema."""
    if settings.is_sqlite:
        views = settings.model_copy(update={"database_url": f"sqlite:///{where / name}.db"})
        engine = make_engine(views)
    else:
        views = settings.model_copy(update={"database_schema": new_schema()})
        engine = make_engine(views)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{views.database_schema}"'))
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        if not settings.is_sqlite:
            drop_schema(settings.database_url, views.database_schema)


def read_and_decode(source: LedgerEventSource) -> tuple[int, float]:
    started, count, after = time.perf_counter(), 0, 0
    while True:
        section = source.read(after, SECTION)
        if not section:
            return count, time.perf_counter() - started
        count += len(section)
        after = section[-1].position
        del section  # freed before the next read, as the runner frees a folded section


def rebuild(
    source: EventSource, engine: Engine, batch_size: int, budget_seconds: float | None = None
) -> tuple[int, float]:
    runner = Runner(source, SqlViewStore(engine), REBUILT, batch_size)
    started, applied = time.perf_counter(), 0
    if budget_seconds is None:
        applied = runner.catch_up()
    else:
        while time.perf_counter() - started < budget_seconds:
            progress = runner.step()
            if not progress.applied:
                break
            applied += progress.applied
    return applied, time.perf_counter() - started


def run(
    backend: str, ledger: Ledger, settings: Settings, where: Path, per_event_seconds: float
) -> list[Row]:
    source = LedgerEventSource(ledger)
    read, read_spent = read_and_decode(source)
    with fresh_views(settings, where, "views-batched") as engine:
        built, built_spent = rebuild(source, engine, SECTION)
    with fresh_views(settings, where, "views-per-event") as engine:
        single, single_spent = rebuild(source, engine, 1, per_event_seconds)
    rate, limit = built / built_spent, read / read_spent
    return [
        at_least(
            "rebuild",
            backend,
            f"Runner, sections of {SECTION:,} ({built:,} events)",
            rate,
            "events/s",
            TARGET_RATE,
        ),
        Row("rebuild", backend, "read and decode only (read limit)", limit, "events/s"),
        Row(
            "rebuild",
            backend,
            f"one transaction per event ({single:,} events)",
            single / single_spent,
            "events/s",
        ),
        at_least("rebuild", backend, "rebuild / read limit", rate / limit, "", TARGET_RATIO),
    ]
