"""Shapes of the field tools: spreadsheet imports, KoboToolbox forms, the activity feed."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import Slug, Strict

KoboKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]
RecordField = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]


class ProblemPublic(BaseModel):
    row: int = Field(description="the row number the spreadsheet shows (the header is row 1)")
    column: str
    value: str | None = Field(description='the cell as typed; "(hidden)" for ID numbers')
    reason: str


class ImportRowPublic(BaseModel):
    row: int
    id: str = Field(description="the row's delivery id (or other client id)")
    status: str = Field(
        description="recorded, duplicate, rejected; or valid: would be recorded, but nothing "
        "was saved (dry run, or an all-or-nothing file with errors)"
    )
    problems: list[ProblemPublic] = []
    original: dict[str, Any] | None = None


class ImportPublic(BaseModel):
    kind: str
    scope: str
    mode: str = Field(description="record, dry_run or all_or_nothing")
    committed: bool = Field(description="true if anything was saved")
    position: int
    visible: bool
    rows: int
    recorded: int
    valid: int
    duplicate: int
    rejected: int
    errors: list[ProblemPublic] = Field(description="every problem, row by row")
    items: list[ImportRowPublic]


class KoboFormCreate(Strict):
    kind: Slug = Field("deliveries", description="what the form's submissions record")
    scope: Slug = Field(description="the campaign (or operation) they belong to")
    fields: dict[RecordField, KoboKey] = Field(
        description="record field -> Kobo field, e.g. {'household': 'beneficiary/cin'}"
    )
    constants: dict[RecordField, Annotated[str, StringConstraints(max_length=120)]] = Field(
        default_factory=dict, description="record field -> fixed value, e.g. one form per committee"
    )
    rotate_secret: bool = Field(False, description="issue a new secret (the old one stops working)")


class KoboFormPublic(BaseModel):
    form: str
    kind: str
    scope: str
    fields: dict[str, str]
    constants: dict[str, str]
    secret: str | None = Field(
        None,
        description="shown once, when the form is first mapped or its secret rotated: put it "
        "in Kobo's REST service as the basic-auth password (any user name) or as a "
        "custom header 'Authorization: Bearer <secret>'",
    )


class KoboAnswerPublic(BaseModel):
    status: str = Field(description="recorded, duplicate (a Kobo retry) or corrected (an edit)")
    id: str
    replaces: str | None = None
    position: int
    original: dict[str, Any] | None = None


class ActivityPublic(BaseModel):
    position: int
    at: str
    type: str
    details: dict[str, str | int]


class ActivityFeedPublic(BaseModel):
    head: int = Field(description="the ledger's last position")
    items: list[ActivityPublic]
