"""What every donation command shares: roles, loading, idempotent creation, saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actors import Actor, Role
from domain.approval.holding import hold_single
from domain.approval.locks import PeriodLocks
from domain.approval.seal import PeriodSeal
from domain.clock import check_aware, local_day, utc_now
from domain.donations.appeal import Appeal
from domain.donations.donor import Donor
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.ledger import Ledger, last_position
from domain.outcomes import EventRef, Outcome
from domain.ports import StreamIndex

WRITERS = (Role.ADMIN, Role.DONATIONS)
READERS = (Role.ADMIN, Role.DONATIONS, Role.AUDITOR)
CLOCK_SKEW = timedelta(minutes=10)
DONATIONS = "donations"  # the one intake's approval scope
Fact = tuple[str, dict[str, Any]]  # a held fact's id, and its facts


class LedgerService:
    def __init__(
        self,
        ledger: Ledger,
        clock: Callable[[], datetime] = utc_now,
        streams: StreamIndex | None = None,  # without one, batches load each id to find it
    ) -> None:
        self.ledger = ledger
        self.clock = clock
        self.streams = streams
        self.locks: PeriodLocks | None = None  # approved months' lock (domain/approval)

    @staticmethod
    def check_writer(actor: Actor) -> None:
        actor.check_role(*WRITERS)

    @staticmethod
    def check_reader(actor: Actor) -> None:
        actor.check_role(*READERS)

    def _maybe(self, aggregate_id: UUID) -> Any:
        try:
            return self.ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _get(
        self, aggregate_id: UUID, kind: type | tuple[type, ...], reason: str, field: str
    ) -> Any:
        found = self._maybe(aggregate_id)
        if not isinstance(found, kind):
            raise NotFoundError(reason, field)
        return found

    def _referenced(self, aggregate_id: UUID, kind: type, reason: str, field: str) -> Any:
        """Like ``_get`` for a name given in a request body: a 422, not a 404."""
        found = self._maybe(aggregate_id)
        if not isinstance(found, kind):
            raise DomainError(reason, field)
        return found

    def _save(self, *aggregates: Aggregate | None) -> int:
        return last_position(self.ledger.save(*aggregates))

    def _guard(
        self,
        store: str,
        moment: datetime,
        field: str,
        actor: Actor,
        seals: dict[tuple[str, str], PeriodSeal] | None = None,
    ) -> PeriodSeal | None:
        """Refuse a change to a store's approved month, naming the approval."""
        if self.locks is None:
            return None
        return self.locks.guard(DONATIONS, store, local_day(moment), field, actor, seals)

    def _hold_or_save(
        self, store: str, moment: datetime, fact: Fact, field: str, actor: Actor, *new: Any
    ) -> Outcome:
        """Save a new fact with its store-month's seal; held instead while that is approved
        (``field``: its id's, named if that id is held with other details)."""
        if self.locks is None:
            return Outcome(True, self._save(*new))
        seal = self.locks.seal(DONATIONS, store, local_day(moment))
        held = hold_single(self.locks, DONATIONS, seal, fact, actor, field)
        return held if held is not None else Outcome(True, self._save(seal, *new))

    def _create(self, fresh: Any, what: str, field: str) -> Outcome:
        """Save a new stream, or answer "unchanged" when the same facts are already there."""
        existing = self._maybe(fresh.id)
        if existing is None:
            return Outcome(True, self._save(fresh))
        if type(existing) is not type(fresh) or existing.facts() != fresh.facts():
            raise ConflictError(f"{what} is already recorded with other details", field)
        return Outcome(False, 0, EventRef(existing.id, 1))

    def _moment(self, moment: datetime, field: str) -> datetime:
        instant = check_aware(moment, field)
        if instant > self.clock() + CLOCK_SKEW:
            raise DomainError("is in the future", field)
        return instant

    def _donor_named(self, code: str) -> Donor:
        found: Donor = self._referenced(
            Donor.create_id(code), Donor, f"donor '{code}' is not registered", "donor"
        )
        return found

    def _appeal_named(self, code: str) -> Appeal:
        found: Appeal = self._referenced(
            Appeal.create_id(code), Appeal, f"appeal '{code}' does not exist", "appeal"
        )
        return found
