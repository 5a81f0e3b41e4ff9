"""Approval routes: a scope's period, approve, un-approve, read approvals and held facts."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.answers import command_answer
from api.deps import ActorDep, ContainerDep, VisibilityDep
from api.schemas.approvals import (
    ApprovalPublic,
    ApprovalsPublic,
    HeldFactPublic,
    UnapprovalCreate,
    WorkflowCreate,
    errors,
)
from api.schemas.common import CommandPublic
from domain.approval.commands import ApprovePeriod, ConfigureApprovals, UnapprovePeriod

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


@router.get("/{operation}/{scope}", response_model=ApprovalsPublic, responses=errors(401, 403, 404))
def list_approvals(
    operation: str, scope: str, container: ContainerDep, actor: ActorDep
) -> ApprovalsPublic:
    """Every approval standing now, with who approved, when, and the figures approved."""
    reading = container.approvals.reading
    return ApprovalsPublic(
        operation=operation,
        scope=scope,
        period=reading.period(operation, scope, actor).value,
        approvals=[
            ApprovalPublic.model_validate(a, from_attributes=True)
            for a in reading.approvals(operation, scope, actor)
        ],
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
