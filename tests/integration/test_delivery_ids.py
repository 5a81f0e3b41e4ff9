"""A delivery id names one delivery forever, on SQLite and PostgreSQL (issue 12, point 1)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from uuid import UUID

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from domain.actors import Actor
from domain.distribution.commands import RecordDelivery
from domain.outcomes import ItemStatus
from domain.ports import StreamIndex
from projections import distribution
from tests.integration.test_distribution_store import START, C, prepare, replay


def served(container: Container) -> int:
    container.runner.catch_up()
    return container.views.table(distribution.VIEW, C).value("campaign", "", "households_served")


def deliver(
    container: Container, admin: Actor, *items: RecordDelivery
) -> list[tuple[ItemStatus, str | None]]:
    outcome = container.distribution.record_deliveries(C, list(items), admin)
    return [(r.status, r.code) for r in outcome.items]


def kit(delivery_id: str, household: str, size: int = 4, committee: str = "c0") -> RecordDelivery:
    return RecordDelivery(delivery_id, committee, household, size, START)


def test_an_id_used_for_one_household_is_refused_for_another_in_a_later_batch(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    assert deliver(container, admin, kit("d1", "H1")) == [(ItemStatus.RECORDED, None)]
    assert deliver(container, admin, kit("d1", "H2")) == [
        (ItemStatus.REJECTED, "delivery_id_reused")
    ]
    assert served(container) == 1
    container.distribution.reverse_delivery(C, "d1", "wrong house", admin)
    assert served(container) == 0  # H1's kit, the only one, is what the reversal took back
    assert deliver(container, admin, kit("d9", "H1")) == [(ItemStatus.RECORDED, None)]


def test_resent_after_two_reversals_is_a_duplicate_naming_what_superseded_it(
    container: Container, admin: Actor
) -> None:
    prepare(container, admin)
    service = container.distribution
    deliver(container, admin, kit("e2a", "H"))
    service.reverse_delivery(C, "e2a", "not handed over", admin)
    deliver(container, admin, kit("e2b", "H"))
    service.reverse_delivery(C, "e2b", "not handed over", admin)
    again = service.record_deliveries(C, [kit("e2a", "H")], admin).items[0]
    assert (again.status, again.original) == (
        ItemStatus.DUPLICATE,
        {
            "delivery_id": "e2a",
            "committee": "c0",
            "delivered_at": START.isoformat(),
            "reversed": True,
            "superseded_by": "e2b",
        },
    )
    assert deliver(container, admin, kit("e2a", "H", size=7)) == [
        (ItemStatus.REJECTED, "delivery_id_reused")
    ]
    assert served(container) == 0


def test_a_resent_reversal_is_unchanged(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    deliver(container, admin, kit("d1", "H1"))
    first = container.distribution.reverse_delivery(C, "d1", "mistake", admin)
    assert first.created
    again = container.distribution.reverse_delivery(C, "d1", "mistake", admin)
    assert (again.created, again.position) == (False, 0)  # nothing written...
    assert again.original is not None and again.original.version == 2  # ...it repeats this
    found = container.positions.positions([again.original])
    assert 0 < found[again.original] <= first.position  # the reversal's own place in the log
    assert served(container) == 0


class RivalFirst:
    """A stream index that lets another API process save right after the batch looked."""

    def __init__(self, inner: StreamIndex, rival: Container, admin: Actor) -> None:
        self.inner, self.rival, self.admin = inner, rival, admin
        self.rival_answer: list[tuple[ItemStatus, str | None]] = []

    def existing(self, ids: Collection[UUID]) -> set[UUID]:
        found = self.inner.existing(ids)
        if not self.rival_answer:
            self.rival_answer = deliver(self.rival, self.admin, kit("d1", "H2"))
        return found


@pytest.fixture
def rival(store_settings: Settings) -> Iterator[Container]:
    other = bootstrap(store_settings)
    yield other
    other.close()


def test_two_processes_racing_on_one_id_cannot_both_record(
    container: Container, rival: Container, admin: Actor
) -> None:
    prepare(container, admin)
    container.distribution.streams = RivalFirst(container.distribution.streams, rival, admin)
    # Both decided "d1 is free"; the rival saved first, so this save collides on the
    # id's stream and the retry sees the rival's delivery.
    mine = deliver(container, admin, kit("d1", "H1"))
    assert container.distribution.streams.rival_answer == [(ItemStatus.RECORDED, None)]
    assert mine == [(ItemStatus.REJECTED, "delivery_id_reused")]
    assert served(container) == 1
    assert container.distribution.delivery(C, "d1", admin).household_size == 4


def test_the_id_stream_is_what_refuses_not_the_delivery_index(
    container: Container, admin: Actor
) -> None:
    """With the view far behind (never caught up), a reused id is still refused."""
    prepare(container, admin)
    container.live.stop()
    deliver(container, admin, kit("d1", "H1"))
    before = container.views.positions(["delivery_index"])
    assert deliver(container, admin, kit("d1", "H2")) == [
        (ItemStatus.REJECTED, "delivery_id_reused")
    ]
    assert container.views.positions(["delivery_index"]) == before


def test_totals_still_equal_a_replay(container: Container, admin: Actor) -> None:
    prepare(container, admin)
    deliver(container, admin, kit("d1", "H1"), kit("d2", "H2"), kit("d1", "H3"))
    container.distribution.reverse_delivery(C, "d2", "x", admin)
    container.runner.catch_up()
    assert container.views.table(distribution.VIEW, C) == replay(container)
    assert served(container) == 1
