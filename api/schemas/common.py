"""Shapes shared by every operation's API."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from domain.spelling import SHAPE, is_plausible_identifier

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
ClientId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
Mad = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


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


def _plausible_number(value: str) -> str:
    if not is_plausible_identifier(value):
        raise ValueError(SHAPE)
    return value


# A household's ID or a traveller's document number as people type it (Arabic-Indic or
# full-width digits, spaces, hyphens, dots, slashes): domain.spelling decides what is a
# number and folds its spellings into one before it is hashed.
IdentityNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=64),
    AfterValidator(_plausible_number),
]
