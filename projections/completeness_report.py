"""Completeness: per level and period, how many reports were expected, came, on time, late.

A committee is expected to report each day between its first and last delivery day, or
each day of a span the reader gives (a campaign's dates: a committee that never sent
anything is then silent every day). A committee's day is *reported* when any delivery
dated in it was recorded, *on time* when the first was recorded no later than ``delay``
days after the end of the period, *late* otherwise, and *silent* when nothing came.
Units above a committee add up their committees' days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.approval.workflow import NATIONAL, RAMADAN, Period, days_of, period_of
from projections.completeness import RECORDED, REPORTS
from projections.tally import Table

COUNTS = ("expected", "reported", "on_time", "late", "silent")


@dataclass(frozen=True, slots=True)
class Span:
    first: date | None = None  # None: each committee's own first delivery day
    last: date | None = None


def first_records(table: Table) -> dict[str, dict[date, date]]:
    """Each committee's reported days, with the local day its first report was recorded."""
    found: dict[str, dict[date, date]] = {}
    for (dimension, at, measure), value in table.counts.items():
        if dimension != REPORTS or not measure.startswith(RECORDED) or value <= 0:
            continue
        code, day = at.rsplit("|", 1)
        recorded = date.fromisoformat(measure[len(RECORDED) :])
        days = found.setdefault(code, {})
        delivered = date.fromisoformat(day)
        days[delivered] = min(days.get(delivered, recorded), recorded)
    return found


def completeness(
    table: Table, level: str, period: Period, delay_days: int, span: Span = Span()
) -> list[dict[str, Any]]:
    """One row per unit of ``level`` and period, the silent ones first."""
    RAMADAN.level(level)
    records = first_records(table)
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for code, places in _committees(table):
        reported = records.get(code, {})
        for day in _expected_days(reported, span):
            key = (places[level], period_of(day, period))
            row = rows.setdefault(key, dict.fromkeys(COUNTS, 0))
            _count(row, reported.get(day), _end(key[1], period) + timedelta(days=delay_days))
    listed = [{"level": level, "unit": u, "period": p, **c} for (u, p), c in rows.items()]
    return sorted(listed, key=lambda r: (-r["silent"], r["period"], r["unit"]))


def _count(row: dict[str, int], recorded: date | None, due: date) -> None:
    row["expected"] += 1
    if recorded is None:
        row["silent"] += 1
        return
    row["reported"] += 1
    row["on_time" if recorded <= due else "late"] += 1


def _end(key: str, period: Period) -> date:
    return days_of(key, period)[-1]


def _expected_days(reported: dict[date, date], span: Span) -> Iterator[date]:
    first = span.first or min(reported, default=None)
    last = span.last or max(reported, default=None)
    if first is None or last is None:
        return
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _committees(table: Table) -> Iterator[tuple[str, dict[str, str]]]:
    codes = sorted({m for (d, m, _) in table.labels if d == "committee"})
    for code in codes:
        yield (
            code,
            {
                "committee": code,
                "province": table.text("committee", code, "province") or "",
                "region": table.text("committee", code, "region") or "",
                NATIONAL: NATIONAL,
            },
        )
