"""Commands of the distribution operation and the answers they get."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class LaunchCampaign:
    slug: str
    name: str
    starts_on: date
    ends_on: date
    target_households: int
    budget_centimes: int
    kit_contents: list[dict[str, Any]] = field(default_factory=list)
    admission: str = "open"


@dataclass(frozen=True, slots=True)
class RegisterCommittee:
    code: str
    name: str
    province: str
    commune: str = ""


@dataclass(frozen=True, slots=True)
class DispatchKits:
    committee: str
    quantity: int
    reference: str


@dataclass(frozen=True, slots=True)
class RecordDelivery:
    """One kit handed to one household; ``household`` is the clear identifier, hashed at once.

    ``contact`` (name, phone) is encrypted under the household's own key before
    it reaches an event; it is never printed.
    """

    delivery_id: str
    committee: str
    household: str = field(repr=False)
    household_size: int
    delivered_at: datetime
    contact: dict[str, str] | None = field(default=None, repr=False)
    # Issue 14: the household named by its voucher instead of its ID number, and an
    # admin's reason for a delivery outside a listed campaign's lists.
    voucher: str | None = None
    off_list_reason: str | None = None
