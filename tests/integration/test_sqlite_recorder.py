"""The batch SQLite recorder: the positions a save reports are the rows it wrote.

SQLite only: this recorder is the SQLite one (PostgreSQL keeps the library's).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from eventsourcing.sqlite import SQLiteApplicationRecorder

from adapters.recorders import BatchSQLiteRecorder
from adapters.store import ledger_env
from domain.distribution.household import Household
from domain.ledger import Ledger
from tests.conftest import sqlite_settings

MOMENT = datetime(2020, 4, 28, 10, tzinfo=UTC)


def households(prefix: str, count: int) -> list[Household]:
    return [
        Household(
            campaign="c",
            household_key=f"{prefix}{n}",
            delivery_id=f"{prefix}-d{n}",
            committee="c-001",
            province="MA-CAS",
            region="MA-06",
            household_size=5,
            delivered_at=MOMENT,
            recorded_by="tests",
        )
        for n in range(count)
    ]


def stored_positions(ledger: Ledger) -> dict[object, int]:
    notes = ledger.recorder.select_notifications(start=1, limit=100_000)
    return {n.originator_id: n.id for n in notes}


def test_each_recording_names_the_row_of_its_event(tmp_path: Path) -> None:
    ledger = Ledger(env=ledger_env(sqlite_settings(tmp_path)))
    assert isinstance(ledger.recorder, BatchSQLiteRecorder)
    single = ledger.save(*households("a", 1))
    batch = ledger.save(*households("b", 300))

    stored = stored_positions(ledger)
    assert [r.notification.id for r in single + batch] == list(range(1, 302))
    assert all(stored[r.notification.originator_id] == r.notification.id for r in batch)


def test_concurrent_batches_get_the_positions_they_wrote(tmp_path: Path) -> None:
    ledger = Ledger(env=ledger_env(sqlite_settings(tmp_path)))
    reported: list[tuple[object, int]] = []

    def writer(prefix: str) -> None:
        for round_ in range(10):
            for r in ledger.save(*households(f"{prefix}{round_}-", 50)):
                reported.append((r.notification.originator_id, r.notification.id))

    threads = [threading.Thread(target=writer, args=(p,)) for p in "xyz"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = stored_positions(ledger)
    assert len(reported) == len(stored) == 1500
    assert dict(reported) == stored


def test_a_section_reads_as_the_librarys_recorder_reads_it(tmp_path: Path) -> None:
    ledger = Ledger(env=ledger_env(sqlite_settings(tmp_path)))
    ledger.save(*households("r", 40))
    library = SQLiteApplicationRecorder(ledger.recorder.datastore)  # type: ignore[attr-defined]
    for start, limit, inclusive in [(1, 10, True), (1, 10, False), (35, 100, False), (41, 5, True)]:
        ours = ledger.recorder.select_notifications(start, limit, inclusive_of_start=inclusive)
        theirs = library.select_notifications(start, limit, inclusive_of_start=inclusive)
        assert ours == theirs and [type(n) for n in ours] == [type(n) for n in theirs]
    topic = ledger.recorder.select_notifications(1, 3)[0].topic
    assert ledger.recorder.select_notifications(None, 50, topics=[topic]) == (
        library.select_notifications(None, 50, topics=[topic])
    )
    assert ledger.recorder.select_notifications(1, 50, stop=7) == library.select_notifications(
        1, 50, stop=7
    )
