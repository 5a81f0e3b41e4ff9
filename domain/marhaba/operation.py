"""A Marhaba operation (e.g. ``marhaba-2020``): its dates, sites and closure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.clock import local_day
from domain.errors import ConflictError, DomainError
from domain.ids import check_code, stream_id


class Operation(Aggregate):
    """Holds the dates every recording must fall within, and the list of its sites.

    Every event names its operation so that folds need nothing but the event.
    """

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        return stream_id("marhaba-operation", slug)

    @classmethod
    def launch(
        cls, *, slug: str, name: str, starts_on: date, ends_on: date, launched_by: str
    ) -> Operation:
        check_code(slug, "slug")
        if not name.strip():
            raise DomainError("must not be empty", "name")
        if ends_on < starts_on:
            raise DomainError("must not be before starts_on", "ends_on")
        return cls(
            slug=slug,
            name=name.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            launched_by=launched_by,
        )

    @event("Launched")
    def __init__(
        self, *, slug: str, name: str, starts_on: date, ends_on: date, launched_by: str
    ) -> None:
        self.slug = slug
        self.name = name
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.sites: list[str] = []
        self.closed = False

    def same_launch(self, name: str, starts_on: date, ends_on: date) -> bool:
        return (self.name, self.starts_on, self.ends_on) == (name.strip(), starts_on, ends_on)

    # -- guards -------------------------------------------------------------
    def check_open(self) -> None:
        if self.closed:
            raise ConflictError(f"operation '{self.slug}' is closed", "operation")

    def check_within(self, day: date, field: str) -> None:
        if not self.starts_on <= day <= self.ends_on:
            raise DomainError(
                f"{day.isoformat()} is outside the operation "
                f"({self.starts_on.isoformat()} to {self.ends_on.isoformat()})",
                field,
            )

    def check_moment(self, moment: datetime, field: str) -> None:
        self.check_within(local_day(moment), field)

    # -- commands -----------------------------------------------------------
    def add_site(self, code: str, added_by: str) -> None:
        self.check_open()
        if code in self.sites:
            raise ConflictError(f"site '{code}' is already part of '{self.slug}'", "code")
        self._site_added(operation=self.slug, site=code, added_by=added_by)

    @event("SiteAdded")
    def _site_added(self, operation: str, site: str, added_by: str) -> None:
        self.sites.append(site)

    def close(self, closed_by: str, reason: str) -> bool:
        """Close once; False when this closure (same reason) is resent."""
        if self.closed and getattr(self, "closed_because", None) == reason:
            return False
        self.check_open()
        self._closed(operation=self.slug, closed_by=closed_by, reason=reason)
        return True

    @event("Closed")
    def _closed(self, operation: str, closed_by: str, reason: str) -> None:
        self.closed = True
        self.closed_because = reason
        self.closed_in = self.version + 1  # this event's version: the body runs first

    def note_adjustment_after_closure(
        self, movement: Any, adjustment: str, delta: int, reason: str, corrected_by: str
    ) -> None:
        """Closed books take a correction only as a note of its own, that totals show apart."""
        self._corrected_after_closure(
            operation=self.slug,
            site=movement.site,
            reference=movement.reference,
            direction=movement.direction,
            adjustment=adjustment,
            delta=delta,
            reason=reason,
            corrected_by=corrected_by,
        )

    @event("CorrectedAfterClosure")
    def _corrected_after_closure(
        self,
        operation: str,
        site: str,
        reference: str,
        direction: str,
        adjustment: str,
        delta: int,
        reason: str,
        corrected_by: str,
    ) -> None:
        pass
