"""The distribution service's rules, on the library's in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.actors import Actor, ForbiddenError, Role
from domain.distribution.commands import (
    DispatchKits,
    RecordDelivery,
)
from domain.distribution.service import DistributionService
from domain.errors import ConflictError, NotFoundError
from domain.outcomes import ItemStatus
from tests.leaks import stored
from tests.unit.memory_service import (
    ADMIN,
    WHEN,
    C,
    memory_service,  # noqa: F401 - the "service" fixture
)


def item(
    n: int, committee: str = "anfa", household: str | None = None, when: datetime = WHEN
) -> RecordDelivery:
    return RecordDelivery(f"d{n}", committee, household or f"H{n:06d}", 4, when)


def stock(service: DistributionService, committee: str, quantity: int) -> None:
    service.dispatch_kits(C, DispatchKits(committee, quantity, f"bl-{quantity}"), ADMIN)


def statuses(
    service: DistributionService, *items: RecordDelivery, actor: Actor = ADMIN
) -> list[str]:
    return [r.status.value for r in service.record_deliveries(C, list(items), actor).items]


def test_one_kit_per_household_across_committees_and_within_a_batch(service) -> None:
    stock(service, "anfa", 10)
    stock(service, "sidi", 10)
    assert statuses(service, item(1, household="X1"), item(2, "sidi", household="x 1")) == [
        "recorded",
        "rejected",
    ]
    assert statuses(service, item(3, "sidi", household="X1")) == ["rejected"]


def test_stock_runs_out_mid_batch(service) -> None:
    stock(service, "anfa", 3)
    outcome = service.record_deliveries(C, [item(n) for n in range(5)], ADMIN)
    assert [r.status for r in outcome.items].count(ItemStatus.RECORDED) == 3
    assert outcome.items[4].reason is not None and "no stock" in outcome.items[4].reason


def test_dates_and_the_future_are_checked_per_item(service) -> None:
    stock(service, "anfa", 10)
    early = item(1, when=datetime(2020, 4, 1, tzinfo=UTC))
    future = item(2, when=datetime(2020, 5, 2, tzinfo=UTC))
    outcome = service.record_deliveries(C, [early, future, item(3)], ADMIN)
    assert [r.status.value for r in outcome.items] == ["rejected", "rejected", "recorded"]
    assert outcome.items[0].field == "items.0.delivered_at"


def test_resend_counts_once_and_names_the_original_even_after_reversal(service) -> None:
    stock(service, "anfa", 10)
    assert statuses(service, item(1)) == ["recorded"]
    again = service.record_deliveries(C, [item(1)], ADMIN).items[0]
    assert again.status is ItemStatus.DUPLICATE and again.original is not None
    assert again.original["delivery_id"] == "d1"
    service.reverse_delivery(C, "d1", "typo", ADMIN)
    after = service.record_deliveries(C, [item(1)], ADMIN).items[0]
    assert after.status is ItemStatus.DUPLICATE and after.original["reversed"] is True


def test_reversal_once_then_redelivery_with_a_new_id(service) -> None:
    stock(service, "anfa", 1)
    statuses(service, item(1, household="H"))
    assert statuses(service, item(2, household="Z")) == ["rejected"]  # stock used up
    assert service.reverse_delivery(C, "d1", "not handed over", ADMIN).created
    resent = service.reverse_delivery(C, "d1", "again", ADMIN)  # a resend: names the reversal
    assert (resent.created, resent.position, resent.original.version) == (False, 0, 2)
    assert statuses(service, item(3, household="H")) == ["recorded"]  # kit came back
    again = service.record_deliveries(C, [item(3, household="H")], ADMIN).items[0]
    assert (again.status, again.at.version) == (ItemStatus.DUPLICATE, 3)  # the redelivery's
    assert again.at.aggregate_id == resent.original.aggregate_id
    with pytest.raises(NotFoundError):
        service.reverse_delivery(C, "nope", "x", ADMIN)


def test_committee_token_records_only_for_itself(service) -> None:
    stock(service, "anfa", 10)
    anfa = Actor(Role.COMMITTEE, "a", "anfa", C)
    with pytest.raises(ForbiddenError):
        statuses(service, item(1), item(2, "sidi"), actor=anfa)
    assert statuses(service, item(1), actor=anfa) == ["recorded"]  # nothing half-applied before
    with pytest.raises(ForbiddenError):
        service.reverse_delivery(C, "d1", "x", Actor(Role.COMMITTEE, "s", "sidi", C))
    with pytest.raises(ForbiddenError):
        statuses(service, item(3), actor=Actor(Role.AUDITOR, "x"))


def test_unknown_committee_and_reused_delivery_id_are_rejected_per_item(service) -> None:
    stock(service, "anfa", 10)
    outcome = service.record_deliveries(
        C, [item(1, "ghost"), item(2), RecordDelivery("d2", "anfa", "OTHER", 2, WHEN)], ADMIN
    )
    assert [r.status.value for r in outcome.items] == ["rejected", "recorded", "rejected"]
    assert outcome.items[0].field == "items.0.committee"


def test_closed_campaign_refuses_everything(service) -> None:
    stock(service, "anfa", 10)
    service.close_campaign(C, "done", ADMIN)
    assert statuses(service, item(1)) == ["rejected"]
    with pytest.raises(ConflictError):
        stock(service, "anfa", 2)


def test_household_number_is_never_stored_in_clear(service) -> None:
    stock(service, "anfa", 10)
    statuses(service, item(1, household="CIN998877"))
    facts = stored(service.ledger.recorder.select_notifications(start=1, limit=1000))
    assert "998877" not in facts
