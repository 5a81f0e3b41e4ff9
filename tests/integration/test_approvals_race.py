"""An approval racing the writes to its unit's period, on both stores.

The lock is written, not only read: an approval and a write to the same (unit, period)
append to one seal stream in their atomic saves, so the one that saves second decides
again. Two interleavings are forced step by step, then writers race an approver in
threads; at the end the approved figures always equal the events' figures, and every
fact sent is counted, held or refused to its sender.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from adapters.bootstrap import Container
from domain.approval.commands import ApprovePeriod, UnapprovePeriod
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD
from domain.approval.locks import PeriodLocks
from domain.donations.commands import RecordInKind
from domain.errors import BusyError
from domain.outcomes import ItemStatus
from tests.integration.test_approvals_sites_store import (
    DAY,
    MONTH,
    OFFICER,
    gift,
    seed_donations,
    seed_marhaba,
)
from tests.integration.test_approvals_store import DAY as RAMADAN_DAY
from tests.integration.test_approvals_store import delivery
from tests.marhaba_data import SLUG, movement
from tests.workload import ADMIN, CAMPAIGN, launch

SITE = "port-genoa"
APPROVE = ApprovePeriod("marhaba", SLUG, "site", SITE, DAY)


def site_figures(container: Container) -> dict[str, int]:
    found, _ = container.approvals.figures.at("marhaba", SLUG, "site", SITE, [date(2020, 7, 16)])
    return found


def test_a_write_saved_while_an_approval_reads_its_figures_is_in_the_figures(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_marhaba(container)
    container.marhaba.record_movements(SLUG, SITE, [movement(1, 100)], ADMIN)
    figures = container.approvals.figures
    read = figures.at
    landed: list[Any] = []

    def read_then_a_write_lands(*args: Any) -> tuple[dict[str, int], int]:
        found = read(*args)
        if not landed:  # between the approval's read and its save
            landed.append(container.marhaba.record_movements(SLUG, SITE, [movement(2, 7)], ADMIN))
        return found

    monkeypatch.setattr(figures, "at", read_then_a_write_lands)
    container.approvals.approve(APPROVE, ADMIN)
    assert landed[0].items[0].status is ItemStatus.RECORDED
    book = container.approvals.book("marhaba", SLUG)
    assert book is not None
    approval = book.approval("site", SITE, DAY)
    assert approval is not None and approval.figures["arrivals"] == 107
    monkeypatch.undo()
    assert site_figures(container)["arrivals"] == 107


def test_a_batch_that_read_the_day_open_before_an_approval_is_held(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_marhaba(container)
    container.marhaba.record_movements(SLUG, SITE, [movement(1, 100)], ADMIN)
    locks = container.marhaba.locks
    assert isinstance(locks, PeriodLocks)
    seal = locks.seal
    approvals: list[int] = []

    def seal_then_an_approval_lands(*args: Any) -> Any:
        found = seal(*args)
        if not approvals:  # the batch read "open"; the approval saves before the batch
            approvals.append(container.approvals.approve(APPROVE, ADMIN).position)
        return found

    monkeypatch.setattr(locks, "seal", seal_then_an_approval_lands)
    answer = container.marhaba.record_movements(SLUG, SITE, [movement(2, 7)], ADMIN)
    monkeypatch.undo()
    assert approvals and answer.items[0].code == HELD_FOR_APPROVED_PERIOD
    book = container.approvals.book("marhaba", SLUG)
    assert book is not None
    approval = book.approval("site", SITE, DAY)
    assert approval is not None and approval.figures["arrivals"] == 100
    assert site_figures(container)["arrivals"] == 100
    assert [h["fact_id"] for h in book.held.values()] == [f"{SITE}/m-2"]


def _race(writers: list[Callable[[], None]], approver: Callable[[], None]) -> None:
    threads = [threading.Thread(target=work) for work in [*writers, approver]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_movements_racing_approvals_are_counted_once_or_held(container: Container) -> None:
    seed_marhaba(container)
    sent: list[int] = []
    answers: list[str] = []
    errors: list[BaseException] = []

    def writer(first: int) -> Callable[[], None]:
        def send() -> None:
            for n in range(first, first + 8):
                items = [movement(10 * n + k, 1 + n % 5) for k in range(3)]
                try:
                    outcome = container.marhaba.record_movements(SLUG, SITE, items, ADMIN)
                except BusyError:
                    continue  # nothing saved: the field resends
                sent.extend(m.travellers for m in items)
                answers.extend(r.code or r.status.value for r in outcome.items)

        return send

    def approver() -> None:
        try:
            for _ in range(3):
                container.approvals.approve(APPROVE, ADMIN)
                undo = UnapprovePeriod("marhaba", SLUG, "site", SITE, DAY, "recount")
                container.approvals.unapprove(undo, ADMIN)
            container.approvals.approve(APPROVE, ADMIN)
        except BaseException as error:
            errors.append(error)

    _race([writer(100 * w) for w in range(1, 4)], approver)
    assert errors == []
    book = container.approvals.book("marhaba", SLUG)
    assert book is not None
    approval = book.approval("site", SITE, DAY)
    assert approval is not None
    counted = site_figures(container)
    assert approval.figures == counted
    held = sum(h["facts"]["travellers"] for h in book.held.values())
    assert counted["arrivals"] + held == sum(sent)
    assert set(answers) <= {"recorded", HELD_FOR_APPROVED_PERIOD}


def test_gifts_racing_a_store_approval_are_counted_or_held(container: Container) -> None:
    seed_donations(container)
    held: list[RecordInKind] = []
    recorded: list[RecordInKind] = []

    def writer(first: int) -> Callable[[], None]:
        def send() -> None:
            for n in range(first, first + 6):
                command = gift(f"race-{n}", "casa-central", 1000 + n)
                outcome = container.donations.record_in_kind(command, OFFICER)
                (recorded if outcome.held is None else held).append(command)

        return send

    def approver() -> None:
        command = ApprovePeriod("donations", "donations", "store", "casa-central", MONTH)
        container.approvals.approve(command, ADMIN)

    _race([writer(100 * w) for w in range(1, 4)], approver)
    assert len(recorded) + len(held) == 18
    book = container.approvals.book("donations", "donations")
    assert book is not None
    approval = book.approval("store", "casa-central", MONTH)
    assert approval is not None
    days = [date(2020, 3, d) for d in range(1, 32)]
    counted, _ = container.approvals.figures.at(
        "donations", "donations", "store", "casa-central", days
    )
    assert approval.figures == counted
    assert counted["gifts_in_kind"] == len(recorded)
    assert counted["value_received_centimes"] == sum(
        c.lines[0].value_centimes or 0 for c in recorded
    )
    again = UnapprovePeriod("donations", "donations", "store", "casa-central", MONTH, "recount")
    container.approvals.unapprove(again, ADMIN)  # every held gift is recorded, once
    released, _ = container.approvals.figures.at(
        "donations", "donations", "store", "casa-central", days
    )
    assert released["gifts_in_kind"] == 18
    assert released["value_received_centimes"] == sum(
        1000 + 100 * w + n for w in (1, 2, 3) for n in range(6)
    )


def test_deliveries_that_read_the_day_open_before_an_approval_are_held(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    launch(container)
    container.distribution.record_deliveries(CAMPAIGN, [delivery(1, size=3)], ADMIN)
    day = ApprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", RAMADAN_DAY)
    read = container.ledger.get_many  # a batch reads its days' seals first, in one query
    approvals: list[int] = []

    def seals_then_an_approval_lands(ids: Any) -> Any:
        found = read(ids)
        if not approvals:  # the batch read "open"; the approval saves before the batch
            approvals.append(container.approvals.approve(day, ADMIN).position)
        return found

    monkeypatch.setattr(container.ledger, "get_many", seals_then_an_approval_lands)
    answer = container.distribution.record_deliveries(CAMPAIGN, [delivery(2, size=4)], ADMIN)
    monkeypatch.undo()
    assert approvals and answer.items[0].code == HELD_FOR_APPROVED_PERIOD
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None
    approval = book.approval("committee", "casa-anfa", RAMADAN_DAY)
    assert approval is not None
    counted, _ = container.approvals.figures.at(
        "distribution", CAMPAIGN, "committee", "casa-anfa", [date(2020, 4, 26)]
    )
    assert approval.figures == counted == {"households_served": 1, "people_reached": 3}
    assert list(book.held) == ["ap-2"]
    undo = UnapprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", RAMADAN_DAY, "x")
    container.approvals.unapprove(undo, ADMIN)
    counted, _ = container.approvals.figures.at(
        "distribution", CAMPAIGN, "committee", "casa-anfa", [date(2020, 4, 26)]
    )
    assert counted == {"households_served": 2, "people_reached": 7}


def test_deliveries_racing_approvals_are_counted_once_or_held(container: Container) -> None:
    launch(container)
    day = ApprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", RAMADAN_DAY)
    undo = UnapprovePeriod("distribution", CAMPAIGN, "committee", "casa-anfa", RAMADAN_DAY, "x")
    sent: list[int] = []
    errors: list[BaseException] = []

    def writer(first: int) -> Callable[[], None]:
        def send() -> None:
            for n in range(first, first + 6):
                items = [delivery(10 * n + k, size=1 + n % 4) for k in range(3)]
                try:
                    container.distribution.record_deliveries(CAMPAIGN, items, ADMIN)
                except BusyError:
                    continue  # nothing saved: the field resends
                sent.extend(item.household_size for item in items)

        return send

    def approver() -> None:
        try:
            for _ in range(2):
                container.approvals.approve(day, ADMIN)
                container.approvals.unapprove(undo, ADMIN)
            container.approvals.approve(day, ADMIN)
        except BaseException as error:
            errors.append(error)

    _race([writer(100 * w) for w in range(1, 4)], approver)
    assert errors == []
    book = container.approvals.book("distribution", CAMPAIGN)
    assert book is not None
    approval = book.approval("committee", "casa-anfa", RAMADAN_DAY)
    assert approval is not None
    counted, _ = container.approvals.figures.at(
        "distribution", CAMPAIGN, "committee", "casa-anfa", [date(2020, 4, 26)]
    )
    assert approval.figures == counted
    held = [h["facts"]["household_size"] for h in book.held.values()]
    assert counted["households_served"] + len(held) == len(sent)
    assert counted["people_reached"] + sum(held) == sum(sent)
