"""A local committee: registered to a province and commune, hands out kits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError
from domain.ids import check_code, stream_id


class Committee(Aggregate):
    """Tracks kits handed out so that a committee never gives more than it received.

    Deliveries touch this long-lived stream once per batch, not once per kit.
    """

    @staticmethod
    def create_id(campaign: str, code: str, **_: Any) -> UUID:
        return stream_id("committee", campaign, code)

    @classmethod
    def register(
        cls,
        *,
        campaign: str,
        code: str,
        name: str,
        province: str,
        region: str,
        commune: str,
        registered_by: str,
    ) -> Committee:
        check_code(code, "code")
        if not name.strip():
            raise DomainError("must not be empty", "name")
        return cls(
            campaign=campaign,
            code=code,
            name=name.strip(),
            province=province,
            region=region,
            commune=commune.strip(),
            registered_by=registered_by,
        )

    @event("Registered")
    def __init__(
        self,
        *,
        campaign: str,
        code: str,
        name: str,
        province: str,
        region: str,
        commune: str,
        registered_by: str,
    ) -> None:
        self.campaign = campaign
        self.code = code
        self.name = name
        self.province = province
        self.region = region
        self.commune = commune
        self.handed_out = 0

    def same_registration(self, name: str, province: str, commune: str) -> bool:
        return (self.name, self.province, self.commune) == (name.strip(), province, commune.strip())

    def hand_out(self, count: int, batch: str) -> None:
        if count > 0:
            self._kits_handed_out(count=count, batch=batch)

    @event("KitsHandedOut")
    def _kits_handed_out(self, count: int, batch: str) -> None:
        self.handed_out += count

    def take_back(self, delivery_id: str) -> None:
        self._kit_returned(delivery_id=delivery_id)

    @event("KitReturned")
    def _kit_returned(self, delivery_id: str) -> None:
        self.handed_out -= 1
