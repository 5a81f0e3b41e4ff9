"""FastAPI dependencies: the container, the caller, waiting for visibility."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.bootstrap import Container
from api.errors import UnauthorizedError
from domain.actors import Actor

bearer = HTTPBearer(auto_error=False, description="a token from `tadamon tokens create`")


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def current_actor(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("send 'Authorization: Bearer <token>'")
    actor = container.tokens.authenticate(credentials.credentials)
    if actor is None:
        raise UnauthorizedError("unknown or revoked token")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]
WaitDep = Annotated[bool, Query(description="wait until totals include this write")]


class Visibility:
    """Tells a writer whether its effect shows in the totals, optionally waiting for it."""

    def __init__(self, container: ContainerDep, wait: WaitDep = False) -> None:
        self.container = container
        self.wait = wait

    def of(self, position: int) -> bool:
        timeout = self.container.settings.visibility_wait_seconds if self.wait else 0.0
        return self.container.live.wait_for(position, timeout)


VisibilityDep = Annotated[Visibility, Depends(Visibility)]
