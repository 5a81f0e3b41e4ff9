"""Reading the season's totals back, and setting them beside the published figures.

The same comparison serves three sources: the live views (what the totals
endpoints show), an in-memory replay of every event from nothing (what an
auditor gets), and the HTTP endpoints themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from adapters.bootstrap import Container
from adapters.projection_set import TOTALS_PROJECTIONS
from adapters.simulator.donations import APPEAL, BEIRUT_AIRLIFT, SPECIAL_FUND
from adapters.simulator.figures import Targets
from adapters.simulator.marhaba_sites import OPERATION
from adapters.simulator.ramadan import CAMPAIGN
from adapters.store import LedgerEventSource
from projections import distribution, donations, marhaba
from projections.distribution_report import campaign_totals
from projections.donations_report import donation_totals
from projections.marhaba_report import operation_totals
from projections.ports import EventSource
from projections.tally import Delta, Table, table_from_delta

REPLAY_SECTION = 5000
PEOPLE_TOLERANCE = Decimal("0.05")  # "about 3,000,000": within 5 %


@dataclass(frozen=True, slots=True)
class Totals:
    """The three reports, as dicts shaped like the totals endpoints' answers."""

    campaign: dict[str, Any]
    operation: dict[str, Any]
    donations: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    expected: str
    actual: str
    ok: bool


def reports(tables: dict[str, Table]) -> Totals:
    return Totals(
        campaign_totals(CAMPAIGN, tables[distribution.VIEW]),
        operation_totals(OPERATION, tables[marhaba.VIEW]),
        donation_totals(tables[donations.VIEW], appeal=APPEAL),
    )


SCOPES = {distribution.VIEW: CAMPAIGN, marhaba.VIEW: OPERATION, donations.VIEW: donations.ALL}


def from_views(container: Container) -> Totals:
    """What the totals endpoints show, once the views have caught up."""
    container.runner.catch_up()
    return reports({view: container.views.table(view, scope) for view, scope in SCOPES.items()})


def replay(container: Container) -> dict[str, Delta]:
    """Fold every stored event, from nothing, with each totals projection, in memory."""
    return replay_source(LedgerEventSource(container.ledger))


def replay_source(source: EventSource) -> dict[str, Delta]:
    deltas = {p.name: Delta() for p in TOTALS_PROJECTIONS}
    after = 0
    while section := source.read(after, REPLAY_SECTION):
        for projection in TOTALS_PROJECTIONS:
            delta, fold = deltas[projection.name], projection.fold
            for item in section:
                fold(delta, item.event)
        after = section[-1].position
    return deltas


def from_replay(container: Container) -> Totals:
    deltas = replay(container)
    return reports({view: table_from_delta(deltas[view], scope) for view, scope in SCOPES.items()})


def from_http(client: httpx.Client, token: str, position: int) -> Totals:
    """The totals endpoints, waiting (bounded) until they include ``position``."""
    headers = {"Authorization": f"Bearer {token}"}
    paths = (
        f"/v1/campaigns/{CAMPAIGN}/totals",
        f"/v1/operations/{OPERATION}/totals",
        f"/v1/donations/totals?appeal={APPEAL}",
    )
    answers = []
    for path in paths:
        for _ in range(60):
            separator = "&" if "?" in path else "?"
            answer = client.get(f"{path}{separator}min_position={position}", headers=headers)
            answer.raise_for_status()
            if answer.json()["position"] >= position:
                break
        answers.append(answer.json())
    return Totals(*answers)


def _mad(report: dict[str, Any], key: str) -> Decimal:
    return Decimal(str(report[key]))


def _budget(campaign: dict[str, Any]) -> Decimal:
    if "budget_mad" in campaign:
        return Decimal(campaign["budget_mad"])
    return Decimal(campaign["budget_centimes"]) / 100


def figures(targets: Targets, totals: Totals) -> list[Figure]:
    """Every published figure beside the one read back; ``ok`` when they agree."""
    c, o, d = totals.campaign, totals.operation, totals.donations
    paid = {f["fund"]: Decimal(f["paid_out_mad"]) for f in d["funds"]}.get(SPECIAL_FUND, Decimal(0))
    airlift = {s["code"]: s for s in d["shipments"]}.get(BEIRUT_AIRLIFT, {"kinds": 0})
    people = Decimal(c["people_reached"])
    about = Decimal(targets.people_reached_about)
    rows: list[tuple[str, object, object, bool | None]] = [
        ("households served", targets.households, c["households_served"], None),
        ("quotas (sum)", targets.households, c["quota"], None),
        (
            "provinces with a quota",
            targets.provinces,
            sum(1 for p in c["provinces"] if p["quota"]),
            None,
        ),
        ("kits left in stock", 0, c["kits_in_stock"], None),
        ("people reached (about)", about, people, abs(people - about) <= about * PEOPLE_TOLERANCE),
        ("budget (MAD)", targets.budget_mad, _budget(c), None),
        ("Marhaba arrivals", targets.arrivals, o["arrivals"], None),
        ("Marhaba departures", targets.departures, o["departures"], None),
        ("people assisted", targets.people_assisted, o["people_assisted"], None),
        ("reception sites", targets.sites, o["sites_registered"], None),
        ("in-kind gifts (MAD)", targets.in_kind_mad, _mad(d, "in_kind_mad"), None),
        (
            "gap to the declared total (MAD)",
            Decimal(0),
            Decimal(d["reconciliation"]["gap_mad"]),
            None,
        ),
        ("cash to the Special Fund (MAD)", targets.cash_to_special_fund_mad, paid, None),
        ("Beirut airlift (t)", targets.beirut_tonnes, Decimal(d["shipped_tonnes"]), None),
        ("kinds of food to Beirut", targets.beirut_kinds, airlift["kinds"], None),
    ]
    return [
        Figure(name, f"{expected:,}", f"{actual:,}", expected == actual if ok is None else ok)
        for name, expected, actual, ok in rows
    ]
