"""An admin's delivery outside a listed campaign's lists: its own stream, counted apart."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import stream_id


class OffListDelivery(Aggregate):
    """An admin's delivery outside a listed campaign's lists, and why."""

    @staticmethod
    def create_id(campaign: str, delivery_id: str, **_: Any) -> UUID:
        return stream_id("off-list", campaign, delivery_id)

    @event("Authorised")
    def __init__(
        self,
        campaign: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        listed_at: str | None,
        reason: str,
        authorised_by: str,
    ) -> None:
        self.campaign = campaign
        self.delivery_id = delivery_id
        self.place = (committee, province, region)
        self.withdrawn = False

    def withdraw(self) -> bool:
        """The delivery was reversed: it no longer counts as served off the lists."""
        if self.withdrawn:
            return False
        committee, province, region = self.place
        self._withdrawn(campaign=self.campaign, delivery_id=self.delivery_id,
                        committee=committee, province=province, region=region)  # fmt: skip
        return True

    @event("Withdrawn")
    def _withdrawn(
        self, campaign: str, delivery_id: str, committee: str, province: str, region: str
    ) -> None:
        self.withdrawn = True
