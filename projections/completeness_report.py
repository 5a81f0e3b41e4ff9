"""Completeness: per level and period, how many reports were expected, came, on time, late.

A committee is expected to report each day between its first and last delivery day, or
each day of a span the reader gives (a campaign's dates: a committee that never sent
anything is then silent every day). A committee's day is *reported* when any delivery
dated in it was recorded, *on time* when the first was recorded no later than ``delay``
days after the end of the period, *late* otherwise, and *silent* when nothing came.
Units above a committee add up their committees' days.

A Marhaba reception site is expected each day it is open: from its opening day to its
closing day (or the day it was closed, if earlier), or each day of the span given; a
site's day is reported when any movement or case dated in it was recorded. The
operation adds up its sites' days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.approval.workflow import MARHABA, NATIONAL, RAMADAN, Period, days_of, period_of
from domain.errors import NotFoundError
from projections.completeness import RECORDED, REPORTS
from projections.completeness_sites import SITE_REPORTS
from projections.tally import Table

COUNTS = ("expected", "reported", "on_time", "late", "silent")


@dataclass(frozen=True, slots=True)
class Span:
    first: date | None = None  # None: each committee's own first delivery day
    last: date | None = None


def first_records(table: Table, reports: str = REPORTS) -> dict[str, dict[date, date]]:
    """Each unit's reported days, with the local day its first report was recorded."""
    found: dict[str, dict[date, date]] = {}
    for (dimension, at, measure), value in table.counts.items():
        if dimension != reports or not measure.startswith(RECORDED) or value <= 0:
            continue
        code, day = at.rsplit("|", 1)
        recorded = date.fromisoformat(measure[len(RECORDED) :])
        days = found.setdefault(code, {})
        delivered = date.fromisoformat(day)
        days[delivered] = min(days.get(delivered, recorded), recorded)
    return found


def completeness(
    table: Table,
    level: str,
    period: Period,
    delay_days: int,
    span: Span = Span(),
    operation: str = RAMADAN.operation,
    scope: str = "",
    today: date | None = None,
) -> list[dict[str, Any]]:
    """One row per unit of ``level`` and period, the silent ones first (a site is not
    expected after ``today``)."""
    if operation not in (RAMADAN.operation, MARHABA.operation):
        raise NotFoundError(f"no reports are expected in '{operation}'", "operation")
    sites = operation == MARHABA.operation
    (MARHABA if sites else RAMADAN).level(level)
    records = first_records(table, SITE_REPORTS if sites else REPORTS)
    rows: dict[tuple[str, str], dict[str, int]] = {}
    units = _sites(table, scope, span, today) if sites else _committees(table, records, span)
    for code, places, expected in units:
        reported = records.get(code, {})
        for day in expected:
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


def _expected_days(
    reported: dict[date, date] | None, span: Span, first: date | None, last: date | None
) -> Iterator[date]:
    """Each day from the span's first (or ``first``, or the first reported) to its last."""
    reported = reported or {}
    first = span.first or first or min(reported, default=None)
    last = span.last or last or max(reported, default=None)
    if first is None or last is None:
        return
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


Unit = tuple[str, dict[str, str], Iterator[date]]  # code, its places, its expected days


def _committees(table: Table, records: dict[str, dict[date, date]], span: Span) -> Iterator[Unit]:
    codes = sorted({m for (d, m, _) in table.labels if d == "committee"})
    for code in codes:
        places = {
            "committee": code,
            "province": table.text("committee", code, "province") or "",
            "region": table.text("committee", code, "region") or "",
            NATIONAL: NATIONAL,
        }
        yield code, places, _expected_days(records.get(code), span, None, None)


def _sites(table: Table, scope: str, span: Span, today: date | None) -> Iterator[Unit]:
    """Each site, expected from its opening day to its closing (or closure) day."""
    codes = sorted({m for (d, m, n) in table.labels if d == "site" and n == "opens_on"})
    for code in codes:
        opens, closes, closed = (
            table.text("site", code, name) for name in ("opens_on", "closes_on", "closed_on")
        )
        ends = [date.fromisoformat(d) for d in (closes, closed) if d] + ([today] if today else [])
        last = min(ends, default=None)
        first = date.fromisoformat(opens) if opens else None
        expected = _expected_days(None, span, first, last)
        yield code, {"site": code, "operation": scope}, expected
