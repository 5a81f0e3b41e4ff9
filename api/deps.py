"""FastAPI dependencies: the container, the caller, waiting for visibility."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from adapters.bootstrap import Container
from api.errors import UnauthorizedError
from api.schemas.common import INT64_MAX, Instant
from domain.actors import Actor, Role
from domain.outcomes import EventRef
from projections.tally import Table

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

    def position(self, written: int, originals: Iterable[EventRef | None] = ()) -> int:
        """The position an answer gives: the last event written, or (for a resend, which
        writes nothing) the last of the original events it repeats."""
        refs = [ref for ref in originals if ref is not None]
        found = self.container.positions.positions(refs) if refs else {}
        return max(written, *found.values(), 0)


VisibilityDep = Annotated[Visibility, Depends(Visibility)]


def auditor(actor: ActorDep) -> Actor:
    """The audit routes are for auditors (and admins, who can do everything)."""
    actor.check_role(Role.AUDITOR, Role.ADMIN)
    return actor


AuditorDep = Annotated[Actor, Depends(auditor)]


def _plus_restored(value: object) -> object:
    # An unencoded '+' in a query string arrives as a space: "10:00:00 01:00".
    if isinstance(value, str):
        return re.sub(r" (\d{2}:?\d{2})$", r"+\1", value.strip(" ")) if " " in value else value
    return value


AsOf = Annotated[Instant, BeforeValidator(_plus_restored)]
AsOfQuery = Annotated[
    AsOf | None,
    Query(
        description="RFC 3339 instant, e.g. 2020-04-26T18:00:00Z: the totals as the ledger "
        "showed them then, replayed from the events alone",
    ),
]
MinPositionQuery = Annotated[
    int,
    Query(
        ge=0,
        le=INT64_MAX,
        description="wait (bounded) until the totals include this ledger position",
    ),
]


@dataclass(frozen=True, slots=True)
class ViewRows:
    """One scope of a view, and the position (and instant, if any) it stands for."""

    table: Table
    position: int
    as_of: datetime | None
    checkpoint: int | None = None


class ViewReader:
    """What every totals route reads: the live view, or with ?as_of= a replay of the ledger."""

    def __init__(
        self, container: ContainerDep, as_of: AsOfQuery = None, min_position: MinPositionQuery = 0
    ) -> None:
        self.container = container
        self.as_of = as_of
        self.min_position = min_position

    def read(self, view: str, scope: str) -> ViewRows:
        container = self.container
        if self.as_of is not None:
            replayed = container.audit.as_of(view, scope, self.as_of)
            return ViewRows(replayed.table, replayed.position, self.as_of, replayed.checkpoint)
        container.live.wait_for(self.min_position, container.settings.visibility_wait_seconds)
        position = container.views.positions([view])[view]
        return ViewRows(container.views.table(view, scope), position, None)


ViewReaderDep = Annotated[ViewReader, Depends(ViewReader)]
