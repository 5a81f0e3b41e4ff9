"""Application service of Marhaba: operations and sites (movements: domain.marhaba.movements)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain.actors import Actor, Role
from domain.approval.locks import PeriodLocks
from domain.clock import utc_now
from domain.errors import ConflictError
from domain.ids import IdentityHasher
from domain.ledger import Ledger
from domain.marhaba.assistance import AssistanceService
from domain.marhaba.commands import LaunchOperation, RegisterSite
from domain.marhaba.lookup import Lookup
from domain.marhaba.movements import MovementCommands
from domain.marhaba.opening import is_case
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site
from domain.outcomes import EventRef, Outcome, event_in
from domain.ports import StreamIndex


class MarhabaService(MovementCommands):
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
        self.locks: PeriodLocks | None = None  # approved days' lock (domain/approval)

    def lock_with(self, locks: PeriodLocks) -> None:
        """Guard every write that changes a site's day against its approval."""
        self.locks = locks
        self.cases.locks = locks

    def release_held(self, slug: str, held: list[dict[str, Any]], actor: Actor) -> dict[str, str]:
        """Record what was held for a site-day no longer approved: movements, then cases."""
        cases = [h for h in held if is_case(h)]
        moves = [h for h in held if not is_case(h)]
        answers = self.release_movements(slug, moves, actor) if moves else {}
        return answers | (self.cases.release(slug, cases, actor) if cases else {})

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
