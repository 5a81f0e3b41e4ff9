"""Request and response shapes of the Marhaba operation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    model_validator,
)

from api.schemas.common import ClientId, Day, IdentityNumber, Instant, Reason, Slug, Strict
from api.schemas.distribution import MAX_BATCH, Name
from domain.marhaba.case import MAX_PEOPLE
from domain.marhaba.movement import MAX_TRAVELLERS
from domain.marhaba.vocabulary import Category, Destination, Direction, Mode, SiteKind


def _assigned_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("not an assigned ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$"),
    AfterValidator(_assigned_country),
]
TravellerDocument = IdentityNumber


class OperationCreate(Strict):
    slug: Slug = Field(examples=["marhaba-2020"])
    name: Name
    starts_on: Day
    ends_on: Day

    @model_validator(mode="after")
    def _dates_in_order(self) -> OperationCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class SiteCreate(Strict):
    code: Slug = Field(examples=["port-genoa"])
    name: Name
    kind: SiteKind
    city: Name
    country: Country = Field(examples=["IT"])
    opens_on: Day | None = Field(None, description="default: the operation's first day")
    closes_on: Day | None = Field(None, description="default: the operation's last day")
    province: str | None = Field(
        None,
        description="for a site in Morocco, its prefecture or province (ISO 3166-2:MA), "
        "so that exports place its figures",
        examples=["MA-CAS"],
    )


class MovementCreate(Strict):
    reference: ClientId = Field(
        description="the movement's own id (flight, crossing, coach); resending it counts once",
        examples=["AT800-2020-07-15"],
    )
    direction: Direction
    mode: Mode
    travellers: int = Field(ge=1, le=MAX_TRAVELLERS)
    moved_at: Instant


class MovementBatchCreate(Strict):
    items: list[MovementCreate] = Field(min_length=1, max_length=MAX_BATCH)


class AdjustmentCreate(Strict):
    adjustment_id: ClientId = Field(description="made by the client; resending it counts once")
    delta: int = Field(ge=-MAX_TRAVELLERS, le=MAX_TRAVELLERS, description="signed, never 0")
    reason: Reason


class CaseCreate(Strict):
    case_id: ClientId = Field(description="made by the client; resending it counts once")
    category: Category
    people: int = Field(ge=1, le=MAX_PEOPLE, description="how many people the case covers")
    opened_at: Instant
    traveller: TravellerDocument | None = Field(
        None, description="passport or ID number; hashed at once, never stored"
    )


class ReferralCreate(Strict):
    destination: Destination
    institution: Annotated[str, StringConstraints(max_length=200)] = ""
    referred_at: Instant | None = Field(None, description="default: now")


class CaseClosureCreate(Strict):
    reason: Reason = "assistance completed"
    closed_at: Instant | None = Field(None, description="default: now")


class SiteClosureCreate(Strict):
    reason: Reason = "site closed"


class OperationClosureCreate(Strict):
    reason: Reason = "operation completed"


class MovementResultPublic(BaseModel):
    index: int
    reference: str
    status: str = Field(description="recorded, duplicate or rejected")
    reason: str | None = None
    code: str | None = Field(
        None, description="a stable reason code a client may act on, e.g. delivery_id_reused"
    )
    field: str | None = None
    original: dict[str, Any] | None = None


class MovementBatchPublic(BaseModel):
    recorded: int
    duplicate: int
    rejected: int
    position: int
    visible: bool
    items: list[MovementResultPublic]


class SitePublic(BaseModel):
    code: str
    name: str
    kind: str
    city: str
    country: str
    opens_on: date
    closes_on: date
    province: str | None = None
    region: str | None = None
    closed: bool


class OperationSummaryPublic(BaseModel):
    slug: str
    name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    closed_at: str | None = None


class OperationPublic(BaseModel):
    slug: str
    name: str
    starts_on: date
    ends_on: date
    closed: bool
    sites: list[SitePublic]


class TravelTotals(BaseModel):
    arrivals: int
    departures: int
    movements: int
    adjustments: int


class AssistanceTotals(BaseModel):
    cases_opened: int
    cases_closed: int
    open_cases: int
    people_assisted: int
    referrals: int


class SiteTotalsPublic(TravelTotals, AssistanceTotals):
    code: str
    name: str | None
    kind: str | None
    city: str | None
    country: str | None
    province: str | None = None
    region: str | None = None
    opens_on: date | None
    closes_on: date | None
    closed_at: str | None


class DayTotalsPublic(BaseModel):
    day: date
    arrivals: int
    departures: int
    movements: int
    cases_opened: int
    people_assisted: int


class SiteDayTotalsPublic(DayTotalsPublic):
    site: str


class ModeTotalsPublic(TravelTotals):
    mode: str


class CategoryTotalsPublic(AssistanceTotals):
    category: str


class DestinationTotalsPublic(BaseModel):
    destination: str
    referrals: int


class AfterClosurePublic(BaseModel):
    """Adjustments an admin made after the operation was closed, already in the totals."""

    adjustments: int
    arrivals: int = Field(description="change to arrivals since closure")
    departures: int = Field(description="change to departures since closure")


class OperationTotalsPublic(TravelTotals, AssistanceTotals):
    operation: str
    name: str | None
    starts_on: date | None
    ends_on: date | None
    closed_at: str | None
    after_closure: AfterClosurePublic
    sites_registered: int
    sites_closed: int
    position: int = Field(description="these totals include every event up to this ledger position")
    as_of: datetime | None = Field(
        None, description="set when these totals were replayed as of this instant"
    )
    as_of_checkpoint: int | None = Field(
        None,
        description="with ?as_of=: the position of the checkpoint the replay started from "
        "(0: from the first event)",
    )
    sites: list[SiteTotalsPublic]
    days: list[DayTotalsPublic]
    site_days: list[SiteDayTotalsPublic] = Field(description="each site on each day it counted")
    modes: list[ModeTotalsPublic]
    categories: list[CategoryTotalsPublic]
    destinations: list[DestinationTotalsPublic]
