"""The Marhaba view: a pure fold of operation, site, movement and case events.

Scope is the operation's slug. Travellers are counted per direction (arrivals,
departures) for the operation, each site, each Africa/Casablanca day, each site
on each day (``site_day``, member ``site/day``: what partners' daily flow tables
need) and each mode; cases and people assisted per site, category and day of opening.
"""

from __future__ import annotations

from typing import Any

from domain.clock import local_day_iso
from domain.marhaba.case import AssistanceCase
from domain.marhaba.movement import Movement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site
from projections.dispatch import dispatching
from projections.tally import Delta

VIEW = "marhaba"
TRAVELLERS = {"arrival": "arrivals", "departure": "departures"}
SITE_LABELS = ("name", "kind", "city", "country")


def _launched(d: Delta, e: Any) -> None:
    d.label(e.slug, "operation", "", "name", e.name)
    d.label(e.slug, "operation", "", "starts_on", e.starts_on.isoformat())
    d.label(e.slug, "operation", "", "ends_on", e.ends_on.isoformat())


def _operation_closed(d: Delta, e: Any) -> None:
    d.label(e.operation, "operation", "", "closed_at", e.timestamp.isoformat())


def _corrected_after_closure(d: Delta, e: Any) -> None:
    # The adjustment itself restates the totals; this keeps what changed after closure apart.
    d.add(e.operation, "after_closure", "", TRAVELLERS[e.direction], e.delta)
    d.add(e.operation, "after_closure", "", "adjustments", 1)


def _site_registered(d: Delta, e: Any) -> None:
    d.add(e.operation, "operation", "", "sites", 1)
    for name in SITE_LABELS:
        d.label(e.operation, "site", e.code, name, getattr(e, name))
    d.label(e.operation, "site", e.code, "opens_on", e.opens_on.isoformat())
    d.label(e.operation, "site", e.code, "closes_on", e.closes_on.isoformat())
    for name in ("province", "region"):  # sites in Morocco; absent from older events
        if place := getattr(e, name, None):
            d.label(e.operation, "site", e.code, name, place)


def _site_closed(d: Delta, e: Any) -> None:
    d.add(e.operation, "operation", "", "sites_closed", 1)
    d.label(e.operation, "site", e.site, "closed_at", e.timestamp.isoformat())


def _travellers(d: Delta, e: Any, day: str, amount: int, measure: str) -> None:
    places = (
        ("operation", ""),
        ("site", e.site),
        ("day", day),
        ("site_day", f"{e.site}/{day}"),
        ("mode", e.mode),
    )
    for dimension, member in places:
        d.add(e.operation, dimension, member, TRAVELLERS[e.direction], amount)
        d.add(e.operation, dimension, member, measure, 1)


def _movement_recorded(d: Delta, e: Any) -> None:
    _travellers(d, e, local_day_iso(e.moved_at), e.travellers, "movements")


def _movement_adjusted(d: Delta, e: Any) -> None:
    _travellers(d, e, e.moved_day, e.delta, "adjustments")


def _case_places(e: Any) -> tuple[tuple[str, str], ...]:
    return (("operation", ""), ("site", e.site), ("category", e.category))


def _case_opened(d: Delta, e: Any) -> None:
    day = local_day_iso(e.opened_at)
    for dimension, member in (*_case_places(e), ("day", day), ("site_day", f"{e.site}/{day}")):
        d.add(e.operation, dimension, member, "cases_opened", 1)
        d.add(e.operation, dimension, member, "people_assisted", e.people)


def _case_referred(d: Delta, e: Any) -> None:
    for dimension, member in (*_case_places(e), ("destination", e.destination)):
        d.add(e.operation, dimension, member, "referrals", 1)


def _case_closed(d: Delta, e: Any) -> None:
    for dimension, member in _case_places(e):
        d.add(e.operation, dimension, member, "cases_closed", 1)


PROJECTION = dispatching(
    VIEW,
    {
        (Operation, "Launched"): _launched,
        (Operation, "Closed"): _operation_closed,
        (Operation, "CorrectedAfterClosure"): _corrected_after_closure,
        (Site, "Registered"): _site_registered,
        (Site, "Closed"): _site_closed,
        (Movement, "Recorded"): _movement_recorded,
        (Movement, "Adjusted"): _movement_adjusted,
        (AssistanceCase, "Opened"): _case_opened,
        (AssistanceCase, "Referred"): _case_referred,
        (AssistanceCase, "Closed"): _case_closed,
    },
)

fold = PROJECTION.fold
