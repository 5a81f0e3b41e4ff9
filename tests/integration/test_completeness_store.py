"""Completeness figures against a count made here from the plan of who reported when."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from adapters.bootstrap import Container
from domain.approval.workflow import Period
from domain.clock import CASABLANCA, local_day
from domain.distribution.commands import (
    DispatchKits,
    LaunchCampaign,
    RecordDelivery,
    RegisterCommittee,
)
from projections.completeness import VIEW
from projections.completeness_report import Span, completeness
from tests.workload import ADMIN

SLUG = "ramadan-now"
TZ = CASABLANCA  # days are Casablanca days
# committee -> province, and how many days ago each of its deliveries was dated.
PLAN = {
    "casa-anfa": ("MA-CAS", [5, 5, 3, 1]),  # silent 4 and 2 days ago; 5 and 3 late
    "casa-maarif": ("MA-CAS", [1]),
    "rabat-agdal": ("MA-RAB", [3, 1]),  # silent 2 days ago
    "fes-medina": ("MA-FES", []),  # never reported
}
DELAY = 1


def _setup(container: Container, today: date) -> None:
    service = container.distribution
    service.launch_campaign(
        LaunchCampaign(SLUG, "Now", today - timedelta(days=10), today + timedelta(days=5), 1000, 0),
        ADMIN,
    )
    for code, (province, _) in PLAN.items():
        service.set_quota(SLUG, province, 100, ADMIN)
        service.register_committee(SLUG, RegisterCommittee(code, code, province), ADMIN)
        service.dispatch_kits(SLUG, DispatchKits(code, 50, "bl"), ADMIN)
    items = [
        RecordDelivery(f"{code}-{n}", code, f"CP{i:02d}{n:05d}", 3, _noon(today, ago))
        for i, (code, (_, agos)) in enumerate(PLAN.items())
        for n, ago in enumerate(agos)
    ]
    outcome = service.record_deliveries(SLUG, items, ADMIN)
    assert outcome.count(outcome.items[0].status) == len(items)  # every one recorded


def _noon(today: date, ago: int) -> datetime:
    return datetime.combine(today - timedelta(days=ago), time(12), TZ)


def _expected(today: date, span: Span | None = None) -> dict[str, dict[str, int]]:
    """The count by hand: each committee's expected days, those reported, on time, late."""
    counted = {}
    for code, (_, agos) in PLAN.items():
        days = {today - timedelta(days=a) for a in agos}
        first = span.first if span else min(days, default=None)
        last = span.last if span else max(days, default=None)
        expected = set()
        if first is not None and last is not None:
            expected = {first + timedelta(days=n) for n in range((last - first).days + 1)}
        on_time = {d for d in days & expected if today <= d + timedelta(days=DELAY)}
        counted[code] = {
            "expected": len(expected),
            "reported": len(days & expected),
            "on_time": len(on_time),
            "late": len(days & expected) - len(on_time),
            "silent": len(expected - days),
        }
    return counted


def _by_unit(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    totals: dict[str, dict[str, object]] = {}
    for row in rows:
        unit = totals.setdefault(str(row["unit"]), {})
        for name in ("expected", "reported", "on_time", "late", "silent"):
            unit[name] = int(unit.get(name, 0)) + int(row[name])  # type: ignore[call-overload]
    return totals


def test_completeness_per_committee_and_province_by_day(container: Container) -> None:
    today = local_day(datetime.now(TZ))
    _setup(container, today)
    container.runner.catch_up()
    table = container.views.table(VIEW, SLUG)
    by_day = completeness(table, "committee", Period.DAY, DELAY)
    wanted = {code: c for code, c in _expected(today).items() if c["expected"]}
    assert _by_unit(by_day) == wanted
    assert by_day[0]["silent"] == 1 and by_day[0]["unit"] in {"casa-anfa", "rabat-agdal"}
    assert [r["silent"] for r in by_day] == sorted((r["silent"] for r in by_day), reverse=True)
    span = Span(today - timedelta(days=5), today)
    provinces = _by_unit(completeness(table, "province", Period.DAY, DELAY, span))
    by_hand = _expected(today, span)
    for province in ("MA-CAS", "MA-RAB", "MA-FES"):
        codes = [c for c, (p, _) in PLAN.items() if p == province]
        assert provinces[province] == {
            k: sum(by_hand[c][k] for c in codes) for k in by_hand[codes[0]]
        }
