"""What reception sites record: passenger movements and assistance cases."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.answers import batch_answer, command_answer
from api.deps import ActorDep, ContainerDep, VisibilityDep
from api.schemas.common import CommandPublic, ErrorPublic
from api.schemas.marhaba import (
    AdjustmentCreate,
    CaseClosureCreate,
    CaseCreate,
    MovementBatchCreate,
    MovementBatchPublic,
    ReferralCreate,
)
from api.schemas.paths import ClientIdPath, SlugPath
from api.statuses import HELD
from domain.marhaba.commands import (
    AdjustMovement,
    CloseCase,
    OpenCase,
    RecordMovement,
    ReferCase,
)

router = APIRouter(prefix="/v1/operations/{operation}/sites/{site}", tags=["marhaba"])


@router.post("/movements", response_model=MovementBatchPublic)
def record_movements(
    operation: SlugPath,
    site: SlugPath,
    body: MovementBatchCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
) -> MovementBatchPublic:
    """Record a batch of 1 to 1,000 passenger movements at a site, with an answer per item."""
    outcome = container.marhaba.record_movements(
        operation,
        site,
        [
            RecordMovement(
                reference=i.reference,
                direction=i.direction.value,
                mode=i.mode.value,
                travellers=i.travellers,
                moved_at=i.moved_at,
            )
            for i in body.items
        ],
        actor,
    )
    return batch_answer(outcome, visibility, MovementBatchPublic, "reference")


@router.post(
    "/movements/{movement}/adjustments",
    status_code=201,
    response_model=CommandPublic,
    responses={
        403: {"model": ErrorPublic, "description": "not this site's token"},
        409: {
            "model": ErrorPublic,
            "description": "another delta under this id, below zero, or the operation is "
            "closed (only an admin corrects closed books)",
        },
    },
)
def adjust_movement(
    operation: SlugPath,
    site: SlugPath,
    movement: ClientIdPath,
    body: AdjustmentCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Correct a movement's count by a signed delta, saying why; never below zero."""
    outcome = container.marhaba.adjust_movement(
        operation,
        site,
        movement,
        AdjustMovement(adjustment_id=body.adjustment_id, delta=body.delta, reason=body.reason),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/cases", status_code=201, response_model=CommandPublic, responses=HELD)
def open_case(
    operation: SlugPath,
    site: SlugPath,
    body: CaseCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Open an assistance case for a traveller or a family (no name is ever recorded)."""
    outcome = container.marhaba.cases.open(
        operation,
        site,
        OpenCase(
            case=body.case_id,
            category=body.category.value,
            people=body.people,
            opened_at=body.opened_at,
            traveller=body.traveller,
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/cases/{case}/referral", status_code=201, response_model=CommandPublic)
def refer_case(
    operation: SlugPath,
    site: SlugPath,
    case: ClientIdPath,
    body: ReferralCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Refer a case, e.g. to a Ministry of Health hospital; the same referral counts once."""
    outcome = container.marhaba.cases.refer(
        operation,
        site,
        case,
        ReferCase(
            destination=body.destination.value,
            institution=body.institution,
            referred_at=body.referred_at,
        ),
        actor,
    )
    return command_answer(outcome, visibility, response)


@router.post("/cases/{case}/closure", status_code=201, response_model=CommandPublic)
def close_case(
    operation: SlugPath,
    site: SlugPath,
    case: ClientIdPath,
    body: CaseClosureCreate,
    container: ContainerDep,
    actor: ActorDep,
    visibility: VisibilityDep,
    response: Response,
) -> CommandPublic:
    """Close a case, once: the same closure resent is 200 unchanged, another is a 409."""
    outcome = container.marhaba.cases.close(
        operation, site, case, CloseCase(reason=body.reason, closed_at=body.closed_at), actor
    )
    return command_answer(outcome, visibility, response)
