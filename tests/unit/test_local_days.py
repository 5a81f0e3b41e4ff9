"""The remembered local days agree with a conversion per instant, offset changes included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from domain.clock import CASABLANCA, local_day, local_day_iso


def agrees_with_a_conversion(moment: datetime) -> bool:
    day = moment.astimezone(CASABLANCA).date()
    return local_day(moment) == day and local_day_iso(moment) == day.isoformat()


def offset_changes(first_year: int, last_year: int) -> list[datetime]:
    """UTC hours at which Africa/Casablanca's offset changed (found hour by hour)."""
    found, hour = [], datetime(first_year, 1, 1, tzinfo=UTC)
    previous = hour.astimezone(CASABLANCA).utcoffset()
    while hour.year <= last_year:
        offset = hour.astimezone(CASABLANCA).utcoffset()
        if offset != previous:
            found.append(hour)
        previous, hour = offset, hour + timedelta(hours=1)
    return found


def test_a_day_is_remembered_correctly_around_every_ramadan_and_summer_change() -> None:
    changes = offset_changes(2018, 2030)
    assert len(changes) >= 20  # Ramadan moves the clocks twice a year
    for change in changes:
        moment = change - timedelta(hours=30)
        while moment < change + timedelta(hours=30):
            assert agrees_with_a_conversion(moment), moment
            moment += timedelta(minutes=7, seconds=13)


def test_the_half_hour_local_mean_time_midnight_is_not_rounded_to_an_hour() -> None:
    # Until 1913 Casablanca ran 0:30:20 behind UTC: its midnight fell at 00:30:20 UTC.
    for minute in (0, 30, 31, 59):
        moment = datetime(1912, 6, 1, 0, minute, 19, tzinfo=UTC)
        assert agrees_with_a_conversion(moment)
    assert local_day_iso(datetime(1912, 6, 1, 0, 30, 19, tzinfo=UTC)) == "1912-05-31"


def test_instants_in_other_offsets_are_converted_as_they_are() -> None:
    moment = datetime(2020, 7, 15, 0, 30, tzinfo=timezone(timedelta(hours=2)))
    assert agrees_with_a_conversion(moment)
    assert local_day_iso(moment) == "2020-07-14"
    assert local_day_iso(moment.astimezone(UTC)) == "2020-07-14"
