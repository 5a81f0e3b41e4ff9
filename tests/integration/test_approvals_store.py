"""Approval up the hierarchy, the locks it puts on a period, and held facts, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor, ForbiddenError, Role
from domain.approval.commands import ApprovePeriod, ConfigureApprovals, UnapprovePeriod
from domain.approval.errors import (
    HELD_FOR_APPROVED_PERIOD,
    PERIOD_APPROVED,
    UNITS_BELOW_NOT_APPROVED,
    ApprovalOrderError,
    PeriodApprovedError,
)
from domain.distribution.commands import RecordDelivery
from domain.errors import ConflictError, DomainError
from domain.geography import check_province
from domain.outcomes import ItemStatus
from tests.workload import ADMIN, CAMPAIGN, COMMITTEES, launch

DAY = "2020-04-26"
MORNING = datetime(2020, 4, 26, 9, tzinfo=UTC)
CHAIR = Actor(Role.CHAIR, "chair1", "casa-anfa", CAMPAIGN)
NATIONAL = Actor(Role.NATIONAL, "nat1")


def approve(container: Container, level: str, unit: str, actor: Actor = ADMIN) -> int:
    command = ApprovePeriod("distribution", CAMPAIGN, level, unit, DAY)
    return container.approvals.approve(command, actor).position


def unapprove(container: Container, level: str, unit: str, reason: str = "recount") -> int:
    command = UnapprovePeriod("distribution", CAMPAIGN, level, unit, DAY, reason)
    return container.approvals.unapprove(command, ADMIN).position


def delivery(n: int, committee: str = "casa-anfa", size: int = 4) -> RecordDelivery:
    return RecordDelivery(f"ap-{n}", committee, f"AP{n:07d}", size, MORNING)


def approval(container: Container, level: str, unit: str) -> object:
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None
    return book.approval(level, unit, DAY)


def region_of(province: str) -> str:
    return check_province(province).region_code


def test_a_committee_day_is_approved_with_its_figures_then_each_level_above(
    container: Container,
) -> None:
    launch(container)
    sizes = [3, 5, 2]
    items = [delivery(n, size=s) for n, s in enumerate(sizes)]
    container.distribution.record_deliveries(CAMPAIGN, items, ADMIN)
    with pytest.raises(ApprovalOrderError) as early:
        approve(container, "province", "MA-CAS")
    assert (early.value.code, early.value.reason) == (
        UNITS_BELOW_NOT_APPROVED,
        "not every committee below is approved for this period (waiting for: casa-anfa)",
    )
    approve(container, "committee", "casa-anfa", CHAIR)
    approved = container.approvals.book("distribution", CAMPAIGN).approval(  # type: ignore[union-attr]
        "committee", "casa-anfa", DAY
    )
    assert approved is not None
    assert approved.approved_by == CHAIR.name
    assert approved.figures == {"households_served": len(sizes), "people_reached": sum(sizes)}
    approve(container, "province", "MA-CAS")
    approve(container, "region", region_of("MA-CAS"), NATIONAL)
    with pytest.raises(ApprovalOrderError):
        approve(container, "national", "national", NATIONAL)
    for code, province in COMMITTEES[1:]:
        approve(container, "committee", code)
        approve(container, "province", province)
        if approval(container, "region", region_of(province)) is None:
            approve(container, "region", region_of(province), NATIONAL)
    approve(container, "national", "national", NATIONAL)
    national = approval(container, "national", "national")
    assert national.figures == approved.figures  # type: ignore[attr-defined]
    assert (
        container.approvals.approve(
            ApprovePeriod("distribution", CAMPAIGN, "national", "national", DAY), NATIONAL
        ).created
        is False
    )


def test_writes_that_would_change_an_approved_day_are_refused_naming_the_approval(
    container: Container,
) -> None:
    launch(container)
    container.distribution.record_deliveries(CAMPAIGN, [delivery(1), delivery(2)], ADMIN)
    approve(container, "committee", "casa-anfa", CHAIR)
    with pytest.raises(PeriodApprovedError) as refused:
        container.distribution.reverse_delivery(CAMPAIGN, "ap-1", "wrong household", ADMIN)
    assert refused.value.code == PERIOD_APPROVED
    assert refused.value.reason.startswith(
        f"committee 'casa-anfa' period {DAY} was approved by {CHAIR.name} at "
    )
    with pytest.raises(PeriodApprovedError):
        container.distribution.correct_delivery(
            CAMPAIGN, "ap-2", delivery(3), "typo in the number", ADMIN
        )
    # Another committee's day is not locked.
    other = container.distribution.record_deliveries(CAMPAIGN, [delivery(4, "rabat-agdal")], ADMIN)
    assert other.items[0].status is ItemStatus.RECORDED


def test_a_late_delivery_is_held_until_an_admin_unapproves_then_counted(
    container: Container,
) -> None:
    launch(container)
    container.distribution.record_deliveries(CAMPAIGN, [delivery(1, size=6)], ADMIN)
    approve(container, "committee", "casa-anfa", CHAIR)
    approve(container, "province", "MA-CAS")
    late = [delivery(1, size=6), delivery(2, size=3), delivery(5, "rabat-agdal")]
    for _ in range(2):  # the phone sends it twice: held once
        answer = container.distribution.record_deliveries(CAMPAIGN, late, ADMIN)
        statuses = [(r.status, r.code) for r in answer.items]
        assert statuses[0][0] is ItemStatus.DUPLICATE
        assert statuses[1] == (ItemStatus.REJECTED, HELD_FOR_APPROVED_PERIOD)
        assert answer.items[1].field == "items.1.delivered_at"
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None
    assert sorted(book.held) == ["ap-2"]
    container.runner.catch_up()
    assert (
        container.views.table("distribution", CAMPAIGN).value(
            "committee", "casa-anfa", "households_served"
        )
        == 1
    )
    with pytest.raises(ForbiddenError):
        container.approvals.unapprove(
            UnapprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", DAY, "x"), CHAIR
        )
    unapprove(container, "committee", "casa-anfa")
    assert approval(container, "committee", "casa-anfa") is None
    assert approval(container, "province", "MA-CAS") is None  # every level above unlocks
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None and book.held == {}
    container.runner.catch_up()
    table = container.views.table("distribution", CAMPAIGN)
    assert table.value("committee", "casa-anfa", "households_served") == 2
    assert table.value("committee", "casa-anfa", "people_reached") == 6 + 3


def test_who_approves_each_level_is_a_scope_of_the_token(container: Container) -> None:
    launch(container)
    container.distribution.record_deliveries(CAMPAIGN, [delivery(1)], ADMIN)
    other_chair = Actor(Role.CHAIR, "chair2", "rabat-agdal", CAMPAIGN)
    coordinator = Actor(Role.COORDINATOR, "co1", "MA-CAS", CAMPAIGN)
    wrong_coordinator = Actor(Role.COORDINATOR, "co2", "MA-RAB", CAMPAIGN)
    committee = Actor(Role.COMMITTEE, "c1", "casa-anfa", CAMPAIGN)
    chair_elsewhere = Actor(Role.CHAIR, "chair3", "casa-anfa", "ramadan-1442")
    matrix = [
        ("committee", "casa-anfa", other_chair, False),
        ("committee", "casa-anfa", chair_elsewhere, False),
        ("committee", "casa-anfa", committee, False),
        ("committee", "casa-anfa", NATIONAL, False),
        ("committee", "casa-anfa", CHAIR, True),
        ("province", "MA-CAS", CHAIR, False),
        ("province", "MA-CAS", wrong_coordinator, False),
        ("province", "MA-CAS", coordinator, True),
        ("region", region_of("MA-CAS"), coordinator, False),
        ("region", region_of("MA-CAS"), NATIONAL, True),
    ]
    for level, unit, actor, allowed in matrix:
        if allowed:
            approve(container, level, unit, actor)
            assert approval(container, level, unit) is not None
        else:
            with pytest.raises(ForbiddenError):
                approve(container, level, unit, actor)


def test_a_campaign_approved_by_week_locks_every_day_of_the_week(container: Container) -> None:
    launch(container)
    configure = ConfigureApprovals("distribution", CAMPAIGN, "week")
    assert container.approvals.configure(configure, ADMIN).created
    saturday = datetime(2020, 4, 25, 12, tzinfo=UTC)  # 2020-W17 runs Monday 20 to Sunday 26
    items = [delivery(1, size=2), RecordDelivery("ap-2", "casa-anfa", "AP0000002", 7, saturday)]
    container.distribution.record_deliveries(CAMPAIGN, items, ADMIN)
    week = ApprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", "2020-W17")
    container.approvals.approve(week, CHAIR)
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None
    approved = book.approval("committee", "casa-anfa", "2020-W17")
    assert approved is not None and approved.figures == {
        "households_served": 2,
        "people_reached": 2 + 7,
    }
    with pytest.raises(PeriodApprovedError):
        container.distribution.reverse_delivery(CAMPAIGN, "ap-2", "wrong household", ADMIN)
    with pytest.raises(ConflictError):
        container.approvals.configure(ConfigureApprovals("distribution", CAMPAIGN, "day"), ADMIN)
    with pytest.raises(DomainError) as badly:
        container.approvals.approve(
            ApprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", DAY), CHAIR
        )
    assert (badly.value.field, badly.value.reason) == ("period", "must be a week such as 2020-W17")
