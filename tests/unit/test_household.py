"""A household's first delivery, built as a bare event, is the constructor's aggregate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.distribution.household import Household

DETAILS = {
    "delivery_id": "d1",
    "committee": "anfa",
    "province": "MA-CAS",
    "region": "MA-06",
    "household_size": 4,
    "delivered_at": datetime(2020, 4, 26, tzinfo=UTC),
    "recorded_by": "t",
}


def test_first_delivery_event_replays_to_the_constructed_aggregate() -> None:
    built = Household(campaign="c1", household_key="k", **DETAILS)
    fast = Household.first_delivery(
        Household.create_id("c1", "k"), campaign="c1", household_key="k", **DETAILS
    )
    replayed = fast.event.mutate(None)  # type: ignore[attr-defined]
    assert type(fast.event) is type(built.pending_events[0])
    assert replayed is not None and replayed.id == built.id
    assert vars(replayed) | {"_created_on": None, "_modified_on": None} == vars(built) | {
        "_created_on": None,
        "_modified_on": None,
        "_pending_events": [],
    }
    assert (fast.delivery_id, fast.committee, fast.served) == ("d1", "anfa", True)
    assert list(vars(fast.event)) == list(type(fast.event).__dataclass_fields__)
    assert vars(fast.event) | {"timestamp": None} == vars(built.pending_events[0]) | {
        "timestamp": None
    }


def test_first_delivery_refuses_details_it_does_not_know() -> None:
    with pytest.raises(TypeError, match="colour"):
        Household.first_delivery(
            Household.create_id("c1", "k"), campaign="c1", household_key="k", colour=1, **DETAILS
        )
