"""Application service of Marhaba's assistance cases: open, refer, close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from domain.actors import Actor, Role
from domain.approval.holding import hold_single, release_code
from domain.approval.locks import PeriodLocks
from domain.clock import check_past, local_day
from domain.errors import ConflictError
from domain.ids import IdentityHasher
from domain.ledger import Ledger, last_position
from domain.marhaba.case import MAX_PEOPLE, AssistanceCase
from domain.marhaba.commands import CloseCase, OpenCase, ReferCase
from domain.marhaba.lookup import Lookup
from domain.marhaba.opening import CaseOpening
from domain.marhaba.vocabulary import Category, Destination, check_count, choose
from domain.outcomes import EventRef, Outcome, event_in


class AssistanceService:
    def __init__(
        self,
        ledger: Ledger,
        find: Lookup,
        hasher: IdentityHasher,
        clock: Callable[[], datetime],
    ) -> None:
        self.ledger = ledger
        self.find = find
        self.hasher = hasher
        self.clock = clock
        self.locks: PeriodLocks | None = None  # approved days' lock (domain/approval)

    def _save(self, *aggregates: Any) -> int:
        return last_position(self.ledger.save(*aggregates))

    def open(self, slug: str, site: str, command: OpenCase, actor: Actor) -> Outcome:
        """Open a case; the same case id sent again with the same details changes nothing.

        A case dated in an approved site-day is held (answered ``held``, not counted)
        and opened when an admin un-approves that day."""
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")
        key = self.hasher.digest(command.traveller) if command.traveller else None
        # A case opened before spellings were unified holds its number's old key.
        old_key = self.hasher.legacy_digest(command.traveller) if command.traveller else None
        check_count(command.people, "people", MAX_PEOPLE)
        opening = CaseOpening(
            case=command.case,
            category=choose(Category, command.category, "category").value,
            people=command.people,
            opened_at=check_past(command.opened_at, self.clock(), "opened_at"),
            traveller_key=key,
            legacy_key=old_key,
        )
        return self.ledger.retrying(lambda: self._open(slug, site, opening, actor))

    def _open(self, slug: str, site: str, opening: CaseOpening, actor: Actor) -> Outcome:
        operation = self.find.operation(slug)
        place = self.find.site(slug, site)
        existing = self.find.maybe_case(slug, site, opening.case)
        if existing is not None:
            return _resent(existing, opening)
        operation.check_open()
        operation.check_moment(opening.opened_at, "opened_at")
        place.check_recording(opening.opened_at, "opened_at")
        case = opening.opened(slug, site, actor.name)
        if self.locks is None:
            return Outcome(True, self._save(case))
        seal = self.locks.seal(slug, site, local_day(opening.opened_at))
        held = hold_single(self.locks, slug, seal, opening.fact(site, actor.name), actor, "case")
        return held if held is not None else Outcome(True, self._save(seal, case))

    def release(self, slug: str, held: list[dict[str, Any]], actor: Actor) -> dict[str, str]:
        """Open the cases held for a site-day no longer approved; each one's answer."""
        return {h["fact_id"]: release_code(partial(self._reopen, slug, h, actor)) for h in held}

    def _reopen(self, slug: str, held: dict[str, Any], actor: Actor) -> Outcome:
        site, opening = held["facts"]["site"], CaseOpening.held(held["facts"])
        return self.ledger.retrying(lambda: self._open(slug, site, opening, actor))

    def refer(self, slug: str, site: str, case: str, command: ReferCase, actor: Actor) -> Outcome:
        """Refer a case (e.g. to a Ministry of Health hospital); the same referral counts once."""
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")
        destination = choose(Destination, command.destination, "destination").value
        now = self.clock()
        referred_at = check_past(command.referred_at or now, now, "referred_at")

        def refer() -> Outcome:
            found = self._case(slug, site, case)
            institution = command.institution.strip()
            if not found.refer(destination, institution, referred_at, actor.name):
                where = f"{destination}/{institution}"
                return Outcome(False, 0, event_in(found, "referred_in", where))
            return Outcome(True, self._save(found))

        return self.ledger.retrying(refer)

    def close(self, slug: str, site: str, case: str, command: CloseCase, actor: Actor) -> Outcome:
        """Close a case, once; the same closure resent is unchanged."""
        actor.check_role(Role.ADMIN, Role.SITE)
        actor.check_scope(Role.SITE, slug, site, "site")
        now = self.clock()
        closed_at = check_past(command.closed_at or now, now, "closed_at")

        def close() -> Outcome:
            found = self._case(slug, site, case)
            if found.same_closure(command.reason, command.closed_at and closed_at):
                return Outcome(False, 0, event_in(found, "closed_in"))  # the same, resent
            found.close(command.reason, closed_at, actor.name)
            return Outcome(True, self._save(found))

        return self.ledger.retrying(close)

    def _case(self, slug: str, site: str, case: str) -> AssistanceCase:
        self.find.operation(slug)
        return self.find.case(slug, site, case)


def _resent(existing: AssistanceCase, opening: CaseOpening) -> Outcome:
    """The same case sent again changes nothing; other details for its id conflict."""
    keys = (opening.traveller_key, opening.legacy_key or opening.traveller_key)
    if not any(
        existing.same_opening(opening.category, opening.people, opening.opened_at, k) for k in keys
    ):
        raise ConflictError(f"case '{opening.case}' is already open with other details", "case")
    return Outcome(False, 0, EventRef(existing.id, 1))
