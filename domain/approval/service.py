"""Application service of the approval workflow: approve, un-approve, configure, read locks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.actors import Actor, Role
from domain.approval.book import Approval, ApprovalBook
from domain.approval.commands import ApprovePeriod, ConfigureApprovals, UnapprovePeriod
from domain.approval.errors import ApprovalOrderError
from domain.approval.ports import Figures, Hierarchy
from domain.approval.seal import PeriodSeal, load_seal
from domain.approval.workflow import Level, Period, check_period, days_of, period_of, workflow
from domain.errors import ConflictError, DomainError, NotFoundError
from domain.ledger import Ledger, last_position
from domain.outcomes import EventRef, Outcome

# Records held facts once their period is open again; answers each fact's outcome.
Releaser = Callable[[str, list[dict[str, Any]], Actor], dict[str, str]]


class ApprovalService:
    def __init__(self, ledger: Ledger, hierarchy: Hierarchy, figures: Figures) -> None:
        self.ledger = ledger
        self.hierarchy = hierarchy
        self.figures = figures
        self.releasers: dict[str, Releaser] = {}
        self.reading = ApprovalReading(self)

    def book(self, operation: str, scope: str) -> ApprovalBook | None:
        """The scope's book as stored (the cached object: read it, do not change it)."""
        try:
            book: ApprovalBook = self.ledger.repository.get(
                ApprovalBook.create_id(operation, scope), deepcopy_from_cache=False
            )
        except AggregateNotFoundError:
            return None
        return book

    def lock_on(self, operation: str, scope: str, unit: str, day: date) -> Approval | None:
        """The approval that locks a lowest-level unit's day, if any (the write paths' check)."""
        return lock_in(self.book(operation, scope), unit, day)

    def configure(self, command: ConfigureApprovals, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)
        flow = workflow(command.operation)
        try:
            period = Period(command.period)
        except ValueError:
            period = None
        if period not in flow.periods:
            allowed = ", ".join(p.value for p in flow.periods)
            raise DomainError(f"must be one of: {allowed}", "period")
        existing = self.book(command.operation, command.scope)
        if existing is not None:
            if existing.period is period:
                return Outcome(False, 0, EventRef(existing.id, 1))
            raise ConflictError(
                f"approvals of '{command.scope}' are already by {existing.period.value}", "period"
            )
        book = ApprovalBook(command.operation, command.scope, period.value, actor.name)
        return Outcome(True, last_position(self.ledger.save(book)))

    def approve(self, command: ApprovePeriod, actor: Actor) -> Outcome:
        flow = workflow(command.operation)
        level = flow.level(command.level)
        _check_approver(actor, level, command.scope, command.unit)
        return self.ledger.retrying(lambda: self._approve(command, actor))

    def _approve(self, command: ApprovePeriod, actor: Actor) -> Outcome:
        book = self.book_to_change(command.operation, command.scope, actor)
        period = check_period(command.period, book.period)
        operation, scope, level, unit = (
            command.operation,
            command.scope,
            command.level,
            command.unit,
        )
        if not self.hierarchy.exists(operation, scope, level, unit):
            raise NotFoundError(f"no {level} '{unit}' in '{scope}'", "unit")
        if book.approval(level, unit, period) is not None:
            return Outcome(False, 0, book.approving_event(level, unit, period))  # a resend
        self._check_below(book, command, period)
        seal = self._seal(command, period)  # read before the figures: see approval.seal
        figures, position = self.figures.at(
            operation, scope, level, unit, days_of(period, book.period)
        )
        book.approve(level, unit, period, actor.name, figures, position)
        if seal is not None:
            seal.seal(book.approval(level, unit, period))  # type: ignore[arg-type]
        return Outcome(True, last_position(self.ledger.save(seal, book)))

    def _check_below(self, book: ApprovalBook, command: ApprovePeriod, period: str) -> None:
        operation, scope, level, unit = (
            command.operation,
            command.scope,
            command.level,
            command.unit,
        )
        below = workflow(operation).below(level)
        if below is not None:
            children = self.hierarchy.children(operation, scope, level, unit)
            missing = [c for c in children if book.approval(below.name, c, period) is None]
            if missing:
                raise ApprovalOrderError(missing, below.name)

    def _seal(self, command: ApprovePeriod | UnapprovePeriod, period: str) -> PeriodSeal | None:
        """The seal of a lowest-level unit's period (levels above lock through it)."""
        if workflow(command.operation).lowest.name != command.level:
            return None
        return load_seal(self.ledger, command.operation, command.scope, command.unit, period)

    def unapprove(self, command: UnapprovePeriod, actor: Actor) -> Outcome:
        actor.check_role(Role.ADMIN)
        if not command.reason.strip():
            raise DomainError("must say why", "reason")
        workflow(command.operation).level(command.level)
        outcome = self.ledger.retrying(lambda: self._unapprove(command, actor))
        if outcome.created and workflow(command.operation).lowest.name == command.level:
            position = self.ledger.retrying(lambda: self._release(command, actor))
            return Outcome(True, max(outcome.position, position))
        return outcome

    def _unapprove(self, command: UnapprovePeriod, actor: Actor) -> Outcome:
        book = self.book_to_change(command.operation, command.scope, actor)
        period = check_period(command.period, book.period)
        if book.approval(command.level, command.unit, period) is None:
            return Outcome(False, 0)  # not approved (any more): a resent un-approval
        units = [[command.level, command.unit], *self._approved_above(book, command, period)]
        book.unapprove(units, period, command.reason.strip(), actor.name)
        seal = self._seal(command, period)
        if seal is not None:
            seal.unseal(command.reason.strip(), actor.name)
        return Outcome(True, last_position(self.ledger.save(seal, book)))

    def _approved_above(
        self, book: ApprovalBook, command: UnapprovePeriod, period: str
    ) -> list[list[str]]:
        flow, found = workflow(command.operation), []
        level, unit = command.level, command.unit
        while (above := flow.above(level)) is not None:
            parent = self.hierarchy.parent(command.operation, command.scope, level, unit)
            if parent is None:
                break
            level, unit = above.name, parent
            if book.approval(level, unit, period) is not None:
                found.append([level, unit])
        return found

    def _release(self, command: UnapprovePeriod, actor: Actor) -> int:
        """Held facts of the unit's period are recorded now that nothing locks it."""
        book = self.book_to_change(command.operation, command.scope, actor)
        held = book.held_in(command.level, command.unit, command.period)
        releaser = self.releasers.get(command.operation)
        if not held or releaser is None:
            return 0
        book.release(releaser(command.scope, held, actor), actor.name)
        return last_position(self.ledger.save(book))

    def book_to_change(self, operation: str, scope: str, actor: Actor) -> ApprovalBook:
        try:
            book: ApprovalBook = self.ledger.repository.get(
                ApprovalBook.create_id(operation, scope)
            )
        except AggregateNotFoundError:
            default = workflow(operation).periods[0]
            book = ApprovalBook(operation, scope, default.value, actor.name)
        return book


