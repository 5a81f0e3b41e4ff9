"""The published 2020 figures (FACTS-2020) and the deterministic rule that scales them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SEASON = 2020

# Counts: scaled by --scale.
HOUSEHOLDS = 600_000
PEOPLE_REACHED_ABOUT = 3_000_000  # "about 5 people per household": reported, not exact
ARRIVALS = 165_147
DEPARTURES = 192_028
PEOPLE_ASSISTED = 9_841
SEASONAL_WORKERS = 7_100
# Facts that do not scale: places, and money (a handful of events at any scale).
PROVINCES = 75
SITES = 13
BUDGET_MAD = Decimal("85000000")
IN_KIND_MAD = Decimal("17760000")
CASH_TO_SPECIAL_FUND_MAD = Decimal("10000000")
BEIRUT_TONNES = Decimal("300")
BEIRUT_KINDS = 13


def scaled(count: int, scale: float) -> int:
    """``count`` x ``scale``, rounded half up on the decimal value of ``scale``."""
    exact = Decimal(count) * Decimal(str(scale))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Targets:
    """The figures one run must reproduce exactly (people_reached only approximately)."""

    scale: float
    households: int
    arrivals: int
    departures: int
    people_assisted: int
    seasonal_workers: int
    provinces: int = PROVINCES
    sites: int = SITES
    budget_mad: Decimal = BUDGET_MAD
    in_kind_mad: Decimal = IN_KIND_MAD
    cash_to_special_fund_mad: Decimal = CASH_TO_SPECIAL_FUND_MAD
    beirut_tonnes: Decimal = BEIRUT_TONNES
    beirut_kinds: int = BEIRUT_KINDS

    @property
    def people_reached_about(self) -> int:
        return scaled(PEOPLE_REACHED_ABOUT, self.scale)


MIN_SCALE = 0.0002  # below this, some province would get no household at all


def targets(scale: float) -> Targets:
    if not MIN_SCALE <= scale <= 1:
        raise ValueError(f"scale must be between {MIN_SCALE} and 1")
    return Targets(
        scale=scale,
        households=scaled(HOUSEHOLDS, scale),
        arrivals=scaled(ARRIVALS, scale),
        departures=scaled(DEPARTURES, scale),
        people_assisted=scaled(PEOPLE_ASSISTED, scale),
        seasonal_workers=scaled(SEASONAL_WORKERS, scale),
    )
