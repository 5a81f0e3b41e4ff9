"""A distribution campaign: dates, target, quotas per province, kits dispatched."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.clock import local_day
from domain.errors import ConflictError, DomainError
from domain.geography import check_province
from domain.ids import check_code, stream_id

ADMISSIONS = ("open", "listed")  # listed: only households on a committee's list are served


class Campaign(Aggregate):
    """Consistency boundary for quotas: kits dispatched to a province never exceed its quota.

    Every event names its campaign so that folds need nothing but the event.
    """

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        return stream_id("campaign", slug)

    @classmethod
    def launch(
        cls,
        *,
        slug: str,
        name: str,
        starts_on: date,
        ends_on: date,
        target_households: int,
        budget_centimes: int,
        kit_contents: list[dict[str, Any]],
        launched_by: str,
        admission: str = "open",
    ) -> Campaign:
        check_code(slug, "slug")
        if admission not in ADMISSIONS:
            raise DomainError("must be 'open' or 'listed'", "admission")
        if ends_on < starts_on:
            raise DomainError("must not be before starts_on", "ends_on")
        if target_households <= 0:
            raise DomainError("must be a positive number of households", "target_households")
        if budget_centimes < 0:
            raise DomainError("must not be negative", "budget_mad")
        campaign = cls(
            slug=slug,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            target_households=target_households,
            budget_centimes=budget_centimes,
            kit_contents=kit_contents,
            launched_by=launched_by,
        )
        if admission == "listed":  # a second event: campaigns launched before lists replay as open
            campaign._list_required(campaign=slug, required_by=launched_by)
        return campaign

    @event("Launched")
    def __init__(
        self,
        *,
        slug: str,
        name: str,
        starts_on: date,
        ends_on: date,
        target_households: int,
        budget_centimes: int,
        kit_contents: list[dict[str, Any]],
        launched_by: str,
    ) -> None:
        self.slug = slug
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.target_households = target_households
        self.budget_centimes = budget_centimes
        self.kit_contents = kit_contents
        self.quotas: dict[str, int] = {}
        self.quota_set_in: dict[str, int] = {}  # province -> the version of its quota's event
        self.dispatched_to_province: dict[str, int] = {}
        self.dispatched_to_committee: dict[str, int] = {}
        self.dispatch_references: set[str] = set()
        self.dispatched_in: dict[str, int] = {}  # committee/reference -> the event's version
        self.closed = False
        self.listed = False

    @event("ListRequired")
    def _list_required(self, campaign: str, required_by: str) -> None:
        self.listed = True

    @property
    def admission(self) -> str:
        return "listed" if self.listed else "open"

    # -- guards -------------------------------------------------------------
    def check_open(self) -> None:
        if self.closed:
            raise ConflictError(f"campaign '{self.slug}' is closed", "campaign")

    def check_delivery_day(self, moment: datetime, field: str) -> None:
        self.check_open()
        day = local_day(moment)
        if not self.starts_on <= day <= self.ends_on:
            raise DomainError(
                f"{day.isoformat()} is outside the campaign "
                f"({self.starts_on.isoformat()} to {self.ends_on.isoformat()})",
                field,
            )

    def kits_dispatched_to(self, committee: str) -> int:
        return self.dispatched_to_committee.get(committee, 0)

    # -- commands -----------------------------------------------------------
    def set_quota(self, province: str, households: int, set_by: str) -> None:
        self.check_open()
        place = check_province(province)
        if households < 0:
            raise DomainError("must not be negative", "households")
        already = self.dispatched_to_province.get(place.code, 0)
        if households < already:
            raise ConflictError(
                f"{already} kits are already dispatched to {place.code}; the quota cannot be lower",
                "households",
            )
        previous = self.quotas.get(place.code, 0)
        if sum(self.quotas.values()) - previous + households > self.target_households:
            raise ConflictError(
                f"quotas would exceed the campaign target of {self.target_households} households",
                "households",
            )
        if households != previous or place.code not in self.quotas:
            self._quota_set(
                campaign=self.slug,
                province=place.code,
                region=place.region_code,
                households=households,
                previous=previous,
                set_by=set_by,
            )

    @event("QuotaSet")
    def _quota_set(
        self, campaign: str, province: str, region: str, households: int, previous: int, set_by: str
    ) -> None:
        self.quotas[province] = households
        self.quota_set_in[province] = self.version + 1  # this event's: the body runs first

    def dispatch_kits(
        self, *, committee: str, province: str, quantity: int, reference: str, dispatched_by: str
    ) -> bool:
        """Record kits sent to a committee; False when the same reference was already recorded."""
        self.check_open()
        if (committee + "/" + reference) in self.dispatch_references:
            return False
        if quantity <= 0:
            raise DomainError("must be a positive number of kits", "quantity")
        quota = self.quotas.get(province)
        if quota is None:
            raise ConflictError(f"no quota is set for province {province}", "province")
        already = self.dispatched_to_province.get(province, 0)
        if already + quantity > quota:
            raise ConflictError(
                f"province {province} has a quota of {quota} kits and {already} are "
                f"already dispatched; {quantity} more would exceed it",
                "quantity",
            )
        self._kits_dispatched(
            campaign=self.slug,
            committee=committee,
            province=province,
            region=check_province(province).region_code,
            quantity=quantity,
            reference=reference,
            dispatched_by=dispatched_by,
        )
        return True

    @event("KitsDispatched")
    def _kits_dispatched(
        self,
        campaign: str,
        committee: str,
        province: str,
        region: str,
        quantity: int,
        reference: str,
        dispatched_by: str,
    ) -> None:
        self.dispatched_to_province[province] = (
            self.dispatched_to_province.get(province, 0) + quantity
        )
        self.dispatched_to_committee[committee] = (
            self.dispatched_to_committee.get(committee, 0) + quantity
        )
        self.dispatch_references.add(committee + "/" + reference)
        self.dispatched_in[committee + "/" + reference] = self.version + 1  # body runs first

    def close(self, closed_by: str, reason: str) -> None:
        self.check_open()
        self._closed(campaign=self.slug, closed_by=closed_by, reason=reason)

    @event("Closed")
    def _closed(self, campaign: str, closed_by: str, reason: str) -> None:
        self.closed = True

    def note_reversal_after_closure(
        self, household: Any, delivery_id: str, reason: str, corrected_by: str
    ) -> None:
        """Closed books take a correction only as a note of its own, that totals show apart."""
        self._corrected_after_closure(
            campaign=self.slug,
            delivery_id=delivery_id,
            committee=household.committee,
            province=household.province,
            region=household.region,
            household_size=household.household_size,
            reason=reason,
            corrected_by=corrected_by,
        )

    @event("CorrectedAfterClosure")
    def _corrected_after_closure(
        self,
        campaign: str,
        delivery_id: str,
        committee: str,
        province: str,
        region: str,
        household_size: int,
        reason: str,
        corrected_by: str,
    ) -> None:
        pass
