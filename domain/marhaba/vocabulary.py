"""The closed lists Marhaba records use, each refused with the field it came in."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from domain.errors import DomainError


class SiteKind(StrEnum):
    PORT = "port"
    AIRPORT = "airport"
    LAND_BORDER = "land_border"
    ABROAD = "abroad"  # a reception area outside Morocco (rest areas, consular desks)


class Direction(StrEnum):
    ARRIVAL = "arrival"
    DEPARTURE = "departure"


class Mode(StrEnum):
    AIR = "air"
    SEA = "sea"
    ROAD = "road"


class Category(StrEnum):
    """Kinds of assistance the 2020 report names."""

    MEDICAL = "medical"
    SOCIAL = "social"
    ADMINISTRATIVE = "administrative"  # consular duty desks, travel permits
    COVID = "covid"  # returnees who tested positive, taken to Ministry of Health hospitals
    REPATRIATION = "repatriation"  # e.g. the seasonal strawberry workers flown home


class Destination(StrEnum):
    """Where a case is referred to."""

    MOH_HOSPITAL = "moh_hospital"  # a Ministry of Health hospital
    OTHER_HOSPITAL = "other_hospital"
    CONSULATE = "consulate"
    SOCIAL_SERVICES = "social_services"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"


E = TypeVar("E", bound=StrEnum)
COUNTRY = re.compile(r"^[A-Z]{2}$")
MOROCCO = "MA"


def choose(kind: type[E], value: str, field: str) -> E:
    """The member of ``kind`` named ``value``, or a DomainError listing the valid ones."""
    try:
        return kind(value)
    except ValueError:
        valid = ", ".join(member.value for member in kind)
        raise DomainError(f"must be one of: {valid}", field) from None


def check_country(code: str, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code (the API checks it is an assigned one)."""
    if not COUNTRY.match(code):
        raise DomainError("must be an ISO 3166-1 alpha-2 code such as MA, FR or IT", field)
    return code


def check_count(value: int, field: str, largest: int) -> int:
    if not 1 <= value <= largest:
        raise DomainError(f"must be between 1 and {largest}", field)
    return value
