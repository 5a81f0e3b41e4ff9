"""Shapes of the approval routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from api.schemas.common import Day, Reason
from domain.approval.workflow import Period

LevelQuery = Annotated[
    Literal["committee", "province", "region", "national", "site", "operation"],
    Query(description="the level units are counted at (a campaign's, or a Marhaba operation's)"),
]
PeriodQuery = Annotated[
    Literal[Period.DAY, Period.WEEK], Query(description="count by day or by ISO week")
]
SpanQuery = Annotated[
    Day | None, Query(description="YYYY-MM-DD: expect every committee or site from/to this day")
]


class WorkflowCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: Literal["day", "week", "month"]


class UnapprovalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class ApprovalPublic(BaseModel):
    level: str
    unit: str
    period: str
    approved_by: str
    approved_at: str
    figures: dict[str, int]


class ApprovalsPublic(BaseModel):
    operation: str
    scope: str
    period: str
    position: int  # the ledger position the approval view stands for
    as_of: datetime | None
    approvals: list[ApprovalPublic]


class FiguresPublic(BaseModel):
    level: str
    unit: str
    period: str
    # Each operation's own figures (the others' are left out of the answer).
    households_served: int | None = None  # distribution
    people_reached: int | None = None
    arrivals: int | None = None  # marhaba
    departures: int | None = None
    cases_opened: int | None = None
    people_assisted: int | None = None
    gifts_in_kind: int | None = None  # donations (money in centimes)
    value_received_centimes: int | None = None
    dispatches: int | None = None
    value_dispatched_centimes: int | None = None
    approved: bool
    approved_level: str | None  # the highest level that approved this unit's period


class HeldFactPublic(BaseModel):
    fact_id: str
    level: str
    unit: str
    period: str
    held_at: str
    facts: dict[str, Any]


class CompletenessRow(BaseModel):
    level: str
    unit: str
    period: str
    expected: int
    reported: int
    on_time: int
    late: int
    silent: int


class CompletenessPublic(BaseModel):
    scope: str
    level: str
    period: str
    delay_days: int
    position: int
    as_of: datetime | None
    units: list[CompletenessRow]  # the units with the most silent days first


class ErrorPublic(BaseModel):
    error: str
    message: str
    fields: list[dict[str, str]]
    request_id: str | None = None


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route gives, documented with the one error shape."""
    said = {
        401: "no token, or an unknown or revoked one",
        403: "the token's role or scope may not do this",
        404: "no such operation, level or unit",
        409: "the units below are not all approved, or the workflow is already set otherwise",
        422: "invalid input: the body names the field and the reason",
        503: "the ledger was busy; nothing was saved, send it again",
    }
    return {s: {"model": ErrorPublic, "description": said[s]} for s in statuses}
