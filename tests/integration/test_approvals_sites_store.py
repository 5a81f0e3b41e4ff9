"""Marhaba (site -> operation, days) and donations (store -> national, months) approvals,
their locks and held movements, on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor, ForbiddenError, Role
from domain.approval.book import Approval
from domain.approval.commands import ApprovePeriod, UnapprovePeriod
from domain.approval.errors import (
    HELD_FOR_APPROVED_PERIOD,
    PERIOD_APPROVED,
    ApprovalOrderError,
    PeriodApprovedError,
)
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    DispatchGoods,
    DispatchLine,
    GiftLine,
    OpenStore,
    RecordInKind,
    RegisterDonor,
)
from domain.errors import DomainError, NotFoundError
from domain.marhaba.commands import AdjustMovement, LaunchOperation, OpenCase, RegisterSite
from domain.outcomes import ItemStatus
from tests.marhaba_data import ENDS, SITES, SLUG, STARTS, moment, movement
from tests.workload import ADMIN

DAY = "2020-07-16"
SUPERVISOR = Actor(Role.SUPERVISOR, "sup1", "port-genoa", SLUG)
NATIONAL = Actor(Role.NATIONAL, "nat1")
OFFICER = Actor(Role.DONATIONS, "officer")
STORES = ("casa-central", "rabat-depot")
MONTH = "2020-03"


def seed_marhaba(container: Container) -> None:
    service = container.marhaba
    service.launch_operation(LaunchOperation(SLUG, "Marhaba 2020", STARTS, ENDS), ADMIN)
    for code, details in SITES.items():
        service.register_site(SLUG, RegisterSite(code=code, **details), ADMIN)


def approve(container: Container, level: str, unit: str, actor: Actor = ADMIN) -> int:
    command = ApprovePeriod("marhaba", SLUG, level, unit, DAY)
    return container.approvals.approve(command, actor).position


def unapprove(container: Container, level: str, unit: str) -> int:
    command = UnapprovePeriod("marhaba", SLUG, level, unit, DAY, "recount at the port")
    return container.approvals.unapprove(command, ADMIN).position


def approved(
    container: Container, operation: str, scope: str, level: str, unit: str, period: str
) -> Approval | None:
    book = container.approvals.book(operation, scope)
    return None if book is None else book.approval(level, unit, period)


def test_a_site_day_is_approved_with_its_figures_then_the_operation(container: Container) -> None:
    seed_marhaba(container)
    site = container.marhaba
    site.record_movements(
        SLUG, "port-genoa", [movement(1, 120), movement(2, 30, "departure")], ADMIN
    )
    site.cases.open(SLUG, "port-genoa", OpenCase("c-1", "medical", 3, moment(16, hour=9)), ADMIN)
    site.record_movements(SLUG, "port-sete", [movement(3, 40)], ADMIN)
    approve(container, "site", "port-genoa", SUPERVISOR)
    found = approved(container, "marhaba", SLUG, "site", "port-genoa", DAY)
    assert found is not None and found.approved_by == SUPERVISOR.name
    assert found.figures == {
        "arrivals": 120,
        "departures": 30,
        "cases_opened": 1,
        "people_assisted": 3,
    }
    with pytest.raises(ApprovalOrderError) as early:
        approve(container, "operation", SLUG, NATIONAL)
    assert early.value.reason == (
        "not every site below is approved for this period (waiting for: airport-casa, port-sete)"
    )
    approve(container, "site", "port-sete")
    approve(container, "site", "airport-casa")
    approve(container, "operation", SLUG, NATIONAL)
    whole = approved(container, "marhaba", SLUG, "operation", SLUG, DAY)
    assert whole is not None and whole.figures["arrivals"] == 120 + 40
    unapprove(container, "site", "port-sete")
    assert approved(container, "marhaba", SLUG, "operation", SLUG, DAY) is None
    assert approved(container, "marhaba", SLUG, "site", "port-genoa", DAY) is not None


def test_an_approved_site_day_refuses_changes_and_holds_late_movements(
    container: Container,
) -> None:
    seed_marhaba(container)
    marhaba = container.marhaba
    marhaba.record_movements(SLUG, "port-genoa", [movement(1, 120)], ADMIN)
    approve(container, "site", "port-genoa", SUPERVISOR)
    said = f"site 'port-genoa' period {DAY} was approved by {SUPERVISOR.name}"
    with pytest.raises(PeriodApprovedError) as refused:
        marhaba.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-1", -5, "x"), ADMIN)
    assert refused.value.code == PERIOD_APPROVED and said in refused.value.reason
    late = [movement(7, 33), movement(8, 5, at=moment(17))]
    answer = marhaba.record_movements(SLUG, "port-genoa", late, ADMIN)
    assert [r.status for r in answer.items] == [ItemStatus.REJECTED, ItemStatus.RECORDED]
    assert answer.items[0].code == HELD_FOR_APPROVED_PERIOD and said in str(answer.items[0].reason)
    again = marhaba.record_movements(SLUG, "port-genoa", late[:1], ADMIN)
    assert again.items[0].code == HELD_FOR_APPROVED_PERIOD
    held = container.approvals.reading.held("marhaba", SLUG, NATIONAL)
    assert [(h["fact_id"], h["unit"], h["period"]) for h in held] == [
        ("port-genoa/m-7", "port-genoa", DAY)
    ]
    assert figures_of(container, "port-genoa", DAY)["arrivals"] == 120
    unapprove(container, "site", "port-genoa")
    assert container.approvals.reading.held("marhaba", SLUG, NATIONAL) == []
    assert figures_of(container, "port-genoa", DAY)["arrivals"] == 120 + 33
    marhaba.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-1", -5, "x"), ADMIN)
    assert figures_of(container, "port-genoa", DAY)["arrivals"] == 120 + 33 - 5


def figures_of(container: Container, site: str, day: str) -> dict[str, int]:
    found, _ = container.approvals.figures.at(
        "marhaba", SLUG, "site", site, [date.fromisoformat(day)]
    )
    return found


def test_who_approves_a_site_or_an_operation_is_a_scope_of_the_token(
    container: Container,
) -> None:
    seed_marhaba(container)
    other_site = Actor(Role.SUPERVISOR, "sup2", "port-sete", SLUG)
    elsewhere = Actor(Role.SUPERVISOR, "sup3", "port-genoa", "marhaba-2021")
    desk = Actor(Role.SITE, "desk", "port-genoa", SLUG)
    keeper = Actor(Role.STOREKEEPER, "k1", "casa-central", "donations")
    matrix = [
        ("site", "port-genoa", other_site, False),
        ("site", "port-genoa", elsewhere, False),
        ("site", "port-genoa", desk, False),
        ("site", "port-genoa", keeper, False),
        ("site", "port-genoa", NATIONAL, False),
        ("site", "port-genoa", SUPERVISOR, True),
        ("site", "port-sete", other_site, True),
        ("site", "airport-casa", ADMIN, True),
        ("operation", SLUG, SUPERVISOR, False),
        ("operation", SLUG, NATIONAL, True),
    ]
    for level, unit, actor, allowed in matrix:
        if allowed:
            approve(container, level, unit, actor)
            assert approved(container, "marhaba", SLUG, level, unit, DAY) is not None
        else:
            with pytest.raises(ForbiddenError):
                approve(container, level, unit, actor)


# -- donations ---------------------------------------------------------------


def seed_donations(container: Container) -> None:
    service = container.donations
    service.register_donor(RegisterDonor("giver", "company", "Giver SA"), OFFICER)
    for code in STORES:
        service.open_store(OpenStore(code, code.title(), "Casablanca"), OFFICER)


def gift(receipt: str, store: str, value: int, day: int = 23, month: int = 3) -> RecordInKind:
    line = GiftLine("rice", "food", "rice", Decimal("100"), "kg", value)
    return RecordInKind("giver", receipt, store, datetime(2020, month, day, 10, tzinfo=UTC), [line])


def dispatch(name: str, day: int = 25, month: int = 3) -> DispatchGoods:
    at = datetime(2020, month, day, 10, tzinfo=UTC)
    return DispatchGoods(name, "chu", "hospital", "CHU", at, [DispatchLine("rice", Decimal("1"))])


def approve_store(container: Container, level: str, unit: str, actor: Actor = ADMIN) -> int:
    command = ApprovePeriod("donations", "donations", level, unit, MONTH)
    return container.approvals.approve(command, actor).position


def test_a_store_month_is_approved_then_national_and_locks_its_month(
    container: Container,
) -> None:
    seed_donations(container)
    service = container.donations
    service.record_in_kind(gift("r-1", "casa-central", 500_000), OFFICER)
    service.record_in_kind(gift("r-2", "casa-central", 250_000, day=30), OFFICER)
    service.record_in_kind(gift("r-3", "rabat-depot", 100_000), OFFICER)
    service.dispatch("casa-central", dispatch("bl-1"), OFFICER)
    keeper = Actor(Role.STOREKEEPER, "k1", "casa-central", "donations")
    other_keeper = Actor(Role.STOREKEEPER, "k2", "rabat-depot", "donations")
    with pytest.raises(ForbiddenError):
        approve_store(container, "store", "casa-central", other_keeper)
    approve_store(container, "store", "casa-central", keeper)
    found = approved(container, "donations", "donations", "store", "casa-central", MONTH)
    assert found is not None and found.figures == {
        "gifts_in_kind": 2,
        "value_received_centimes": 750_000,
        "dispatches": 1,
        "value_dispatched_centimes": 5_000,  # 1 kg of 100 kg worth 5,000.00 MAD
    }
    with pytest.raises(ApprovalOrderError):
        approve_store(container, "national", "national", NATIONAL)
    with pytest.raises(ForbiddenError):
        approve_store(container, "national", "national", keeper)
    said = f"store 'casa-central' period {MONTH} was approved by {keeper.name}"
    donation = donation_id("giver", "r-1").hex
    with pytest.raises(PeriodApprovedError) as refused:
        service.correct_valuation(donation, CorrectValuation(1, 600_000, "x"), OFFICER)
    assert refused.value.code == PERIOD_APPROVED and said in refused.value.reason
    service.record_in_kind(gift("r-5", "rabat-depot", 7), OFFICER)  # another store: open
    service.record_in_kind(gift("r-6", "casa-central", 9, day=2, month=4), OFFICER)  # April
    approve_store(container, "store", "rabat-depot", other_keeper)
    approve_store(container, "national", "national", NATIONAL)
    national = approved(container, "donations", "donations", "national", "national", MONTH)
    assert national is not None and national.figures["value_received_centimes"] == 850_007
    command = UnapprovePeriod("donations", "donations", "store", "casa-central", MONTH, "invoice")
    container.approvals.unapprove(command, ADMIN)
    assert approved(container, "donations", "donations", "national", "national", MONTH) is None
    service.correct_valuation(donation, CorrectValuation(1, 600_000, "invoice"), OFFICER)
    assert service.dispatch("casa-central", dispatch("bl-2"), OFFICER).outcome.created


def test_supervisor_and_storekeeper_tokens_are_bound_to_a_unit_that_exists(
    container: Container,
) -> None:
    seed_marhaba(container)
    seed_donations(container)
    tokens = container.tokens
    assert tokens.issue(Role.SUPERVISOR, SLUG, "port-genoa").actor.within == SLUG
    assert tokens.issue(Role.STOREKEEPER, "donations", "casa-central").actor.scope == (
        "casa-central"
    )
    with pytest.raises(NotFoundError):
        tokens.issue(Role.SUPERVISOR, SLUG, "port-nowhere")
    with pytest.raises(NotFoundError):
        tokens.issue(Role.STOREKEEPER, "donations", "no-store")
    with pytest.raises(DomainError) as elsewhere:
        tokens.issue(Role.STOREKEEPER, SLUG, "casa-central")
    assert elsewhere.value.reason == "a store belongs to operation 'donations'"
    with pytest.raises(DomainError):
        tokens.issue(Role.SUPERVISOR, None, "port-genoa")  # an operation is needed
