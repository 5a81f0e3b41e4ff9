"""Local days of instants, remembered per UTC hour: the folds' most frequent question.

A rebuild asks for the Africa/Casablanca day of every delivery, movement and gift,
and a time-zone conversion per event costs as much as the rest of the fold. Morocco
changes its offset a few times a year (summer time, Ramadan), always on a whole UTC
hour, so the answer is the same for a whole UTC hour: it is worked out once per hour
from the hour's first and last instants. An hour in which the day or the offset is not
the same at both ends (the local-mean-time era before 1913, when local midnight fell
at 00:30:20 UTC) is never remembered; each of its instants is converted on its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.clock import CASABLANCA, local_day

_HOUR_LAST = timedelta(minutes=59, seconds=59, microseconds=999_999)
_MIXED = ""  # the hour spans two local days or two offsets
_REMEMBERED = 100_000  # hours (about eleven years): then forget, so memory stays bounded
_by_hour: dict[tuple[date, int], str] = {}


def day_of(moment: datetime) -> str:
    """``local_day(moment).isoformat()``, e.g. '2020-05-03', without a conversion per call."""
    if moment.tzinfo is not UTC:  # keys below read the UTC wall clock
        return local_day(moment).isoformat()
    key = (moment.date(), moment.hour)
    day = _by_hour.get(key)
    if day is None:
        day = _whole_hour_day(moment.replace(minute=0, second=0, microsecond=0))
        if len(_by_hour) >= _REMEMBERED:
            _by_hour.clear()
        _by_hour[key] = day
    return day or local_day(moment).isoformat()


def _whole_hour_day(start: datetime) -> str:
    first, last = start.astimezone(CASABLANCA), (start + _HOUR_LAST).astimezone(CASABLANCA)
    if first.date() != last.date() or first.utcoffset() != last.utcoffset():
        return _MIXED
    return first.date().isoformat()
