"""The stream an approval and the writes to its unit's period contend on.

Reading a lock is not enough: a batch that read "not approved" could save a fact in a
period approved a moment later. So every write that changes a unit's figures for a
period appends to that (unit, period)'s seal in the same atomic save as its facts, and
so does the approval (and the un-approval). Whoever saves second finds the seal's
version taken and decides again, now seeing the other's write: the approved figures
always equal the events' figures, and a fact refused or held is never lost.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from domain.approval.book import Approval
from domain.ids import stream_id
from domain.ledger import Ledger


class PeriodSeal(Aggregate):
    @staticmethod
    def create_id(operation: str, scope: str, unit: str, period: str, **_: Any) -> UUID:
        return stream_id("period-seal", operation, scope, unit, period)

    @event("SealOpened")
    def __init__(self, operation: str, scope: str, unit: str, period: str) -> None:
        self.operation = operation
        self.scope = scope
        self.unit = unit
        self.period = period
        self.approved: dict[str, Any] | None = None

    @property
    def approval(self) -> Approval | None:
        """The approval that locks this unit's period, while it stands."""
        return Approval(**self.approved) if self.approved else None

    def seal(self, approval: Approval) -> None:
        self._period_sealed(
            level=approval.level,
            approved_by=approval.approved_by,
            approved_at=approval.approved_at,
            figures=dict(approval.figures),
            position=approval.position,
        )

    @event("PeriodSealed")
    def _period_sealed(
        self, level: str, approved_by: str, approved_at: str, figures: dict[str, int], position: int
    ) -> None:
        self.approved = {
            "level": level,
            "unit": self.unit,
            "period": self.period,
            "approved_by": approved_by,
            "approved_at": approved_at,
            "figures": figures,
            "position": position,
        }

    def unseal(self, reason: str, by: str) -> None:
        self._period_unsealed(reason=reason, unsealed_by=by)

    @event("PeriodUnsealed")
    def _period_unsealed(self, reason: str, unsealed_by: str) -> None:
        self.approved = None

    def count(self, recorded: int, held: int, by: str) -> None:
        """Note a save's writes to this period: what contends with an approval."""
        self._writes_counted(recorded=recorded, held=held, written_by=by)

    @event("WritesCounted")
    def _writes_counted(self, recorded: int, held: int, written_by: str) -> None:
        pass


def load_seal(ledger: Ledger, operation: str, scope: str, unit: str, period: str) -> PeriodSeal:
    """A unit's seal for a period key, read afresh (a new one when none is stored)."""
    try:
        found: PeriodSeal = ledger.repository.get(
            PeriodSeal.create_id(operation, scope, unit, period)
        )
    except AggregateNotFoundError:
        found = PeriodSeal(operation, scope, unit, period)
    return found
