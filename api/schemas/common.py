"""Shapes shared by every operation's API."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from api.schemas.amounts import Money
from domain.spelling import SHAPE, is_plausible_identifier

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
CLIENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")
]
ClientId = Annotated[str, StringConstraints(pattern=CLIENT_ID_PATTERN)]
Mad = Money  # a decimal string with a pattern, or an integer: never a float

# Every integer a request carries fits the store's BIGINT: beyond it a comparison fails in
# the database (a 500), not in validation (a 422 naming the field).
INT64_MAX = 2**63 - 1
Position = Annotated[int, Field(ge=0, le=INT64_MAX)]
Count = Annotated[int, Field(ge=1, le=INT64_MAX)]

# Date, time (minutes at least) and an offset: what RFC 3339 and ISO 8601 agree on.
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}(:?\d{2})?)"
)


def _instant_text(value: object) -> object:
    """Only an ISO 8601 string with an offset, never a number read as Unix time."""
    if isinstance(value, datetime):  # built in Python, not sent
        return value
    if not isinstance(value, str) or not _INSTANT.fullmatch(value.strip()):
        raise ValueError(
            "must be an ISO 8601 date and time with an offset, e.g. 2020-04-26T10:15:00+01:00"
        )
    return value.strip()


Instant = Annotated[AwareDatetime, BeforeValidator(_instant_text)]


def _day_text(value: object) -> object:
    """Only a calendar day as YYYY-MM-DD, never a number read as Unix time."""
    if isinstance(value, date):  # built in Python, not sent
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("must be a day written YYYY-MM-DD, e.g. 2020-04-26")
    return value.strip()


Day = Annotated[date, BeforeValidator(_day_text)]


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
    error: str = Field(
        description="the kind of error: invalid_input, rejected, not_found, conflict, busy..."
    )
    code: str | None = Field(
        None,
        description="the domain's stable reason, as batch items give it (e.g. "
        "delivery_id_reused, no_stock, listed_elsewhere); clients act on it, never on message",
    )
    message: str
    fields: list[FieldErrorPublic] = []
    request_id: str | None = None


class CommandPublic(BaseModel):
    """Answer to a command: what happened, where it sits in the log, and whether totals show it."""

    status: str = Field(
        description="recorded, unchanged when it was already recorded, or "
        "held_for_approved_period (202: kept, not counted, until its period is un-approved)"
    )
    position: int = Field(
        description="ledger position of the last event written; for a resend, which writes "
        "nothing, the position of the original it repeats (0: none)"
    )
    visible: bool = Field(description="true once every total includes this write")
    detail: dict[str, Any] | None = None
    code: str | None = Field(None, description="held_for_approved_period when held")
    reason: str | None = Field(None, description="why it is held: the approval it waits for")


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
