"""The donations fold and report in memory: events in, totals out, no store."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from domain.donations.appeal import Appeal
from domain.donations.cash import CashDonation
from domain.donations.commands import DispatchGoods, DispatchLine, GiftLine
from domain.donations.donor import Donor
from domain.donations.in_kind import InKindDonation
from domain.donations.store import Store
from projections.donations import ALL, fold, month_of
from projections.donations_report import donation_totals
from projections.tally import Delta, table_from_delta

MARCH = datetime(2020, 3, 23, 10, tzinfo=UTC)


class Journal:
    """Aggregates whose events are folded in the order they were made."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def keep(self, *aggregates: Any) -> None:
        for aggregate in aggregates:
            self.events.extend(aggregate.collect_events())

    def totals(self, **options: Any) -> dict[str, Any]:
        delta = Delta()
        for event in self.events:
            fold(delta, event)
        return donation_totals(table_from_delta(delta, ALL), **options)


def receive(
    journal: Journal, store: Store, donor: str, receipt: str, line: GiftLine, at: datetime = MARCH
) -> InKindDonation:
    gift = InKindDonation.record(
        donor=donor,
        receipt=receipt,
        store=store.code,
        appeal="covid-19-2020",
        received_at=at,
        lines=[line],
        recorded_by="o",
    )
    store.receive(donation=gift.id.hex, donor=donor, lines=gift.lines)
    journal.keep(gift, store)
    return gift


def setup() -> tuple[Journal, Store]:
    journal = Journal()
    journal.keep(
        Donor.register(code="auto-hall", kind="company", name="Auto Hall", registered_by="o"),
        Donor.register(code="mohsin-1", kind="individual", name=None, registered_by="o"),
    )
    store = Store.open(code="casa", name="Central", city="Casablanca", opened_by="o")
    journal.keep(store)
    return journal, store


def test_month_is_the_casablanca_month() -> None:
    assert month_of(datetime(2020, 3, 31, 23, 30, tzinfo=UTC)) == "2020-04"
    assert month_of(datetime(2020, 3, 31, 22, 30, tzinfo=UTC)) == "2020-03"


def test_gifts_by_donor_category_month_and_cash_by_fund() -> None:
    journal, store = setup()
    ambulances = GiftLine("ambulances", "vehicles", "ambulances", Decimal(50), "vehicle", 100_00)
    receive(journal, store, "auto-hall", "r-1", ambulances)
    endoscope = GiftLine("endoscope", "medical-equipment", "unit", Decimal(1), "unit", None)
    receive(journal, store, "mohsin-1", "r-2", endoscope, datetime(2020, 4, 2, tzinfo=UTC))
    cash = CashDonation.record(
        donor="auto-hall",
        receipt="r-3",
        direction="received",
        amount_centimes=25_50,
        fund="covid-19",
        occurred_at=MARCH,
        recorded_by="o",
    )
    journal.keep(cash)
    totals = journal.totals()
    donors = {d["code"]: d for d in totals["donors"]}
    assert donors["auto-hall"]["value_received_mad"] == "125.50"
    assert donors["mohsin-1"]["name"] == "محسن"
    assert donors["mohsin-1"]["unvalued_lines"] == 1
    assert {c["category"]: c["in_kind_mad"] for c in totals["categories"]} == {
        "medical-equipment": "0.00",
        "vehicles": "100.00",
    }
    assert [(m["month"], m["value_received_mad"]) for m in totals["months"]] == [
        ("2020-03", "125.50"),
        ("2020-04", "0.00"),
    ]
    assert totals["funds"] == [
        {"fund": "covid-19", "received_mad": "25.50", "paid_out_mad": "0.00"}
    ]


def test_revaluation_flows_to_stock_and_recipients() -> None:
    journal, store = setup()
    endoscope = GiftLine("endoscope", "medical-equipment", "unit", Decimal(2), "unit", 6194807500)
    gift = receive(journal, store, "mohsin-1", "r-1", endoscope)
    store.dispatch(
        DispatchGoods(
            "bl-1",
            "chu-ibn-rochd",
            "hospital",
            "CHU Ibn Rochd",
            MARCH,
            [DispatchLine("endoscope", Decimal(1))],
        ),
        "o",
    )
    journal.keep(store)
    before = journal.totals()
    assert before["recipients"][0]["value_dispatched_mad"] == "30974037.50"
    assert before["stock"][0]["value_mad"] == "30974037.50"
    gift.correct_valuation(
        line=1, value_centimes=61948075, reason="decimal comma", corrected_by="o"
    )
    store.revalue(donation=gift.id.hex, line=1, value_centimes=61948075, by="o")
    journal.keep(gift, store)
    after = journal.totals()
    recipient, stock = after["recipients"][0], after["stock"][0]
    assert Decimal(recipient["value_dispatched_mad"]) + Decimal(stock["value_mad"]) == Decimal(
        "619480.75"
    )
    assert recipient["items"][0]["quantity"] == stock["quantity"] == "1"
    assert after["in_kind_mad"] == "619480.75"
    assert after["corrections"] == 1
    assert after["reconciliation"]["lines"][0]["declared_mad"] == "61948075.00"
    assert after["reconciliation"]["lines"][0]["value_mad"] == "619480.75"


def test_reconciliation_against_a_declared_appeal_total() -> None:
    journal, store = setup()
    appeal = Appeal.open(code="covid-19-2020", name="COVID-19", opened_by="o")
    appeal.declare_total(declared_centimes=1000_00, source="report", declared_by="o")
    journal.keep(appeal)
    masks = GiftLine("masks", "protective-equipment", "masks", Decimal(10), "piece", None)
    receive(journal, store, "auto-hall", "r-1", masks)
    receive(
        journal,
        store,
        "mohsin-1",
        "r-2",
        GiftLine("kits", "food", "kits", Decimal(1), "lot", 600_00),
    )
    report = journal.totals(appeal="covid-19-2020")["reconciliation"]
    assert (report["declared_mad"], report["listed_mad"], report["gap_mad"]) == (
        "1000.00",
        "600.00",
        "400.00",
    )
    assert [line["item"] for line in report["unvalued_lines"]] == ["masks"]
    assert report["balanced"] is False
    override = journal.totals(appeal="covid-19-2020", declared_centimes=600_00)["reconciliation"]
    assert (override["gap_mad"], override["declared_source"]) == (
        "0.00",
        "declared_mad query parameter",
    )
    assert journal.totals()["reconciliation"]["declared_mad"] is None
