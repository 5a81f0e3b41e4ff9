"""Reading the distribution view back as the totals people and partners see."""

from __future__ import annotations

from typing import Any

from domain.geography import PROVINCES, REGIONS
from projections.listing import MEASURES
from projections.tally import Table

PLACE_MEASURES = (
    "quota",
    "kits_dispatched",
    "households_served",
    "people_reached",
    "deliveries_reversed",
    "committees",
    *MEASURES,
)


def _measures(table: Table, dimension: str, member: str) -> dict[str, int]:
    values = {m: table.value(dimension, member, m) for m in PLACE_MEASURES}
    values["kits_in_stock"] = values["kits_dispatched"] - values["households_served"]
    return values


def _names(place: Any) -> dict[str, str]:
    return {"name_ar": place.name_ar, "name_fr": place.name_fr, "name_en": place.name_en}


def _regions(table: Table) -> list[dict[str, Any]]:
    return [
        {"code": code, **_names(REGIONS[code]), **_measures(table, "region", code)}
        for code in table.members("region")
        if code in REGIONS
    ]


def _provinces(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "region": PROVINCES[code].region_code,
            **_names(PROVINCES[code]),
            **_measures(table, "province", code),
        }
        for code in table.members("province")
        if code in PROVINCES
    ]


def _committees(table: Table) -> list[dict[str, Any]]:
    rows = []
    for code in table.members("committee"):
        measures = _measures(table, "committee", code)
        del measures["quota"], measures["committees"]
        rows.append(
            {
                "code": code,
                "name": table.text("committee", code, "name"),
                "province": table.text("committee", code, "province"),
                "commune": table.text("committee", code, "commune"),
                **measures,
            }
        )
    return rows


def _after_closure(table: Table) -> dict[str, int]:
    """How the totals moved after the books were closed: admins' corrections, apart."""
    reversed_ = table.value("campaign", "", "reversed_after_closure")
    people = table.value("campaign", "", "people_reversed_after_closure")
    return {
        "deliveries_reversed": reversed_,
        "households_served": -reversed_,
        "people_reached": -people,
    }


def _days(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "day": day,
            "households_served": table.value("day", day, "households_served"),
            "people_reached": table.value("day", day, "people_reached"),
        }
        for day in table.members("day")
    ]


def region_days(table: Table) -> list[dict[str, Any]]:
    """Each region on each day it served anyone (the board's chart by region)."""
    rows = []
    for member in table.members("region_day"):
        region, _, day = member.partition("/")
        rows.append(
            {
                "region": region,
                "day": day,
                "households_served": table.value("region_day", member, "households_served"),
                "people_reached": table.value("region_day", member, "people_reached"),
            }
        )
    return rows


def campaign_totals(campaign: str, table: Table) -> dict[str, Any]:
    """Everything the totals endpoint shows, from the view's rows alone."""
    head = _measures(table, "campaign", "")
    return {
        "campaign": campaign,
        "name": table.text("campaign", "", "name"),
        "starts_on": table.text("campaign", "", "starts_on"),
        "ends_on": table.text("campaign", "", "ends_on"),
        "closed_at": table.text("campaign", "", "closed_at"),
        "after_closure": _after_closure(table),
        "admission": table.text("campaign", "", "admission") or "open",
        "target_households": table.value("campaign", "", "target_households"),
        "budget_centimes": table.value("campaign", "", "budget_centimes"),
        **head,
        "regions": _regions(table),
        "provinces": _provinces(table),
        "committee_totals": _committees(table),
        "days": _days(table),
        "region_days": region_days(table),
    }
