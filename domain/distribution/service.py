"""Application service of the distribution operation: commands in, events saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.actors import Actor, Role
from domain.clock import utc_now
from domain.distribution.batch import BatchDecision
from domain.distribution.campaign import Campaign
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from domain.distribution.committee import Committee
from domain.distribution.correction import DeliveryCorrection
from domain.distribution.household import Household
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.geography import check_province
from domain.ids import IdentityHasher, check_code
from domain.ledger import Ledger, last_position, retrying
from domain.outcomes import BatchMode, BatchOutcome, CorrectionOutcome, Outcome
from domain.ports import ContactSealer, DeliveryLocator, StreamIndex


class DistributionService:
    def __init__(
        self,
        ledger: Ledger,
        hasher: IdentityHasher,
        streams: StreamIndex,
        locator: DeliveryLocator,
        clock: Callable[[], datetime] = utc_now,
        contacts: ContactSealer | None = None,
    ) -> None:
        self.ledger = ledger
        self.hasher = hasher
        self.streams = streams
        self.locator = locator
        self.clock = clock
        self.contacts = contacts

    # -- reading aggregates ---------------------------------------------------
    def campaign(self, slug: str) -> Campaign:
        check_code(slug, "campaign")
        found = self._get(Campaign.create_id(slug), f"campaign '{slug}' does not exist", "campaign")
        return cast(Campaign, found)

    def committee(self, slug: str, code: str) -> Committee:
        found = self._get(
            Committee.create_id(slug, code),
            f"committee '{code}' is not registered in campaign '{slug}'",
            "committee",
        )
        return cast(Committee, found)

    def _get(self, aggregate_id: Any, reason: str, field: str) -> Any:
        try:
            return self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(reason, field) from None

    def _save(self, *aggregates: Any) -> int:
        return last_position(self.ledger.save(*aggregates))

    # -- commands -------------------------------------------------------------
    def launch_campaign(self, command: LaunchCampaign, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)
        campaign = Campaign.launch(
            slug=command.slug,
            name=command.name,
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            target_households=command.target_households,
            budget_centimes=command.budget_centimes,
            kit_contents=command.kit_contents,
            launched_by=actor.name,
        )
        try:
            return Outcome(True, self._save(campaign))
        except IntegrityError:
            existing = self.campaign(command.slug)
            if (
                existing.name,
                existing.starts_on,
                existing.ends_on,
                existing.target_households,
            ) != (command.name, command.starts_on, command.ends_on, command.target_households):
                raise ConflictError(
                    f"campaign '{command.slug}' already exists with other details", "slug"
                ) from None
            return Outcome(False, 0)

    def set_quota(self, slug: str, province: str, households: int, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def command() -> Outcome:
            campaign = self.campaign(slug)
            campaign.set_quota(province, households, actor.name)
            return Outcome(bool(campaign.pending_events), self._save(campaign))

        return retrying(command)

    def register_committee(self, slug: str, command: RegisterCommittee, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)
        campaign = self.campaign(slug)
        campaign.check_open()
        place = check_province(command.province)
        committee = Committee.register(
            campaign=slug,
            code=command.code,
            name=command.name,
            province=place.code,
            region=place.region_code,
            commune=command.commune,
            registered_by=actor.name,
        )
        try:
            return Outcome(True, self._save(committee))
        except IntegrityError:
            if not self.committee(slug, command.code).same_registration(
                command.name, place.code, command.commune
            ):
                raise ConflictError(
                    f"committee '{command.code}' is already registered with other details", "code"
                ) from None
            return Outcome(False, 0)

    def dispatch_kits(self, slug: str, command: DispatchKits, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def dispatch() -> Outcome:
            campaign = self.campaign(slug)
            committee = self.committee(slug, command.committee)
            created = campaign.dispatch_kits(
                committee=committee.code,
                province=committee.province,
                quantity=command.quantity,
                reference=command.reference,
                dispatched_by=actor.name,
            )
            return Outcome(created, self._save(campaign) if created else 0)

        return retrying(dispatch)

    def record_deliveries(
        self,
        slug: str,
        items: Sequence[RecordDelivery],
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
    ) -> BatchOutcome:
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        for index, item in enumerate(items):
            actor.check_scope(Role.COMMITTEE, item.committee, f"items.{index}.committee")
        keys = [self.hasher.digest(item.household) for item in items]
        contacts = self._sealed_contacts(slug, items, keys)
        return retrying(lambda: self._record_batch(slug, items, keys, actor, mode, contacts))

    def _sealed_contacts(
        self, slug: str, items: Sequence[RecordDelivery], keys: list[str]
    ) -> dict[int, dict[str, str]]:
        """Encrypt every contact of the batch at once, before anything is decided."""
        wanted = [(i, item.contact) for i, item in enumerate(items) if item.contact]
        if not wanted:
            return {}
        if self.contacts is None:
            raise DomainError(
                "contact details cannot be kept here", f"items.{wanted[0][0]}.contact"
            )
        sealed = self.contacts.seal(
            [(keys[i], delivery_record(slug, items[i].delivery_id), c) for i, c in wanted if c]
        )
        return {i: s for (i, _), s in zip(wanted, sealed, strict=True)}

    def _record_batch(
        self,
        slug: str,
        items: Sequence[RecordDelivery],
        keys: list[str],
        actor: Actor,
        mode: BatchMode,
        contacts: dict[int, dict[str, str]],
    ) -> BatchOutcome:
        campaign = self.campaign(slug)
        ids = [Household.create_id(slug, key) for key in keys]
        known: dict[Any, Household] = {
            hid: self.ledger.repository.get(hid) for hid in self.streams.existing(set(ids))
        }
        decision = BatchDecision(
            campaign,
            known,
            lambda code: self._maybe_committee(slug, code),
            self.clock(),
            actor.name,
        )
        results = [
            decision.decide(i, item, keys[i], ids[i], contacts.get(i))
            for i, item in enumerate(items)
        ]
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        return BatchOutcome(results, self._save(*decision.changed_aggregates()))

    def _maybe_committee(self, slug: str, code: str) -> Committee | None:
        try:
            return self.committee(slug, code)
        except NotFoundError:
            return None

    def reverse_delivery(self, slug: str, delivery_id: str, reason: str, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        self.campaign(slug)
        hid = self.locator.household_of(slug, delivery_id)
        if hid is None:
            raise NotFoundError(f"no delivery '{delivery_id}' in campaign '{slug}'", "delivery_id")

        def reverse() -> Outcome:
            household: Household = self.ledger.repository.get(hid)
            actor.check_scope(Role.COMMITTEE, household.committee, "delivery_id")
            household.reverse(delivery_id, reason, actor.name)
            committee = self.committee(slug, household.committee)
            committee.take_back(delivery_id)
            return Outcome(True, self._save(household, committee))

        return retrying(reverse)

    def correct_delivery(
        self, slug: str, replaced: str, item: RecordDelivery, reason: str, actor: Actor
    ) -> CorrectionOutcome:
        """Replace a delivery by a corrected one: reversal and new delivery in one save.

        Sending the same correction again answers ``duplicate``; if the replaced delivery
        was never recorded, or is already reversed, only the new delivery is recorded.
        """
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        actor.check_scope(Role.COMMITTEE, item.committee, "committee")
        self.campaign(slug)
        key = self.hasher.digest(item.household)
        old = self.locator.household_of(slug, replaced)
        correction = DeliveryCorrection(self, slug, replaced, reason, actor)
        return retrying(lambda: correction.run(item, key, old))

    def delivery(self, slug: str, delivery_id: str, actor: Actor) -> Household:
        """The household a delivery was recorded on, for the roles that may read it."""
        actor.check_role(Role.ADMIN, Role.AUDITOR)
        self.campaign(slug)
        hid = self.locator.household_of(slug, delivery_id)
        if hid is None:
            raise NotFoundError(f"no delivery '{delivery_id}' in campaign '{slug}'", "delivery_id")
        household: Household = self.ledger.repository.get(hid)
        if household.delivery_id != delivery_id:
            raise NotFoundError(
                f"delivery '{delivery_id}' was superseded by '{household.delivery_id}'",
                "delivery_id",
            )
        return household

    def close_campaign(self, slug: str, reason: str, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def close() -> Outcome:
            campaign = self.campaign(slug)
            campaign.close(actor.name, reason)
            return Outcome(True, self._save(campaign))

        return retrying(close)


def delivery_record(slug: str, delivery_id: str) -> str:
    """The name a delivery's personal data is bound to and logged under."""
    return f"{slug}/{delivery_id}"
