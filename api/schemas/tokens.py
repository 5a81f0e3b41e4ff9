"""Tokens as the admin endpoints take and show them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas.common import Slug, Strict
from domain.actors import Role


class TokenCreate(Strict):
    role: Role
    campaign: Slug | None = Field(None, description="the committee's (or the registrar's) campaign")
    committee: Slug | None = None
    operation: Slug | None = Field(None, description="the site's operation (site role)")
    site: Slug | None = None
    store: Slug | None = Field(None, description="a storekeeper's store (operation 'donations')")
    province: Annotated[str, Field(pattern=r"^MA-[A-Z0-9]{2,3}$")] | None = Field(
        None, description="ISO 3166-2:MA province of a registrar (with its campaign)"
    )
    label: Annotated[str, Field(max_length=200)] = ""


class TokenPublic(BaseModel):
    id: str
    role: str
    scope: str | None = Field(
        description="campaign/committee or operation/site; '(unbound)' for a refused old token"
    )
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssuedPublic(TokenPublic):
    token: str = Field(description="the bearer secret, shown this once")


class RevocationPublic(BaseModel):
    id: str
    status: str = Field(description="revoked, or unchanged when it already was")


class CallerPublic(BaseModel):
    """Who the calling token is: what the dashboard shows first."""

    id: str
    role: str
    scope: str | None = Field(description="its committee or site code")
    within: str | None = Field(description="the campaign or operation of that committee or site")
    described: str = Field(description="what the token is for, as refusals say it")
