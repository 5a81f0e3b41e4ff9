"""Correcting a delivery: the old one is reversed and the new one recorded, in one save.

Field forms are edited after they were sent (a mistyped household number, the
wrong household size). An edit must not count as a second kit: the replaced
delivery is reversed (saying which correction replaced it) and the corrected one
recorded, atomically, so the totals never show both or neither.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import BaseAggregate

from domain.actors import Actor, Role
from domain.distribution.batch import BatchDecision
from domain.distribution.campaign import Campaign
from domain.distribution.commands import RecordDelivery
from domain.distribution.committee import Committee
from domain.distribution.delivery_key import DeliveryKey
from domain.distribution.gate import ListGate
from domain.distribution.household import Household
from domain.distribution.streams import batch_streams
from domain.ledger import Ledger
from domain.outcomes import CorrectionOutcome, ItemStatus
from domain.ports import DeliveryLocator, StreamIndex


class DistributionService(Protocol):
    """What a correction uses of the distribution service (it is one)."""

    ledger: Ledger
    streams: StreamIndex
    locator: DeliveryLocator
    clock: Callable[[], datetime]

    def campaign(self, slug: str, *, to_change: bool = True) -> Campaign: ...
    def committee(self, slug: str, code: str) -> Committee: ...
    def _maybe_committee(self, slug: str, code: str) -> Committee | None: ...
    def _save(self, *aggregates: Any) -> int: ...
    def check_unlocked(
        self,
        slug: str,
        committee: str,
        moment: datetime,
        field: str,
        actor: Actor,
        seals: dict[tuple[str, str], Any] | None = None,
    ) -> Any: ...


class DeliveryCorrection:
    def __init__(
        self, service: DistributionService, slug: str, replaced: str, reason: str, actor: Actor
    ) -> None:
        self.service = service
        self.slug = slug
        self.replaced = replaced
        self.reason = reason
        self.actor = actor

    def run(
        self, item: RecordDelivery, key: str, legacy: str | None, old_hid: UUID | None
    ) -> CorrectionOutcome:
        """``legacy``: the key the new household's number had under the old spelling."""
        service = self.service
        campaign = service.campaign(self.slug)
        seals: dict[tuple[str, str], Any] = {}  # each day's seal once (domain/approval)
        service.check_unlocked(
            self.slug, item.committee, item.delivered_at, "delivered_at", self.actor, seals
        )
        old_spelling = {0: legacy} if legacy else {}
        found = batch_streams(
            self.slug,
            [item],
            [key],
            old_spelling,
            service.streams,
            service.locator,
            service.ledger.repository.get,
        )
        hid = found.ids[0]
        wanted = {hid} & found.existing | ({old_hid} if old_hid is not None else set())
        repository = service.ledger.repository
        known: dict[UUID, Household] = {i: repository.get(i) for i in wanted}
        committees: dict[str, Committee] = {}
        old = known.get(old_hid) if old_hid is not None else None
        reversed_original = old is not None and self._reverse(old, item, committees, seals)
        decision = BatchDecision(
            campaign,
            known,
            lambda code: committees.get(code) or service._maybe_committee(self.slug, code),
            service.clock(),
            self.actor.name,
            found.taken,
            found.superseded_by,
            # issue 14: a corrected delivery meets the lists like any other
            ListGate.load(service.ledger.get_many, campaign, [key], {}, self.actor),
        )
        result = decision.decide(0, item, found.keys[0], hid)
        if result.status is not ItemStatus.RECORDED:
            return CorrectionOutcome(result, 0, False)
        # The replaced id never arrived: claim it now, so that when it does, it is answered.
        early = [] if old_hid is not None else [self._retire(hid, item, decision)]
        changed = _unique(
            [*seals.values(), *decision.changed_aggregates(), *early, *committees.values(), old]
        )
        return CorrectionOutcome(result, service._save(*changed), reversed_original)

    def _retire(self, hid: UUID, item: RecordDelivery, decision: BatchDecision) -> Any:
        stream = DeliveryKey.create_id(self.slug, self.replaced)
        return DeliveryKey.claim(
            stream, self.slug, self.replaced, hid, decision.recorded_at, item.delivery_id
        )

    def _reverse(
        self,
        old: Household,
        item: RecordDelivery,
        committees: dict[str, Committee],
        seals: dict[tuple[str, str], Any],
    ) -> bool:
        """Reverse the replaced delivery if it still stands (not on a resent correction)."""
        if old.delivery_id != self.replaced or not old.served:
            return False
        if old.delivery_id == item.delivery_id:
            return False
        self.actor.check_scope(Role.COMMITTEE, self.slug, old.committee, "delivery_id")
        self.service.check_unlocked(
            self.slug, old.committee, old.delivered_at, "delivery_id", self.actor, seals
        )
        old.reverse(self.replaced, self.reason, self.actor.name)
        committee = self.service.committee(self.slug, old.committee)
        committee.take_back(self.replaced)
        committees[committee.code] = committee
        return True


def _unique(changed: list[Any]) -> list[Any]:
    """Each changed aggregate (or a new household's first event) once, in batch order."""
    seen: dict[UUID, Any] = {}
    for item in changed:
        if item is not None:
            seen.setdefault(
                item.id if isinstance(item, BaseAggregate) else item.originator_id, item
            )
    return list(seen.values())
