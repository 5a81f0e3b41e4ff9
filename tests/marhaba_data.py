"""Builders shared by the Marhaba tests: the 2020 operation and its sites, in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.marhaba.commands import RecordMovement
from domain.marhaba.operation import Operation
from domain.marhaba.site import Site

SLUG = "marhaba-2020"
STARTS, ENDS = date(2020, 7, 15), date(2020, 9, 15)
NOW = datetime(2020, 9, 20, 12, 0, tzinfo=UTC)
BY = "admin#tests"

OPERATION: dict[str, Any] = {
    "slug": SLUG,
    "name": "Marhaba 2020",
    "starts_on": STARTS.isoformat(),
    "ends_on": ENDS.isoformat(),
}
SITES: dict[str, dict[str, Any]] = {
    "port-genoa": {"name": "Port of Genoa", "kind": "port", "city": "Genoa", "country": "IT"},
    "port-sete": {"name": "Port of Sète", "kind": "port", "city": "Sète", "country": "FR"},
    "airport-casa": {
        "name": "Mohammed V airport",
        "kind": "airport",
        "city": "Casablanca",
        "country": "MA",
    },
}


def operation() -> Operation:
    return Operation.launch(
        slug=SLUG, name="Marhaba 2020", starts_on=STARTS, ends_on=ENDS, launched_by=BY
    )


def site(op: Operation, code: str = "port-genoa", **changes: Any) -> Site:
    details = {**SITES.get(code, SITES["port-genoa"]), "opens_on": None, "closes_on": None}
    details.update(changes)
    return Site.register(op, code=code, registered_by=BY, **details)


def moment(day: int, month: int = 7, hour: int = 10) -> datetime:
    return datetime(2020, month, day, hour, 0, tzinfo=UTC)


def movement(
    n: int,
    travellers: int = 100,
    direction: str = "arrival",
    mode: str = "sea",
    at: datetime | None = None,
) -> RecordMovement:
    return RecordMovement(
        reference=f"m-{n}",
        direction=direction,
        mode=mode,
        travellers=travellers,
        moved_at=at or moment(16),
    )
