"""An assistance case: a traveller or a family helped at a site, maybe referred, then closed.

No name is ever recorded; a traveller's document number, when given, is kept
only as its keyed hash (like households), so repeat visits can be linked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import ConflictError, DomainError
from domain.ids import stream_id

MAX_PEOPLE = 100  # a family, or a group stranded together


class AssistanceCase(Aggregate):
    @staticmethod
    def create_id(operation: str, site: str, case: str, **_: Any) -> UUID:
        return stream_id("marhaba-case", operation, site, case)

    @event("Opened")
    def __init__(
        self,
        *,
        operation: str,
        site: str,
        case: str,
        category: str,
        people: int,
        opened_at: datetime,
        traveller_key: str | None,
        opened_by: str,
    ) -> None:
        self.operation = operation
        self.site = site
        self.case = case
        self.category = category
        self.people = people
        self.opened_at = opened_at
        self.traveller_key = traveller_key
        self.referrals: list[tuple[str, str]] = []
        self.referred_in: dict[str, int] = {}  # destination/institution -> the event's version
        self.closed = False

    def same_opening(
        self, category: str, people: int, opened_at: datetime, key: str | None
    ) -> bool:
        mine = (self.category, self.people, self.opened_at, self.traveller_key)
        return mine == (category, people, opened_at, key)

    # -- guards -------------------------------------------------------------
    def _check_open(self) -> None:
        if self.closed:
            raise ConflictError(f"case '{self.case}' is already closed", "case")

    def _check_after_opening(self, moment: datetime, field: str) -> None:
        if moment < self.opened_at:
            raise DomainError("must not be before the case was opened", field)

    # -- commands -----------------------------------------------------------
    def refer(self, destination: str, institution: str, referred_at: datetime, by: str) -> bool:
        """Refer the case; False when it was already referred to the same place."""
        self._check_open()
        if (destination, institution) in self.referrals:
            return False
        self._check_after_opening(referred_at, "referred_at")
        self._referred(
            operation=self.operation,
            site=self.site,
            case=self.case,
            category=self.category,
            destination=destination,
            institution=institution,
            referred_at=referred_at,
            referred_by=by,
        )
        return True

    @event("Referred")
    def _referred(
        self,
        *,
        operation: str,
        site: str,
        case: str,
        category: str,
        destination: str,
        institution: str,
        referred_at: datetime,
        referred_by: str,
    ) -> None:
        self.referrals.append((destination, institution))
        self.referred_in[f"{destination}/{institution}"] = self.version + 1  # body runs first

    def same_closure(self, reason: str, closed_at: datetime | None) -> bool:
        """Whether this closure is the one recorded (a resend without a time: same reason)."""
        if not self.closed:
            return False
        recorded_reason, recorded_at = self.closure
        return recorded_reason == reason.strip() and closed_at in (None, recorded_at)

    def close(self, reason: str, closed_at: datetime, closed_by: str) -> None:
        """A case is closed once; another closure after it is a conflict."""
        self._check_open()
        if not reason.strip():
            raise DomainError("must not be empty", "reason")
        self._check_after_opening(closed_at, "closed_at")
        self._closed(
            operation=self.operation,
            site=self.site,
            case=self.case,
            category=self.category,
            people=self.people,
            reason=reason.strip(),
            closed_at=closed_at,
            closed_by=closed_by,
        )

    @event("Closed")
    def _closed(
        self,
        *,
        operation: str,
        site: str,
        case: str,
        category: str,
        people: int,
        reason: str,
        closed_at: datetime,
        closed_by: str,
    ) -> None:
        self.closed = True
        self.closure = (reason, closed_at)
        self.closed_in = self.version + 1  # this event's version: the body runs first
