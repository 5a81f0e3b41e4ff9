"""Request and response shapes of the distribution operation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from api.schemas.amounts import Quantity
from api.schemas.common import ClientId, Day, IdentityNumber, Instant, Mad, Reason, Slug, Strict
from api.schemas.list_totals import ListTotalsPublic

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")
]
HouseholdNumber = IdentityNumber
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()-]{6,24}$")]
MAX_BATCH = 1000


class KitItem(Strict):
    item: Name
    quantity: Quantity
    unit: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class CampaignCreate(Strict):
    slug: Slug = Field(examples=["ramadan-1441"])
    name: Name
    starts_on: Day
    ends_on: Day
    target_households: int = Field(gt=0, le=100_000_000)
    budget_mad: Mad = Field(description="budget in MAD, exact to the centime (string or integer)")
    kit_contents: list[KitItem] = Field(default_factory=list, max_length=50)
    admission: Literal["open", "listed"] = Field(
        "open", description="listed: only households on a committee's list receive a kit"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> CampaignCreate:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class QuotaCreate(Strict):
    households: int = Field(ge=0, le=100_000_000)


class CommitteeCreate(Strict):
    code: Slug
    name: Name
    province: Annotated[str, StringConstraints(min_length=2, max_length=10)] = Field(
        examples=["MA-CAS"]
    )
    commune: Annotated[str, StringConstraints(max_length=200)] = ""


class StockCreate(Strict):
    quantity: int = Field(gt=0, le=1_000_000)
    reference: ClientId = Field(description="delivery note number; resending it counts once")


class ContactCreate(Strict):
    """A beneficiary's name and phone: encrypted under the household's own key at once."""

    name: Name | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _something_given(self) -> ContactCreate:
        if self.name is None and self.phone is None:
            raise ValueError("give a name, a phone, or leave contact out")
        return self

    def fields(self) -> dict[str, str]:
        return {k: v for k, v in (("name", self.name), ("phone", self.phone)) if v is not None}


class DeliveryCreate(Strict):
    delivery_id: ClientId = Field(description="made by the client; resending it counts once")
    committee: Slug
    household: HouseholdNumber | None = Field(
        None, description="national ID or social-card number; hashed at once, never stored"
    )
    voucher: Annotated[str, StringConstraints(max_length=20)] | None = Field(
        None, description="the household's voucher code, instead of its ID number"
    )
    household_size: int = Field(ge=1, le=40)
    delivered_at: Instant
    contact: ContactCreate | None = Field(
        None, description="optional; stored only encrypted, erasable with `tadamon forget`"
    )
    off_list_reason: Reason | None = Field(
        None, description="admin only: why a listed campaign serves a household off its lists"
    )

    @model_validator(mode="after")
    def _one_household(self) -> DeliveryCreate:
        if (self.household is None) == (self.voucher is None):
            raise ValueError("name the household by household or by voucher (one of them)")
        return self


class DeliveryBatchCreate(Strict):
    items: list[DeliveryCreate] = Field(min_length=1, max_length=MAX_BATCH)


class ReversalCreate(Strict):
    reason: Reason


class ClosureCreate(Strict):
    reason: Reason = "campaign completed"


class DeliveryResultPublic(BaseModel):
    index: int
    delivery_id: str
    status: str = Field(description="recorded, duplicate or rejected")
    reason: str | None = None
    code: str | None = Field(
        None, description="a stable reason code a client may act on, e.g. delivery_id_reused"
    )
    field: str | None = None
    original: dict[str, Any] | None = None


class DeliveryBatchPublic(BaseModel):
    recorded: int
    duplicate: int
    rejected: int
    position: int
    visible: bool
    items: list[DeliveryResultPublic]


class CampaignPublic(BaseModel):
    slug: str
    name: str
    starts_on: date
    ends_on: date
    target_households: int
    budget_mad: str
    kit_contents: list[dict[str, Any]]
    quotas: dict[str, int]
    closed: bool
    admission: str = "open"


class CampaignSummaryPublic(BaseModel):
    slug: str
    name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    closed_at: str | None = None


class PlaceTotalsPublic(ListTotalsPublic):
    code: str
    name_ar: str | None = None
    name_fr: str | None = None
    name_en: str | None = None
    region: str | None = None
    quota: int = 0
    kits_dispatched: int = 0
    kits_in_stock: int = 0
    households_served: int = 0
    people_reached: int = 0
    deliveries_reversed: int = 0
    committees: int = 0


class CommitteeTotalsPublic(ListTotalsPublic):
    code: str
    name: str | None
    province: str | None
    commune: str | None
    kits_dispatched: int
    kits_in_stock: int
    households_served: int
    people_reached: int
    deliveries_reversed: int


class DayTotalsPublic(BaseModel):
    day: date
    households_served: int
    people_reached: int


class RegionDayTotalsPublic(DayTotalsPublic):
    region: str = Field(description="ISO 3166-2:MA region code")


class AfterClosurePublic(BaseModel):
    """Corrections an admin made after the campaign was closed, already in the totals."""

    deliveries_reversed: int
    households_served: int = Field(description="change to households served since closure")
    people_reached: int = Field(description="change to people reached since closure")


class CampaignTotalsPublic(ListTotalsPublic):
    campaign: str
    name: str | None
    starts_on: date | None
    ends_on: date | None
    closed_at: str | None
    after_closure: AfterClosurePublic
    target_households: int
    budget_mad: str
    quota: int
    kits_dispatched: int
    kits_in_stock: int
    households_served: int
    people_reached: int
    deliveries_reversed: int
    committees: int
    admission: str = Field("open", description="open, or listed: only listed households")
    position: int = Field(description="these totals include every event up to this ledger position")
    as_of: datetime | None = Field(
        None, description="set when these totals were replayed as of this instant"
    )
    as_of_checkpoint: int | None = Field(
        None,
        description="with ?as_of=: the position of the checkpoint the replay started from "
        "(0: from the first event)",
    )
    regions: list[PlaceTotalsPublic]
    provinces: list[PlaceTotalsPublic]
    committee_totals: list[CommitteeTotalsPublic]
    days: list[DayTotalsPublic]
    region_days: list[RegionDayTotalsPublic] = Field(
        description="each region on each day it served anyone"
    )


class ContactPublic(BaseModel):
    name: str | None = None
    phone: str | None = None


class DeliveryPublic(BaseModel):
    """One delivery as recorded; reading its contact is logged for the auditor."""

    campaign: str
    delivery_id: str
    committee: str
    province: str
    household_size: int
    delivered_at: datetime
    reversed: bool
    contact_status: str = Field(description="none, shown, or erased (its key was destroyed)")
    contact: ContactPublic | None = None
