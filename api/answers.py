"""How every route answers a command: created or unchanged, position, visibility."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from api.deps import VisibilityDep
from api.schemas.common import CommandPublic
from domain.approval.errors import HELD_FOR_APPROVED_PERIOD
from domain.outcomes import BatchOutcome, ItemStatus, Outcome

B = TypeVar("B", bound=BaseModel)


class PemResponse(PlainTextResponse):
    """A PEM key, documented with the media type it is sent with."""

    media_type = "application/x-pem-file"


def command_answer(
    outcome: Outcome,
    visibility: VisibilityDep,
    response: Response,
    created_status: int = status.HTTP_201_CREATED,
) -> CommandPublic:
    if outcome.held is not None:  # kept, not counted: 202, naming the approval
        return held_answer(outcome, visibility, response)
    response.status_code = created_status if outcome.created else status.HTTP_200_OK
    position = visibility.position(outcome.position, [outcome.original])
    return CommandPublic(
        status="recorded" if outcome.created else "unchanged",
        position=position,
        visible=visibility.of(position),
    )


def held_answer(outcome: Outcome, visibility: VisibilityDep, response: Response) -> CommandPublic:
    """A new fact dated in an approved period: held in the approval book until un-approval."""
    response.status_code = status.HTTP_202_ACCEPTED
    position = visibility.position(outcome.position, [])
    return CommandPublic(
        status=HELD_FOR_APPROVED_PERIOD,
        position=position,
        visible=visibility.of(position),
        code=HELD_FOR_APPROVED_PERIOD,
        reason=outcome.held,
    )


def batch_answer(
    outcome: BatchOutcome, visibility: VisibilityDep, answer: type[B], id_field: str
) -> B:
    """Counts per status and one answer per item; ``id_field`` names the client's item id."""
    items: list[dict[str, Any]] = [
        {
            "index": r.index,
            id_field: r.item_id,
            "status": r.status.value,
            "reason": r.reason,
            "code": r.code,
            "field": r.field,
            "original": r.original,
        }
        for r in outcome.items
    ]
    position = visibility.position(outcome.position, outcome.originals)
    return answer.model_validate(
        {
            "recorded": outcome.count(ItemStatus.RECORDED),
            "duplicate": outcome.count(ItemStatus.DUPLICATE),
            "rejected": outcome.count(ItemStatus.REJECTED),
            "position": position,
            "visible": visibility.of(position),
            "items": items,
        }
    )
