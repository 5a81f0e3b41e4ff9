"""Donation intake against real SQLite and PostgreSQL stores.

Every totals check also replays the whole ledger in memory and demands the
very same table, so the live view can never drift from the events.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from adapters.bootstrap import Container, bootstrap
from adapters.settings import Settings
from adapters.store import LedgerEventSource
from domain.actors import Actor, Role
from domain.donations.cash import donation_id
from domain.donations.commands import (
    CorrectValuation,
    DeclareAppeal,
    DispatchGoods,
    DispatchLine,
    GiftLine,
    OpenStore,
    RecordCash,
    RecordInKind,
    RegisterDonor,
)
from domain.errors import ConflictError, DomainError
from projections.donations import ALL, VIEW, fold
from projections.donations_report import donation_totals
from projections.tally import Delta, Table, table_from_delta
from tests import report_2020 as report

OFFICER = Actor(Role.DONATIONS, "officer")
MARCH = datetime(2020, 3, 23, 10, tzinfo=UTC)


def cents(amount: Decimal) -> int:
    return int(amount * 100)


def replayed(container: Container) -> Table:
    delta = Delta()
    for item in LedgerEventSource(container.ledger).read(0, 1_000_000):
        fold(delta, item.event)
    return table_from_delta(delta, ALL)


def without_zeros(table: Table) -> Table:
    """A stored counter that came back to zero reads the same as one never written."""
    return Table({k: v for k, v in table.counts.items() if v}, dict(table.labels))


def live_table(container: Container) -> Table:
    container.runner.catch_up()
    table = container.views.table(VIEW, ALL)
    assert without_zeros(table) == replayed(container)
    return table


def record_report_gifts(container: Container) -> dict[str, str]:
    """The report's in-kind gift list, as printed; returns each gift's donation id by item."""
    service = container.donations
    service.open_store(OpenStore(report.STORE, "Central store", "Casablanca"), OFFICER)
    service.declare_appeal(
        DeclareAppeal(
            report.APPEAL, "COVID-19 mobilisation", cents(report.DECLARED_IN_KIND), "2020 report"
        ),
        OFFICER,
    )
    ids = {}
    for gift in report.GIFTS:
        service.register_donor(RegisterDonor(gift.donor, gift.kind, gift.name), OFFICER)
        value = None if gift.printed_mad is None else cents(gift.printed_mad)
        line = GiftLine(
            gift.item, gift.category, gift.description, Decimal(gift.quantity), gift.unit, value
        )
        command = RecordInKind(gift.donor, gift.receipt, report.STORE, MARCH, [line], report.APPEAL)
        assert service.record_in_kind(command, OFFICER).created
        ids[gift.item] = donation_id(gift.donor, gift.receipt).hex
    return ids


def reconciliation(container: Container) -> dict[str, object]:
    totals = donation_totals(live_table(container), appeal=report.APPEAL)
    result: dict[str, object] = totals["reconciliation"]
    return result


def test_report_gift_list_shows_the_gap_then_reconciles(container: Container) -> None:
    ids = record_report_gifts(container)
    before = reconciliation(container)
    assert Decimal(before["listed_mad"]) == report.printed_sum()  # type: ignore[arg-type]
    assert Decimal(before["gap_mad"]) == report.DECLARED_IN_KIND - report.printed_sum()  # type: ignore[arg-type]
    assert [line["item"] for line in before["unvalued_lines"]] == [report.MASKS.item]  # type: ignore[attr-defined]
    assert before["balanced"] is False

    service = container.donations
    service.correct_valuation(
        ids[report.ENDOSCOPY.item],
        CorrectValuation(1, cents(report.ENDOSCOPY_CORRECTED), "decimal comma lost in print"),
        OFFICER,
    )
    service.correct_valuation(
        ids[report.MASKS.item],
        CorrectValuation(1, cents(report.masks_remainder()), "valued at the declared remainder"),
        OFFICER,
    )
    after = reconciliation(container)
    assert Decimal(after["listed_mad"]) == report.DECLARED_IN_KIND  # type: ignore[arg-type]
    assert Decimal(after["gap_mad"]) == 0  # type: ignore[arg-type]
    assert after["unvalued_lines"] == []
    assert after["balanced"] is True
    endoscopy = next(line for line in after["lines"] if line["item"] == report.ENDOSCOPY.item)  # type: ignore[attr-defined]
    assert Decimal(endoscopy["declared_mad"]) == report.ENDOSCOPY.printed_mad
    assert Decimal(endoscopy["value_mad"]) == report.ENDOSCOPY_CORRECTED
    history = service.valuation_history(ids[report.ENDOSCOPY.item])
    assert [(e.previous_centimes, e.value_centimes, e.reason) for e in history] == [
        (
            cents(report.ENDOSCOPY.printed_mad),
            cents(report.ENDOSCOPY_CORRECTED),
            "decimal comma lost in print",
        )  # type: ignore[arg-type]
    ]


def test_a_gift_recorded_twice_under_the_same_receipt_counts_once(container: Container) -> None:
    record_report_gifts(container)
    service = container.donations
    gift = report.GIFTS[2]
    line = GiftLine(
        gift.item,
        gift.category,
        gift.description,
        Decimal(gift.quantity),
        gift.unit,
        cents(gift.printed_mad),
    )  # type: ignore[arg-type]
    again = RecordInKind(gift.donor, gift.receipt, report.STORE, MARCH, [line], report.APPEAL)
    assert service.record_in_kind(again, OFFICER).created is False
    cash = RecordCash("auto-hall", "c-1", "received", 1_000_00, "covid-19", MARCH)
    assert service.record_cash(cash, OFFICER).created
    assert service.record_cash(cash, OFFICER).created is False
    with pytest.raises(ConflictError) as caught:
        service.record_cash(
            RecordCash("auto-hall", "c-1", "received", 1_000_01, "covid-19", MARCH), OFFICER
        )
    assert caught.value.field == "receipt"
    with pytest.raises(ConflictError):
        service.record_cash(
            RecordCash(gift.donor, gift.receipt, "received", 1, "x-1", MARCH), OFFICER
        )
    totals = donation_totals(live_table(container), appeal=report.APPEAL)
    assert Decimal(totals["reconciliation"]["listed_mad"]) == report.printed_sum()
    assert Decimal(totals["cash_received_mad"]) == Decimal("1000.00")
    assert next(s for s in totals["stock"] if s["item"] == gift.item)["quantity"] == gift.quantity


def test_cash_paid_out_to_the_special_fund(container: Container) -> None:
    service = container.donations
    service.register_donor(RegisterDonor("foundation", "association", "The foundation"), OFFICER)
    paid = RecordCash(
        "foundation",
        "fsc-2020-03-18",
        "paid-out",
        cents(report.CASH_TO_SPECIAL_FUND),
        "covid-19-special-fund",
        datetime(2020, 3, 18, 12, tzinfo=UTC),
    )
    service.record_cash(paid, OFFICER)
    totals = donation_totals(live_table(container))
    assert totals["funds"] == [
        {"fund": "covid-19-special-fund", "received_mad": "0.00", "paid_out_mad": "10000000.00"}
    ]
    assert totals["months"][0]["month"] == "2020-03"
    assert totals["cash_received_mad"] == "0.00"


def test_money_is_stored_as_integer_centimes(container: Container) -> None:
    record_report_gifts(container)
    container.donations.register_donor(RegisterDonor("foundation", "association", "F"), OFFICER)
    container.donations.record_cash(
        RecordCash("foundation", "r-1", "paid-out", 12_345_67, "covid-19", MARCH), OFFICER
    )
    notifications = container.ledger.recorder.select_notifications(start=0, limit=1000)
    found = []
    for notification in notifications:
        state = json.loads(notification.state)
        for key in ("amount_centimes", "declared_centimes"):
            if key in state:
                found.append(state[key])
        for line in state.get("lines", []):
            if "value_centimes" in line:
                found.append(line["value_centimes"])
    assert 12_345_67 in found
    assert all(type(value) is int for value in found if value is not None)
    assert not any(isinstance(value, float) for value in found)


def test_concurrent_dispatches_never_take_more_than_the_store_holds(container: Container) -> None:
    record_report_gifts(container)
    ambulances = Decimal(report.GIFTS[2].quantity)
    outcomes: list[str] = []

    def take(n: int) -> None:
        command = DispatchGoods(
            f"bl-{n}",
            f"hospital-{n}",
            "hospital",
            f"Hospital {n}",
            MARCH,
            [DispatchLine("ambulances", ambulances / 2 + 1)],
        )
        try:
            container.donations.dispatch(report.STORE, command, OFFICER)
            outcomes.append("dispatched")
        except (ConflictError, DomainError):
            outcomes.append("refused")

    threads = [threading.Thread(target=take, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["dispatched", "refused"]
    store = container.donations.store(report.STORE)
    assert Decimal(store.on_hand("ambulances")) / 1000 == ambulances / 2 - 1
    stock = donation_totals(live_table(container))["stock"]
    assert (
        Decimal(next(s for s in stock if s["item"] == "ambulances")["quantity"])
        == ambulances / 2 - 1
    )


def test_totals_are_the_same_folded_one_event_per_batch(store_settings: Settings) -> None:
    container = bootstrap(store_settings, projection_batch_size=1)
    try:
        ids = record_report_gifts(container)
        endoscopy = ids[report.ENDOSCOPY.item]
        dispatch = DispatchGoods(
            "bl-1",
            "chu-ibn-rochd",
            "hospital",
            "CHU Ibn Rochd",
            MARCH,
            [DispatchLine(report.ENDOSCOPY.item, Decimal(1)), DispatchLine("masks", Decimal(5))],
        )
        container.donations.dispatch(report.STORE, dispatch, OFFICER)
        container.donations.correct_valuation(
            endoscopy, CorrectValuation(1, cents(report.ENDOSCOPY_CORRECTED), "typo"), OFFICER
        )
        totals = donation_totals(live_table(container))
        hospital = totals["recipients"][0]
        assert Decimal(hospital["value_dispatched_mad"]) == report.ENDOSCOPY_CORRECTED
        masks = next(i for i in hospital["items"] if i["item"] == "masks")
        assert (masks["quantity"], masks["unvalued_quantity"], masks["value_mad"]) == (
            "5",
            "5",
            "0.00",
        )
    finally:
        container.close()
