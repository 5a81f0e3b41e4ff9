"""Each unit's figures per period, saying whether they are approved and up to which level.

Read from two views: ``completeness`` (figures per unit and day, committees' places)
and ``approval`` (who approved what). A committee's day approved by its chair and then
by its province is "approved at province level"; live or replayed to an instant, the
same function answers from the tables it is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from domain.approval.workflow import NATIONAL, RAMADAN, Period, period_of
from projections.approval import APPROVED, FIGURE, member
from projections.hxl import HxlColumn, field
from projections.tally import Table

MEASURES = ("households_served", "people_reached")


def period_kind(approvals: Table) -> Period:
    text = approvals.text("workflow", "", "period")
    return Period(text) if text else RAMADAN.periods[0]


def standing(approvals: Table) -> list[dict[str, Any]]:
    """Every approval standing in the table, with who, when and the figures approved."""
    found = []
    for (level, at, name), state in approvals.labels.items():
        if name != "state" or state != APPROVED:
            continue
        unit, period = at.rsplit("|", 1)
        figures = {
            key[len(FIGURE) :]: int(value)
            for (d, m, key), value in approvals.labels.items()
            if d == level and m == at and key.startswith(FIGURE)
        }
        found.append(
            {
                "level": level,
                "unit": unit,
                "period": period,
                "approved_by": approvals.text(level, at, "approved_by"),
                "approved_at": approvals.text(level, at, "approved_at"),
                "figures": figures,
            }
        )
    return sorted(found, key=lambda a: (a["period"], a["level"], a["unit"]))


def figures(completeness: Table, approvals: Table) -> list[dict[str, Any]]:
    """One record per (level, unit, period) with figures: its totals and its approval."""
    kind = period_kind(approvals)
    sums: dict[tuple[str, str, str], dict[str, int]] = {}
    for (level, at, measure), value in completeness.counts.items():
        if measure in MEASURES and level in _LEVELS:
            unit, day = at.rsplit("|", 1)
            key = (level, unit, period_of(date.fromisoformat(day), kind))
            row = sums.setdefault(key, dict.fromkeys(MEASURES, 0))
            row[measure] += value
    records = []
    for (level, unit, period), totals in sorted(sums.items(), key=_order):
        highest = _highest_approved(completeness, approvals, level, unit, period)
        records.append(
            {
                "level": level,
                "unit": unit,
                "period": period,
                **totals,
                "approved": highest is not None,
                "approved_level": highest,
            }
        )
    return records


_LEVELS = [level.name for level in RAMADAN.levels]


def _order(item: tuple[tuple[str, str, str], Any]) -> tuple[int, str, str]:
    (level, unit, period), _ = item
    return (_LEVELS.index(level), period, unit)


def _highest_approved(
    completeness: Table, approvals: Table, level: str, unit: str, period: str
) -> str | None:
    """The highest level whose unit above (or at) this one approved the period."""
    highest = None
    for at_level, at_unit in _chain(completeness, level, unit):
        if approvals.text(at_level, member(at_unit, period), "state") != APPROVED:
            break
        highest = at_level
    return highest


def _chain(completeness: Table, level: str, unit: str) -> Iterator[tuple[str, str]]:
    """The unit, then each unit above it up to the nation."""
    places = {"committee": unit, NATIONAL: NATIONAL}
    if level == "committee":
        places["province"] = completeness.text("committee", unit, "province") or ""
        places["region"] = completeness.text("committee", unit, "region") or ""
    elif level == "province":
        places["province"] = unit
        places["region"] = _region_of_province(completeness, unit)
    elif level == "region":
        places["region"] = unit
    for name in _LEVELS[_LEVELS.index(level) :]:
        yield name, places[name]


def _region_of_province(completeness: Table, province: str) -> str:
    for (dimension, code, name), value in completeness.labels.items():
        if dimension == "committee" and name == "province" and value == province:
            return completeness.text("committee", code, "region") or ""
    return ""


HXL_COLUMNS = (
    field("Level", "#meta+level", "level"),
    field("Unit", "#org+code", "unit"),
    field("Period", "#date", "period"),
    field("Households served", "#reached+hh", "households_served"),
    field("People reached", "#reached+ind", "people_reached"),
    HxlColumn("Approved", "#status+approved", lambda r: "yes" if r["approved"] else "no"),
    field("Approved up to", "#status+level", "approved_level"),
)
