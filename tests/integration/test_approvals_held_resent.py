"""A held fact's id is kept with the details first held, on both stores: sent again with
other details it is refused, as it would be once recorded (never silently dropped), and
one released while its period is approved again stays held, never lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.bootstrap import Container
from domain.actors import Actor, Role
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD, HELD_WITH_OTHER_DETAILS
from domain.distribution.commands import RecordDelivery
from domain.distribution.delivery_key import DELIVERY_ID_REUSED
from domain.donations.commands import DispatchLine
from domain.errors import ConflictError
from domain.marhaba.movement import REFERENCE_REUSED
from domain.outcomes import BatchMode, ItemStatus
from tests.integration.test_approvals_held_store import (
    KEEPER,
    SITE,
    STORE,
    case,
    held_ids,
    row,
    store_figures,
    unapprove_store,
)
from tests.integration.test_approvals_sites_store import DAY as SITE_DAY
from tests.integration.test_approvals_sites_store import (
    OFFICER,
    SUPERVISOR,
    approve_store,
    dispatch,
    figures_of,
    gift,
    seed_donations,
    seed_marhaba,
)
from tests.integration.test_approvals_sites_store import approve as approve_site
from tests.integration.test_approvals_sites_store import unapprove as unapprove_site
from tests.integration.test_approvals_store import CHAIR, DAY, approve, unapprove
from tests.marhaba_data import SLUG, movement
from tests.workload import ADMIN, CAMPAIGN, launch

NINE = datetime(2020, 4, 26, 9, tzinfo=UTC)
ANOTHER_ADMIN = Actor(Role.ADMIN, "admin2")


def late(size: int, at: datetime = NINE) -> RecordDelivery:
    return RecordDelivery("late-1", "casa-anfa", "LT0000001", size, at)


def served(container: Container) -> tuple[int, int]:
    container.runner.catch_up()
    table = container.views.table("distribution", CAMPAIGN)
    return (
        table.value("committee", "casa-anfa", "households_served"),
        table.value("committee", "casa-anfa", "people_reached"),
    )


def test_a_held_delivery_sent_again_with_other_details_is_refused_and_the_first_kept(
    container: Container,
) -> None:
    launch(container)
    on_time = RecordDelivery("on-time", "casa-anfa", "LT0000002", 2, NINE)
    container.distribution.record_deliveries(CAMPAIGN, [on_time], ADMIN)
    approve(container, "committee", "casa-anfa", CHAIR)
    first = container.distribution.record_deliveries(CAMPAIGN, [late(3)], ADMIN)
    assert first.items[0].code == HELD_FOR_APPROVED_PERIOD
    same_instant = NINE.astimezone(timezone(timedelta(hours=1)))  # another offset, same time
    again = container.distribution.record_deliveries(
        CAMPAIGN, [late(3, same_instant)], ANOTHER_ADMIN
    )
    assert again.items[0].code == HELD_FOR_APPROVED_PERIOD  # the same delivery, held once
    newer = RecordDelivery("late-2", "casa-anfa", "LT0000003", 1, NINE)
    other = container.distribution.record_deliveries(CAMPAIGN, [newer, late(7)], ADMIN)
    assert [(r.status, r.code, r.field) for r in other.items] == [
        (ItemStatus.REJECTED, HELD_FOR_APPROVED_PERIOD, "items.0.delivered_at"),
        (ItemStatus.REJECTED, DELIVERY_ID_REUSED, "items.1.delivery_id"),
    ]
    assert "already held for an approved period with other details" in str(other.items[1].reason)
    for mode in (BatchMode.DRY_RUN, BatchMode.ALL_OR_NOTHING):  # foretold as recording says
        tried = container.distribution.record_deliveries(CAMPAIGN, [late(7)], ADMIN, mode)
        assert (tried.items[0].code, tried.committed) == (DELIVERY_ID_REUSED, False)
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None and book.held["late-1"]["facts"]["household_size"] == 3
    unapprove(container, "committee", "casa-anfa")
    assert served(container) == (3, 2 + 3 + 1)  # the details first held, counted once


def test_a_held_movement_sent_again_with_other_travellers_is_refused(
    container: Container,
) -> None:
    seed_marhaba(container)
    approve_site(container, "site", SITE, SUPERVISOR)
    marhaba = container.marhaba
    assert marhaba.record_movements(SLUG, SITE, [movement(4, 40)], ADMIN).items[0].code == (
        HELD_FOR_APPROVED_PERIOD
    )
    answer = marhaba.record_movements(SLUG, SITE, [movement(5, 9), movement(4, 41)], ADMIN)
    assert [(r.code, r.field) for r in answer.items] == [
        (HELD_FOR_APPROVED_PERIOD, "items.0.moved_at"),
        (REFERENCE_REUSED, "items.1.reference"),
    ]
    assert sorted(held_ids(container, "marhaba", SLUG)) == [f"{SITE}/m-4", f"{SITE}/m-5"]
    unapprove_site(container, "site", SITE)
    assert figures_of(container, SITE, SITE_DAY)["arrivals"] == 40 + 9


def test_a_held_case_sent_again_with_other_people_is_refused(container: Container) -> None:
    seed_marhaba(container)
    approve_site(container, "site", SITE, SUPERVISOR)
    cases = container.marhaba.cases
    assert cases.open(SLUG, SITE, case("c-5", 4), ADMIN).held is not None
    with pytest.raises(ConflictError) as refused:
        cases.open(SLUG, SITE, case("c-5", 6), ADMIN)
    assert (refused.value.field, refused.value.code) == ("case", HELD_WITH_OTHER_DETAILS)
    assert cases.open(SLUG, SITE, case("c-5", 4), ADMIN).held is not None  # as first held
    unapprove_site(container, "site", SITE)
    assert figures_of(container, SITE, SITE_DAY)["people_assisted"] == 4


def test_held_gifts_and_dispatches_sent_again_with_other_details_are_refused(
    container: Container,
) -> None:
    seed_donations(container)
    service = container.donations
    service.record_in_kind(gift("r-1", STORE, 500_000, month=2), OFFICER)
    approve_store(container, "store", STORE, KEEPER)
    assert service.record_in_kind(gift("r-4", STORE, 80_000), OFFICER).held is not None
    with pytest.raises(ConflictError) as refused:
        service.record_in_kind(gift("r-4", STORE, 90_000), OFFICER)
    assert (refused.value.field, refused.value.code) == ("receipt", HELD_WITH_OTHER_DETAILS)
    assert service.dispatch(STORE, dispatch("bl-2"), OFFICER).outcome.held is not None
    more = replace(dispatch("bl-2"), lines=[DispatchLine("rice", Decimal("2"))])
    with pytest.raises(ConflictError) as refused:
        service.dispatch(STORE, more, OFFICER)
    assert (refused.value.field, refused.value.code) == ("dispatch", HELD_WITH_OTHER_DETAILS)
    rows = [row("r-7", STORE, 1, 3_000), row("r-7", STORE, 2, 4_000)]
    assert {r.code for r in service.record_in_kind_lines(rows, OFFICER).items} == {
        HELD_FOR_APPROVED_PERIOD
    }
    dearer = [rows[0], replace(rows[1], line=replace(rows[1].line, value_centimes=4_500))]
    answer = service.record_in_kind_lines(dearer, OFFICER)
    assert [(r.code, r.field) for r in answer.items] == [
        (HELD_WITH_OTHER_DETAILS, "items.0.receipt"),
        (HELD_WITH_OTHER_DETAILS, "items.1.receipt"),
    ]
    unapprove_store(container)
    figures = store_figures(container)
    assert figures["value_received_centimes"] == 80_000 + 3_000 + 4_000  # as first held
    assert figures["dispatches"] == 1


def test_a_fact_released_while_its_period_is_approved_again_stays_held(
    container: Container,
) -> None:
    launch(container)
    approve(container, "committee", "casa-anfa", CHAIR)
    assert container.distribution.record_deliveries(CAMPAIGN, [late(3)], ADMIN).items[0].code == (
        HELD_FOR_APPROVED_PERIOD
    )
    releasers = container.approvals.releasers
    release = releasers["distribution"]

    def approved_again_first(scope: str, held: list, actor: Actor) -> dict[str, str]:
        releasers["distribution"] = release  # once: the retried release runs as it is
        approve(container, "committee", "casa-anfa", CHAIR)
        return release(scope, held, actor)

    releasers["distribution"] = approved_again_first
    unapprove(container, "committee", "casa-anfa")
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None and sorted(book.held) == ["late-1"]  # held again, not lost
    assert book.approval("committee", "casa-anfa", DAY) is not None
    assert served(container) == (0, 0)
    unapprove(container, "committee", "casa-anfa")
    assert served(container) == (1, 3)
    assert container.approvals.book("distribution", CAMPAIGN).held == {}  # type: ignore[union-attr]
