"""Donation aggregates in memory: donors, gifts, corrections, appeals, shipments."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.donations.appeal import Appeal
from domain.donations.cash import CashDonation, donation_id
from domain.donations.commands import GiftLine, ShipmentItem
from domain.donations.donor import Donor
from domain.donations.in_kind import InKindDonation
from domain.donations.shipment import Shipment
from domain.donations.vocabulary import ANONYMOUS
from domain.errors import DomainError, NotFoundError

WHEN = datetime(2020, 3, 23, 10, tzinfo=UTC)


def gift(*lines: GiftLine, receipt: str = "r-1") -> InKindDonation:
    return InKindDonation.record(
        donor="auto-hall",
        receipt=receipt,
        store="casa",
        appeal="covid-19-2020",
        received_at=WHEN,
        lines=list(lines),
        recorded_by="donations#t",
    )


AMBULANCES = GiftLine("ambulances", "vehicles", "ambulances", Decimal("50"), "vehicle", 1150000000)
MASKS = GiftLine("masks", "protective-equipment", "masks", Decimal("80000"), "piece", None)


def test_anonymous_private_donors_are_distinct_by_code() -> None:
    first = Donor.register(code="mohsin-1", kind="individual", name=None, registered_by="t")
    second = Donor.register(code="mohsin-2", kind="individual", name=None, registered_by="t")
    assert first.id != second.id
    assert first.display_name == second.display_name == ANONYMOUS


def test_a_private_donors_name_is_never_recorded() -> None:
    with pytest.raises(DomainError) as caught:
        Donor.register(code="mohsin-1", kind="individual", name="Ahmed B.", registered_by="t")
    assert caught.value.field == "name"
    assert "Ahmed" not in caught.value.reason


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [("company", None, "name"), ("government", "X", "kind"), ("company", "  ", "name")],
)
def test_donor_registration_is_checked(kind: str, name: str | None, field: str) -> None:
    with pytest.raises(DomainError) as caught:
        Donor.register(code="x-1", kind=kind, name=name, registered_by="t")
    assert caught.value.field == field


def test_cash_and_in_kind_share_the_receipt_identity() -> None:
    cash = CashDonation.record(
        donor="auto-hall",
        receipt="r-1",
        direction="received",
        amount_centimes=100,
        fund="covid-19",
        occurred_at=WHEN,
        recorded_by="t",
    )
    assert cash.id == gift(AMBULANCES).id == donation_id("auto-hall", "r-1")
    assert gift(AMBULANCES, receipt="r-2").id != cash.id


@pytest.mark.parametrize("amount", [1000000000.0, 0, "1000"])
def test_cash_amount_is_positive_integer_centimes(amount: object) -> None:
    with pytest.raises(DomainError) as caught:
        CashDonation.record(
            donor="d",
            receipt="r",
            direction="paid-out",
            amount_centimes=amount,  # type: ignore[arg-type]
            fund="covid-19",
            occurred_at=WHEN,
            recorded_by="t",
        )
    assert caught.value.field == "amount_mad"


def test_in_kind_lines_are_checked_and_name_their_field() -> None:
    float_value = GiftLine("masks", "protective-equipment", "masks", Decimal(1), "piece", 1.5)  # type: ignore[arg-type]
    bad_category = GiftLine("masks", "toys", "masks", Decimal(1), "piece", None)
    for line, field in ((float_value, "lines.1.value_mad"), (bad_category, "lines.1.category")):
        with pytest.raises(DomainError) as caught:
            gift(AMBULANCES, line)
        assert caught.value.field == field
    with pytest.raises(DomainError) as caught:
        gift()
    assert caught.value.field == "lines"


def test_valuation_correction_keeps_the_original_and_says_who_and_why() -> None:
    donation = gift(AMBULANCES, MASKS)
    assert donation.correct_valuation(
        line=2, value_centimes=31731925, reason="valued at the remainder", corrected_by="officer"
    )
    event = donation.collect_events()[-1]
    assert type(event).__name__ == "ValuationCorrected"
    assert (event.previous_centimes, event.value_centimes) == (None, 31731925)  # type: ignore[attr-defined]
    assert (event.reason, event.corrected_by) == ("valued at the remainder", "officer")  # type: ignore[attr-defined]
    assert donation.lines[1]["value_centimes"] is None  # the gift as recorded is unchanged
    assert donation.values[2] == 31731925


def test_correcting_to_the_same_value_changes_nothing() -> None:
    donation = gift(AMBULANCES)
    assert not donation.correct_valuation(
        line=1, value_centimes=1150000000, reason="check", corrected_by="o"
    )
    assert len(donation.collect_events()) == 1


def test_correction_of_a_missing_line_or_without_reason_is_refused() -> None:
    donation = gift(AMBULANCES)
    with pytest.raises(NotFoundError):
        donation.correct_valuation(line=2, value_centimes=1, reason="x", corrected_by="o")
    with pytest.raises(DomainError) as caught:
        donation.correct_valuation(line=1, value_centimes=1, reason=" ", corrected_by="o")
    assert caught.value.field == "reason"


def test_appeal_declares_and_redeclares_its_total() -> None:
    appeal = Appeal.open(code="covid-19-2020", name="COVID-19", opened_by="o")
    assert appeal.declare_total(declared_centimes=1776000000, source="report", declared_by="o")
    assert not appeal.declare_total(declared_centimes=1776000000, source="report", declared_by="o")
    assert appeal.declare_total(declared_centimes=1776000001, source="erratum", declared_by="o")
    last = appeal.collect_events()[-1]
    assert (last.previous_centimes, last.declared_centimes) == (1776000000, 1776000001)  # type: ignore[attr-defined]


def test_shipment_items_carry_tonnage_exact_to_the_kilogram() -> None:
    shipment = Shipment.send(
        code="beirut-airlift-2020",
        destination_country="LB",
        destination="Beirut",
        departed_at=WHEN,
        items=[ShipmentItem("food", "lentils", Decimal("20.125"))],
        appeal=None,
        sent_by="o",
    )
    assert shipment.items == [{"category": "food", "description": "lentils", "tonnes": "20.125"}]
    with pytest.raises(DomainError) as caught:
        Shipment.send(
            code="x-1",
            destination_country="Lebanon",
            destination="Beirut",
            departed_at=WHEN,
            items=[ShipmentItem("food", "lentils", Decimal("1"))],
            appeal=None,
            sent_by="o",
        )
    assert caught.value.field == "destination_country"
