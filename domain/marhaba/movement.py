"""One passenger movement at a site: a flight, a crossing, a coach or a group.

The stream id comes from (operation, site, movement reference), so the same
movement sent twice lands on the same stream and counts once. A wrong count is
never edited: an adjustment event adds a signed correction with its reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.clock import local_day
from domain.errors import ConflictError, DomainError
from domain.ids import stream_id
from domain.marhaba.vocabulary import check_count
from domain.outcomes import EventRef

REFERENCE_REUSED = "reference_reused"
MAX_TRAVELLERS = 20_000  # one record may be a whole group, like the 7,100 workers of 2020


class Movement(Aggregate):
    @staticmethod
    def create_id(operation: str, site: str, reference: str, **_: Any) -> UUID:
        return stream_id("marhaba-movement", operation, site, reference)

    @event("Recorded")
    def __init__(
        self,
        *,
        operation: str,
        site: str,
        reference: str,
        direction: str,
        mode: str,
        travellers: int,
        moved_at: datetime,
        recorded_by: str,
    ) -> None:
        self.operation = operation
        self.site = site
        self.reference = reference
        self.direction = direction
        self.mode = mode
        self.recorded_travellers = travellers
        self.travellers = travellers
        self.moved_at = moved_at
        self.adjustments: dict[str, int] = {}
        self.adjusted_in: dict[str, int] = {}  # adjustment id -> the event's version

    def same_record(self, direction: str, mode: str, travellers: int, moved_at: datetime) -> bool:
        """Whether a resend repeats this movement as first recorded (adjustments aside)."""
        mine = (self.direction, self.mode, self.recorded_travellers, self.moved_at)
        return mine == (direction, mode, travellers, moved_at)

    def summary(self) -> dict[str, Any]:
        """What a duplicate answer shows of the original record."""
        return {
            "reference": self.reference,
            "direction": self.direction,
            "mode": self.mode,
            "travellers": self.recorded_travellers,
            "travellers_now": self.travellers,
            "moved_at": self.moved_at.isoformat(),
        }

    def adjust(self, adjustment: str, delta: int, reason: str, adjusted_by: str) -> bool:
        """Correct the count; False when this adjustment id was already applied."""
        if adjustment in self.adjustments:
            if self.adjustments[adjustment] != delta:
                raise ConflictError(
                    f"adjustment '{adjustment}' was already applied with delta "
                    f"{self.adjustments[adjustment]}",
                    "adjustment_id",
                )
            return False
        if delta == 0:
            raise DomainError("must not be zero", "delta")
        if not reason.strip():
            raise DomainError("must not be empty", "reason")
        check_count(abs(delta), "delta", MAX_TRAVELLERS)
        if self.travellers + delta < 0:
            raise ConflictError(
                f"movement '{self.reference}' counts {self.travellers} travellers; "
                f"a delta of {delta} would make it negative",
                "delta",
            )
        self._adjusted(
            operation=self.operation,
            site=self.site,
            reference=self.reference,
            direction=self.direction,
            mode=self.mode,
            moved_day=local_day(self.moved_at).isoformat(),
            adjustment=adjustment,
            delta=delta,
            reason=reason,
            adjusted_by=adjusted_by,
        )
        return True

    @event("Adjusted")
    def _adjusted(
        self,
        *,
        operation: str,
        site: str,
        reference: str,
        direction: str,
        mode: str,
        moved_day: str,
        adjustment: str,
        delta: int,
        reason: str,
        adjusted_by: str,
    ) -> None:
        self.travellers += delta
        self.adjustments[adjustment] = delta
        self.adjusted_in[adjustment] = self.version + 1  # the body runs before the bump

    def adjustment_event(self, adjustment: str) -> EventRef | None:
        """The event that applied ``adjustment`` (what a resend of it repeats)."""
        version = getattr(self, "adjusted_in", {}).get(adjustment)
        return None if version is None else EventRef(self.id, version)
