"""Batch modes (dry run, all or nothing) and corrections, on the in-memory store."""

from __future__ import annotations

import pytest

from domain.actors import Actor, ForbiddenError, Role
from domain.distribution.commands import RecordDelivery
from domain.distribution.service import DistributionService
from domain.outcomes import BatchMode, ItemStatus
from tests.unit.memory_service import memory_service  # noqa: F401 - the "service" fixture
from tests.unit.test_distribution_service import (
    ADMIN,
    WHEN,
    C,
    item,
    stock,
)


def events(service: DistributionService) -> list[str]:
    notifications = service.ledger.recorder.select_notifications(start=1, limit=10_000)
    return [n.topic.rsplit(".", 1)[-1] for n in notifications]


def test_dry_run_decides_but_saves_nothing(service: DistributionService) -> None:
    stock(service, "anfa", 2)
    before = events(service)
    outcome = service.record_deliveries(C, [item(n) for n in range(3)], ADMIN, BatchMode.DRY_RUN)
    assert [r.status.value for r in outcome.items] == ["recorded", "recorded", "rejected"]
    assert (outcome.committed, outcome.position) == (False, 0)
    assert events(service) == before


def test_all_or_nothing_saves_only_a_clean_batch(service: DistributionService) -> None:
    stock(service, "anfa", 2)
    before = events(service)
    refused = service.record_deliveries(
        C, [item(n) for n in range(3)], ADMIN, BatchMode.ALL_OR_NOTHING
    )
    assert not refused.committed and events(service) == before
    done = service.record_deliveries(
        C, [item(n) for n in range(2)], ADMIN, BatchMode.ALL_OR_NOTHING
    )
    assert done.committed and done.position > 0
    assert events(service)[len(before) :] == [
        "KitsHandedOut",
        "Claimed",
        "Claimed",
        "KitDelivered",
        "KitDelivered",
    ]


def test_correction_reverses_and_records_in_one_save(service: DistributionService) -> None:
    stock(service, "anfa", 5)
    service.record_deliveries(C, [item(1, household="WRONG1")], ADMIN)
    before = len(events(service))
    fixed = RecordDelivery("d1-fix", "anfa", "RIGHT1", 6, WHEN)
    outcome = service.correct_delivery(C, "d1", fixed, "typo in the card number", ADMIN)
    assert outcome.result.status is ItemStatus.RECORDED and outcome.reversed_original
    assert sorted(events(service)[before:]) == sorted(
        ["DeliveryReversed", "KitReturned", "KitsHandedOut", "Claimed", "KitDelivered"]
    )
    # the old household may be served again; the new one may not
    assert service.record_deliveries(C, [item(2, household="WRONG1")], ADMIN).items[0].status is (
        ItemStatus.RECORDED
    )
    again = service.record_deliveries(C, [item(3, household="RIGHT1")], ADMIN).items[0]
    assert again.reason == "household already served by delivery 'd1-fix'"


def test_correcting_the_same_household_keeps_one_kit(service: DistributionService) -> None:
    stock(service, "anfa", 1)  # the only kit: the correction must give it back before reuse
    service.record_deliveries(C, [item(1, household="SAME1")], ADMIN)
    fixed = RecordDelivery("d1-fix", "anfa", "SAME1", 7, WHEN)
    outcome = service.correct_delivery(C, "d1", fixed, "size was wrong", ADMIN)
    assert outcome.result.status is ItemStatus.RECORDED and outcome.reversed_original
    assert events(service)[-5:] == [
        "KitReturned",
        "KitsHandedOut",
        "Claimed",
        "DeliveryReversed",
        "KitDeliveredAfterReversal",
    ]


def test_resent_correction_is_a_duplicate_and_changes_nothing(service: DistributionService) -> None:
    stock(service, "anfa", 5)
    service.record_deliveries(C, [item(1, household="OLD1")], ADMIN)
    fixed = RecordDelivery("d1-fix", "anfa", "NEW1", 6, WHEN)
    service.correct_delivery(C, "d1", fixed, "edit", ADMIN)
    before = events(service)
    again = service.correct_delivery(C, "d1", fixed, "edit", ADMIN)
    assert again.result.status is ItemStatus.DUPLICATE and not again.reversed_original
    assert events(service) == before


def test_a_refused_correction_leaves_the_original_standing(service: DistributionService) -> None:
    stock(service, "anfa", 5)
    service.record_deliveries(C, [item(1, household="A1"), item(2, household="B2")], ADMIN)
    before = events(service)
    clash = RecordDelivery("d1-fix", "anfa", "B2", 6, WHEN)  # B2 already has its kit
    outcome = service.correct_delivery(C, "d1", clash, "edit", ADMIN)
    assert outcome.result.status is ItemStatus.REJECTED
    assert (outcome.position, outcome.reversed_original) == (0, False)
    assert events(service) == before


def test_correcting_an_unknown_delivery_just_records(service: DistributionService) -> None:
    stock(service, "anfa", 5)
    fresh = RecordDelivery("d9-fix", "anfa", "N9", 2, WHEN)
    outcome = service.correct_delivery(C, "never-recorded", fresh, "edit", ADMIN)
    assert outcome.result.status is ItemStatus.RECORDED and not outcome.reversed_original


def test_a_committee_cannot_correct_another_committees_delivery(
    service: DistributionService,
) -> None:
    stock(service, "anfa", 5)
    stock(service, "sidi", 5)
    service.record_deliveries(C, [item(1, "sidi", household="S1")], ADMIN)
    anfa = Actor(Role.COMMITTEE, "a", "anfa", C)
    with pytest.raises(ForbiddenError):
        service.correct_delivery(C, "d1", RecordDelivery("x", "anfa", "S2", 2, WHEN), "e", anfa)
