"""Commands of the donation operation, and the answers that say more than an Outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.outcomes import Outcome


@dataclass(frozen=True, slots=True)
class RegisterDonor:
    code: str
    kind: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class RecordCash:
    donor: str
    receipt: str
    direction: str
    amount_centimes: int
    fund: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class GiftLine:
    item: str
    category: str
    description: str
    quantity: Decimal
    unit: str
    value_centimes: int | None = None


@dataclass(frozen=True, slots=True)
class RecordInKind:
    donor: str
    receipt: str
    store: str
    received_at: datetime
    lines: list[GiftLine]
    appeal: str | None = None


@dataclass(frozen=True, slots=True)
class CorrectValuation:
    line: int
    value_centimes: int
    reason: str


@dataclass(frozen=True, slots=True)
class DeclareAppeal:
    code: str
    name: str
    declared_centimes: int
    source: str


@dataclass(frozen=True, slots=True)
class OpenStore:
    code: str
    name: str
    city: str


@dataclass(frozen=True, slots=True)
class DispatchLine:
    item: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class DispatchGoods:
    dispatch: str
    recipient: str
    recipient_kind: str
    recipient_name: str
    dispatched_at: datetime
    lines: list[DispatchLine]


@dataclass(frozen=True, slots=True)
class AcknowledgeDispatch:
    received_at: datetime
    reference: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentItem:
    category: str
    description: str
    tonnes: Decimal


@dataclass(frozen=True, slots=True)
class SendShipment:
    code: str
    destination_country: str
    destination: str
    departed_at: datetime
    items: list[ShipmentItem]
    appeal: str | None = None


@dataclass(frozen=True, slots=True)
class DispatchOutcome:
    """A dispatch's answer also says what the goods were worth, as far as it is known."""

    outcome: Outcome
    value_centimes: int
    unvalued_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InKindLine:
    """One line of an in-kind gift, as a spreadsheet row gives it.

    Rows with the same (donor, receipt) are lines of one gift, recorded whole or not at all.
    """

    donor: str
    receipt: str
    store: str
    received_at: datetime
    line: GiftLine
    appeal: str | None = None
