"""Time rules: instants are timezone-aware UTC; days are Africa/Casablanca days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.errors import DomainError

CASABLANCA = ZoneInfo("Africa/Casablanca")
CLOCK_SKEW = timedelta(minutes=10)  # a field device's clock may run a little ahead


def check_aware(moment: datetime, field: str) -> datetime:
    """Refuse naive datetimes: a time without an offset is ambiguous in the field."""
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
    return moment.astimezone(CASABLANCA).date()


def utc_now() -> datetime:
    return datetime.now(UTC)