def lock_in(book: ApprovalBook | None, unit: str, day: date) -> Approval | None:
    """The approval of ``book`` locking a lowest-level unit's day (a batch reads the book once)."""
    if book is None:
        return None
    return book.approval(workflow(book.operation).lowest.name, unit, period_of(day, book.period))


def _check_approver(actor: Actor, level: Level, scope: str, unit: str) -> None:
    """Admins approve anything; otherwise the level's role, scoped to the unit where it says so."""
    if level.scoped:
        actor.check_scope(level.approver, scope, unit, "unit")
    else:
        actor.check_role(Role.ADMIN, level.approver)


READERS = (
    Role.ADMIN,
    Role.AUDITOR,
    Role.CHAIR,
    Role.COORDINATOR,
    Role.SUPERVISOR,
    Role.STOREKEEPER,
    Role.NATIONAL,
)


class ApprovalReading:
    """What approvers and auditors read of a book: its approvals and its held facts."""

    def __init__(self, service: ApprovalService) -> None:
        self.service = service

    def check_reader(self, operation: str, actor: Actor) -> None:
        actor.check_role(*READERS)
        workflow(operation)

    def held(self, operation: str, scope: str, actor: Actor) -> list[dict[str, Any]]:
        """Held facts without what identifies a person (their keyed hash, their contact)."""
        actor.check_role(*READERS)
        book = self.service.book(operation, scope)
        if book is None:
            return []
        return [
            {**held, "facts": _shown(held["facts"])}
            for held in sorted(book.held.values(), key=lambda h: (h["held_at"], h["fact_id"]))
        ]


HIDDEN = frozenset({"household_key", "legacy_key", "contact", "traveller_key"})


def _shown(facts: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in facts.items() if name not in HIDDEN}
