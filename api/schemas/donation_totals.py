"""Response shape of GET /v1/donations/totals. Money in MAD strings, quantities as decimals."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class GiftTotals(BaseModel):
    cash_received_mad: str
    cash_paid_out_mad: str
    in_kind_mad: str
    value_received_mad: str = Field(description="cash received plus in-kind value")
    in_kind_lines: int
    unvalued_lines: int = Field(description="in-kind lines whose value is still unknown")


class DonorTotalsPublic(GiftTotals):
    code: str
    kind: str | None
    name: str


class MonthTotalsPublic(GiftTotals):
    month: str = Field(description="Africa/Casablanca month, YYYY-MM")
    dispatches: int = Field(description="dispatches of goods that left the stores this month")
    value_at_dispatch_mad: str = Field(
        description="what they were worth when they left (later revaluations restate no month)"
    )


class CategoryTotalsPublic(BaseModel):
    category: str
    in_kind_mad: str
    in_kind_lines: int
    unvalued_lines: int


class FundTotalsPublic(BaseModel):
    fund: str
    received_mad: str
    paid_out_mad: str


class GoodsPublic(BaseModel):
    item: str | None
    unit: str | None
    quantity: str
    value_mad: str = Field(description="known value; goods of unknown value count as zero")
    unvalued_quantity: str


class StockTotalsPublic(GoodsPublic):
    store: str | None
    category: str | None
    description: str | None


class DispatchedTotals(BaseModel):
    value_dispatched_mad: str = Field(
        description="restated: at the values the goods have now, after valuation corrections"
    )
    value_at_dispatch_mad: str = Field(description="what the goods were worth when they left")
    restated_by_mad: str = Field(description="the corrections made after dispatch, in MAD")


class StoreTotalsPublic(DispatchedTotals):
    code: str
    name: str | None
    city: str | None
    value_on_hand_mad: str
    dispatches: int


class RecipientTotalsPublic(DispatchedTotals):
    code: str
    kind: str | None
    name: str | None
    dispatches: int
    acknowledged: int
    items: list[GoodsPublic]


class ShipmentTotalsPublic(BaseModel):
    code: str
    destination: str | None
    destination_country: str | None
    departed_at: str | None
    appeal: str | None
    tonnes: str
    kinds: int


class ReconciledLinePublic(BaseModel):
    donation: str
    line: int
    donor: str
    donor_name: str
    receipt: str | None
    received_at: str | None
    category: str | None
    item: str | None
    description: str | None
    quantity: str | None
    unit: str | None
    declared_mad: str | None = Field(description="the value as first recorded")
    value_mad: str | None = Field(description="the value now, after corrections")
    corrections: int


class ReconciliationPublic(BaseModel):
    appeal: str | None
    appeal_name: str | None
    declared_mad: str | None
    declared_source: str | None
    listed_mad: str = Field(description="sum of the listed lines of known value")
    gap_mad: str | None = Field(description="declared minus listed; negative: listed exceeds")
    balanced: bool | None = Field(description="no gap and no line of unknown value")
    lines: list[ReconciledLinePublic]
    unvalued_lines: list[ReconciledLinePublic]


class DonationTotalsPublic(GiftTotals, DispatchedTotals):
    position: int = Field(description="these totals include every event up to this ledger position")
    as_of: datetime | None = Field(
        None, description="set when these totals were replayed as of this instant"
    )
    as_of_checkpoint: int | None = Field(
        None,
        description="with ?as_of=: the position of the checkpoint the replay started from "
        "(0: from the first event)",
    )
    donor_count: int
    corrections: int
    dispatches: int
    acknowledged: int
    dispatch_corrections: int = Field(description="valuation corrections of goods already sent")
    shipped_tonnes: str
    donors: list[DonorTotalsPublic]
    categories: list[CategoryTotalsPublic]
    months: list[MonthTotalsPublic]
    funds: list[FundTotalsPublic]
    stock: list[StockTotalsPublic]
    stores: list[StoreTotalsPublic]
    recipients: list[RecipientTotalsPublic]
    shipments: list[ShipmentTotalsPublic]
    reconciliation: ReconciliationPublic
