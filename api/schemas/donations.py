"""Request and response shapes of the donation operation.

Money fields take a string ("619480.75") or an integer, never a JSON float: a
float has already rounded the centimes away before any code can see it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.amounts import Money, Quantity
from api.schemas.common import ClientId, Instant, Reason, Slug, Strict

MAX_LINES = 200


ExactMad = Money
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")
]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
Category = Annotated[str, Field(examples=["medical-equipment"])]


class DonorCreate(Strict):
    code: Slug = Field(examples=["auto-hall"], description="the donor's code in every report")
    kind: Literal["company", "association", "individual"]
    name: Name | None = Field(
        None, description="company or association name; never given for a private donor"
    )


class DonorPublic(BaseModel):
    code: str
    kind: str
    name: str
    anonymous: bool


class CashCreate(Strict):
    donor: Slug
    receipt: ClientId = Field(description="receipt number; the same receipt counts once")
    direction: Literal["received", "paid-out"] = "received"
    amount_mad: ExactMad
    fund: Slug = Field(examples=["covid-19-special-fund"], description="fund or purpose")
    occurred_at: Instant


class GiftLineCreate(Strict):
    item: ItemCode = Field(examples=["masks"], description="stock key of the item in its store")
    category: Category
    description: Name
    quantity: Quantity
    unit: Unit = Field(examples=["piece"])
    value_mad: ExactMad | None = Field(None, description="declared value; null when unknown")


class InKindCreate(Strict):
    donor: Slug
    receipt: ClientId = Field(description="receipt number; the same receipt counts once")
    store: Slug
    received_at: Instant
    appeal: Slug | None = None
    lines: list[GiftLineCreate] = Field(min_length=1, max_length=MAX_LINES)


class ValuationCorrectionCreate(Strict):
    value_mad: ExactMad
    reason: Reason


class AppealCreate(Strict):
    name: Name
    declared_total_mad: ExactMad
    source: Reason = Field(examples=["2020 activity report"])


class StoreCreate(Strict):
    code: Slug
    name: Name
    city: Name


class DispatchLineCreate(Strict):
    item: ItemCode
    quantity: Quantity


class DispatchCreate(Strict):
    dispatch: ClientId = Field(description="delivery note number; resending it counts once")
    recipient: Slug
    recipient_kind: Literal["hospital", "elderly-centre", "children-centre", "association"]
    recipient_name: Name
    dispatched_at: Instant
    lines: list[DispatchLineCreate] = Field(min_length=1, max_length=MAX_LINES)


class AcknowledgementCreate(Strict):
    received_at: Instant
    reference: ClientId = Field(description="the recipient's receipt or stamp number")
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class ShipmentItemCreate(Strict):
    category: Category
    description: Name
    tonnes: Quantity


class ShipmentCreate(Strict):
    code: Slug = Field(examples=["beirut-airlift-2020"])
    destination_country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(
        examples=["LB"]
    )
    destination: Name
    departed_at: Instant
    appeal: Slug | None = None
    items: list[ShipmentItemCreate] = Field(min_length=1, max_length=MAX_LINES)


class LinePublic(BaseModel):
    line: int
    item: str
    category: str
    description: str
    quantity: str
    unit: str
    declared_value_mad: str | None = Field(description="the value as first recorded")
    value_mad: str | None = Field(description="the value after every correction")


class CorrectionPublic(BaseModel):
    line: int
    previous_mad: str | None
    value_mad: str
    reason: str
    corrected_by: str
    corrected_at: datetime


class DonationPublic(BaseModel):
    donation: str
    type: Literal["cash", "in-kind"]
    donor: str
    receipt: str
    direction: str | None = None
    amount_mad: str | None = None
    fund: str | None = None
    occurred_at: datetime | None = None
    store: str | None = None
    appeal: str | None = None
    received_at: datetime | None = None
    lines: list[LinePublic] = []
    corrections: list[CorrectionPublic] = []


class StockPublic(BaseModel):
    item: str
    unit: str
    quantity: str
    value_mad: str
    unvalued_quantity: str


class DispatchCorrectionPublic(CorrectionPublic):
    """A valuation correction of a gift line this dispatch drew from, made after it left."""

    donation: str


class DispatchPublic(BaseModel):
    dispatch: str
    recipient: str
    recipient_kind: str
    dispatched_at: datetime
    value_mad: str = Field(description="restated: at the values its goods have now, as totals")
    value_at_dispatch_mad: str = Field(description="what it was worth when it left the store")
    corrections: list[DispatchCorrectionPublic] = Field(
        description="the valuation corrections that changed it since it left"
    )
    acknowledged_at: datetime | None
    acknowledgement_reference: str | None


class StorePublic(BaseModel):
    code: str
    name: str
    city: str
    stock: list[StockPublic]
    dispatches: list[DispatchPublic]


class ShipmentPublic(BaseModel):
    code: str
    destination_country: str
    destination: str
    departed_at: datetime
    appeal: str | None
    tonnes: str
    kinds: int
    items: list[dict[str, str]]
