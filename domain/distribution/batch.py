"""Deciding a batch of deliveries in memory before one atomic save.

Everything a batch needs (campaign, committees, households already in the
store) is loaded once; each item is then decided in order so that stock and
"one kit per household" hold within the batch as well as against the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEvent

from domain.clock import check_aware
from domain.distribution.campaign import Campaign
from domain.distribution.commands import RecordDelivery
from domain.distribution.committee import Committee
from domain.distribution.delivery_facts import NewDelivery
from domain.distribution.delivery_key import DELIVERY_ID_REUSED, DeliveryKey
from domain.distribution.gate import ListGate
from domain.distribution.household import Household
from domain.distribution.refusals import ALREADY_SERVED, NO_STOCK
from domain.errors import DomainError
from domain.outcomes import ItemResult, ItemStatus, refused_item

CLOCK_SKEW = timedelta(minutes=10)
MAX_HOUSEHOLD_SIZE = 40


class BatchDecision:
    def __init__(
        self,
        campaign: Campaign,
        known: Mapping[UUID, Household],
        committee_of: Callable[[str], Committee | None],
        now: datetime,
        recorded_by: str,
        taken: Callable[[str, UUID], bool] = lambda _id, _household: False,
        superseded_by: Callable[[str], str | None] = lambda _id: None,
        gate: ListGate | None = None,
    ) -> None:
        """``taken(delivery_id, household)``: the store holds that id for another household;
        ``superseded_by(delivery_id)``: the edit that replaced it before it arrived."""
        self.campaign = campaign
        self.taken = taken
        self.superseded_by = superseded_by
        self.gate = gate  # issue 14: vouchers and listed campaigns
        self.known = known
        self.committee_of = committee_of
        self.now = now
        self.recorded_by = recorded_by
        self.pending: dict[UUID, Household | NewDelivery] = {}
        self.handed_out: dict[str, int] = {}
        self.committees: dict[str, Committee] = {}
        self.delivery_ids: dict[str, UUID] = {}
        self.claims: list[DomainEvent] = []
        # One recording time for the whole batch, which is saved in one transaction.
        self.recorded_at = Household.KitDelivered.create_timestamp()  # type: ignore[attr-defined]

    def decide(
        self,
        index: int,
        item: RecordDelivery,
        key: str,
        hid: UUID,
        contact: dict[str, str] | None = None,
    ) -> ItemResult:
        """``contact`` is the item's contact already sealed (ciphertext and key id only)."""
        try:
            return self._decide(index, item, key, hid, contact)
        except DomainError as error:
            return refused_item(index, item.delivery_id, error)

    def _decide(
        self,
        index: int,
        item: RecordDelivery,
        key: str,
        hid: UUID,
        contact: dict[str, str] | None,
    ) -> ItemResult:
        household = self.pending.get(hid) or self.known.get(hid)
        if household is not None and household.recorded(item.delivery_id):
            return self._resent(index, item, household)
        if self.taken(item.delivery_id, hid) and (edit := self.superseded_by(item.delivery_id)):
            return _arrived_after_its_edit(index, item.delivery_id, edit)
        self._check_delivery_id_unused(item.delivery_id, hid)
        if self.gate is not None:
            self.gate.admit(index, item, key)
        if household is not None and household.served:
            return self._served_already(index, item, household)
        check_household_size(item.household_size)
        committee = self._committee(item.committee)
        delivered_at = self._checked_time(item.delivered_at)
        self._check_stock(committee)
        self._deliver(item, key, hid, household, committee, contact, delivered_at)
        return ItemResult(index, item.delivery_id, ItemStatus.RECORDED)

    def _resent(
        self, index: int, item: RecordDelivery, household: Household | NewDelivery
    ) -> ItemResult:
        """The same delivery again counts once; its id with other facts is refused."""
        facts = household.facts_of(item.delivery_id)
        if not facts.same(item.committee, item.household_size, item.delivered_at):
            raise DomainError(
                "this delivery_id was already used for a delivery with other details "
                "(committee, household size or time)",
                "delivery_id",
                DELIVERY_ID_REUSED,
            )
        original = household.original(item.delivery_id)
        # A first delivery decided earlier in this batch is saved with it: no original yet.
        at = household.event_of(item.delivery_id) if isinstance(household, Household) else None
        return ItemResult(
            index, item.delivery_id, ItemStatus.DUPLICATE, "already recorded", None, original,
            at=at,
        )  # fmt: skip

    def _served_already(
        self, index: int, item: RecordDelivery, household: Household | NewDelivery
    ) -> ItemResult:
        """Refused with the first delivery's facts, so a phone can say when and by whom."""
        reason = f"household already served by delivery '{household.delivery_id}'"
        return ItemResult(
            index, item.delivery_id, ItemStatus.REJECTED, reason, f"items.{index}.household",
            household.original(household.delivery_id), ALREADY_SERVED,
        )  # fmt: skip

    def _check_delivery_id_unused(self, delivery_id: str, hid: UUID) -> None:
        if self.delivery_ids.setdefault(delivery_id, hid) != hid or self.taken(delivery_id, hid):
            raise DomainError(
                "this delivery_id was already used for another household",
                "delivery_id",
                DELIVERY_ID_REUSED,
            )

    def _committee(self, code: str) -> Committee:
        if code not in self.committees:
            committee = self.committee_of(code)
            if committee is None:
                raise DomainError(
                    f"committee '{code}' is not registered in campaign '{self.campaign.slug}'",
                    "committee",
                )
            self.committees[code] = committee
        return self.committees[code]

    def _checked_time(self, delivered_at: datetime) -> datetime:
        """The delivery instant in UTC, once it is known to be aware, past and in the campaign."""
        moment = check_aware(delivered_at, "delivered_at")
        if moment > self.now + CLOCK_SKEW:
            raise DomainError("is in the future", "delivered_at")
        self.campaign.check_delivery_day(moment, "delivered_at")
        return moment

    def _check_stock(self, committee: Committee) -> None:
        received = self.campaign.kits_dispatched_to(committee.code)
        given = committee.handed_out + self.handed_out.get(committee.code, 0)
        if given >= received:
            raise DomainError(
                f"no stock: committee '{committee.code}' has handed out all "
                f"{received} kits it received",
                "committee",
                NO_STOCK,
            )

    def _deliver(
        self,
        item: RecordDelivery,
        key: str,
        hid: UUID,
        household: Household | NewDelivery | None,
        committee: Committee,
        contact: dict[str, str] | None,
        delivered_at: datetime,
    ) -> None:
        details: dict[str, Any] = {
            "delivery_id": item.delivery_id,
            "committee": committee.code,
            "province": committee.province,
            "region": committee.region,
            "household_size": item.household_size,
            "delivered_at": delivered_at,
            "recorded_by": self.recorded_by,
            "contact": contact,
        }
        if isinstance(household, Household):
            household.deliver_again(**details)
            self.pending[hid] = household
        else:  # only a household with no stream yet gets here: a served one was refused
            self.pending[hid] = Household.first_delivery(
                hid,
                campaign=self.campaign.slug,
                household_key=key,
                timestamp=self.recorded_at,
                **details,
            )
        self.handed_out[committee.code] = self.handed_out.get(committee.code, 0) + 1
        slug = self.campaign.slug
        claim = DeliveryKey.create_id(slug, item.delivery_id)
        self.claims.append(DeliveryKey.claim(claim, slug, item.delivery_id, hid, self.recorded_at))
        if self.gate is not None:
            self.gate.served(item, key, committee)

    def changed_aggregates(self) -> list[Committee | Household | DomainEvent | Aggregate]:
        """Committees first (one event per batch each), then the households' events."""
        batch = batch_id(list(self.delivery_ids))
        for code, count in self.handed_out.items():
            self.committees[code].hand_out(count, batch)
        changed: list[Committee | Household | DomainEvent | Aggregate] = [
            c for c in self.committees.values() if c.code in self.handed_out
        ]
        changed.extend(self.claims)
        for pending in self.pending.values():
            changed.append(pending.event if isinstance(pending, NewDelivery) else pending)
        if self.gate is not None:
            changed.extend(self.gate.changed())
        return changed


def _arrived_after_its_edit(index: int, delivery_id: str, edit: str) -> ItemResult:
    """A form's original that comes in after its edit: answered, never recorded (Kobo retries)."""
    original = {"delivery_id": delivery_id, "recorded": False, "superseded_by": edit}
    return ItemResult(
        index, delivery_id, ItemStatus.DUPLICATE, "already replaced by an edit", None, original
    )


def check_household_size(size: int) -> None:
    if not 1 <= size <= MAX_HOUSEHOLD_SIZE:
        raise DomainError(f"must be between 1 and {MAX_HOUSEHOLD_SIZE} people", "household_size")


def batch_id(delivery_ids: list[str]) -> str:
    return hashlib.sha256("\n".join(delivery_ids).encode()).hexdigest()[:16]
