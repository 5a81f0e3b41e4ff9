"""Cell values as people type them: Arabic-Indic digits, French dates, stray spaces.

Every parser takes the cell's text and returns a value or raises ``CellError``
with a reason for people; none of them puts the cell's text in the reason, so a
caller decides whether the value may be echoed (a household number may not).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, time, tzinfo

from domain.clock import CASABLANCA
from domain.spelling import SHAPE, is_plausible_identifier

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (U+06F0..) digits, and the Arabic
# decimal and thousands separators, mapped to what Python's parsers read.
_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u066b\u066c\u00a0\u202f",
    "01234567890123456789.,  ",
)


class CellError(ValueError):
    """A cell that cannot be read; ``reason`` never contains the cell's text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean(text: str) -> str:
    """Latin digits, ordinary spaces, no surrounding blanks: what every cell goes through."""
    return " ".join(text.translate(_DIGITS).split())


def header_key(text: str) -> str:
    """A header reduced to letters and digits, without accents, case or tatweel.

    "Taille du ménage", "taille_du_menage" and "TAILLE DU MÉNAGE" give the same
    key; so do "عدد الأفراد" and "عدد_الافراد".
    """
    decomposed = unicodedata.normalize("NFKD", clean(text).replace("\u0640", ""))
    kept = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in "".join(kept).casefold() if c.isalnum())


def text(value: str) -> str:
    found = clean(value)
    if not found:
        raise CellError("is empty")
    return found


def whole_number(value: str) -> int:
    found = clean(value).replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", found):  # spreadsheets sometimes write 5 as 5.0
        return int(found.split(".")[0])
    if not found:
        raise CellError("is empty")
    raise CellError("is not a whole number")


_DATE_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*:\s*(\d{2})(?:\.\d+)?)?")


def moment(value: str, zone: tzinfo = CASABLANCA) -> datetime:
    """A date, or date and time, as typed: ISO 8601, 26/04/2020, 26-04-2020 10:15, 10h15.

    Without an offset the time is a wall-clock time in ``zone`` (Africa/Casablanca);
    a date alone means the start of that day there.
    """
    found = clean(value)
    if not found:
        raise CellError("is empty")
    iso = _iso(found)
    if iso is not None:
        return iso if iso.tzinfo else iso.replace(tzinfo=zone)
    date_part, time_part = _split(found)
    day = _day(date_part)
    at = _time(time_part) if time_part else time(0, 0)
    return datetime.combine(day, at).replace(tzinfo=zone)


def _iso(found: str) -> datetime | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", found):
        return None
    try:
        return datetime.fromisoformat(found.replace(" ", "T", 1))
    except ValueError:
        return None


def _split(found: str) -> tuple[str, str]:
    parts = found.replace("T", " ").split(" ", 1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _day(part: str) -> datetime:
    year_first = _YEAR_FIRST.fullmatch(part)
    if year_first:
        year, month, day = (int(g) for g in year_first.groups())
    else:
        day_first = _DATE_FIRST.fullmatch(part)
        if not day_first:
            raise CellError("is not a date (expected day/month/year, e.g. 26/04/2020)")
        day, month, year = (int(g) for g in day_first.groups())
        year += 2000 if year < 100 else 0
    try:
        return datetime(year, month, day)  # noqa: DTZ001 - a calendar day, zone added later
    except ValueError:
        raise CellError("is not a date that exists (day/month/year)") from None


def _time(part: str) -> time:
    match = _TIME.fullmatch(part)
    if not match:
        raise CellError("has a time that cannot be read (expected e.g. 10:15 or 10h15)")
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise CellError("has a time that does not exist")
    return time(hour, minute, second)


def utc_moment(value: str) -> datetime:
    """Like ``moment`` but a time without offset is UTC (Kobo's ``_submission_time``)."""
    return moment(value, UTC)


_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


def client_id(value: str) -> str:
    """An id the client made (a delivery number): letters, digits and . _ : -"""
    found = text(value)
    if not _CLIENT_ID.fullmatch(found):
        raise CellError("must be 1-64 letters, digits or . _ : - (no spaces)")
    return found


def code(value: str) -> str:
    """A committee or site code; people type it in capitals, codes are lower-case."""
    found = text(value).lower()
    if not _CODE.fullmatch(found):
        raise CellError("must be 2-63 characters: letters, digits and '-'")
    return found


def identity_number(value: str) -> str:
    """A national ID or social-card number, checked for shape only; never echoed."""
    found = text(value)
    if not is_plausible_identifier(found):
        raise CellError(SHAPE)
    return found


# -- words from a closed list ------------------------------------------------------------
def one_of(words: dict[str, str], expected: str) -> Callable[[str], str]:
    """A parser for a closed list typed in any of three languages: ``words`` maps each
    accepted word (any case, accents or spacing) to the code the command wants."""
    index = {header_key(word): code for word, code in words.items()}

    def parse(value: str) -> str:
        found = index.get(header_key(value))
        if found is None:
            raise CellError("is empty" if not clean(value) else f"must be {expected}")
        return found

    return parse
