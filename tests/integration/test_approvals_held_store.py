"""New facts dated in an approved period are held, not refused, on both stores: Marhaba's
cases in an approved site-day, donations' gifts in kind and dispatches in an approved
store-month. Each is kept in the approval book, listed for the approver, answered held
again when resent, and recorded exactly once when an admin un-approves the period."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor, Role
from domain.approval.commands import UnapprovePeriod
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD, PERIOD_APPROVED, PeriodApprovedError
from domain.approval.locks import PeriodLocks
from domain.approval.workflow import Period, days_of
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    DispatchGoods,
    DispatchLine,
    GiftLine,
    InKindLine,
)
from domain.errors import ConflictError
from domain.marhaba.commands import OpenCase
from domain.outcomes import ItemStatus
from tests.integration.test_approvals_sites_store import (
    DAY,
    MONTH,
    NATIONAL,
    OFFICER,
    SUPERVISOR,
    approve,
    approve_store,
    dispatch,
    figures_of,
    gift,
    seed_donations,
    seed_marhaba,
    unapprove,
)
from tests.marhaba_data import SLUG, moment, movement
from tests.workload import ADMIN

SITE = "port-genoa"
STORE = "casa-central"
KEEPER = Actor(Role.STOREKEEPER, "k1", STORE, "donations")
SAID_SITE = f"site '{SITE}' period {DAY} was approved by {SUPERVISOR.name}"
SAID_STORE = f"store '{STORE}' period {MONTH} was approved by {KEEPER.name}"


def case(name: str, people: int, day: int = 16, traveller: str | None = None) -> OpenCase:
    return OpenCase(name, "medical", people, moment(day, hour=12), traveller)


def held_ids(container: Container, operation: str, scope: str) -> list[str]:
    return [h["fact_id"] for h in container.approvals.reading.held(operation, scope, NATIONAL)]


# -- Marhaba: cases in an approved site-day ------------------------------------------------


def test_a_case_opened_in_an_approved_day_is_held_then_opened_once(container: Container) -> None:
    seed_marhaba(container)
    cases = container.marhaba.cases
    container.marhaba.record_movements(SLUG, SITE, [movement(1, 120)], ADMIN)
    cases.open(SLUG, SITE, case("c-1", 3), ADMIN)
    approve(container, "site", SITE, SUPERVISOR)
    late = case("c-9", 4, traveller="AB123456")
    first = cases.open(SLUG, SITE, late, ADMIN)
    assert not first.created and first.held is not None and SAID_SITE in first.held
    again = cases.open(SLUG, SITE, late, ADMIN)  # resent while held: held again, not twice
    assert again.held == first.held and again.position == 0
    assert cases.open(SLUG, SITE, case("c-10", 2, day=17), ADMIN).created  # another day
    held = container.approvals.reading.held("marhaba", SLUG, SUPERVISOR)
    assert [(h["fact_id"], h["unit"], h["period"]) for h in held] == [
        (f"{SITE}/case/c-9", SITE, DAY)
    ]
    assert "traveller_key" not in held[0]["facts"] and held[0]["facts"]["people"] == 4
    assert figures_of(container, SITE, DAY)["cases_opened"] == 1
    unapprove(container, "site", SITE)
    assert held_ids(container, "marhaba", SLUG) == []
    figures = figures_of(container, SITE, DAY)
    assert (figures["cases_opened"], figures["people_assisted"]) == (2, 3 + 4)
    resent = cases.open(SLUG, SITE, late, ADMIN)  # after release: the case, unchanged
    assert not resent.created and resent.held is None
    opened = container.marhaba.find.case(SLUG, SITE, "c-9")
    assert opened.traveller_key == container.marhaba.cases.hasher.digest("AB123456")
    assert figures_of(container, SITE, DAY)["cases_opened"] == 2


def test_held_cases_and_movements_of_one_day_are_released_together(
    container: Container,
) -> None:
    seed_marhaba(container)
    approve(container, "site", SITE, SUPERVISOR)
    sent_cases = [case(f"c-{n}", n) for n in range(1, 4)]
    sent_moves = [movement(n, 10 * n) for n in range(1, 4)]
    for _resend in range(2):  # everything sent twice: each fact held once
        for opening in sent_cases:
            assert container.marhaba.cases.open(SLUG, SITE, opening, ADMIN).held is not None
        answer = container.marhaba.record_movements(SLUG, SITE, sent_moves, ADMIN)
        assert {r.code for r in answer.items} == {HELD_FOR_APPROVED_PERIOD}
    assert len(held_ids(container, "marhaba", SLUG)) == 6
    assert figures_of(container, SITE, DAY) == {
        "arrivals": 0,
        "departures": 0,
        "cases_opened": 0,
        "people_assisted": 0,
    }
    unapprove(container, "site", SITE)
    assert held_ids(container, "marhaba", SLUG) == []
    assert figures_of(container, SITE, DAY) == {  # an independent count of what was sent
        "arrivals": sum(m.travellers for m in sent_moves),
        "departures": 0,
        "cases_opened": len(sent_cases),
        "people_assisted": sum(c.people for c in sent_cases),
    }


def test_a_held_case_released_into_a_closed_site_says_why_and_is_not_lost(
    container: Container,
) -> None:
    seed_marhaba(container)
    approve(container, "site", SITE, SUPERVISOR)
    assert container.marhaba.cases.open(SLUG, SITE, case("c-1", 2), ADMIN).held is not None
    container.marhaba.close_site(SLUG, SITE, "season over", ADMIN)
    unapprove(container, "site", SITE)
    book = container.approvals.book("marhaba", SLUG)
    assert book is not None and book.held == {}
    released = list(container.ledger.events.get(book.id))[-1]
    assert released.outcomes == {f"{SITE}/case/c-1": "rejected"}


# -- donations: gifts in kind and dispatches in an approved store-month ---------------------


def store_figures(container: Container, store: str = STORE) -> dict[str, int]:
    days = days_of(MONTH, Period.MONTH)
    found, _ = container.approvals.figures.at("donations", "donations", "store", store, days)
    return found


def unapprove_store(container: Container) -> int:
    command = UnapprovePeriod("donations", "donations", "store", STORE, MONTH, "late invoice")
    return container.approvals.unapprove(command, ADMIN).position


def test_a_gift_in_kind_and_a_dispatch_in_an_approved_month_are_held_then_recorded_once(
    container: Container,
) -> None:
    seed_donations(container)
    service = container.donations
    service.record_in_kind(gift("r-1", STORE, 500_000), OFFICER)
    approve_store(container, "store", STORE, KEEPER)
    late = gift("r-4", STORE, 80_000, day=28)
    first = service.record_in_kind(late, OFFICER)
    assert first.held is not None and SAID_STORE in first.held and not first.created
    assert service.record_in_kind(late, OFFICER).held == first.held  # resent: held again
    sent = service.dispatch(STORE, dispatch("bl-2"), OFFICER)
    assert sent.outcome.held is not None and SAID_STORE in sent.outcome.held
    assert service.dispatch(STORE, dispatch("bl-2"), OFFICER).outcome.held is not None
    assert "bl-2" not in service.store(STORE).dispatches
    with pytest.raises(PeriodApprovedError) as refused:  # a correction still changes figures
        correction = CorrectValuation(1, 600_000, "invoice")
        service.correct_valuation(donation_id("giver", "r-1").hex, correction, OFFICER)
    assert refused.value.code == PERIOD_APPROVED
    assert held_ids(container, "donations", "donations") == [
        f"{STORE}/in-kind/giver/r-4",
        f"{STORE}/dispatch/bl-2",
    ]
    assert store_figures(container)["gifts_in_kind"] == 1
    unapprove_store(container)
    assert held_ids(container, "donations", "donations") == []
    assert store_figures(container) == {
        "gifts_in_kind": 2,
        "value_received_centimes": 500_000 + 80_000,
        "dispatches": 1,
        "value_dispatched_centimes": 5_000,  # 1 kg of the first 100 kg, worth 500,000
    }
    assert not service.record_in_kind(late, OFFICER).created  # now a resend of a recorded one
    assert not service.dispatch(STORE, dispatch("bl-2"), OFFICER).outcome.created
    assert store_figures(container)["gifts_in_kind"] == 2


def test_a_held_dispatch_the_stock_no_longer_covers_says_why_and_is_not_lost(
    container: Container,
) -> None:
    seed_donations(container)
    service = container.donations
    service.record_in_kind(gift("r-1", STORE, 1_000, month=2), OFFICER)  # 100 kg in February
    approve_store(container, "store", STORE, KEEPER)
    assert service.dispatch(STORE, asking("bl-2", "80"), OFFICER).outcome.held is not None
    with pytest.raises(ConflictError):  # held only what would be recorded: 100 kg on hand
        service.dispatch(STORE, asking("bl-3", "120"), OFFICER)
    assert service.dispatch(STORE, asking("bl-4", "50", month=4), OFFICER).outcome.created
    unapprove_store(container)
    book = container.approvals.book("donations", "donations")
    assert book is not None and book.held == {}
    released = list(container.ledger.events.get(book.id))[-1]
    assert released.outcomes == {f"{STORE}/dispatch/bl-2": "rejected"}
    assert store_figures(container)["dispatches"] == 0


def asking(name: str, kilos: str, month: int = 3) -> DispatchGoods:
    at = datetime(2020, month, 25, 10, tzinfo=UTC)
    return DispatchGoods(name, "chu", "hospital", "CHU", at, [DispatchLine("rice", Decimal(kilos))])


def row(receipt: str, store: str, line: int, value: int, month: int = 3) -> InKindLine:
    goods = GiftLine(f"item-{line}", "food", "rice", Decimal("10"), "kg", value)
    at = datetime(2020, month, 20, 9, tzinfo=UTC)
    return InKindLine("giver", receipt, store, at, goods)


def test_gift_rows_dated_in_an_approved_month_are_held_row_by_row(container: Container) -> None:
    seed_donations(container)
    service = container.donations
    approve_store(container, "store", STORE, KEEPER)
    rows = [
        row("r-7", STORE, 1, 3_000),
        row("r-7", STORE, 2, 4_000),
        row("r-8", STORE, 1, 500, month=4),  # April: open
        row("r-9", "rabat-depot", 1, 600),  # another store: open
    ]
    answer = service.record_in_kind_lines(rows, OFFICER)
    assert [r.status for r in answer.items] == [
        ItemStatus.REJECTED,
        ItemStatus.REJECTED,
        ItemStatus.RECORDED,
        ItemStatus.RECORDED,
    ]
    assert [r.code for r in answer.items[:2]] == [HELD_FOR_APPROVED_PERIOD] * 2
    assert SAID_STORE in str(answer.items[0].reason)
    assert answer.items[1].field == "items.1.received_at"
    again = service.record_in_kind_lines(rows[:2], OFFICER)
    assert [r.code for r in again.items] == [HELD_FOR_APPROVED_PERIOD] * 2
    assert held_ids(container, "donations", "donations") == [f"{STORE}/in-kind/giver/r-7"]
    assert store_figures(container)["gifts_in_kind"] == 0
    unapprove_store(container)
    assert store_figures(container)["gifts_in_kind"] == 1
    assert store_figures(container)["value_received_centimes"] == 7_000
    repeat = service.record_in_kind_lines(rows[:2], OFFICER)
    assert {r.status for r in repeat.items} == {ItemStatus.DUPLICATE}


# -- the seal: a hold races an approval or an un-approval -----------------------------------


def test_a_case_that_read_its_day_open_before_an_approval_is_held(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_marhaba(container)
    locks = container.marhaba.cases.locks
    assert isinstance(locks, PeriodLocks)
    seal, approvals = locks.seal, []

    def seal_then_an_approval_lands(*args: Any) -> Any:
        found = seal(*args)
        if not approvals:  # the case read "open"; the approval saves before the case
            approvals.append(approve(container, "site", SITE, SUPERVISOR))
        return found

    monkeypatch.setattr(locks, "seal", seal_then_an_approval_lands)
    outcome = container.marhaba.cases.open(SLUG, SITE, case("c-1", 2), ADMIN)
    monkeypatch.undo()
    assert approvals and outcome.held is not None and not outcome.created
    assert figures_of(container, SITE, DAY)["cases_opened"] == 0
    assert held_ids(container, "marhaba", SLUG) == [f"{SITE}/case/c-1"]


def test_a_gift_that_read_its_month_approved_before_an_unapproval_is_recorded_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_donations(container)
    approve_store(container, "store", STORE, KEEPER)
    locks = container.donations.locks
    assert isinstance(locks, PeriodLocks)
    seal, unapprovals = locks.seal, []

    def seal_then_an_unapproval_lands(*args: Any) -> Any:
        found = seal(*args)
        if not unapprovals:  # the gift read "approved"; the un-approval saves before the hold
            unapprovals.append(unapprove_store(container))
        return found

    monkeypatch.setattr(locks, "seal", seal_then_an_unapproval_lands)
    outcome = container.donations.record_in_kind(gift("r-1", STORE, 4_000), OFFICER)
    monkeypatch.undo()
    assert unapprovals and outcome.created and outcome.held is None
    assert held_ids(container, "donations", "donations") == []
    assert store_figures(container)["gifts_in_kind"] == 1
