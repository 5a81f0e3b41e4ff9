"""Time rules: instants are timezone-aware UTC; days are Africa/Casablanca days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.errors import DomainError

CASABLANCA = ZoneInfo("Africa/Casablanca")
CLOCK_SKEW = timedelta(minutes=10)  # a field device's clock may run a little ahead


def check_aware(moment: datetime, field: str) -> datetime:
    """Refuse naive datetimes: a time without an offset is ambiguous in the field."""
    if moment.tzinfo is UTC:  # already what it becomes (a batch's items mostly are)
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError("time must include a UTC offset, e.g. 2020-04-25T10:00:00+01:00", field)
    return moment.astimezone(UTC)


def check_past(moment: datetime, now: datetime, field: str) -> datetime:
    """An aware instant that has already happened (allowing for clock skew), in UTC."""
    moment = check_aware(moment, field)
    if moment > now + CLOCK_SKEW:
        raise DomainError("is in the future", field)
    return moment


def local_day(moment: datetime) -> date:
    """The Africa/Casablanca calendar day of an instant."""
    return _day_and_text(moment)[0]


def local_day_iso(moment: datetime) -> str:
    """``local_day(moment).isoformat()``, e.g. '2020-05-03' (the folds' dimension)."""
    return _day_and_text(moment)[1]


# Every delivery, movement and gift asks for its local day, and a time-zone conversion
# costs as much as the rest of a fold. Morocco changes its offset a few times a year
# (summer time, Ramadan), always on a whole UTC hour, so the answer holds for a whole
# UTC hour: it is worked out once per hour from the hour's first and last instants. An
# hour whose two ends disagree on the day or the offset (the local-mean-time era before
# 1913, when local midnight fell at 00:30:20 UTC) is never remembered.
_HOUR_LAST = timedelta(minutes=59, seconds=59, microseconds=999_999)
_REMEMBERED = 100_000  # hours (about eleven years): then forget, so memory stays bounded
_by_hour: dict[tuple[date, int], tuple[date, str] | None] = {}


def _day_and_text(moment: datetime) -> tuple[date, str]:
    if moment.tzinfo is not UTC:  # the keys below read the UTC wall clock
        return _converted(moment)
    key = (moment.date(), moment.hour)
    if key not in _by_hour:
        if len(_by_hour) >= _REMEMBERED:
            _by_hour.clear()
        _by_hour[key] = _whole_hour(moment.replace(minute=0, second=0, microsecond=0))
    return _by_hour[key] or _converted(moment)


def _whole_hour(start: datetime) -> tuple[date, str] | None:
    first, last = start.astimezone(CASABLANCA), (start + _HOUR_LAST).astimezone(CASABLANCA)
    if first.date() != last.date() or first.utcoffset() != last.utcoffset():
        return None
    return _converted(start)


def _converted(moment: datetime) -> tuple[date, str]:
    day = moment.astimezone(CASABLANCA).date()
    return day, day.isoformat()


def utc_now() -> datetime:
    return datetime.now(UTC)
