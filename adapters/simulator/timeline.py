"""Placing what the field sends on the season's timeline, in local time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapters.simulator.steps import Step

CASABLANCA = ZoneInfo("Africa/Casablanca")


def local(day: date, minutes: int) -> datetime:
    """``minutes`` after midnight of ``day`` in Morocco, as an aware instant."""
    return datetime.combine(day, time(0), tzinfo=CASABLANCA) + timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    """Steps sent together at one moment; ties keep the order they were planned in."""

    at: datetime
    order: int
    steps: tuple[Step, ...] = field(compare=False)
