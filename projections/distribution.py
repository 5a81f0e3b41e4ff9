"""The distribution view: a pure fold of campaign, committee and household events."""

from __future__ import annotations

from typing import Any

from domain.clock import local_day_iso
from domain.distribution.campaign import Campaign
from domain.distribution.committee import Committee
from domain.distribution.household import Household
from projections import listing
from projections.dispatch import dispatching
from projections.tally import Delta, Spread

VIEW = "distribution"
SERVED = ("households_served", "people_reached")
# A committee's facts count in its campaign, province, region and itself; deliveries also
# in their local day, and in their region on that day (``region_day``, member
# ``region/day``: the board's chart by region). A reversal takes a delivery back in the
# same places and counts itself in the committee's.
PLACES = ("campaign", "province", "region", "committee")
SERVED_IN = Spread((*PLACES, "day", "region_day"), SERVED)
REVERSED_IN = Spread(PLACES, ("deliveries_reversed",))
DISPATCHED_TO = Spread(PLACES, ("kits_dispatched",))


def _launched(d: Delta, e: Any) -> None:
    d.add(e.slug, "campaign", "", "target_households", e.target_households)
    d.add(e.slug, "campaign", "", "budget_centimes", e.budget_centimes)
    d.label(e.slug, "campaign", "", "name", e.name)
    d.label(e.slug, "campaign", "", "starts_on", e.starts_on.isoformat())
    d.label(e.slug, "campaign", "", "ends_on", e.ends_on.isoformat())


def _quota_set(d: Delta, e: Any) -> None:
    change = e.households - e.previous
    for dimension, member in (("campaign", ""), ("province", e.province), ("region", e.region)):
        d.add(e.campaign, dimension, member, "quota", change)


def _kits_dispatched(d: Delta, e: Any) -> None:
    d.add_spread(DISPATCHED_TO, e.campaign, _members(e), (e.quantity,))


def _closed(d: Delta, e: Any) -> None:
    d.label(e.campaign, "campaign", "", "closed_at", e.timestamp.isoformat())


def _corrected_after_closure(d: Delta, e: Any) -> None:
    # The reversal itself restates the totals; this keeps what changed after closure apart.
    d.add(e.campaign, "campaign", "", "reversed_after_closure", 1)
    d.add(e.campaign, "campaign", "", "people_reversed_after_closure", e.household_size)


def _registered(d: Delta, e: Any) -> None:
    d.add(e.campaign, "campaign", "", "committees", 1)
    d.add(e.campaign, "province", e.province, "committees", 1)
    d.add(e.campaign, "region", e.region, "committees", 1)
    for name in ("name", "province", "region", "commune"):
        d.label(e.campaign, "committee", e.code, name, getattr(e, name))


def _members(e: Any) -> tuple[str, ...]:
    """A committee's fact's member in each of PLACES (the campaign is one, unnamed)."""
    return ("", e.province, e.region, e.committee)


def _delivered(d: Delta, e: Any) -> None:
    day = local_day_iso(e.delivered_at)
    members = (*_members(e), day, f"{e.region}/{day}")
    d.add_spread(SERVED_IN, e.campaign, members, (1, e.household_size))


def _reversed(d: Delta, e: Any) -> None:
    members = _members(e)
    day = e.delivered_day
    served_in = (*members, day, f"{e.region}/{day}")
    d.add_spread(SERVED_IN, e.campaign, served_in, (-1, -e.household_size))
    d.add_spread(REVERSED_IN, e.campaign, members, (1,))


PROJECTION = dispatching(
    VIEW,
    {
        (Campaign, "Launched"): _launched,
        (Campaign, "QuotaSet"): _quota_set,
        (Campaign, "KitsDispatched"): _kits_dispatched,
        (Campaign, "Closed"): _closed,
        (Campaign, "CorrectedAfterClosure"): _corrected_after_closure,
        (Committee, "Registered"): _registered,
        (Household, "KitDelivered"): _delivered,
        (Household, "KitDeliveredAfterReversal"): _delivered,
        (Household, "DeliveryReversed"): _reversed,
        **listing.TOTALS_HANDLERS,  # issue 14: listed, served, remaining, off-list
    },
)

fold = PROJECTION.fold
