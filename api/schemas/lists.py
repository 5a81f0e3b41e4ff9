"""Request and response shapes of the lists: enrolment, voucher changes, a committee's list."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import ErrorPublic, Reason, Slug, Strict
from api.schemas.distribution import HouseholdNumber

MAX_BATCH = 1000
VoucherCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z -]{10,14}$")
]
# What every list route may answer besides success (the JSON body names field and reason).
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "no token, or an unknown one"},
    403: {"model": ErrorPublic, "description": "the token's role or scope does not allow it"},
    404: {"model": ErrorPublic, "description": "no such campaign, committee or voucher"},
    409: {"model": ErrorPublic, "description": "contradicts the list (closed, delisted...)"},
    422: {"model": ErrorPublic, "description": "invalid input; the field and the reason"},
}


class EnrolmentCreate(Strict):
    household: HouseholdNumber = Field(
        description="national ID or social-card number; hashed at once, never stored"
    )
    committee: Slug = Field(description="the committee whose list the household joins")
    household_size: int = Field(ge=1, le=40)
    commune: Annotated[str, StringConstraints(max_length=200)] = ""


class EnrolmentBatchCreate(Strict):
    items: list[EnrolmentCreate] = Field(min_length=1, max_length=MAX_BATCH)


class EnrolmentResultPublic(BaseModel):
    index: int
    voucher: str = Field(description="the household's voucher code ('' when rejected)")
    status: str = Field(description="recorded, duplicate or rejected")
    reason: str | None = None
    field: str | None = None
    original: dict[str, Any] | None = None


class EnrolmentBatchPublic(BaseModel):
    recorded: int
    duplicate: int
    rejected: int
    position: int
    visible: bool
    items: list[EnrolmentResultPublic]


class MoveCreate(Strict):
    committee: Slug


class ReasonCreate(Strict):
    reason: Reason


class ReissuePublic(BaseModel):
    status: str
    position: int
    visible: bool
    voucher: str = Field(description="the new code; the old one is revoked")


class CommitteeListPublic(BaseModel):
    """A committee's list: no ID number, no hash, only voucher codes."""

    campaign: str
    committee: str
    position: int = Field(description="send it back as ?since= to get only later changes")
    since: int
    columns: list[str] = ["voucher", "household_size", "served_by"]
    entries: list[tuple[str, int, str | None]] = Field(
        description="listed entries (all of them, or those changed after since)"
    )
    removed: list[str] = Field(description="vouchers gone from this list after since")
