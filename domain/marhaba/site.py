"""A reception site of one operation: a port, an airport, a land border or a site abroad."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.clock import local_day
from domain.errors import ConflictError, DomainError
from domain.geography import Province, check_province
from domain.ids import check_code, stream_id
from domain.marhaba.operation import Operation
from domain.marhaba.vocabulary import MOROCCO, SiteKind, check_country, choose


class Site(Aggregate):
    """Where travellers are counted and helped, open on days within its operation's dates."""

    @staticmethod
    def create_id(operation: str, code: str, **_: Any) -> UUID:
        return stream_id("marhaba-site", operation, code)

    @classmethod
    def register(
        cls,
        operation: Operation,
        *,
        code: str,
        name: str,
        kind: str,
        city: str,
        country: str,
        opens_on: date | None,
        closes_on: date | None,
        registered_by: str,
        province: str | None = None,
    ) -> Site:
        check_code(code, "code")
        for field, text in (("name", name), ("city", city)):
            if not text.strip():
                raise DomainError("must not be empty", field)
        site_kind = choose(SiteKind, kind, "kind")
        if site_kind is SiteKind.ABROAD and check_country(country) == MOROCCO:
            raise DomainError("a site abroad cannot be in Morocco (MA)", "country")
        opens, closes = opens_on or operation.starts_on, closes_on or operation.ends_on
        operation.check_within(opens, "opens_on")
        operation.check_within(closes, "closes_on")
        if closes < opens:
            raise DomainError("must not be before opens_on", "closes_on")
        place = _place(province, country)
        return cls(
            operation=operation.slug,
            code=code,
            name=name.strip(),
            kind=site_kind.value,
            city=city.strip(),
            country=check_country(country),
            opens_on=opens,
            closes_on=closes,
            registered_by=registered_by,
            province=None if place is None else place.code,
            region=None if place is None else place.region_code,
        )

    @event("Registered")
    def __init__(
        self,
        *,
        operation: str,
        code: str,
        name: str,
        kind: str,
        city: str,
        country: str,
        opens_on: date,
        closes_on: date,
        registered_by: str,
        province: str | None = None,  # sites in Morocco: where partners place their figures
        region: str | None = None,
    ) -> None:
        self.operation = operation
        self.code = code
        self.name = name
        self.kind = kind
        self.city = city
        self.country = country
        self.opens_on = opens_on
        self.closes_on = closes_on
        self.province = province
        self.region = region
        self.closed = False

    def details(self) -> tuple[str, str, str, str, date, date, str | None]:
        return (
            self.name,
            self.kind,
            self.city,
            self.country,
            self.opens_on,
            self.closes_on,
            self.province,
        )

    # -- guards -------------------------------------------------------------
    def check_open(self) -> None:
        if self.closed:
            raise ConflictError(f"site '{self.code}' is closed", "site")

    def check_recording(self, moment: datetime, field: str) -> None:
        """A new record must be made while the site is open, on one of its days."""
        self.check_open()
        day = local_day(moment)
        if not self.opens_on <= day <= self.closes_on:
            raise DomainError(
                f"{day.isoformat()} is outside the days site '{self.code}' is open "
                f"({self.opens_on.isoformat()} to {self.closes_on.isoformat()})",
                field,
            )

    # -- commands -----------------------------------------------------------
    def close(self, closed_by: str, reason: str) -> bool:
        """Close once; False when this closure (same reason) is resent."""
        if self.closed and getattr(self, "closed_because", None) == reason:
            return False
        self.check_open()
        self._closed(operation=self.operation, site=self.code, closed_by=closed_by, reason=reason)
        return True

    @event("Closed")
    def _closed(self, operation: str, site: str, closed_by: str, reason: str) -> None:
        self.closed = True
        self.closed_because = reason
        self.closed_in = self.version + 1  # this event's version: the body runs first


def _place(province: str | None, country: str) -> Province | None:
    """A site in Morocco may name its prefecture or province (ISO 3166-2:MA); none abroad."""
    if province is None:
        return None
    if country != MOROCCO:
        raise DomainError("only a site in Morocco (MA) is in a Moroccan province", "province")
    return check_province(province)
