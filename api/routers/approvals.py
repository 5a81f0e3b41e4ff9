"""Approval routes: a scope's period, approve, un-approve, read approvals and held facts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api.answers import command_answer
from api.deps import ActorDep, ContainerDep, ViewReaderDep, VisibilityDep
from api.routers.exports import CSV, HxlQuery, csv_response
from api.schemas.approvals import (
    ApprovalPublic,
    ApprovalsPublic,
    CompletenessPublic,
    CompletenessRow,
    FiguresPublic,
    HeldFactPublic,
    LevelQuery,
    PeriodQuery,
    SpanQuery,
    UnapprovalCreate,
    WorkflowCreate,
    errors,
)
from api.schemas.common import CommandPublic
from domain.approval.commands import ApprovePeriod, ConfigureApprovals, UnapprovePeriod
from domain.approval.workflow import Period
from domain.clock import local_day, utc_now
from projections import approval, approved_figures, approved_hxl, completeness, completeness_report
from projections.hxl import table

router = APIRouter(prefix="/v1/approvals", tags=["approvals"])
UNIT = "/{operation}/{scope}/{level}/{unit}/{period}"


@router.put(
    "/{operation}/{scope}/workflow",
    status_code=201,
    response_model=CommandPublic,
    responses={200: {"description": "already configured so"}, **errors(401, 403, 404, 409, 422)},
)
def configure(
    operation: str,
    scope: str,
    body: WorkflowCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Choose the period a scope's figures are approved by (before its first approval)."""
    command = ConfigureApprovals(operation, scope, body.period)
    return command_answer(container.approvals.configure(command, actor), visibility, response)


@router.post(
    UNIT,
    status_code=201,
    response_model=CommandPublic,
    responses={200: {"description": "already approved"}, **errors(401, 403, 404, 409, 422, 503)},
)
def approve(
    operation: str,
    scope: str,
    level: str,
    unit: str,
    period: str,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Approve a unit's figures for a period; every unit below must be approved first."""
    outcome = container.approvals.approve(
        ApprovePeriod(operation, scope, level, unit, period), actor
    )
    return command_answer(outcome, visibility, response)


@router.post(
    UNIT + "/unapproval",
    status_code=201,
    response_model=CommandPublic,
    responses={200: {"description": "not approved (any more)"}, **errors(401, 403, 404, 422, 503)},
)
def unapprove(
    operation: str,
    scope: str,
    level: str,
    unit: str,
    period: str,
    body: UnapprovalCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Withdraw an approval (admins), saying why: it and the levels above unlock."""
    command = UnapprovePeriod(operation, scope, level, unit, period, body.reason)
    return command_answer(container.approvals.unapprove(command, actor), visibility, response)


@router.get(
    "/{operation}/{scope}", response_model=ApprovalsPublic, responses=errors(401, 403, 404, 422)
)
def list_approvals(
    operation: str, scope: str, container: ContainerDep, actor: ActorDep, reader: ViewReaderDep
) -> ApprovalsPublic:
    """Every approval standing (now, or ?as_of=), with who approved, when, and the figures."""
    container.approvals.reading.check_reader(operation, actor)
    found = reader.read(approval.VIEW, scope)
    return ApprovalsPublic(
        operation=operation,
        scope=scope,
        period=approved_figures.period_kind(found.table, operation).value,
        position=found.position,
        as_of=found.as_of,
        approvals=[ApprovalPublic(**a) for a in approved_figures.standing(found.table)],
    )


@router.get(
    "/{operation}/{scope}/figures",
    response_model=list[FiguresPublic],
    response_model_exclude_unset=True,  # only the operation's own figures
    responses=errors(401, 403, 404, 422),
)
def figures(
    operation: str, scope: str, container: ContainerDep, actor: ActorDep, reader: ViewReaderDep
) -> list[FiguresPublic]:
    """Each unit's figures per period, approved or not and up to which level (?as_of= too)."""
    return [FiguresPublic(**r) for r in _figures(operation, scope, container, actor, reader)]


@router.get(
    "/{operation}/{scope}/figures.csv",
    response_class=Response,
    responses={**CSV, **errors(401, 403, 404, 422)},
)
def figures_csv(
    operation: str,
    scope: str,
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    hxl: HxlQuery = False,
) -> Response:
    """The same figures as CSV, with an HXL hashtag row with ?hxl=1."""
    records = _figures(operation, scope, container, actor, reader)
    rows = table(approved_hxl.COLUMNS[operation], records, hxl)
    return csv_response(rows, f"{scope}-approved-figures{'-hxl' if hxl else ''}.csv")


def _figures(
    operation: str, scope: str, container: ContainerDep, actor: ActorDep, reader: ViewReaderDep
) -> list[dict[str, Any]]:
    container.approvals.reading.check_reader(operation, actor)
    counted = reader.read(completeness.VIEW, scope).table
    approvals = reader.read(approval.VIEW, scope).table
    return approved_figures.figures(counted, approvals, operation, scope)


@router.get(
    "/{operation}/{scope}/completeness",
    response_model=CompletenessPublic,
    responses=errors(401, 403, 404, 422),
)
def completeness_view(
    operation: str,
    scope: str,
    container: ContainerDep,
    actor: ActorDep,
    reader: ViewReaderDep,
    level: LevelQuery = "committee",
    period: PeriodQuery = Period.DAY,
    first: SpanQuery = None,
    last: SpanQuery = None,
) -> CompletenessPublic:
    """Expected, reported, on time, late and silent reports per unit and period, silent first.

    A committee is expected each day between its first and last delivery day, a reception
    site each day it is open (?level=site or operation), or each day from ``first`` to
    ``last`` when given; on time means recorded by the period's end plus
    TADAMON_COMPLETENESS_DELAY_DAYS.
    """
    container.approvals.reading.check_reader(operation, actor)
    found = reader.read(completeness.VIEW, scope)
    delay = container.settings.completeness_delay_days
    span = completeness_report.Span(first, last)
    rows = completeness_report.completeness(
        found.table,
        level,
        period,
        delay,
        span,
        operation,
        scope,
        local_day(found.as_of or utc_now()),
    )
    return CompletenessPublic(
        scope=scope,
        level=level,
        period=period.value,
        delay_days=delay,
        position=found.position,
        as_of=found.as_of,
        units=[CompletenessRow(**r) for r in rows],
    )


@router.get(
    "/{operation}/{scope}/held",
    response_model=list[HeldFactPublic],
    responses=errors(401, 403, 404),
)
def list_held(
    operation: str, scope: str, container: ContainerDep, actor: ActorDep
) -> list[HeldFactPublic]:
    """Facts sent for an approved period, waiting (not counted) until it is un-approved."""
    held = container.approvals.reading.held(operation, scope, actor)
    return [HeldFactPublic.model_validate(h) for h in held]
