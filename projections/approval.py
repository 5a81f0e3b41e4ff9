"""The approval view: which unit's period is approved, by whom, when, with which figures.

Labels are last-write and never removed, so each ``LEVEL`` dimension's member
``UNIT|PERIOD`` carries a ``state`` label (approved / unapproved) beside the last
approval's who, when and figures (``figure:MEASURE``). Replayed to an instant, it is
the approval state as the ledger showed it then.
"""

from __future__ import annotations

from typing import Any

from domain.approval.book import ApprovalBook
from projections.dispatch import dispatching
from projections.tally import Delta

VIEW = "approval"
APPROVED = "approved"
UNAPPROVED = "unapproved"
FIGURE = "figure:"


def member(unit: str, period: str) -> str:
    return f"{unit}|{period}"


def _configured(d: Delta, e: Any) -> None:
    d.label(e.scope, "workflow", "", "operation", e.operation)
    d.label(e.scope, "workflow", "", "period", e.period)


def _approved(d: Delta, e: Any) -> None:
    at = member(e.unit, e.period)
    d.label(e.scope, e.level, at, "state", APPROVED)
    d.label(e.scope, e.level, at, "approved_by", e.approved_by)
    d.label(e.scope, e.level, at, "approved_at", e.timestamp.isoformat())
    for measure, value in e.figures.items():
        d.label(e.scope, e.level, at, FIGURE + measure, str(value))


def _unapproved(d: Delta, e: Any) -> None:
    for level, unit in e.units:
        d.label(e.scope, level, member(unit, e.period), "state", UNAPPROVED)


PROJECTION = dispatching(
    VIEW,
    {
        (ApprovalBook, "WorkflowConfigured"): _configured,
        (ApprovalBook, "PeriodApproved"): _approved,
        (ApprovalBook, "PeriodUnapproved"): _unapproved,
    },
)

fold = PROJECTION.fold
