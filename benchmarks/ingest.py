"""Ingest: deliveries/s through the application layer, beside the storage limit and naive saves.

1. The application layer: ``DistributionService.record_deliveries`` in batches of
   1,000 deliveries of one committee each, committees and batches as the season
   simulator makes them (no field noise: every item is new). Only the calls are
   timed; building the commands is not.
2. The storage limit: the very rows those calls wrote (household and committee
   events, same keys, topics and states), copied into an empty table with the
   library's own schema by plain ``executemany``, one transaction per batch.
3. The library used naively: one ``save()`` per new Household aggregate; and in bulk,
   one ``save()`` of 100 new Households (the library's own floor for the same events).
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import StoredEvent

from adapters.bootstrap import bootstrap
from adapters.heap import settle_heap
from adapters.settings import Settings
from adapters.simulator.noise import QUIET
from adapters.simulator.ramadan import Deliveries as DeliveryPlan
from adapters.simulator.ramadan import RamadanPlan
from adapters.simulator.service_driver import SIMULATOR, ServiceDriver
from adapters.store import events_table, ledger_env
from benchmarks.report import Row, at_least
from benchmarks.stores import drop_schema, new_schema
from domain.distribution.commands import RecordDelivery
from domain.distribution.household import Household
from domain.ledger import Ledger

PEER_TARGET = 1.0  # SQLite events/s / the library's bulk save (issue 16)
PG_TARGET = 0.4  # application layer / executemany on PostgreSQL (issue 16)
ROWS_PER_READ = 1001  # one batch's households and its committee's event
SQLITE_TABLE = (
    "CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, originator_version INTEGER, "
    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
)
POSTGRES_TABLE = (
    'CREATE TABLE "{0}".stored_events (originator_id uuid NOT NULL, '
    "originator_version bigint NOT NULL, topic text, state bytea, notification_id bigserial, "
    "PRIMARY KEY (originator_id, originator_version));"
    'CREATE UNIQUE INDEX ON "{0}".stored_events (notification_id)'
)


def through_service(settings: Settings, households: int, batch: int) -> tuple[int, float, int]:
    """(deliveries recorded, seconds inside record_deliveries, position before the first)."""
    container = bootstrap(settings)
    try:
        plan = RamadanPlan(households, seed=1, noise=QUIET, batch_size=batch)
        driver = ServiceDriver(container)
        for step in plan.setup():
            driver.send(step)
        before = container.runner.source.head()
        settle_heap()  # as `tadamon serve` does once it has started
        recorded, spent = 0, 0.0
        service = container.distribution
        for step in DeliveryPlan(plan).steps():
            items = [RecordDelivery(**item) for item in step.items]
            started = time.perf_counter()
            outcome = service.record_deliveries(step.target[0], items, SIMULATOR)
            spent += time.perf_counter() - started
            recorded += sum(1 for r in outcome.items if r.status.value == "recorded")
        gc.unfreeze()  # the benchmarks after this one start from the usual heap
        return recorded, spent, before
    finally:
        container.close()


def stored_rows(settings: Settings, after: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows written after position ``after``, a batch's worth at a time."""
    table = events_table(settings)
    if settings.is_sqlite:
        conn = sqlite3.connect(settings.sqlite_path)
        query = f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "  # noqa: S608
        query += "WHERE rowid > ? ORDER BY rowid LIMIT ?"
    else:
        conn = psycopg.connect(settings.database_url)  # type: ignore[assignment]
        query = (
            f"SELECT notification_id, originator_id, originator_version, topic, state FROM {table} "  # noqa: S608
        )
        query += "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    with conn:
        while rows := conn.execute(query, (after, ROWS_PER_READ)).fetchall():
            after = rows[-1][0]
            yield [tuple(row[1:]) for row in rows]


def executemany_limit(settings: Settings, after: int, where: Path) -> tuple[int, float]:
    """(rows, seconds) copying the rows into an empty table by plain executemany."""
    if settings.is_sqlite:
        return _sqlite_copy(settings, after, where / "executemany.db")
    schema = new_schema()
    try:
        return _postgres_copy(settings, after, schema)
    finally:
        drop_schema(settings.database_url, schema)


def _sqlite_copy(settings: Settings, after: int, path: Path) -> tuple[int, float]:
    conn = sqlite3.connect(path, isolation_level=None)  # the library's connection mode
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(SQLITE_TABLE)
    insert = "INSERT INTO stored_events VALUES (?,?,?,?)"
    count, spent = 0, 0.0
    for rows in stored_rows(settings, after):
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
        spent += time.perf_counter() - started
        count += len(rows)
    conn.close()
    return count, spent


def _postgres_copy(settings: Settings, after: int, schema: str) -> tuple[int, float]:
    with psycopg.connect(settings.database_url) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        for statement in POSTGRES_TABLE.format(schema).split(";"):
            conn.execute(statement)
        conn.commit()
        insert = (
            f'INSERT INTO "{schema}".stored_events '  # noqa: S608
            "(originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)"
        )
        count, spent = 0, 0.0
        for rows in stored_rows(settings, after):
            started = time.perf_counter()
            with conn.cursor() as cursor:
                cursor.executemany(insert, rows)
            conn.commit()
            spent += time.perf_counter() - started
            count += len(rows)
    return count, spent


