"""Our batch recorders against the library's, on both stores.

The same stored events written by our recorder and by the library's recorder (each in
its own empty store) read back, through the library's recorder, as the same rows at
the same positions; and writers racing each other never let a reader tailing the log
see a position before every smaller one has committed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from adapters.recorders import BatchPostgresRecorder, BatchSQLiteRecorder
from adapters.settings import Settings
from adapters.store import ledger_env
from domain.ledger import Ledger
from tests.conftest import PG_URL
from tests.integration.test_sqlite_recorder import households


def stored(ledger: Ledger, prefix: str, count: int) -> list[StoredEvent]:
    """Household creations as the ledger's mapper stores them."""
    return [
        ledger.mapper.to_stored_event(event)
        for household in households(prefix, count)
        for event in household.collect_events()
    ]


def library_recorder(ledger: Ledger) -> ApplicationRecorder:
    """The library's own recorder over our ledger's table."""
    ours = ledger.recorder
    if isinstance(ours, BatchSQLiteRecorder):
        return SQLiteApplicationRecorder(ours.datastore, events_table_name=ours.events_table_name)
    assert isinstance(ours, BatchPostgresRecorder)
    return PostgresApplicationRecorder(ours.datastore, events_table_name=ours.events_table_name)


@pytest.fixture
def twin_env(store_settings: Settings, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The library's own recorder on a second empty store of the same kind."""
    env = dict(ledger_env(store_settings))
    del env["APPLICATION_RECORDER_TOPIC"]
    if store_settings.is_sqlite:
        env["SQLITE_DBNAME"] = str(tmp_path / "library.db")
        yield env
        return
    env["POSTGRES_SCHEMA"] = schema = f"t_{uuid.uuid4().hex[:12]}"
    yield env
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def create_schema(env: dict[str, str]) -> None:
    if "POSTGRES_SCHEMA" in env:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{env["POSTGRES_SCHEMA"]}"')


def ledger_on(env: dict[str, str]) -> Ledger:
    create_schema(env)
    return Ledger(env=env)


def test_rows_and_positions_equal_the_librarys(
    store_settings: Settings, twin_env: dict[str, str]
) -> None:
    ours, theirs = ledger_on(ledger_env(store_settings)), ledger_on(twin_env)
    try:
        assert type(theirs.recorder) in (SQLiteApplicationRecorder, PostgresApplicationRecorder)
        batches = [stored(ours, "a", 1), stored(ours, "b", 700), stored(ours, "c", 3)]
        our_ids = [ours.recorder.insert_events(batch) for batch in batches]
        their_ids = [theirs.recorder.insert_events(batch) for batch in batches]
        assert our_ids == their_ids == [[1], list(range(2, 702)), [702, 703, 704]]
        read_ours = library_recorder(ours).select_notifications(start=1, limit=10_000)
        read_theirs = theirs.recorder.select_notifications(start=1, limit=10_000)
        assert read_ours == read_theirs
        assert [(n.originator_id, n.state) for n in read_ours] == [
            (e.originator_id, e.state) for batch in batches for e in batch
        ]
    finally:
        ours.close()
        theirs.close()


def test_racing_writers_never_show_a_position_before_the_smaller_ones(
    store_settings: Settings,
) -> None:
    ledger = ledger_on(ledger_env(store_settings))
    writers, rounds, size = 3, 15, 40
    batches = [[stored(ledger, f"w{w}r{r}-", size) for r in range(rounds)] for w in range(writers)]
    done = threading.Event()
    gaps: list[tuple[int, int]] = []
    seen: list[int] = []

    def write(own: list[list[StoredEvent]]) -> None:
        for batch in own:
            ledger.recorder.insert_events(batch)

    def tail() -> None:
        last = 0
        while not (done.is_set() and last == writers * rounds * size):
            section = ledger.recorder.select_notifications(last, 500, inclusive_of_start=False)
            for notification in section:
                if notification.id != last + 1:
                    gaps.append((last, notification.id))
                last = notification.id
                seen.append(last)

    threads = [threading.Thread(target=write, args=(own,)) for own in batches]
    reader = threading.Thread(target=tail)
    try:
        reader.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done.set()
        reader.join(timeout=60)
        assert not reader.is_alive()
        assert gaps == []
        assert seen == list(range(1, writers * rounds * size + 1))
    finally:
        done.set()
        ledger.close()


def test_a_section_after_a_position_reads_as_the_librarys_recorder_reads_it(
    store_settings: Settings,
) -> None:
    ledger = ledger_on(ledger_env(store_settings))
    try:
        ledger.recorder.insert_events(stored(ledger, "s", 40))
        library = library_recorder(ledger)
        for start, limit in [(0, 10), (1, 10), (35, 100), (40, 5), (41, 5)]:
            ours = ledger.recorder.select_notifications(start, limit, inclusive_of_start=False)
            theirs = library.select_notifications(start, limit, inclusive_of_start=False)
            assert ours == theirs
            assert [type(n) for n in ours] == [type(n) for n in theirs]
            assert [type(n.state) for n in ours] == [bytes] * len(theirs)
    finally:
        ledger.close()


def test_get_many_rebuilds_each_aggregate_as_the_repository_does(
    store_settings: Settings,
) -> None:
    """More ids than one SQLite statement binds, aggregates of 1 and 2 events, absent ids."""
    ledger = ledger_on(ledger_env(store_settings))
    made = households("m", 1_200)
    ledger.save(*made)
    for household in made[::3]:
        household.reverse(household.delivery_id, "wrong door", "tests")
    ledger.save(*made[::3])
    absent = [uuid.uuid4() for _ in range(7)]
    wanted = [h.id for h in made] + absent
    many = ledger.get_many(wanted)
    assert set(many) == {h.id for h in made}
    for household in made[::97]:
        one = ledger.repository.get(household.id)
        assert (many[household.id].version, vars(many[household.id])) == (one.version, vars(one))
    assert {many[h.id].version for h in made[::3]} == {2}
    assert ledger.get_many(absent[:1]) == {}
