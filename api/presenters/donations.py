"""Domain aggregates of the donation operation as response shapes (no rule, no I/O)."""

from __future__ import annotations

from typing import Any

from api.schemas.donations import (
    CorrectionPublic,
    DispatchCorrectionPublic,
    DispatchPublic,
    DonationPublic,
    LinePublic,
    ShipmentPublic,
    StockPublic,
    StorePublic,
)
from domain.donations.amounts import mad_text, milli, quantity_text
from domain.donations.cash import CashDonation
from domain.donations.in_kind import InKindDonation
from domain.donations.service import DonationService
from domain.donations.shipment import Shipment
from domain.donations.store import Store


def _money(centimes: int | None) -> str | None:
    return None if centimes is None else mad_text(centimes)


def donation_public(
    gift: CashDonation | InKindDonation, service: DonationService
) -> DonationPublic:
    head: dict[str, Any] = {"donation": gift.id.hex, "donor": gift.donor, "receipt": gift.receipt}
    if isinstance(gift, CashDonation):
        return DonationPublic(
            type="cash",
            direction=gift.direction,
            amount_mad=mad_text(gift.amount_centimes),
            fund=gift.fund,
            occurred_at=gift.occurred_at,
            **head,
        )
    return DonationPublic(
        type="in-kind",
        store=gift.store,
        appeal=gift.appeal,
        received_at=gift.received_at,
        lines=[_line(line, gift.values[line["line"]]) for line in gift.lines],
        corrections=[_correction(e) for e in service.valuation_history(gift.id.hex)],
        **head,
    )


def _line(line: dict[str, Any], value: int | None) -> LinePublic:
    return LinePublic(
        line=line["line"],
        item=line["item"],
        category=line["category"],
        description=line["description"],
        quantity=line["quantity"],
        unit=line["unit"],
        declared_value_mad=_money(line["value_centimes"]),
        value_mad=_money(value),
    )


def _correction(event: Any) -> CorrectionPublic:
    return CorrectionPublic(
        line=event.line,
        previous_mad=_money(event.previous_centimes),
        value_mad=mad_text(event.value_centimes),
        reason=event.reason,
        corrected_by=event.corrected_by,
        corrected_at=event.timestamp,
    )


def store_public(store: Store, service: DonationService) -> StorePublic:
    return StorePublic(
        code=store.code,
        name=store.name,
        city=store.city,
        stock=[
            StockPublic(
                item=item,
                unit=unit,
                quantity=quantity_text(on_hand),
                value_mad=mad_text(value),
                unvalued_quantity=quantity_text(unvalued),
            )
            for item, unit, on_hand, value, unvalued in store.stock()
        ],
        dispatches=[_dispatch(store, code, service) for code in store.dispatches],
    )


def _dispatch(store: Store, code: str, service: DonationService) -> DispatchPublic:
    record = store.dispatches[code]
    acknowledged = record["acknowledged"]
    value, since = store.restated(code)
    return DispatchPublic(
        dispatch=code,
        recipient=record["recipient"],
        recipient_kind=record["recipient_kind"],
        dispatched_at=record["dispatched_at"],
        value_mad=mad_text(value),
        value_at_dispatch_mad=mad_text(record["value_centimes"]),
        corrections=[c for lot in since for c in _corrections_since(service, *lot)],
        acknowledged_at=acknowledged[0] if acknowledged else None,
        acknowledgement_reference=acknowledged[1] if acknowledged else None,
    )


def _corrections_since(
    service: DonationService, donation: str, line: int, seen: int
) -> list[DispatchCorrectionPublic]:
    """The line's corrections after the first ``seen`` (those the dispatch already had)."""
    history = [e for e in service.valuation_history(donation) if e.line == line]
    return [
        DispatchCorrectionPublic(donation=donation, **_correction(e).model_dump())
        for e in history[seen:]
    ]


def shipment_public(shipment: Shipment) -> ShipmentPublic:
    return ShipmentPublic(
        code=shipment.code,
        destination_country=shipment.destination_country,
        destination=shipment.destination,
        departed_at=shipment.departed_at,
        appeal=shipment.appeal,
        tonnes=quantity_text(sum(milli(item["tonnes"]) for item in shipment.items)),
        kinds=len(shipment.items),
        items=shipment.items,
    )
