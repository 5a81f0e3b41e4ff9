"""Marhaba's totals as HXL tables: by site and day (the default), by site, or by day.

Hashtags follow the HXL dictionary. Travellers are ``#population`` ("general
population, including those not affected"): people passing a reception site,
counted in persons (``+ind``), with the direction as an attribute (``+arrivals``,
``+departures``: not dictionary attributes, which has none for a flow, and ``+origin``/``+dest``
qualify places, not counts). Only the people given social or medical assistance
are ``#reached+ind``, so a tool summing ``#reached`` never adds passers-by to them.
A site is a ``#loc``; one in Morocco also gets its ``#adm1``/``#adm2`` (ISO
3166-2:MA). Countries are ``#country+code`` in ISO 3166-1 alpha-3 (``MAR``, ``ITA``), the
dictionary's default vocabulary for ``#country``, as in every export.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.geography import PROVINCES, REGIONS
from projections.hxl import HxlColumn, alpha_3, field, table

LEVELS = ("site_day", "site", "day")


def _context() -> tuple[HxlColumn, ...]:
    return (
        field("Organisation", "#org+name", "organisation"),
        field("Activity", "#activity+name", "activity"),
        field("Activity code", "#activity+code", "operation"),
    )


def _site() -> tuple[HxlColumn, ...]:
    return (
        field("Site", "#loc+name", "site_name"),
        field("Site code", "#loc+code", "site"),
        field("Site kind", "#loc+type", "site_kind"),
        HxlColumn("Country code", "#country+code", lambda r: alpha_3(r.get("country"))),
        field("Region", "#adm1+name", "region_fr"),
        field("Region code", "#adm1+code", "region"),
        field("Province", "#adm2+name", "province_fr"),
        field("Province code", "#adm2+code", "province"),
    )


def _flows() -> tuple[HxlColumn, ...]:
    return (
        field("Arrivals", "#population+ind+arrivals", "arrivals"),
        field("Departures", "#population+ind+departures", "departures"),
        field("Movements recorded", "#indicator+num+movements", "movements"),
        field("Assistance cases opened", "#output+num+cases", "cases_opened"),
        field("People assisted", "#reached+ind", "people_assisted"),
    )


def columns(level: str) -> tuple[HxlColumn, ...]:
    day = (field("Day", "#date+occurred", "day"),)
    reported = (field("Reported on", "#date+reported", "reported_on"),)
    if level == "day":
        return _context() + day + _flows() + reported
    if level == "site":
        open_days = (
            field("Opens on", "#date+start", "opens_on"),
            field("Closes on", "#date+end", "closes_on"),
        )
        return _context() + _site() + open_days + _flows() + reported
    return _context() + _site() + day + _flows() + reported


def _site_labels(site: Mapping[str, Any]) -> dict[str, Any]:
    province, region = site.get("province") or "", site.get("region") or ""
    return {
        "site": site["code"],
        "site_name": site.get("name"),
        "site_kind": site.get("kind"),
        "country": site.get("country"),
        "opens_on": site.get("opens_on"),
        "closes_on": site.get("closes_on"),
        "province": province or None,
        "province_fr": PROVINCES[province].name_fr if province in PROVINCES else None,
        "region": region or None,
        "region_fr": REGIONS[region].name_fr if region in REGIONS else None,
    }


def records(
    totals: Mapping[str, Any],
    site_days: list[dict[str, Any]],
    level: str,
    organisation: str,
    reported_on: date,
) -> list[dict[str, Any]]:
    """One record per site and day, per site, or per day, with names and context."""
    common = {
        "organisation": organisation,
        "activity": totals.get("name") or totals["operation"],
        "operation": totals["operation"],
        "reported_on": reported_on.isoformat(),
    }
    sites = {site["code"]: _site_labels(site) for site in totals["sites"]}
    if level == "day":
        return [{**common, **row} for row in totals["days"]]
    if level == "site":
        return [{**common, **site, **sites[site["code"]]} for site in totals["sites"]]
    return [
        {**common, **row, **sites.get(row["site"], {"site": row["site"]})}
        for row in sorted(site_days, key=lambda r: (r["site"], r["day"]))
    ]


def export(
    totals: Mapping[str, Any],
    site_days: list[dict[str, Any]],
    level: str,
    organisation: str,
    reported_on: date,
    tags: bool,
) -> list[list[str]]:
    rows = records(totals, site_days, level, organisation, reported_on)
    return table(columns(level), rows, tags)
