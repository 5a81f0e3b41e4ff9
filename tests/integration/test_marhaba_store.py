"""Marhaba on real stores (SQLite and PostgreSQL): exactly-once totals equal to a replay."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from adapters.store import LedgerEventSource
from domain.actors import Actor, ForbiddenError, Role
from domain.errors import ConflictError, DomainError
from domain.marhaba.commands import (
    AdjustMovement,
    CloseCase,
    LaunchOperation,
    OpenCase,
    RecordMovement,
    ReferCase,
    RegisterSite,
)
from domain.outcomes import ItemStatus
from projections.marhaba import VIEW, fold
from projections.marhaba_report import operation_totals
from projections.runner import Runner
from projections.tally import Delta, Table, table_from_delta
from tests.leaks import stored
from tests.marhaba_data import ENDS, SITES, SLUG, STARTS, moment, movement

SITE = Actor(Role.SITE, "genoa-desk", "port-genoa", "marhaba-2020")


def seed(container: Container, admin: Actor) -> None:
    service = container.marhaba
    service.launch_operation(LaunchOperation(SLUG, "Marhaba 2020", STARTS, ENDS), admin)
    for code, details in SITES.items():
        service.register_site(SLUG, RegisterSite(code=code, **details), admin)


def season(first: int, count: int) -> list[RecordMovement]:
    """Movements whose counts, directions, modes and days vary with their number."""
    return [
        movement(
            n,
            travellers=50 + 37 * n % 400,
            direction="arrival" if n % 3 else "departure",
            mode=("air", "sea", "road")[n % 3],
            at=moment(15 + n % 16, hour=n % 24),
        )
        for n in range(first, first + count)
    ]


def replay(container: Container) -> Table:
    """Every stored event folded afresh in memory, as an auditor would."""
    source, delta, after = LedgerEventSource(container.ledger), Delta(), 0
    while batch := source.read(after, 300):
        for item in batch:
            fold(delta, item.event)
        after = batch[-1].position
    return table_from_delta(delta, SLUG)


def assert_totals_equal_replay(container: Container) -> dict[str, object]:
    live = container.views.table(VIEW, SLUG)
    fresh = replay(container)
    assert {k: v for k, v in live.counts.items() if v} == fresh.counts
    assert live.labels == fresh.labels
    totals = operation_totals(SLUG, live)
    assert totals == operation_totals(SLUG, fresh)
    return totals


def test_resent_movements_count_once_and_totals_equal_a_replay(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    service = container.marhaba
    first = service.record_movements(SLUG, "port-genoa", season(0, 40), SITE)
    again = service.record_movements(SLUG, "port-genoa", season(30, 20), SITE)
    assert first.count(ItemStatus.RECORDED) == 40
    assert (again.count(ItemStatus.DUPLICATE), again.count(ItemStatus.RECORDED)) == (10, 10)
    duplicate = again.items[0]
    assert duplicate.original is not None and duplicate.original["reference"] == "m-30"
    service.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-1", -7, "crew"), SITE)
    service.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-1", -7, "crew"), SITE)
    cases = service.cases
    cases.open(SLUG, "port-genoa", OpenCase("c-1", "covid", 4, moment(20), "AB123456"), SITE)
    cases.refer(SLUG, "port-genoa", "c-1", ReferCase("moh_hospital", "CHU Genoa"), SITE)
    cases.open(SLUG, "port-genoa", OpenCase("c-2", "social", 1, moment(21)), SITE)
    cases.close(SLUG, "port-genoa", "c-2", CloseCase("housed"), SITE)
    container.runner.catch_up()

    totals = assert_totals_equal_replay(container)
    sent = season(0, 50)
    assert totals["arrivals"] == sum(m.travellers for m in sent if m.direction == "arrival") - (
        7 if sent[1].direction == "arrival" else 0
    )
    assert totals["departures"] == sum(m.travellers for m in sent if m.direction == "departure")
    assert (totals["movements"], totals["adjustments"]) == (50, 1)
    assert (totals["people_assisted"], totals["open_cases"], totals["referrals"]) == (5, 1, 1)


def test_totals_survive_a_runner_restart_without_double_counting(
    store_settings: Settings, admin: Actor
) -> None:
    before = bootstrap(store_settings)
    seed(before, admin)
    before.marhaba.record_movements(SLUG, "port-sete", season(0, 30), admin)
    small = Runner(
        LedgerEventSource(before.ledger), before.views, before.runner.projections, batch_size=7
    )
    small.step()
    small.step()  # part of the history applied, then the process "stops"
    before.close()

    after = bootstrap(store_settings)
    try:
        after.marhaba.record_movements(SLUG, "port-sete", season(20, 30), admin)
        after.runner.catch_up()
        after.runner.catch_up()
        totals = assert_totals_equal_replay(after)
        assert totals["movements"] == 50
        assert totals["arrivals"] + totals["departures"] == sum(m.travellers for m in season(0, 50))
    finally:
        after.close()


def test_two_runners_racing_apply_every_event_once(container: Container, admin: Actor) -> None:
    seed(container, admin)
    container.marhaba.record_movements(SLUG, "airport-casa", season(0, 60), admin)
    runners = [
        Runner(
            LedgerEventSource(container.ledger),
            container.views,
            container.runner.projections,
            batch_size=9,
        )
        for _ in range(2)
    ]
    threads = [threading.Thread(target=r.catch_up) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    container.runner.catch_up()
    assert assert_totals_equal_replay(container)["movements"] == 60


def test_the_same_batch_sent_twice_at_once_counts_once(container: Container, admin: Actor) -> None:
    seed(container, admin)
    items = season(0, 25)
    outcomes = []

    def send() -> None:
        outcomes.append(container.marhaba.record_movements(SLUG, "port-genoa", items, SITE))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorded = sum(o.count(ItemStatus.RECORDED) for o in outcomes)
    duplicates = sum(o.count(ItemStatus.DUPLICATE) for o in outcomes)
    assert (recorded, duplicates) == (25, 25)
    container.runner.catch_up()
    assert assert_totals_equal_replay(container)["movements"] == 25


def test_no_recording_at_a_closed_site_but_open_cases_can_still_close(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    service = container.marhaba
    service.record_movements(SLUG, "port-genoa", season(0, 1), SITE)
    service.cases.open(SLUG, "port-genoa", OpenCase("c-1", "medical", 2, moment(20)), SITE)
    service.close_site(SLUG, "port-genoa", "end of season", admin)
    late = service.record_movements(SLUG, "port-genoa", season(0, 2), SITE)
    assert [r.status for r in late.items] == [ItemStatus.DUPLICATE, ItemStatus.REJECTED]
    assert late.items[1].field == "items.1.site"
    with pytest.raises(ConflictError) as caught:
        service.cases.open(SLUG, "port-genoa", OpenCase("c-2", "social", 1, moment(21)), SITE)
    assert caught.value.field == "site"
    assert service.cases.close(SLUG, "port-genoa", "c-1", CloseCase("treated"), SITE).created
    resent = service.cases.close(SLUG, "port-genoa", "c-1", CloseCase("treated"), SITE)
    assert (resent.created, resent.position) == (False, 0)  # a resend changes nothing
    with pytest.raises(ConflictError) as caught:
        service.cases.close(SLUG, "port-genoa", "c-1", CloseCase("transferred"), SITE)
    assert caught.value.field == "case"
    with pytest.raises(ConflictError):
        service.close_site(SLUG, "port-genoa", "again", admin)
    closed = {site.code: site.closed for site in service.sites(SLUG)}
    assert closed == {code: code == "port-genoa" for code in SITES}


def test_no_recording_outside_the_operation_dates(container: Container, admin: Actor) -> None:
    seed(container, admin)
    service = container.marhaba
    early = service.record_movements(SLUG, "port-sete", [movement(1, at=moment(14))], admin)
    assert (early.items[0].status, early.items[0].field) == (
        ItemStatus.REJECTED,
        "items.0.moved_at",
    )
    with pytest.raises(DomainError) as caught:
        service.cases.open(SLUG, "port-sete", OpenCase("c-1", "medical", 1, moment(16, 9)), admin)
    assert caught.value.field == "opened_at"
    with pytest.raises(DomainError) as caught:
        service.register_site(
            SLUG,
            RegisterSite("late", "Late", "abroad", "Lyon", "FR", closes_on=date(2020, 9, 30)),
            admin,
        )
    assert caught.value.field == "closes_on"


def test_adjustments_cannot_drive_a_total_below_zero(container: Container, admin: Actor) -> None:
    seed(container, admin)
    service = container.marhaba
    service.record_movements(SLUG, "port-genoa", [movement(1, travellers=12)], SITE)
    service.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-1", -12, "void"), SITE)
    with pytest.raises(ConflictError) as caught:
        service.adjust_movement(SLUG, "port-genoa", "m-1", AdjustMovement("a-2", -1, "x"), SITE)
    assert caught.value.field == "delta"
    container.runner.catch_up()
    totals = assert_totals_equal_replay(container)
    assert totals["arrivals"] == 0 and totals["adjustments"] == 1


def test_site_tokens_act_only_for_their_site_and_auditors_only_read(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    service = container.marhaba
    with pytest.raises(ForbiddenError) as caught:
        service.record_movements(SLUG, "port-sete", season(0, 1), SITE)
    assert caught.value.field == "site"
    with pytest.raises(ForbiddenError) as caught:
        service.cases.open(SLUG, "port-sete", OpenCase("c-1", "social", 1, moment(20)), SITE)
    assert caught.value.field == "site"
    with pytest.raises(ForbiddenError):
        service.close_site(SLUG, "port-genoa", "not mine to close", SITE)
    auditor = Actor(Role.AUDITOR, "audit")
    with pytest.raises(ForbiddenError):
        service.record_movements(SLUG, "port-genoa", season(0, 1), auditor)


def test_creates_are_idempotent_and_refuse_other_details(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    service = container.marhaba
    launch = LaunchOperation(SLUG, "Marhaba 2020", STARTS, ENDS)
    assert service.launch_operation(launch, admin).created is False
    with pytest.raises(ConflictError) as caught:
        service.launch_operation(LaunchOperation(SLUG, "Other", STARTS, ENDS), admin)
    assert caught.value.field == "slug"
    genoa = RegisterSite(code="port-genoa", **SITES["port-genoa"])
    assert service.register_site(SLUG, genoa, admin).created is False
    with pytest.raises(ConflictError) as caught:
        service.register_site(SLUG, RegisterSite("port-genoa", "G", "port", "Genoa", "IT"), admin)
    assert caught.value.field == "code"
    case = OpenCase("c-1", "medical", 2, moment(20), "ZX 998877")
    assert service.cases.open(SLUG, "port-genoa", case, SITE).created is True
    assert service.cases.open(SLUG, "port-genoa", case, SITE).created is False
    with pytest.raises(ConflictError):
        service.cases.open(SLUG, "port-genoa", OpenCase("c-1", "medical", 3, moment(20)), SITE)
    assert [s.code for s in service.sites(SLUG)] == list(SITES)


def test_traveller_numbers_are_stored_only_as_keyed_hashes(
    container: Container, admin: Actor
) -> None:
    seed(container, admin)
    number = "QX 4417 0923"
    container.marhaba.cases.open(
        SLUG, "port-genoa", OpenCase("c-1", "medical", 1, moment(20), number), SITE
    )
    facts = stored(container.ledger.recorder.select_notifications(start=1, limit=1000))
    assert "4417" not in facts and "QX" not in facts
    case = container.marhaba.find.case(SLUG, "port-genoa", "c-1")
    assert case.traveller_key == container.marhaba.cases.hasher.digest("qx44170923")
