"""Time rules: instants are timezone-aware UTC; days are Africa/Casablanca days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.errors import DomainError

CASABLANCA = ZoneInfo("Africa/Casablanca")


def check_aware(moment: datetime, field: str) -> datetime:
    """Refuse naive datetimes: a time without an offset is ambiguous in the field."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError("time must include a UTC offset, e.g. 2020-04-25T10:00:00+01:00", field)
    return moment.astimezone(UTC)


def local_day(moment: datetime) -> date:
    """The Africa/Casablanca calendar day of an instant."""
    return moment.astimezone(CASABLANCA).date()


def utc_now() -> datetime:
    return datetime.now(UTC)
