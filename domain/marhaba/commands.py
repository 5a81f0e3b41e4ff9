"""Commands of the Marhaba operation, as the API hands them to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class LaunchOperation:
    slug: str
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class RegisterSite:
    """Dates left out default to the operation's own."""

    code: str
    name: str
    kind: str
    city: str
    country: str
    opens_on: date | None = None
    closes_on: date | None = None
    province: str | None = None  # ISO 3166-2:MA, for a site in Morocco


@dataclass(frozen=True, slots=True)
class RecordMovement:
    reference: str
    direction: str
    mode: str
    travellers: int
    moved_at: datetime


@dataclass(frozen=True, slots=True)
class AdjustMovement:
    adjustment_id: str
    delta: int
    reason: str


@dataclass(frozen=True, slots=True)
class OpenCase:
    """``traveller`` is a clear document number, hashed at once and never stored."""

    case: str
    category: str
    people: int
    opened_at: datetime
    traveller: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class ReferCase:
    destination: str
    institution: str = ""
    referred_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CloseCase:
    reason: str
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SiteMovement:
    """A movement with the site it was counted at, as a spreadsheet row names it."""

    site: str
    movement: RecordMovement
