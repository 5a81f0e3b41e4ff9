"""Who reported what, when: each unit's daily figures and the days its reports were recorded.

One pure fold serves approvals (a unit's figures over a period, read when it is
approved) and the completeness view (a committee expected each day between its first
and last delivery day: reported on time, late, or silent). For every delivery it counts

- ``households_served`` and ``people_reached`` at each level of the approval workflow
  (committee, province, region, national), member ``UNIT|DAY`` (the delivery's local day);
- one report of its committee's day, measure ``recorded:DAY`` (the local day it was
  recorded), from which "on time" is read against a delay the reader chooses.

A reversal takes its delivery back from the figures of the day it was dated in.
Marhaba's sites and donations' stores are counted alike (``projections.completeness_sites``).
"""

from __future__ import annotations

from typing import Any

from domain.approval.workflow import NATIONAL
from domain.clock import local_day_iso
from domain.distribution.committee import Committee
from domain.distribution.household import Household
from projections import completeness_sites
from projections.dispatch import dispatching
from projections.tally import Delta

VIEW = "completeness"
REPORTS = "reports"  # the dimension of committees' days reported
RECORDED = "recorded:"  # measure prefix: reports of a day recorded on that local day


def unit_day(unit: str, day: str) -> str:
    return f"{unit}|{day}"


def _units(e: Any) -> tuple[tuple[str, str], ...]:
    return (
        ("committee", e.committee),
        ("province", e.province),
        ("region", e.region),
        (NATIONAL, NATIONAL),
    )


def _registered(d: Delta, e: Any) -> None:
    d.label(e.campaign, "committee", e.code, "province", e.province)
    d.label(e.campaign, "committee", e.code, "region", e.region)


def _delivered(d: Delta, e: Any) -> None:
    day = local_day_iso(e.delivered_at)
    for level, unit in _units(e):
        member = unit_day(unit, day)
        d.add(e.campaign, level, member, "households_served", 1)
        d.add(e.campaign, level, member, "people_reached", e.household_size)
    reported = RECORDED + local_day_iso(e.timestamp)
    d.add(e.campaign, REPORTS, unit_day(e.committee, day), reported, 1)


def _reversed(d: Delta, e: Any) -> None:
    for level, unit in _units(e):
        member = unit_day(unit, e.delivered_day)
        d.add(e.campaign, level, member, "households_served", -1)
        d.add(e.campaign, level, member, "people_reached", -e.household_size)


PROJECTION = dispatching(
    VIEW,
    {
        (Committee, "Registered"): _registered,
        (Household, "KitDelivered"): _delivered,
        (Household, "KitDeliveredAfterReversal"): _delivered,
        (Household, "DeliveryReversed"): _reversed,
        **completeness_sites.HANDLERS,  # Marhaba's sites and donations' stores
    },
)

fold = PROJECTION.fold
