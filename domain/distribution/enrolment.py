"""A household on a campaign's list: which committee carries its kit, and its voucher.

Keyed by the household's keyed hash (never its ID number), so a household is on
at most one list per campaign and re-enrolling it is idempotent. Every change is
an event: moved to another committee, delisted, voucher reissued, served.
Every event carries the entry's place, voucher and size so that a fold needs
nothing but the event.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.distribution.committee import Committee
from domain.errors import ConflictError
from domain.ids import stream_id
from domain.outcomes import EventRef


class EntryEvent(Aggregate.Event):
    """The entry as it stood when the change happened: every change event repeats it."""

    campaign: str
    committee: str
    province: str
    region: str
    voucher: str
    household_size: int
    served_by: str | None


class Enrolment(Aggregate):
    @staticmethod
    def create_id(campaign: str, household_key: str, **_: Any) -> UUID:
        return stream_id("enrolment", campaign, household_key)

    @event("Enrolled")
    def __init__(
        self,
        campaign: str,
        household_key: str,
        committee: str,
        province: str,
        region: str,
        commune: str,
        household_size: int,
        voucher: str,
        enrolled_by: str,
    ) -> None:
        self.campaign = campaign
        self.household_key = household_key
        self._place(committee, province, region)
        self.commune = commune
        self.household_size = household_size
        self.voucher = voucher
        self.listed = True
        self.served_by: str | None = None
        self.placed_in = 1  # the version of the event that put it on its committee's list
        self.delisted_in: int | None = None

    def _place(self, committee: str, province: str, region: str) -> None:
        self.committee = committee
        self.province = province
        self.region = region

    def entry(self) -> dict[str, Any]:
        """What every event of this stream repeats about the entry as it stands."""
        return {
            "campaign": self.campaign,
            "committee": self.committee,
            "province": self.province,
            "region": self.region,
            "voucher": self.voucher,
            "household_size": self.household_size,
            "served_by": self.served_by,
        }

    def placement_event(self) -> EventRef:
        """The event that put the entry on its committee's list (a resent move repeats it)."""
        return EventRef(self.id, self.placed_in)

    def delisting_event(self) -> EventRef | None:
        return None if self.delisted_in is None else EventRef(self.id, self.delisted_in)

    def check_listed(self) -> None:
        if not self.listed:
            raise ConflictError("this household was delisted", "household")

    # -- list changes ---------------------------------------------------------
    class Moved(EntryEvent):
        to_committee: str
        to_province: str
        to_region: str
        moved_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate._place(self.to_committee, self.to_province, self.to_region)
            aggregate.placed_in = self.originator_version

    class Delisted(EntryEvent):
        reason: str
        delisted_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.listed = False
            aggregate.delisted_in = self.originator_version

    class VoucherReissued(EntryEvent):
        new_voucher: str
        reason: str
        reissued_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.voucher = self.new_voucher

    class Served(EntryEvent):
        """``served_by`` is the delivery; ``delivered_by`` the committee that recorded it."""

        delivered_by: str

        def apply(self, aggregate: Any) -> None:
            aggregate.served_by = self.served_by

    class ServiceReversed(EntryEvent):
        def apply(self, aggregate: Any) -> None:
            aggregate.served_by = None

    def move(self, to: Committee, moved_by: str) -> bool:
        self.check_listed()
        if to.code == self.committee:
            return False
        self.trigger_event(
            self.Moved,
            **self.entry(),
            to_committee=to.code,
            to_province=to.province,
            to_region=to.region,
            moved_by=moved_by,
        )
        return True

    def delist(self, reason: str, delisted_by: str) -> bool:
        if not self.listed:
            return False
        self.trigger_event(self.Delisted, **self.entry(), reason=reason, delisted_by=delisted_by)
        return True

    def reissue(self, voucher: str, reason: str, reissued_by: str) -> None:
        self.check_listed()
        self.trigger_event(
            self.VoucherReissued,
            **self.entry(),
            new_voucher=voucher,
            reason=reason,
            reissued_by=reissued_by,
        )

    # -- deliveries against the list -------------------------------------------
    def serve(self, delivery_id: str, delivered_by: str) -> None:
        entry = {**self.entry(), "served_by": delivery_id}
        self.trigger_event(self.Served, **entry, delivered_by=delivered_by)

    def unserve(self, delivery_id: str) -> bool:
        """A reversed delivery puts the household back on its list as not served."""
        if self.served_by != delivery_id:
            return False
        self.trigger_event(self.ServiceReversed, **self.entry())
        return True