def recorder_copies(settings: Settings, after: int) -> dict[str, tuple[int, float]]:
    """PostgreSQL: (rows, seconds) of the same rows through our recorder and the library's.

    Each writes into an empty schema of its own, one ``insert_events`` per batch (what
    one save does): the recorders alone, beside the ``executemany`` limit.
    """
    timed = {}
    for name, topic in (("ours", True), ("library", False)):
        schema = new_schema()
        env = dict(ledger_env(settings), POSTGRES_SCHEMA=schema)
        if not topic:
            del env["APPLICATION_RECORDER_TOPIC"]
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        ledger = Ledger(env=env)
        try:
            count, spent = 0, 0.0
            for rows in stored_rows(settings, after):
                events = [StoredEvent(*row) for row in rows]
                started = time.perf_counter()
                ledger.recorder.insert_events(events)
                spent += time.perf_counter() - started
                count += len(events)
            timed[name] = (count, spent)
        finally:
            ledger.close()
            drop_schema(settings.database_url, schema)
    return timed


def library_saves(
    settings: Settings, events: int, budget_seconds: float, per_save: int = 1
) -> tuple[int, float]:
    """(events, seconds) saving new Households ``per_save`` at a time, within a time budget."""
    container = bootstrap(settings)
    ledger = container.ledger
    started = time.perf_counter()
    done = 0
    try:
        while done < events and time.perf_counter() - started < budget_seconds:
            ledger.save(*(new_household(f"{per_save}-{done + n}") for n in range(per_save)))
            done += per_save
        return done, time.perf_counter() - started
    finally:
        container.close()


def _peer_rows(backend: str, ours: float, peer: float, per_delivery: float) -> list[Row]:
    """Issue 16: the events record_deliveries writes per second against the library's bulk
    save of new aggregates (the peer), which decides nothing. A delivery on a listed
    campaign writes about three events: the household's, its delivery id's claim and its
    list entry's "served"."""
    measure = (
        f"application layer events/s / library bulk events/s ({per_delivery:.2f} per delivery)"
    )
    if backend != "sqlite":
        return [Row("ingest", backend, measure, ours / peer, "", "(sqlite: >= 1.0)")]
    return [at_least("ingest", backend, measure, ours / peer, "", PEER_TARGET)]


def _recorder_rows(
    backend: str, settings: Settings, after: int, limit_spent: float, ratio: float
) -> list[Row]:
    """PostgreSQL: the issue's own target for it, and the two recorders on the same rows."""
    if settings.is_sqlite:
        return []
    met = ratio >= PG_TARGET
    rows = [Row("ingest", backend, "PostgreSQL target", ratio, "", f">= {PG_TARGET}", met)]
    for name, (count, spent) in recorder_copies(settings, after).items():
        who = "our recorder (binary arrays)" if name == "ours" else "the library's recorder"
        rate = count / spent
        rows.append(Row("ingest", backend, f"{who}, the same rows", rate, "rows/s"))
        rows.append(Row("ingest", backend, f"{who} / executemany limit", limit_spent / spent, ""))
    return rows


def new_household(key: str) -> Household:
    return Household(
        campaign="naive",
        household_key=key,
        delivery_id=f"d{key}",
        committee="c-001",
        province="MA-CAS",
        region="MA-06",
        household_size=5,
        delivered_at=datetime(2020, 4, 28, 10, tzinfo=UTC),
        recorded_by="benchmark",
    )


def run(
    backend: str,
    settings: Settings,
    naive_settings: Settings,
    where: Path,
    households: int,
    naive_events: int,
) -> list[Row]:
    recorded, spent, before = through_service(settings, households, batch=1000)
    rows, copy_spent = executemany_limit(settings, before, where)
    naive, naive_spent = library_saves(naive_settings, naive_events, budget_seconds=60)
    bulk, bulk_spent = library_saves(naive_settings, 10 * naive_events, 60, per_save=100)
    service_rate, limit_rate = recorded / spent, rows / copy_spent
    ratio = copy_spent / spent  # the same rows: events/s written by each
    return [
        Row(
            "ingest",
            backend,
            f"record_deliveries, batches of 1,000 ({recorded:,} deliveries)",
            service_rate,
            "deliveries/s",
        ),
        Row(
            "ingest",
            backend,
            f"executemany of the same {rows:,} rows (storage limit)",
            limit_rate,
            "rows/s",
        ),
        Row(
            "ingest",
            backend,
            f"library naive, one save() per event ({naive:,} events)",
            naive / naive_spent,
            "events/s",
        ),
        Row(
            "ingest",
            backend,
            f"library bulk, save() of 100 new aggregates ({bulk:,} events)",
            bulk / bulk_spent,
            "events/s",
        ),
        at_least(
            "ingest", backend, "application layer / executemany limit (same rows)", ratio, "", 0.6
        ),
        *_peer_rows(backend, rows / spent, bulk / bulk_spent, rows / max(1, recorded)),
        *_recorder_rows(backend, settings, before, copy_spent, ratio),
    ]
