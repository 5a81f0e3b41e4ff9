"""Setting a campaign up and closing it: the commands of the campaign's admins."""

from __future__ import annotations

from typing import Any, cast

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.actors import Actor, Role
from domain.distribution.campaign import Campaign
from domain.distribution.commands import DispatchKits, LaunchCampaign, RegisterCommittee
from domain.distribution.committee import Committee
from domain.distribution.delivery_key import DeliveryKeying
from domain.errors import ConflictError, NotFoundError
from domain.geography import check_province
from domain.ids import check_code
from domain.ledger import Ledger, last_position
from domain.outcomes import EventRef, Outcome, event_in


class CampaignSetup:
    """Campaign, quotas, committees, stock, closure; the delivery service builds on it."""

    ledger: Ledger

    def campaign(self, slug: str, *, to_change: bool = True) -> Campaign:
        """The campaign; with ``to_change=False``, the cached object itself, for checks only.

        Copying a campaign with every dispatch reference costs more than a delivery
        batch's checks, which only read it.
        """
        check_code(slug, "campaign")
        found = self._get(
            Campaign.create_id(slug),
            f"campaign '{slug}' does not exist",
            "campaign",
            copied=to_change,
        )
        return cast(Campaign, found)

    def committee(self, slug: str, code: str) -> Committee:
        found = self._get(
            Committee.create_id(slug, code),
            f"committee '{code}' is not registered in campaign '{slug}'",
            "committee",
        )
        return cast(Committee, found)

    def _get(self, aggregate_id: Any, reason: str, field: str, *, copied: bool = True) -> Any:
        try:
            return self.ledger.repository.get(aggregate_id, deepcopy_from_cache=copied)
        except AggregateNotFoundError:
            raise NotFoundError(reason, field) from None

    def _save(self, *aggregates: Any) -> int:
        return last_position(self.ledger.save(*aggregates))

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
            admission=command.admission,
        )
        try:
            # Launched with delivery-id streams from its first delivery (delivery_key.py).
            return Outcome(True, self._save(campaign, DeliveryKeying(campaign=command.slug)))
        except IntegrityError:
            existing = self.campaign(command.slug)
            if (
                existing.name,
                existing.starts_on,
                existing.ends_on,
                existing.target_households,
                existing.admission,
            ) != (
                command.name,
                command.starts_on,
                command.ends_on,
                command.target_households,
                command.admission,
            ):
                raise ConflictError(
                    f"campaign '{command.slug}' already exists with other details", "slug"
                ) from None
            return Outcome(False, 0, EventRef(existing.id, 1))

    def set_quota(self, slug: str, province: str, households: int, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def command() -> Outcome:
            campaign = self.campaign(slug)
            campaign.set_quota(province, households, actor.name)
            if not campaign.pending_events:  # that quota already: a resend
                place = check_province(province).code
                return Outcome(False, 0, event_in(campaign, "quota_set_in", place))
            return Outcome(True, self._save(campaign))

        return self.ledger.retrying(command)

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
            return Outcome(False, 0, EventRef(committee.id, 1))

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
            if not created:  # the same reference again: a resend
                sent = f"{committee.code}/{command.reference}"
                return Outcome(False, 0, event_in(campaign, "dispatched_in", sent))
            return Outcome(True, self._save(campaign))

        return self.ledger.retrying(dispatch)

    def close_campaign(self, slug: str, reason: str, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def close() -> Outcome:
            campaign = self.campaign(slug)
            campaign.close(actor.name, reason)
            return Outcome(True, self._save(campaign))

        return self.ledger.retrying(close)
