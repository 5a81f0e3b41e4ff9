"""Admin endpoints for API tokens: list, create, revoke (the same as `tadamon tokens`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from adapters.token_tables import TokenInfo
from api.deps import ActorDep, ContainerDep
from api.presenters.tokens import scope_of
from api.schemas.common import ErrorPublic
from api.schemas.tokens import (
    CallerPublic,
    RevocationPublic,
    TokenCreate,
    TokenIssuedPublic,
    TokenPublic,
)
from domain.actors import Role
from domain.errors import NotFoundError

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "no token, an unknown or an unbound one"},
    403: {"model": ErrorPublic, "description": "not an admin token"},
}


def _public(info: TokenInfo) -> TokenPublic:
    return TokenPublic(
        id=info.token_id,
        role=info.role,
        scope=scope_of(info),
        label=info.label,
        created_at=info.created_at,
        last_used_at=info.last_used_at,
        revoked_at=info.revoked_at,
    )


@router.get("/me", response_model=CallerPublic, responses={401: REFUSED[401]})
def who_am_i(actor: ActorDep) -> CallerPublic:
    """The calling token's role and scope (any token): the dashboard shows its scope first."""
    return CallerPublic(
        id=actor.token_id,
        role=actor.role.value,
        scope=actor.scope,
        within=actor.within,
        described=actor.describe(),
    )


@router.get("", response_model=list[TokenPublic], responses=REFUSED)
def list_tokens(container: ContainerDep, actor: ActorDep) -> list[TokenPublic]:
    """Every token, oldest first, never its secret (admin)."""
    actor.check_role(Role.ADMIN)
    return [_public(info) for info in container.tokens.list()]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssuedPublic,
    responses={
        **REFUSED,
        404: {
            "model": ErrorPublic,
            "description": "no such campaign, committee, operation or site",
        },
        422: {
            "model": ErrorPublic,
            "description": "a scope missing for its role, or given for a role that takes none",
        },
    },
)
def create_token(body: TokenCreate, container: ContainerDep, actor: ActorDep) -> TokenIssuedPublic:
    """A new token; a committee token names its campaign, a site token its operation (admin)."""
    actor.check_role(Role.ADMIN)
    issued = container.tokens.issue(
        body.role,
        body.campaign or body.operation,
        body.committee or body.site or body.province or body.store,
        body.label,
    )
    [info] = container.tokens.list(issued.actor.token_id)
    return TokenIssuedPublic(token=issued.token, **_public(info).model_dump())


@router.post(
    "/{token_id}/revocation",
    status_code=status.HTTP_201_CREATED,
    response_model=RevocationPublic,
    responses={
        **REFUSED,
        200: {"model": RevocationPublic, "description": "it was already revoked"},
        404: {"model": ErrorPublic, "description": "no token with this id"},
    },
)
def revoke_token(
    token_id: str, container: ContainerDep, actor: ActorDep, response: Response
) -> RevocationPublic:
    """Revoke a token by its id: it is refused from the next request on (admin)."""
    actor.check_role(Role.ADMIN)
    revoked = container.tokens.revoke(token_id)
    if revoked is None:
        raise NotFoundError(f"no token with id '{token_id}'", "token_id")
    if not revoked:
        response.status_code = status.HTTP_200_OK
    return RevocationPublic(id=token_id, status="revoked" if revoked else "unchanged")
