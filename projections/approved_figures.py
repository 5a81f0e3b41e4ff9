"""Each unit's figures per period, saying whether they are approved and up to which level.

Read from two views: ``completeness`` (figures per unit and day, committees' places)
and ``approval`` (who approved what). A committee's day approved by its chair and then
by its province is "approved at province level"; live or replayed to an instant, the
same function answers from the tables it is given.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.approval.workflow import NATIONAL, RAMADAN, Period, Workflow, period_of, workflow
from projections.approval import APPROVED, FIGURE, member
from projections.completeness_sites import DONATION_MEASURES, MARHABA_MEASURES
from projections.tally import Table

# The figures each operation approves, per unit and period.
MEASURES = {
    "distribution": ("households_served", "people_reached"),
    "marhaba": MARHABA_MEASURES,
    "donations": DONATION_MEASURES,
}


def period_kind(approvals: Table, operation: str = RAMADAN.operation) -> Period:
    text = approvals.text("workflow", "", "period")
    return Period(text) if text else workflow(operation).periods[0]


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


def figures(
    completeness: Table, approvals: Table, operation: str = RAMADAN.operation, scope: str = ""
) -> list[dict[str, Any]]:
    """One record per (level, unit, period) with figures: its totals and its approval."""
    flow, kind = workflow(operation), period_kind(approvals, operation)
    measures, levels = MEASURES[operation], [level.name for level in flow.levels]
    sums: dict[tuple[str, str, str], dict[str, int]] = {}
    for (level, at, measure), value in completeness.counts.items():
        if measure in measures and level in levels:
            unit, day = at.rsplit("|", 1)
            key = (level, unit, period_of(date.fromisoformat(day), kind))
            row = sums.setdefault(key, dict.fromkeys(measures, 0))
            row[measure] += value
    records = []
    for (level, unit, period), totals in sorted(sums.items(), key=lambda i: _order(levels, i)):
        highest = _highest_approved(
            approvals, _chain_of(flow, completeness, scope, level, unit), period
        )
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


def _order(levels: list[str], item: tuple[tuple[str, str, str], Any]) -> tuple[int, str, str]:
    (level, unit, period), _ = item
    return (levels.index(level), period, unit)


def _chain_of(
    flow: Workflow, completeness: Table, scope: str, level: str, unit: str
) -> list[tuple[str, str]]:
    """The unit, then each unit above it: a site or store has its operation's whole above
    it (a Marhaba operation's slug, or the nation)."""
    if flow is RAMADAN:
        return _chain(completeness, level, unit)
    top = flow.levels[-1].name
    whole = (top, NATIONAL if top == NATIONAL else scope)
    return [(level, unit), whole] if level == flow.lowest.name else [whole]


def _highest_approved(approvals: Table, chain: list[tuple[str, str]], period: str) -> str | None:
    """The highest level whose unit above (or at) this one approved the period."""
    highest = None
    for at_level, at_unit in chain:
        if approvals.text(at_level, member(at_unit, period), "state") != APPROVED:
            break
        highest = at_level
    return highest


def _chain(completeness: Table, level: str, unit: str) -> list[tuple[str, str]]:
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
    return [(name, places[name]) for name in _LEVELS[_LEVELS.index(level) :]]


def _region_of_province(completeness: Table, province: str) -> str:
    for (dimension, code, name), value in completeness.labels.items():
        if dimension == "committee" and name == "province" and value == province:
            return completeness.text("committee", code, "region") or ""
    return ""
