"""What a household's delivery was recorded with, and a first delivery not yet saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.domain import DomainEvent


@dataclass(frozen=True, slots=True)
class DeliveryFacts:
    """What a delivery id was recorded with: a resend must repeat exactly this."""

    committee: str
    household_size: int
    delivered_at: datetime
    reversed: bool = False
    version: int = 1  # the household's event that recorded this delivery
    reversed_version: int | None = None  # and the one that reversed it

    def same(self, committee: str, household_size: int, delivered_at: datetime) -> bool:
        return (self.committee, self.household_size, self.delivered_at) == (
            committee,
            household_size,
            delivered_at,
        )

    def reversal(self, version: int) -> DeliveryFacts:
        return DeliveryFacts(
            self.committee, self.household_size, self.delivered_at, True, self.version, version
        )

    def answer(self, delivery_id: str, standing: str) -> dict[str, Any]:
        original: dict[str, Any] = {
            "delivery_id": delivery_id,
            "committee": self.committee,
            "delivered_at": self.delivered_at.isoformat(),
            "reversed": self.reversed,
        }
        if standing != delivery_id:
            original["superseded_by"] = standing
        return original


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A first delivery decided in a batch: reads like a served Household."""

    event: DomainEvent
    reversed = False
    served = True

    @property
    def delivery_id(self) -> str:
        return str(self.event.delivery_id)  # type: ignore[attr-defined]

    @property
    def committee(self) -> str:
        return str(self.event.committee)  # type: ignore[attr-defined]

    @property
    def delivered_at(self) -> datetime:
        moment: datetime = self.event.delivered_at  # type: ignore[attr-defined]
        return moment

    def recorded(self, delivery_id: str) -> bool:
        return delivery_id == self.delivery_id

    def facts_of(self, delivery_id: str) -> DeliveryFacts:
        size: int = self.event.household_size  # type: ignore[attr-defined]
        return DeliveryFacts(self.committee, size, self.delivered_at)

    def original(self, delivery_id: str) -> dict[str, Any]:
        return self.facts_of(delivery_id).answer(delivery_id, self.delivery_id)
