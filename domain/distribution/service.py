"""Application service of the distribution operation: commands in, events saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actors import Actor, Role
from domain.clock import utc_now
from domain.closed_books import check_may_correct_closed
from domain.distribution.batch import BatchDecision
from domain.distribution.campaign import Campaign
from domain.distribution.commands import (
    RecordDelivery,
)
from domain.distribution.committee import Committee
from domain.distribution.correction import DeliveryCorrection
from domain.distribution.delivery_key import DeliveryKey
from domain.distribution.gate import ListGate, resolve_vouchers, unserved
from domain.distribution.household import Household
from domain.distribution.setup import CampaignSetup
from domain.distribution.streams import batch_streams
from domain.errors import DomainError, NotFoundError
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.outcomes import BatchMode, BatchOutcome, CorrectionOutcome, Outcome
from domain.ports import ContactSealer, DeliveryLocator, StreamIndex

if TYPE_CHECKING:
    from domain.approval.gate import DeliveryGate


class DistributionService(CampaignSetup):
    """Deliveries, reversals and corrections, on top of the campaign's set-up commands."""

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
        self.gate: DeliveryGate | None = None  # approved periods' lock (domain/approval)

    def record_deliveries(
        self,
        slug: str,
        items: Sequence[RecordDelivery],
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
    ) -> BatchOutcome:
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        for index, item in enumerate(items):
            actor.check_scope(Role.COMMITTEE, slug, item.committee, f"items.{index}.committee")
        keys = [self.hasher.digest(item.household) for item in items]
        old_keys = (self.hasher.legacy_digest(item.household) for item in items)
        legacy = {i: old for i, old in enumerate(old_keys) if old}
        refused = resolve_vouchers(self.ledger.get_many, slug, items, keys)
        contacts = self._sealed_contacts(slug, items, keys)
        if self.gate is not None:  # a delivery dated in an approved period is held
            return self.gate.record(slug, items, keys, legacy, contacts, actor, mode, refused)
        return self.ledger.retrying(
            lambda: self._record_batch(slug, items, keys, legacy, actor, mode, contacts, refused)
        )

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
        legacy: dict[int, str],
        actor: Actor,
        mode: BatchMode,
        contacts: dict[int, dict[str, str]],
        refused: dict[int, DomainError] | None = None,
        also: Sequence[Any] = (),  # saved with the batch: the seals of its days (approval)
    ) -> BatchOutcome:
        campaign = self.campaign(slug, to_change=False)
        found = batch_streams(
            slug, items, keys, legacy, self.streams, self.locator, self.ledger.repository.get
        )
        known: dict[Any, Household] = self.ledger.get_many(set(found.ids) & found.existing)
        decision = BatchDecision(
            campaign,
            known,
            lambda code: self._maybe_committee(slug, code),
            self.clock(),
            actor.name,
            found.taken,
            found.superseded_by,
            ListGate.load(self.ledger.get_many, campaign, keys, refused or {}, actor),
        )
        results = [
            decision.decide(i, item, found.keys[i], found.ids[i], contacts.get(i))
            for i, item in enumerate(items)
        ]
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        changed = decision.changed_aggregates()  # the seals only with what they guard
        return BatchOutcome(results, self._save(*(also if changed else ()), *changed))

    def _maybe_committee(self, slug: str, code: str) -> Committee | None:
        try:
            return self.committee(slug, code)
        except NotFoundError:
            return None

    def reverse_delivery(self, slug: str, delivery_id: str, reason: str, actor: Actor) -> Outcome:
        """Reverse a delivery; once the campaign is closed, only an admin may, noted apart."""
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        self.campaign(slug, to_change=False)
        hid = self.household_of(slug, delivery_id)
        if hid is None:
            raise NotFoundError(f"no delivery '{delivery_id}' in campaign '{slug}'", "delivery_id")

        def reverse() -> Outcome:
            household: Household = self.ledger.repository.get(hid)
            actor.check_scope(Role.COMMITTEE, slug, household.committee, "delivery_id")
            seal = self.check_unlocked(
                slug, household.committee, household.delivered_at, "delivery_id", actor
            )
            if not household.reverse(delivery_id, reason, actor.name):
                return Outcome(False, 0, household.reversal_of(delivery_id))  # a resend
            closed = self._closed_books(slug, actor)
            for campaign in closed:
                campaign.note_reversal_after_closure(household, delivery_id, reason, actor.name)
            committee = self.committee(slug, household.committee)
            committee.take_back(delivery_id)
            entry = self._unserved(slug, household, delivery_id)  # issue 14: its list entry
            return Outcome(True, self._save(seal, household, committee, *closed, *entry))

        return self.ledger.retrying(reverse)

    def _closed_books(self, slug: str, actor: Actor) -> tuple[Campaign, ...]:
        """The campaign to note a correction on when it is closed (admins only), else none."""
        if not self.campaign(slug, to_change=False).closed:
            return ()
        check_may_correct_closed(f"campaign '{slug}'", actor)
        return (self.campaign(slug),)

    def _unserved(self, slug: str, household: Household, delivery_id: str) -> list[Any]:
        first = next(iter(self.ledger.events.get(household.id, lte=1)))
        key = first.household_key  # type: ignore[attr-defined]
        return unserved(self.ledger.repository, self.streams, slug, key, delivery_id)

    def correct_delivery(
        self, slug: str, replaced: str, item: RecordDelivery, reason: str, actor: Actor
    ) -> CorrectionOutcome:
        """Replace a delivery by a corrected one: reversal and new delivery in one save.

        Sending the same correction again answers ``duplicate``; if the replaced delivery
        was never recorded, or is already reversed, only the new delivery is recorded.
        """
        actor.check_role(Role.ADMIN, Role.COMMITTEE)
        actor.check_scope(Role.COMMITTEE, slug, item.committee, "committee")
        self.campaign(slug)
        key = self.hasher.digest(item.household)
        legacy = self.hasher.legacy_digest(item.household)
        old = self.household_of(slug, replaced)
        correction = DeliveryCorrection(self, slug, replaced, reason, actor)
        return self.ledger.retrying(lambda: correction.run(item, key, legacy, old))

    def delivery(self, slug: str, delivery_id: str, actor: Actor) -> Household:
        """The household a delivery was recorded on, for the roles that may read it."""
        actor.check_role(Role.ADMIN, Role.AUDITOR)
        self.campaign(slug)
        hid = self.household_of(slug, delivery_id)
        if hid is None:
            raise NotFoundError(f"no delivery '{delivery_id}' in campaign '{slug}'", "delivery_id")
        household: Household = self.ledger.repository.get(hid)
        if household.delivery_id != delivery_id:
            raise NotFoundError(
                f"delivery '{delivery_id}' was superseded by '{household.delivery_id}'",
                "delivery_id",
            )
        return household

    def check_unlocked(
        self,
        slug: str,
        committee: str,
        moment: datetime,
        field: str,
        actor: Actor,
        seals: dict[tuple[str, str], Any] | None = None,
    ) -> Any:
        """Refuse a change to an approved period's figures (domain/approval), naming it;
        else the period's seal, to save with the change (None without approvals)."""
        if self.gate is None:
            return None
        return self.gate.check_unlocked(slug, committee, moment, field, actor, seals)

    def household_of(self, slug: str, delivery_id: str) -> UUID | None:
        """The household a delivery id belongs to, from the id's own stream.

        Ids recorded before they had a stream are found in the delivery index.
        """
        try:
            claim: DeliveryKey = self.ledger.repository.get(
                DeliveryKey.create_id(slug, delivery_id)
            )
        except AggregateNotFoundError:
            return self.locator.household_of(slug, delivery_id)
        return claim.household


def delivery_record(slug: str, delivery_id: str) -> str:
    """The name a delivery's personal data is bound to and logged under."""
    return f"{slug}/{delivery_id}"
