"""The donations view: a pure fold of donor, gift, appeal, store and shipment events.

Everything lives in one scope (``ALL``). Money measures are integer centimes
(``*_centimes``), quantities integer thousandths of their unit (``*_milli``).
Gifts also count per donor and month (``donor_month``, member ``donor/YYYY-MM``),
which the exports sum by kind of donor without naming any private one.
Every event carries what its handler needs, so a batch folds with no lookups.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from domain.clock import local_day_iso
from domain.donations.amounts import milli
from domain.donations.appeal import Appeal
from domain.donations.cash import CashDonation
from domain.donations.donor import Donor
from domain.donations.in_kind import InKindDonation
from domain.donations.shipment import Shipment
from domain.donations.store import Store
from projections.dispatch import dispatching
from projections.tally import Delta

VIEW = "donations"
ALL = "all"
TOTAL = ("total", "")


def month_of(moment: datetime) -> str:
    """The Africa/Casablanca month of an instant, e.g. '2020-03'."""
    return local_day_iso(moment)[:7]


def _add(d: Delta, places: Iterable[tuple[str, str]], measure: str, amount: int) -> None:
    for dimension, member in places:
        d.add(ALL, dimension, member, measure, amount)


# -- donors, cash, in-kind gifts, appeals --------------------------------------
def _donor_registered(d: Delta, e: Any) -> None:
    d.label(ALL, "donor", e.code, "kind", e.kind)
    d.label(ALL, "donor", e.code, "name", e.name or "")
    d.add(ALL, *TOTAL, "donors", 1)


def _cash_recorded(d: Delta, e: Any) -> None:
    measure = "cash_received_centimes" if e.direction == "received" else "cash_paid_out_centimes"
    month = month_of(e.occurred_at)
    places = (
        TOTAL,
        ("donor", e.donor),
        ("fund", e.fund),
        ("month", month),
        ("donor_month", f"{e.donor}/{month}"),
    )
    _add(d, places, measure, e.amount_centimes)
    _add(d, (TOTAL, ("donor", e.donor)), "cash_gifts", 1)


def _gift_places(e: Any, category: str) -> list[tuple[str, str]]:
    month = month_of(e.received_at)
    places = [
        TOTAL,
        ("donor", e.donor),
        ("category", category),
        ("month", month),
        ("donor_month", f"{e.donor}/{month}"),
    ]
    if e.appeal:
        places.append(("appeal", e.appeal))
    return places


def _in_kind_recorded(d: Delta, e: Any) -> None:
    _add(d, (TOTAL, ("donor", e.donor)), "in_kind_gifts", 1)
    for line in e.lines:
        places = _gift_places(e, line["category"])
        _add(d, places, "in_kind_lines", 1)
        value = line["value_centimes"]
        if value is None:
            _add(d, places, "unvalued_lines", 1)
        else:
            _add(d, places, "in_kind_centimes", value)
        _line_labels(d, e, line)


def _line_labels(d: Delta, e: Any, line: dict[str, Any]) -> None:
    member = f"{e.originator_id.hex}/{line['line']}"
    value = line["value_centimes"]
    labels = {
        "donor": e.donor,
        "receipt": e.receipt,
        "store": e.store,
        "appeal": e.appeal or "",
        "received_at": e.received_at.isoformat(),
        "declared_centimes": "" if value is None else str(value),
        **{k: line[k] for k in ("item", "category", "description", "quantity", "unit")},
    }
    for name, text in labels.items():
        d.label(ALL, "line", member, name, text)
    d.add(ALL, "line", member, "value_centimes", value or 0)
    d.add(ALL, "line", member, "valued", 0 if value is None else 1)


def _valuation_corrected(d: Delta, e: Any) -> None:
    places = _gift_places(e, e.category)
    change = e.value_centimes - (e.previous_centimes or 0)
    _add(d, places, "in_kind_centimes", change)
    if e.previous_centimes is None:
        _add(d, places, "unvalued_lines", -1)
    member = f"{e.originator_id.hex}/{e.line}"
    d.add(ALL, "line", member, "value_centimes", change)
    d.add(ALL, "line", member, "valued", 1 if e.previous_centimes is None else 0)
    _add(d, (TOTAL, ("line", member)), "corrections", 1)


def _appeal_opened(d: Delta, e: Any) -> None:
    d.label(ALL, "appeal", e.code, "name", e.name)


def _total_declared(d: Delta, e: Any) -> None:
    change = e.declared_centimes - (e.previous_centimes or 0)
    d.add(ALL, "appeal", e.appeal, "declared_centimes", change)
    d.label(ALL, "appeal", e.appeal, "declared_source", e.source)


# -- stores, dispatches, shipments ---------------------------------------------
def _store_opened(d: Delta, e: Any) -> None:
    d.label(ALL, "store", e.code, "name", e.name)
    d.label(ALL, "store", e.code, "city", e.city)


def _goods_received(d: Delta, e: Any) -> None:
    for line in e.lines:
        member = f"{e.store}/{line['item']}"
        quantity = milli(line["quantity"])
        d.add(ALL, "stock", member, "quantity_milli", quantity)
        if line["value_centimes"] is None:
            d.add(ALL, "stock", member, "unvalued_milli", quantity)
        else:
            d.add(ALL, "stock", member, "value_centimes", line["value_centimes"])
        for name in ("item", "unit", "category", "description"):
            d.label(ALL, "stock", member, name, line[name])
        d.label(ALL, "stock", member, "store", e.store)


def _goods_dispatched(d: Delta, e: Any) -> None:
    d.label(ALL, "recipient", e.recipient, "name", e.recipient_name)
    d.label(ALL, "recipient", e.recipient, "kind", e.recipient_kind)
    places = (TOTAL, ("recipient", e.recipient), ("store", e.store))
    _add(d, places, "dispatches", 1)
    _add(d, places, "value_dispatched_centimes", e.value_centimes)
    # Kept apart so that every view shows the restated value beside the original; a month
    # counts what left in it at its value then (a revaluation restates no month).
    month = (*places, ("month", month_of(e.dispatched_at)))
    _add(d, month, "value_at_dispatch_centimes", e.value_centimes)
    d.add(ALL, "month", month[-1][1], "dispatches", 1)
    for line in e.lines:
        _dispatched_line(d, e, line)


def _dispatched_line(d: Delta, e: Any, line: dict[str, Any]) -> None:
    stock, supply = f"{e.store}/{line['item']}", f"{e.recipient}/{line['item']}"
    d.add(ALL, "stock", stock, "quantity_milli", -milli(line["quantity"]))
    d.add(ALL, "supply", supply, "quantity_milli", milli(line["quantity"]))
    for name, text in (("recipient", e.recipient), ("item", line["item"]), ("unit", line["unit"])):
        d.label(ALL, "supply", supply, name, text)
    for portion in line["portions"]:
        if portion["value_centimes"] is None:
            d.add(ALL, "stock", stock, "unvalued_milli", -milli(portion["quantity"]))
            d.add(ALL, "supply", supply, "unvalued_milli", milli(portion["quantity"]))
        else:
            d.add(ALL, "stock", stock, "value_centimes", -portion["value_centimes"])
            d.add(ALL, "supply", supply, "value_centimes", portion["value_centimes"])


def _dispatch_acknowledged(d: Delta, e: Any) -> None:
    _add(d, (TOTAL, ("recipient", e.recipient)), "acknowledged", 1)


def _lot_revalued(d: Delta, e: Any) -> None:
    stock = f"{e.store}/{e.item}"
    d.add(ALL, "stock", stock, "value_centimes", e.on_hand_after - (e.on_hand_before or 0))
    if e.previous_centimes is None:
        d.add(ALL, "stock", stock, "unvalued_milli", -milli(e.on_hand_quantity))
    if any(share["after"] != share["before"] for share in e.recipients):
        d.add(ALL, *TOTAL, "dispatch_corrections", 1)
    for share in e.recipients:
        change = share["after"] - (share["before"] or 0)
        places = (TOTAL, ("recipient", share["recipient"]), ("store", e.store))
        _add(d, places, "value_dispatched_centimes", change)
        supply = f"{share['recipient']}/{e.item}"
        d.add(ALL, "supply", supply, "value_centimes", change)
        if share["before"] is None:
            d.add(ALL, "supply", supply, "unvalued_milli", -milli(share["quantity"]))


def _shipment_sent(d: Delta, e: Any) -> None:
    kilograms = sum(milli(item["tonnes"]) for item in e.items)  # thousandths of a tonne
    for name, text in (
        ("destination", e.destination),
        ("destination_country", e.destination_country),
        ("departed_at", e.departed_at.isoformat()),
        ("appeal", e.appeal or ""),
    ):
        d.label(ALL, "shipment", e.code, name, text)
    _add(d, (TOTAL, ("shipment", e.code)), "shipped_kilograms", kilograms)
    _add(d, (TOTAL, ("shipment", e.code)), "shipped_kinds", len(e.items))
    d.add(ALL, *TOTAL, "shipments", 1)


PROJECTION = dispatching(
    VIEW,
    {
        (Donor, "DonorRegistered"): _donor_registered,
        (CashDonation, "CashDonationRecorded"): _cash_recorded,
        (InKindDonation, "InKindDonationRecorded"): _in_kind_recorded,
        (InKindDonation, "ValuationCorrected"): _valuation_corrected,
        (Appeal, "AppealOpened"): _appeal_opened,
        (Appeal, "TotalDeclared"): _total_declared,
        (Store, "StoreOpened"): _store_opened,
        (Store, "GoodsReceived"): _goods_received,
        (Store, "GoodsDispatched"): _goods_dispatched,
        (Store, "DispatchAcknowledged"): _dispatch_acknowledged,
        (Store, "LotRevalued"): _lot_revalued,
        (Shipment, "ShipmentSent"): _shipment_sent,
    },
)

fold = PROJECTION.fold
