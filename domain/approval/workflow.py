"""Approval workflows: the levels an operation's figures are approved at, bottom-up.

A unit's figures for a period (a day, an ISO week or a month) are approved first at
the lowest level (a committee, a site, a store); a level above approves only once
every unit below it is approved for that period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.actors import Role
from domain.errors import DomainError, NotFoundError

NATIONAL = "national"  # the one unit at an operation's top level


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    approver: Role  # besides admins, who may approve at this level
    scoped: bool  # the approver's token must name the unit (a committee, a province)


@dataclass(frozen=True, slots=True)
class Workflow:
    operation: str
    levels: tuple[Level, ...]
    periods: tuple[Period, ...]  # the first is the default

    def level(self, name: str) -> Level:
        for level in self.levels:
            if level.name == name:
                return level
        names = ", ".join(level.name for level in self.levels)
        raise NotFoundError(
            f"'{name}' is not a level of {self.operation} (one of {names})", "level"
        )

    def below(self, name: str) -> Level | None:
        index = self.levels.index(self.level(name))
        return self.levels[index - 1] if index else None

    def above(self, name: str) -> Level | None:
        index = self.levels.index(self.level(name))
        return self.levels[index + 1] if index + 1 < len(self.levels) else None

    @property
    def lowest(self) -> Level:
        return self.levels[0]


RAMADAN = Workflow(
    "distribution",
    (
        Level("committee", Role.CHAIR, scoped=True),
        Level("province", Role.COORDINATOR, scoped=True),
        Level("region", Role.NATIONAL, scoped=False),
        Level(NATIONAL, Role.NATIONAL, scoped=False),
    ),
    (Period.DAY, Period.WEEK),
)
MARHABA = Workflow(
    "marhaba",
    (
        Level("site", Role.SUPERVISOR, scoped=True),
        Level("operation", Role.NATIONAL, scoped=False),
    ),
    (Period.DAY,),
)
DONATIONS = Workflow(
    "donations",
    (
        Level("store", Role.STOREKEEPER, scoped=True),
        Level(NATIONAL, Role.NATIONAL, scoped=False),
    ),
    (Period.MONTH,),
)
WORKFLOWS = {w.operation: w for w in (RAMADAN, MARHABA, DONATIONS)}

_SHAPES = {
    Period.DAY: re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    Period.WEEK: re.compile(r"^\d{4}-W\d{2}$"),
    Period.MONTH: re.compile(r"^\d{4}-\d{2}$"),
}
_EXAMPLES = {Period.DAY: "2020-04-26", Period.WEEK: "2020-W17", Period.MONTH: "2020-05"}


def workflow(operation: str) -> Workflow:
    if operation not in WORKFLOWS:
        raise NotFoundError(f"no approval workflow for '{operation}'", "operation")
    return WORKFLOWS[operation]


def period_of(day: date, period: Period) -> str:
    """The key of the period a (local) day falls in: '2020-04-26', '2020-W17', '2020-04'."""
    if period is Period.DAY:
        return day.isoformat()
    if period is Period.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def days_of(key: str, period: Period) -> list[date]:
    """Every day of a period, once its key is known to be well formed."""
    check_period(key, period)
    if period is Period.DAY:
        return [date.fromisoformat(key)]
    if period is Period.WEEK:
        year, week = key.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return [first + timedelta(days=n) for n in range(7)]
    first = date(int(key[:4]), int(key[5:]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return [first + timedelta(days=n) for n in range((following - first).days)]


def check_period(key: str, period: Period) -> str:
    try:
        if not _SHAPES[period].match(key):
            raise ValueError
        if period is Period.DAY:
            date.fromisoformat(key)
        elif period is Period.WEEK:
            year, week = key.split("-W")
            date.fromisocalendar(int(year), int(week), 1)
        elif not 1 <= int(key[5:]) <= 12:
            raise ValueError
    except ValueError:
        raise DomainError(
            f"must be a {period.value} such as {_EXAMPLES[period]}", "period"
        ) from None
    return key
