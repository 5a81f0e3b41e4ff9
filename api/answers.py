"""How every route answers a command: created or unchanged, position, visibility."""

from __future__ import annotations

from fastapi import Response, status

from api.deps import VisibilityDep
from api.schemas.common import CommandPublic
from domain.outcomes import Outcome


def command_answer(
    outcome: Outcome,
    visibility: VisibilityDep,
    response: Response,
    created_status: int = status.HTTP_201_CREATED,
) -> CommandPublic:
    response.status_code = created_status if outcome.created else status.HTTP_200_OK
    return CommandPublic(
        status="recorded" if outcome.created else "unchanged",
        position=outcome.position,
        visible=visibility.of(outcome.position),
    )
