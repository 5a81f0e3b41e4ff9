"""The completeness view's Marhaba and donations part: sites' days and stores' days.

Beside the committees (``projections.completeness``), the same view counts

- for Marhaba (scope: the operation's slug), each site's ``arrivals``, ``departures``,
  ``cases_opened`` and ``people_assisted`` per local day, at levels ``site`` and
  ``operation`` (member ``UNIT|DAY``, the operation's unit being its slug), and one
  report of the site's day per movement or case recorded (``recorded:DAY``); a site's
  opening and closing days are labels, for the days it is expected to report;
- for donations (scope ``donations``), each store's ``gifts_in_kind``,
  ``value_received_centimes``, ``dispatches`` and ``value_dispatched_centimes`` per
  local day, at levels ``store`` and ``national``.

An adjustment or a valuation correction changes the day its fact is dated in.
"""

from __future__ import annotations

from typing import Any

from domain.approval.workflow import NATIONAL
from domain.clock import local_day, local_day_iso
from domain.donations.in_kind import InKindDonation
from domain.donations.store import Store
from domain.marhaba.case import AssistanceCase
from domain.marhaba.movement import Movement
from domain.marhaba.site import Site
from projections.dispatch import Handler
from projections.tally import Delta

DONATIONS = "donations"  # the one intake's scope
SITE_REPORTS = "site_reports"  # the dimension of sites' days reported
RECORDED = "recorded:"
TRAVELLERS = {"arrival": "arrivals", "departure": "departures"}
MARHABA_MEASURES = ("arrivals", "departures", "cases_opened", "people_assisted")
DONATION_MEASURES = (
    "gifts_in_kind",
    "value_received_centimes",
    "dispatches",
    "value_dispatched_centimes",
)


def _at(unit: str, day: str) -> str:
    return f"{unit}|{day}"


def _site_registered(d: Delta, e: Any) -> None:
    d.label(e.operation, "site", e.code, "opens_on", e.opens_on.isoformat())
    d.label(e.operation, "site", e.code, "closes_on", e.closes_on.isoformat())


def _site_closed(d: Delta, e: Any) -> None:
    d.label(e.operation, "site", e.site, "closed_on", local_day_iso(e.timestamp))


def _site_counts(d: Delta, e: Any, day: str, counts: dict[str, int]) -> None:
    for level, unit in (("site", e.site), ("operation", e.operation)):
        for measure, amount in counts.items():
            d.add(e.operation, level, _at(unit, day), measure, amount)


def _reported(d: Delta, e: Any, day: str) -> None:
    d.add(e.operation, SITE_REPORTS, _at(e.site, day), RECORDED + local_day_iso(e.timestamp), 1)


def _movement_recorded(d: Delta, e: Any) -> None:
    day = local_day_iso(e.moved_at)
    _site_counts(d, e, day, {TRAVELLERS[e.direction]: e.travellers})
    _reported(d, e, day)


def _movement_adjusted(d: Delta, e: Any) -> None:
    _site_counts(d, e, e.moved_day, {TRAVELLERS[e.direction]: e.delta})


def _case_opened(d: Delta, e: Any) -> None:
    day = local_day_iso(e.opened_at)
    _site_counts(d, e, day, {"cases_opened": 1, "people_assisted": e.people})
    _reported(d, e, day)


def _store_counts(d: Delta, store: str, day: str, counts: dict[str, int]) -> None:
    for level, unit in (("store", store), (NATIONAL, NATIONAL)):
        for measure, amount in counts.items():
            d.add(DONATIONS, level, _at(unit, day), measure, amount)


def _store_opened(d: Delta, e: Any) -> None:
    d.label(DONATIONS, "store", e.code, "city", e.city)


def _in_kind_recorded(d: Delta, e: Any) -> None:
    value = sum(line["value_centimes"] or 0 for line in e.lines)
    counts = {"gifts_in_kind": 1, "value_received_centimes": value}
    _store_counts(d, e.store, local_day(e.received_at).isoformat(), counts)


def _valuation_corrected(d: Delta, e: Any) -> None:
    change = e.value_centimes - (e.previous_centimes or 0)
    counts = {"value_received_centimes": change}
    _store_counts(d, e.store, local_day(e.received_at).isoformat(), counts)


def _goods_dispatched(d: Delta, e: Any) -> None:
    counts = {"dispatches": 1, "value_dispatched_centimes": e.value_centimes}
    _store_counts(d, e.store, local_day(e.dispatched_at).isoformat(), counts)


HANDLERS: dict[tuple[type, str], Handler] = {
    (Site, "Registered"): _site_registered,
    (Site, "Closed"): _site_closed,
    (Movement, "Recorded"): _movement_recorded,
    (Movement, "Adjusted"): _movement_adjusted,
    (AssistanceCase, "Opened"): _case_opened,
    (Store, "StoreOpened"): _store_opened,
    (InKindDonation, "InKindDonationRecorded"): _in_kind_recorded,
    (InKindDonation, "ValuationCorrected"): _valuation_corrected,
    (Store, "GoodsDispatched"): _goods_dispatched,
}
