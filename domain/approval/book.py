"""An operation's approval book: every approval, un-approval and held fact of one scope.

One stream per (operation, campaign or operation slug): approvals are rare (a few a
day per unit), and a write path checks its lock by reading this one aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.approval.errors import HELD_FOR_APPROVED_PERIOD
from domain.approval.workflow import Period
from domain.ids import stream_id
from domain.outcomes import EventRef


def unit_key(level: str, unit: str, period: str) -> str:
    return f"{level}|{unit}|{period}"


@dataclass(frozen=True, slots=True)
class Approval:
    level: str
    unit: str
    period: str
    approved_by: str
    approved_at: str
    figures: dict[str, int]
    position: int  # the ledger position the figures were read at

    def describe(self) -> str:
        return (
            f"{self.level} '{self.unit}' period {self.period} was approved by "
            f"{self.approved_by} at {self.approved_at}"
        )


class ApprovalBook(Aggregate):
    @staticmethod
    def create_id(operation: str, scope: str, **_: Any) -> UUID:
        return stream_id("approval-book", operation, scope)

    @event("WorkflowConfigured")
    def __init__(self, operation: str, scope: str, period: str, configured_by: str) -> None:
        self.operation = operation
        self.scope = scope
        self.period = Period(period)
        self.approvals: dict[str, dict[str, Any]] = {}
        self.held: dict[str, dict[str, Any]] = {}
        self.approved_in: dict[str, int] = {}  # unit key -> the approving event's version

    def approval(self, level: str, unit: str, period: str) -> Approval | None:
        found = self.approvals.get(unit_key(level, unit, period))
        return Approval(**found) if found else None

    def approving_event(self, level: str, unit: str, period: str) -> EventRef | None:
        """The event that recorded an approval standing (what a resent approval repeats)."""
        version = getattr(self, "approved_in", {}).get(unit_key(level, unit, period))
        return None if version is None else EventRef(self.id, version)

    def approve(
        self, level: str, unit: str, period: str, by: str, figures: dict[str, int], position: int
    ) -> None:
        self._period_approved(
            scope=self.scope,
            level=level,
            unit=unit,
            period=period,
            approved_by=by,
            figures=figures,
            position=position,
        )

    @event("PeriodApproved")
    def _period_approved(
        self,
        scope: str,
        level: str,
        unit: str,
        period: str,
        approved_by: str,
        figures: dict[str, int],
        position: int,
    ) -> None:
        self.approved_in[unit_key(level, unit, period)] = self.version + 1  # body runs first
        self.approvals[unit_key(level, unit, period)] = {
            "level": level,
            "unit": unit,
            "period": period,
            "approved_by": approved_by,
            "approved_at": self.modified_on.isoformat(),
            "figures": dict(figures),
            "position": position,
        }

    def unapprove(self, units: list[list[str]], period: str, reason: str, by: str) -> None:
        """``units``: [level, unit] pairs, the one un-approved first, then those above it."""
        self._period_unapproved(
            scope=self.scope, units=units, period=period, reason=reason, unapproved_by=by
        )

    @event("PeriodUnapproved")
    def _period_unapproved(
        self, scope: str, units: list[list[str]], period: str, reason: str, unapproved_by: str
    ) -> None:
        for level, unit in units:
            self.approvals.pop(unit_key(level, unit, period), None)

    def hold(self, fact_id: str, level: str, unit: str, period: str, facts: dict[str, Any]) -> None:
        self._fact_held(fact_id=fact_id, level=level, unit=unit, period=period, facts=facts)

    @event("FactHeld")
    def _fact_held(
        self, fact_id: str, level: str, unit: str, period: str, facts: dict[str, Any]
    ) -> None:
        self.held[fact_id] = {
            "fact_id": fact_id,
            "level": level,
            "unit": unit,
            "period": period,
            "facts": facts,
            "held_at": self.modified_on.isoformat(),
        }

    def held_in(self, level: str, unit: str, period: str) -> list[dict[str, Any]]:
        return [
            h
            for h in self.held.values()
            if (h["level"], h["unit"], h["period"]) == (level, unit, period)
        ]

    def release(self, outcomes: dict[str, str], released_by: str) -> None:
        """``outcomes``: each released fact's answer once recorded (recorded, rejected...)."""
        if outcomes:
            self._held_facts_released(outcomes=outcomes, released_by=released_by)

    @event("HeldFactsReleased")
    def _held_facts_released(self, outcomes: dict[str, str], released_by: str) -> None:
        for fact_id, outcome in outcomes.items():
            # Held again: its period was approved again before its release was recorded.
            if outcome != HELD_FOR_APPROVED_PERIOD:
                self.held.pop(fact_id, None)
