"""Shapes shared by every operation's API."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.schemas.amounts import Money

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
CLIENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")
]
ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN)]
Mad = Money  # a decimal string with a pattern, or an integer: never a float


def centimes(amount: Decimal) -> int:
    """Exact conversion: Decimal dirhams to integer centimes, never through float."""
    return int(amount * 100)


def mad(amount_centimes: int) -> str:
    return str((Decimal(amount_centimes) / 100).quantize(Decimal("0.01")))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FieldErrorPublic(BaseModel):
    field: str
    reason: str


class ErrorPublic(BaseModel):
    error: str
    message: str
    fields: list[FieldErrorPublic] = []
    request_id: str | None = None


class CommandPublic(BaseModel):
    """Answer to a command: what happened, where it sits in the log, and whether totals show it."""

    status: str = Field(description="recorded, or unchanged when it was already recorded")
    position: int = Field(description="ledger position of the last event written (0: none)")
    visible: bool = Field(description="true once every total includes this write")
    detail: dict[str, Any] | None = None
