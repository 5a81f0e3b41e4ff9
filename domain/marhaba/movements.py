"""Marhaba's passenger movements: recorded in batches, adjusted, held on approved days."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain.actors import Actor, Role
from domain.approval.locks import PeriodLocks
from domain.approval.seal import PeriodSeal
from domain.clock import local_day
from domain.closed_books import check_may_correct_closed
from domain.ledger import Ledger, last_position
from domain.marhaba.approved_days import ApprovedDays, fact_id, held_movements
from domain.marhaba.batch import SiteMovements
from domain.marhaba.commands import AdjustMovement, RecordMovement, SiteMovement
from domain.marhaba.lookup import Lookup
from domain.marhaba.movement import Movement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site
from domain.outcomes import BatchMode, BatchOutcome, ItemStatus, Outcome


class MovementCommands:
    ledger: Ledger
    find: Lookup
    clock: Callable[[], datetime]
    locks: PeriodLocks | None

    def _save(self, *aggregates: Any) -> int:
        return last_position(self.ledger.save(*aggregates))

    def _guard(
        self, slug: str, site: str, moment: datetime, field: str, actor: Actor
    ) -> PeriodSeal | None:
        """Refuse a change to an approved day's figures, naming the approval."""
        if self.locks is None:
            return None
        return self.locks.guard(slug, site, local_day(moment), field, actor)

    # -- reading --------------------------------------------------------------
    def operation(self, slug: str) -> Operation:
        return self.find.operation(slug)

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
        known: dict[Any, Movement] = self.ledger.get_many(ids)
        batch = SiteMovements(
            operation,
            known,
            self.clock(),
            actor.name,
            lambda code: self.find.maybe_site(slug, code),
        )
        results = [batch.decide(i, item, ids[i]) for i, item in enumerate(items)]
        days = ApprovedDays(self.locks, slug, actor) if self.locks is not None else None
        if days is not None:  # a movement dated in an approved day is held
            results = days.sort(items, results)
        if not mode.saves(results):
            return BatchOutcome(results, 0, committed=False)
        kept = {_key(items[r.index]) for r in results if r.status is ItemStatus.RECORDED}
        changed = days.changed() if days is not None else []  # seals first, then the facts
        changed += [m for m in batch.changed_aggregates() if (m.site, m.reference) in kept]
        saved = [c for c in changed if c is not None]
        return BatchOutcome(results, self._save(*saved) if saved else 0)

    def release_movements(
        self, slug: str, held: list[dict[str, Any]], actor: Actor
    ) -> dict[str, str]:
        """Record the movements held for a day no longer approved; each one's answer."""
        items = held_movements(held)
        outcome = self._record_batch(slug, items, actor, BatchMode.RECORD)
        return {
            fact_id(items[r.index].site, r.item_id): r.code or r.status.value for r in outcome.items
        }

    def adjust_movement(
        self, slug: str, site: str, reference: str, command: AdjustMovement, actor: Actor
    ) -> Outcome:
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")

        def adjust() -> Outcome:
            operation = self.operation(slug)
            movement = self.find.movement(slug, site, reference)
            if command.adjustment_id in movement.adjustments:  # resent: answered as before
                movement.adjust(command.adjustment_id, command.delta, command.reason, actor.name)
                return Outcome(False, 0, movement.adjustment_event(command.adjustment_id))
            seal = self._guard(slug, site, movement.moved_at, "adjustment_id", actor)
            movement.adjust(command.adjustment_id, command.delta, command.reason, actor.name)
            if not operation.closed:
                return Outcome(True, self._save(seal, movement))
            check_may_correct_closed(f"operation '{slug}'", actor)
            operation.note_adjustment_after_closure(
                movement, command.adjustment_id, command.delta, command.reason, actor.name
            )
            return Outcome(True, self._save(seal, movement, operation))

        return self.ledger.retrying(adjust)


def _key(item: SiteMovement) -> tuple[str, str]:
    return (item.site, item.movement.reference)
