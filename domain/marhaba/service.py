"""Application service of Marhaba: operations, sites and passenger movements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain.actors import Actor, Role
from domain.clock import utc_now
from domain.closed_books import check_may_correct_closed
from domain.errors import ConflictError
from domain.ids import IdentityHasher
from domain.ledger import Ledger, last_position
from domain.marhaba.assistance import AssistanceService
from domain.marhaba.batch import SiteMovements
from domain.marhaba.commands import (
    AdjustMovement,
    LaunchOperation,
    RecordMovement,
    RegisterSite,
    SiteMovement,
)
from domain.marhaba.lookup import Lookup
from domain.marhaba.movement import Movement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site
from domain.outcomes import BatchMode, BatchOutcome, EventRef, Outcome, event_in
from domain.ports import StreamIndex


class MarhabaService:
    def __init__(
        self,
        ledger: Ledger,
        hasher: IdentityHasher,
        streams: StreamIndex,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.ledger = ledger
        self.streams = streams
        self.clock = clock
        self.find = Lookup(ledger)
        self.cases = AssistanceService(ledger, self.find, hasher, clock)

    def _save(self, *aggregates: Any) -> int:
        return last_position(self.ledger.save(*aggregates))

    # -- reading --------------------------------------------------------------
    def operation(self, slug: str) -> Operation:
        return self.find.operation(slug)

    def sites(self, slug: str) -> list[Site]:
        return [self.find.site(slug, code) for code in self.operation(slug).sites]

    # -- operations and sites ---------------------------------------------------
    def launch_operation(self, command: LaunchOperation, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def launch() -> Outcome:
            operation = Operation.launch(
                slug=command.slug,
                name=command.name,
                starts_on=command.starts_on,
                ends_on=command.ends_on,
                launched_by=actor.name,
            )
            existing = self.find.maybe_operation(command.slug)
            if existing is None:
                return Outcome(True, self._save(operation))
            if not existing.same_launch(command.name, command.starts_on, command.ends_on):
                raise ConflictError(
                    f"operation '{command.slug}' already exists with other details", "slug"
                )
            return Outcome(False, 0, EventRef(existing.id, 1))

        return self.ledger.retrying(launch)

    def register_site(self, slug: str, command: RegisterSite, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def register() -> Outcome:
            operation = self.operation(slug)
            site = Site.register(
                operation,
                code=command.code,
                name=command.name,
                kind=command.kind,
                city=command.city,
                country=command.country,
                opens_on=command.opens_on,
                closes_on=command.closes_on,
                registered_by=actor.name,
                province=command.province,
            )
            existing = self.find.maybe_site(slug, command.code)
            if existing is not None:
                if existing.details() != site.details():
                    raise ConflictError(
                        f"site '{command.code}' is already registered with other details", "code"
                    )
                return Outcome(False, 0, EventRef(existing.id, 1))
            operation.add_site(site.code, actor.name)
            return Outcome(True, self._save(operation, site))

        return self.ledger.retrying(register)

    def close_site(self, slug: str, code: str, reason: str, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def close() -> Outcome:
            self.operation(slug)
            site = self.find.site(slug, code)
            if not site.close(actor.name, reason):
                return Outcome(False, 0, event_in(site, "closed_in"))  # the same, resent
            return Outcome(True, self._save(site))

        return self.ledger.retrying(close)

    def close_operation(self, slug: str, reason: str, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)

        def close() -> Outcome:
            operation = self.operation(slug)
            if not operation.close(actor.name, reason):
                return Outcome(False, 0, event_in(operation, "closed_in"))  # the same, resent
            return Outcome(True, self._save(operation))

        return self.ledger.retrying(close)

    # -- movements --------------------------------------------------------------
    def site(self, slug: str, code: str) -> Site:
        """A site of an existing operation (a 404 names the operation first, then the site)."""
        self.operation(slug)
        return self.find.site(slug, code)

    def record_movements(
        self,
        slug: str,
        site: str,
        items: Sequence[RecordMovement],
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
    ) -> BatchOutcome:
        """Movements at one site; an unknown operation or site refuses the whole batch."""
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")
        self.site(slug, site)
        at_site = [SiteMovement(site, item) for item in items]
        return self.record_site_movements(slug, at_site, actor, mode)

    def record_site_movements(
        self,
        slug: str,
        items: Sequence[SiteMovement],
        actor: Actor,
        mode: BatchMode = BatchMode.RECORD,
    ) -> BatchOutcome:
        """Movements each naming its site (spreadsheet rows); an unknown site refuses its row."""
        actor.check_role(Role.ADMIN, Role.SITE)
        for index, item in enumerate(items):
            actor.check_scope(Role.SITE, slug, item.site, f"items.{index}.site")
        return self.ledger.retrying(lambda: self._record_batch(slug, items, actor, mode))

    def _record_batch(
        self, slug: str, items: Sequence[SiteMovement], actor: Actor, mode: BatchMode
    ) -> BatchOutcome:
        operation = self.operation(slug)
        ids = [Movement.create_id(slug, i.site, i.movement.reference) for i in items]
        known: dict[Any, Movement] = {
            mid: self.ledger.repository.get(mid) for mid in self.streams.existing(set(ids))
        }
        batch = SiteMovements(
            operation,
            known,
            self.clock(),
            actor.name,
            lambda code: self.find.maybe_site(slug, code),
        )
        results = [batch.decide(i, item, ids[i]) for i, item in enumerate(items)]
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        changed = batch.changed_aggregates()
        return BatchOutcome(results, self._save(*changed) if changed else 0)

    def adjust_movement(
        self, slug: str, site: str, reference: str, command: AdjustMovement, actor: Actor
    ) -> Outcome:
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")

        def adjust() -> Outcome:
            operation = self.operation(slug)
            movement = self.find.movement(slug, site, reference)
            created = movement.adjust(
                command.adjustment_id, command.delta, command.reason, actor.name
            )
            if not created:
                return Outcome(False, 0, movement.adjustment_event(command.adjustment_id))
            if not operation.closed:
                return Outcome(True, self._save(movement))
            check_may_correct_closed(f"operation '{slug}'", actor)
            operation.note_adjustment_after_closure(
                movement, command.adjustment_id, command.delta, command.reason, actor.name
            )
            return Outcome(True, self._save(movement, operation))

        return self.ledger.retrying(adjust)
