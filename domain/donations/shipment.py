"""A relief shipment out of the country, such as the Beirut airlift: items by tonnage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.donations.amounts import quantity_text, to_milli
from domain.donations.commands import ShipmentItem
from domain.donations.vocabulary import check_category, check_text
from domain.errors import DomainError
from domain.ids import check_code, stream_id

COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_ITEMS = 200


class Shipment(Aggregate):
    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        return stream_id("shipment", code)

    @classmethod
    def send(
        cls,
        *,
        code: str,
        destination_country: str,
        destination: str,
        departed_at: datetime,
        items: Sequence[ShipmentItem],
        appeal: str | None,
        sent_by: str,
    ) -> Shipment:
        if not COUNTRY.match(destination_country):
            raise DomainError(
                "must be an ISO 3166-1 alpha-2 code such as LB", "destination_country"
            )
        if not 1 <= len(items) <= MAX_ITEMS:
            raise DomainError(f"must list 1 to {MAX_ITEMS} items", "items")
        return cls(
            code=check_code(code, "code"),
            destination_country=destination_country,
            destination=check_text(destination, "destination"),
            departed_at=departed_at,
            items=[_item(index, item) for index, item in enumerate(items)],
            appeal=appeal,
            sent_by=sent_by,
        )

    @event("ShipmentSent")
    def __init__(
        self,
        *,
        code: str,
        destination_country: str,
        destination: str,
        departed_at: datetime,
        items: list[dict[str, Any]],
        appeal: str | None,
        sent_by: str,
    ) -> None:
        self.code = code
        self.destination_country = destination_country
        self.destination = destination
        self.departed_at = departed_at
        self.items = items
        self.appeal = appeal

    def facts(self) -> tuple[Any, ...]:
        return (
            self.destination_country,
            self.destination,
            self.departed_at,
            self.items,
            self.appeal,
        )


def _item(index: int, item: ShipmentItem) -> dict[str, Any]:
    field = f"items.{index}"
    return {
        "category": check_category(item.category, f"{field}.category"),
        "description": check_text(item.description, f"{field}.description"),
        # tonnes with at most 3 decimals: exact to the kilogram
        "tonnes": quantity_text(to_milli(item.tonnes, f"{field}.tonnes")),
    }
