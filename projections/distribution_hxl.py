"""The distribution's totals as HXL tables, by province (adm2) or by region (adm1).

Values come from the same totals report as the JSON endpoint, so the two never
disagree. French names are the plain ``+name`` (the language of Morocco's
administrative data sets); Arabic names follow with ``+i_ar``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.geography import PROVINCES, REGIONS
from projections.hxl import HxlColumn, field, table

LEVELS = ("province", "region")
COUNTRY = "MAR"


def _region_columns() -> tuple[HxlColumn, ...]:
    return (
        field("Country code", "#country+code", "country"),
        field("Region", "#adm1+name", "region_fr"),
        field("Region (Arabic)", "#adm1+name+i_ar", "region_ar"),
        field("Region code", "#adm1+code", "region"),
    )


def _province_columns() -> tuple[HxlColumn, ...]:
    return (
        field("Province", "#adm2+name", "province_fr"),
        field("Province (Arabic)", "#adm2+name+i_ar", "province_ar"),
        field("Province code", "#adm2+code", "province"),
    )


def _measure_columns() -> tuple[HxlColumn, ...]:
    return (
        field("Organisation", "#org+name", "organisation"),
        field("Activity", "#activity+name", "activity"),
        field("Activity code", "#activity+code", "campaign"),
        field("Households targeted", "#targeted+hh", "targeted"),
        field("Households reached", "#reached+hh", "households_served"),
        field("Listed households served", "#indicator+num+listed_served", "listed_served"),
        field("Listed households remaining", "#indicator+num+listed_remaining", "listed_remaining"),
        field("Served off the lists", "#indicator+num+off_list", "served_off_list"),
        field("People reached", "#reached+ind", "people_reached"),
        field("Kits dispatched", "#output+kits+dispatched", "kits_dispatched"),
        field("Kits in stock", "#output+kits+stock", "kits_in_stock"),
        field("Reported on", "#date+reported", "reported_on"),
    )


def columns(level: str) -> tuple[HxlColumn, ...]:
    places = _region_columns() + (_province_columns() if level == "province" else ())
    return places + _measure_columns()


def records(
    totals: Mapping[str, Any], level: str, organisation: str, reported_on: date
) -> list[dict[str, Any]]:
    """One record per province (or region) in the totals, with names and context."""
    common = {
        "country": COUNTRY,
        "organisation": organisation,
        "activity": totals.get("name") or totals["campaign"],
        "campaign": totals["campaign"],
        "reported_on": reported_on.isoformat(),
    }
    out = []
    for place in totals["provinces" if level == "province" else "regions"]:
        region = PROVINCES[place["code"]].region_code if level == "province" else place["code"]
        names = {
            "region": region,
            "region_fr": REGIONS[region].name_fr,
            "region_ar": REGIONS[region].name_ar,
        }
        if level == "province":
            names |= {
                "province": place["code"],
                "province_fr": place["name_fr"],
                "province_ar": place["name_ar"],
            }
        # Where lists exist, the households targeted are those listed; else the quota.
        targeted = place["listed"] if totals.get("listed") else place["quota"]
        out.append({**common, **names, **place, "targeted": targeted})
    return sorted(out, key=lambda r: (r["region"], r.get("province", "")))


def export(
    totals: Mapping[str, Any], level: str, organisation: str, reported_on: date, tags: bool
) -> list[list[str]]:
    return table(columns(level), records(totals, level, organisation, reported_on), tags)
