"""Reception sites' completeness against a count made here from the plan, on both stores.

A site is expected each day it is open: from its opening day to its closing day, or the
day it was closed, and never after today.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from adapters.bootstrap import Container
from domain.approval.workflow import Period
from domain.clock import CASABLANCA, local_day, utc_now
from domain.marhaba.commands import LaunchOperation, OpenCase, RecordMovement, RegisterSite
from projections.completeness import VIEW
from projections.completeness_report import Span, completeness
from tests.workload import ADMIN

SLUG = "marhaba-now"
DELAY = 1
# site -> (opens, closes: days from today; days ago its facts were dated)
PLAN = {
    "port-a": (-6, 5, [6, 4, 1, 0]),  # silent 5, 3 and 2 days ago; 6 and 4 late; closed today
    "port-b": (-3, -1, [3]),  # a case 3 days ago; silent 2 and 1 days ago
    "port-c": (-2, 5, []),  # never reported: silent each day up to today
}


def _setup(container: Container, today: date) -> None:
    service = container.marhaba
    start, end = today - timedelta(days=10), today + timedelta(days=5)
    service.launch_operation(LaunchOperation(SLUG, "Now", start, end), ADMIN)
    for code, (opens, closes, agos) in PLAN.items():
        site = RegisterSite(
            code, code, "port", "Tanger", "MA", today + timedelta(opens), today + timedelta(closes)
        )
        service.register_site(SLUG, site, ADMIN)
        for n, ago in enumerate(agos):
            at = datetime.combine(today - timedelta(days=ago), time(0, 0, 1), CASABLANCA)
            if code == "port-b":
                service.cases.open(SLUG, code, OpenCase(f"c-{n}", "social", 2, at), ADMIN)
            else:
                movement = RecordMovement(f"{code}-{n}", "arrival", "sea", 10, at)
                service.record_movements(SLUG, code, [movement], ADMIN)
    service.close_site(SLUG, "port-a", "season over", ADMIN)


def _expected(today: date) -> dict[str, dict[str, int]]:
    """The count by hand: each site's open days up to today, those reported, on time."""
    counted = {}
    for code, (opens, closes, agos) in PLAN.items():
        last = min(today + timedelta(closes), today)
        days = [today + timedelta(opens + n) for n in range((last - today).days - opens + 1)]
        reported = {today - timedelta(days=a) for a in agos}
        on_time = sum(1 for d in reported if d + timedelta(days=DELAY) >= today)
        counted[code] = {
            "expected": len(days),
            "reported": len(reported),
            "on_time": on_time,
            "late": len(reported) - on_time,
            "silent": len(days) - len(reported),
        }
    return counted


def test_each_site_is_expected_every_open_day_and_silent_days_are_counted(
    container: Container,
) -> None:
    today = local_day(utc_now())
    _setup(container, today)
    container.runner.catch_up()
    table = container.views.table(VIEW, SLUG)
    rows = completeness(table, "site", Period.DAY, DELAY, Span(), "marhaba", SLUG, today)
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        into = found.setdefault(row["unit"], dict.fromkeys(_expected(today)["port-a"], 0))
        for name in into:
            into[name] += row[name]
    assert found == _expected(today)
    assert rows[0]["silent"] == 1  # silent days first
    whole = completeness(table, "operation", Period.DAY, DELAY, Span(), "marhaba", SLUG, today)
    assert {r["unit"] for r in whole} == {SLUG}
    assert sum(r["expected"] for r in whole) == sum(c["expected"] for c in found.values())
    assert sum(r["silent"] for r in whole) == sum(c["silent"] for c in found.values())
