"""Reading the Marhaba view back as the totals people and partners see."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from domain.marhaba.vocabulary import Category, Destination, Mode
from projections.tally import Table

TRAVEL = ("arrivals", "departures", "movements", "adjustments")
ASSISTANCE = ("cases_opened", "cases_closed", "people_assisted", "referrals")


def _values(table: Table, dimension: str, member: str, names: tuple[str, ...]) -> dict[str, int]:
    return {name: table.value(dimension, member, name) for name in names}


def _assistance(table: Table, dimension: str, member: str) -> dict[str, int]:
    values = _values(table, dimension, member, ASSISTANCE)
    values["open_cases"] = values["cases_opened"] - values["cases_closed"]
    return values


def _everything(table: Table, dimension: str, member: str) -> dict[str, int]:
    return {
        **_values(table, dimension, member, TRAVEL),
        **_assistance(table, dimension, member),
    }


def _members(table: Table, dimension: str, known: type[StrEnum]) -> list[str]:
    """Every known member, even at zero, then any other the events brought."""
    names = [member.value for member in known]
    return [*names, *(m for m in table.members(dimension) if m not in names)]


def _sites(table: Table) -> list[dict[str, Any]]:
    labels = (
        "name",
        "kind",
        "city",
        "country",
        "province",
        "region",
        "opens_on",
        "closes_on",
        "closed_at",
    )
    return [
        {
            "code": code,
            **{name: table.text("site", code, name) for name in labels},
            **_everything(table, "site", code),
        }
        for code in table.members("site")
    ]


DAILY = ("arrivals", "departures", "movements", "cases_opened", "people_assisted")


def _days(table: Table) -> list[dict[str, Any]]:
    return [{"day": day, **_values(table, "day", day, DAILY)} for day in table.members("day")]


def site_days(table: Table) -> list[dict[str, Any]]:
    """Each site on each day it counted anyone: partners' daily flow tables (HXL exports)."""
    rows = []
    for member in table.members("site_day"):
        site, _, day = member.rpartition("/")
        rows.append({"site": site, "day": day, **_values(table, "site_day", member, DAILY)})
    return rows


def _modes(table: Table) -> list[dict[str, Any]]:
    return [
        {"mode": mode, **_values(table, "mode", mode, TRAVEL)}
        for mode in _members(table, "mode", Mode)
    ]


def _categories(table: Table) -> list[dict[str, Any]]:
    return [
        {"category": category, **_assistance(table, "category", category)}
        for category in _members(table, "category", Category)
    ]


def _destinations(table: Table) -> list[dict[str, Any]]:
    return [
        {"destination": place, "referrals": table.value("destination", place, "referrals")}
        for place in _members(table, "destination", Destination)
    ]


def operation_totals(operation: str, table: Table) -> dict[str, Any]:
    """Everything the totals endpoint shows, from the view's rows alone."""
    return {
        "operation": operation,
        "name": table.text("operation", "", "name"),
        "starts_on": table.text("operation", "", "starts_on"),
        "ends_on": table.text("operation", "", "ends_on"),
        "closed_at": table.text("operation", "", "closed_at"),
        "after_closure": {
            m: table.value("after_closure", "", m)
            for m in ("adjustments", "arrivals", "departures")
        },
        "sites_registered": table.value("operation", "", "sites"),
        "sites_closed": table.value("operation", "", "sites_closed"),
        **_everything(table, "operation", ""),
        "sites": _sites(table),
        "days": _days(table),
        "site_days": site_days(table),
        "modes": _modes(table),
        "categories": _categories(table),
        "destinations": _destinations(table),
    }
