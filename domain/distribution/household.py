"""A household's kit in one campaign: at most one, whichever committee records it.

The stream id is derived from the keyed hash of the household's identifier, so
the store's unique (originator_id, version) key enforces "one kit per household"
even between two API workers racing on the same household.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from domain.clock import local_day
from domain.distribution.delivery_facts import DeliveryFacts, NewDelivery
from domain.distribution.refusals import ALREADY_SERVED
from domain.errors import ConflictError
from domain.ids import stream_id
from domain.outcomes import EventRef


class Household(Aggregate):
    @staticmethod
    def create_id(campaign: str, household_key: str, **_: Any) -> UUID:
        return stream_id("household", campaign, household_key)

    # No bare "*" in the two @event signatures below: eventsourcing 9.5 treats
    # every keyword-only argument as required, so ``contact`` could not default
    # to None and events stored before it existed could not be replayed.
    @event("KitDelivered")
    def __init__(
        self,
        campaign: str,
        household_key: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_at: datetime,
        recorded_by: str,
        contact: dict[str, str] | None = None,
    ) -> None:
        self.campaign = campaign
        self.deliveries: dict[str, DeliveryFacts] = {}
        self._deliver(delivery_id, committee, province, region, household_size, delivered_at, 1)
        self.contact = contact

    def _deliver(
        self,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_at: datetime,
        version: int,
    ) -> None:
        self.delivery_id = delivery_id
        self.committee = committee
        self.province = province
        self.region = region
        self.household_size = household_size
        self.delivered_at = delivered_at
        self.reversed = False
        facts = DeliveryFacts(committee, household_size, delivered_at, version=version)
        self.deliveries[delivery_id] = facts

    @property
    def served(self) -> bool:
        return not self.reversed

    def recorded(self, delivery_id: str) -> bool:
        """Whether this delivery id was ever recorded on this household."""
        return delivery_id in self.deliveries

    def facts_of(self, delivery_id: str) -> DeliveryFacts:
        return self.deliveries[delivery_id]

    def event_of(self, delivery_id: str) -> EventRef:
        """The event that recorded ``delivery_id`` on this household."""
        return EventRef(self.id, self.deliveries[delivery_id].version)

    def reversal_of(self, delivery_id: str) -> EventRef | None:
        version = self.deliveries[delivery_id].reversed_version
        return None if version is None else EventRef(self.id, version)

    def original(self, delivery_id: str) -> dict[str, Any]:
        """What a resend is told of the delivery it repeats, superseded or not."""
        return self.deliveries[delivery_id].answer(delivery_id, self.delivery_id)

    @classmethod
    def first_delivery(
        cls,
        stream: UUID,
        *,
        campaign: str,
        household_key: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_at: datetime,
        recorded_by: str,
        contact: dict[str, str] | None = None,
        timestamp: datetime | None = None,
    ) -> NewDelivery:
        """The created event of a household's first kit, without building the aggregate.

        ``stream`` is ``create_id(campaign, household_key)``, already computed by the
        batch. Ingest makes hundreds of thousands of these; building the event as the
        library's mapper rebuilds a stored one (its state set as a whole, in field order)
        skips the per-call signature introspection and the frozen dataclass's __init__,
        and replaying the event through ``__init__`` gives the constructor's aggregate.
        A batch passes one ``timestamp`` (the library's clock) for all its events.
        """
        created: Any = getattr(cls, "KitDelivered")  # noqa: B009 - made by @event
        event = object.__new__(created)
        state = {
            "originator_id": stream,
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": timestamp or created.create_timestamp(),
            "originator_topic": _TOPIC,
            "campaign": campaign,
            "household_key": household_key,
            "delivery_id": delivery_id,
            "committee": committee,
            "province": province,
            "region": region,
            "household_size": household_size,
            "delivered_at": delivered_at,
            "recorded_by": recorded_by,
            "contact": contact,
        }
        object.__setattr__(event, "__dict__", state)
        return NewDelivery(event)

    def deliver_again(
        self,
        *,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_at: datetime,
        recorded_by: str,
        contact: dict[str, str] | None = None,
    ) -> None:
        """A household whose earlier delivery was reversed may receive its kit."""
        if self.served:
            raise ConflictError(
                f"household already served by delivery '{self.delivery_id}'",
                code=ALREADY_SERVED,
            )
        self._kit_delivered_after_reversal(
            campaign=self.campaign,
            delivery_id=delivery_id,
            committee=committee,
            province=province,
            region=region,
            household_size=household_size,
            delivered_at=delivered_at,
            recorded_by=recorded_by,
            contact=contact,
        )

    @event("KitDeliveredAfterReversal")
    def _kit_delivered_after_reversal(
        self,
        campaign: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_at: datetime,
        recorded_by: str,
        contact: dict[str, str] | None = None,
    ) -> None:
        # An event's body runs before the library moves the version on: this is the next.
        version = self.version + 1
        self._deliver(
            delivery_id, committee, province, region, household_size, delivered_at, version
        )
        self.contact = contact

    def reverse(self, delivery_id: str, reason: str, reversed_by: str) -> bool:
        """Reverse the standing delivery; False when ``delivery_id`` is already reversed."""
        if self.recorded(delivery_id) and self.deliveries[delivery_id].reversed:
            return False
        if delivery_id != self.delivery_id:
            raise ConflictError(
                f"delivery '{delivery_id}' was superseded by '{self.delivery_id}'", "delivery_id"
            )
        self._delivery_reversed(
            campaign=self.campaign,
            delivery_id=delivery_id,
            committee=self.committee,
            province=self.province,
            region=self.region,
            household_size=self.household_size,
            delivered_day=local_day(self.delivered_at).isoformat(),
            reason=reason,
            reversed_by=reversed_by,
        )
        return True

    @event("DeliveryReversed")
    def _delivery_reversed(
        self,
        *,
        campaign: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        delivered_day: str,
        reason: str,
        reversed_by: str,
    ) -> None:
        self.reversed = True
        self.deliveries[delivery_id] = self.deliveries[delivery_id].reversal(self.version + 1)


_TOPIC = get_topic(Household)
