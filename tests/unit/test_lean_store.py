"""The lean mapper and event store make the library's own records, field for field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import EventStore, Mapper
from eventsourcing.popo import POPOApplicationRecorder

from adapters.codec import FastJSONTranscoder
from domain.distribution.delivery_key import DeliveryKey
from domain.distribution.household import Household
from domain.lean_store import LeanEventStore, LeanMapper
from domain.ledger import Ledger

AT = datetime(2020, 4, 28, 9, 30, tzinfo=UTC)


def transcoder() -> FastJSONTranscoder:
    made = FastJSONTranscoder()
    Ledger.register_transcodings(Ledger.__new__(Ledger), made)
    return made


def events() -> list[Any]:
    household = Household(
        campaign="c", household_key="k", delivery_id="d1", committee="c0", province="MA-CAS",
        region="MA-06", household_size=4, delivered_at=AT, recorded_by="admin",
    )  # fmt: skip
    household.reverse("d1", "wrong door", "admin")
    claim = DeliveryKey.claim(DeliveryKey.create_id("c", "d1"), "c", "d1", household.id, AT)
    return [*household.collect_events(), claim]


def test_stored_events_equal_the_librarys() -> None:
    lean, library = LeanMapper(transcoder()), Mapper(transcoder())
    for event in events():
        assert lean.to_stored_event(event) == library.to_stored_event(event)
        assert vars(lean.to_stored_event(event)) == vars(library.to_stored_event(event))


def test_recordings_equal_the_librarys_and_positions_follow() -> None:
    made = events()
    lean = LeanEventStore(LeanMapper(transcoder()), POPOApplicationRecorder())
    library = EventStore(Mapper(transcoder()), POPOApplicationRecorder())
    ours, theirs = lean.put(made), library.put(made)
    assert ours == theirs and [r.notification.id for r in ours] == [1, 2, 3]
    assert [vars(r.notification) for r in ours] == [vars(r.notification) for r in theirs]
    assert lean.put([]) == library.put([]) == []
